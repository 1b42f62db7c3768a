import Testing
import YingshangCore

@Suite("统一社会信用代码 (GB 32100-2015)")
struct CreditCodeTests {
    @Test("Published codes validate; a changed character or check digit is caught", arguments: [
        "91110000802100433B",  // 国家电网有限公司
        "91440300708461136T",  // 华为技术有限公司
    ])
    func valid(code: String) {
        #expect(CreditCode.isValid(code))
        var broken = Array(code)
        broken[5] = broken[5] == "1" ? "2" : "1"
        #expect(CreditCode.problem(with: String(broken))?.contains("校验位") == true)
    }

    @Test("Length and forbidden characters get their own messages")
    func messages() {
        #expect(CreditCode.problem(with: "9111")?.contains("18 位") == true)
        #expect(CreditCode.problem(with: "91110000802100433I")?.contains("不使用") == true)
        #expect(CreditCode.checkCharacter(forFirst17: "91110000802100433") == "B")
    }
}
