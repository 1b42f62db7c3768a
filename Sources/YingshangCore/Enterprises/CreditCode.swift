/// The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters, the last a check
/// character computed from the first 17 with weights 3^i mod 31.
public enum CreditCode {
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// A Chinese message for what is wrong with `code`, or nil when it is a valid code.
    public static func problem(with code: String) -> String? {
        let chars = Array(code.uppercased())
        guard chars.count == 18 else { return "统一社会信用代码应为 18 位，当前为 \(chars.count) 位" }
        for (index, c) in chars.enumerated() where !alphabet.contains(c) {
            return "第 \(index + 1) 位“\(c)”不是统一社会信用代码允许的字符（不使用 I、O、S、V、Z）"
        }
        guard let expected = checkCharacter(forFirst17: String(chars.prefix(17))), expected == chars[17] else {
            return "统一社会信用代码校验位不正确，请核对是否输错"
        }
        return nil
    }

    public static func isValid(_ code: String) -> Bool { problem(with: code) == nil }

    /// The check character for the first 17 characters, or nil if one of them is not allowed.
    public static func checkCharacter(forFirst17 body: String) -> Character? {
        let chars = Array(body.uppercased())
        guard chars.count == 17 else { return nil }
        var sum = 0
        for (index, c) in chars.enumerated() {
            guard let value = alphabet.firstIndex(of: c) else { return nil }
            sum += value * weights[index]
        }
        let check = (31 - sum % 31) % 31
        return alphabet[check]
    }
}
