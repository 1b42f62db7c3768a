/// Rules a new password must meet (密码规则).
public enum PasswordPolicy {
    public static let minimumLength = 10

    /// A Chinese message for what is wrong with `password`, or `nil` when it is acceptable.
    public static func problem(with password: String, login: String) -> String? {
        if password.count < minimumLength { return "密码至少需要 \(minimumLength) 个字符" }
        if password.count > 128 { return "密码不能超过 128 个字符" }
        if password.lowercased().contains(login.lowercased()) && !login.isEmpty { return "密码不能包含登录名" }
        let classes = [
            password.contains(where: \.isLowercase),
            password.contains(where: \.isUppercase),
            password.contains(where: \.isNumber),
            password.contains(where: { !$0.isLetter && !$0.isNumber }),
        ].filter { $0 }.count
        if classes < 3 { return "密码需包含大写字母、小写字母、数字、符号中的至少三类" }
        return nil
    }
}
