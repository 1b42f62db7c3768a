import Testing
@testable import YingshangCore

@Suite("PersonalDataMask")
struct MaskingTests {
    @Test(arguments: [
        ("13812345678", "138****5678"),
        (" 13812345678 ", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("+86 138 1234 5678", "+86 138****5678"),
        ("+8613812345678", "+86 138****5678"),
        ("8613812345678", "86 138****5678"),
        ("010-12345678", "010-******78"),
        ("0551-65123456", "0551-******56"),
        ("0551 6512 3456", "0551-******56"),
        ("(010)12345678", "010-******78"),
        ("075588886666", "0755******66"),
        ("02112345678", "021******78"),
        ("12345", "***45"),
        ("88886666", "******66"),
        ("12", "**"),
        ("", ""),
    ])
    func phone(_ input: String, _ expected: String) {
        #expect(PersonalDataMask.phone(input) == expected)
    }

    @Test(arguments: [
        ("张三", "张*"),
        ("欧阳娜娜", "欧***"),
        ("李", "*"),
        (" 王小明 ", "王**"),
        ("阿依古丽·买买提", "阿*******"),
        ("", ""),
    ])
    func name(_ input: String, _ expected: String) {
        #expect(PersonalDataMask.name(input) == expected)
    }

    @Test(arguments: [
        ("zhangsan@example.com", "z***@example.com"),
        ("a@b.cn", "a***@b.cn"),
        ("张三@政务.中国", "张***@政务.中国"),
        ("not-an-email", "n***"),
        ("@example.com", "@***"),
        ("", ""),
    ])
    func email(_ input: String, _ expected: String) {
        #expect(PersonalDataMask.email(input) == expected)
    }

    @Test(arguments: [
        ("340000199001011234", "340000********1234"),
        ("34000019900101123x", "340000********123X"),
        ("340000900101123", "340000*****1123"),
        ("AB12345678", "******5678"),
        ("123", "***"),
        ("", ""),
    ])
    func idNumber(_ input: String, _ expected: String) {
        #expect(PersonalDataMask.idNumber(input) == expected)
    }

    @Test func maskedValuesNeverContainTheMiddle() {
        let id = "340000199001011234"
        #expect(!PersonalDataMask.idNumber(id).contains("19900101"))
        #expect(!PersonalDataMask.phone("13812345678").contains("1234"))
    }
}
