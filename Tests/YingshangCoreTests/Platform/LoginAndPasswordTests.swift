import Foundation
import Testing
import YingshangCore

@Suite("Login throttling and password rules")
struct LoginAndPasswordTests {
    let policy = LoginThrottlePolicy()
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("Five failures within 15 minutes lock for 15 minutes from the fifth")
    func locks() {
        let failures = (0..<5).map { now.addingTimeInterval(Double(-240 + $0 * 60)) }
        let until = policy.lockedUntil(failures: failures, now: now)
        #expect(until == failures[4].addingTimeInterval(15 * 60))
        #expect(policy.lockedUntil(failures: Array(failures.prefix(4)), now: now) == nil)
        #expect(policy.lockedUntil(failures: failures, now: failures[4].addingTimeInterval(15 * 60 + 1)) == nil)
    }

    @Test("Failures spread over more than the window do not lock")
    func spread() {
        let failures = (0..<5).map { now.addingTimeInterval(Double(-5 * 300 + $0 * 300)) }
        #expect(policy.lockedUntil(failures: failures, now: now) == nil)
    }

    @Test("The lock message names the minutes left, rounded up")
    func message() {
        #expect(LoginThrottlePolicy.lockedMessage(until: now.addingTimeInterval(14 * 60 + 1), now: now).contains("15 分钟"))
        #expect(LoginThrottlePolicy.lockedMessage(until: now.addingTimeInterval(10), now: now).contains("1 分钟"))
    }

    @Test("Passwords need length, variety and must not contain the login")
    func passwords() {
        #expect(PasswordPolicy.problem(with: "Short-1", login: "zhang") != nil)
        #expect(PasswordPolicy.problem(with: "alllowercaseletters", login: "zhang")?.contains("三类") == true)
        #expect(PasswordPolicy.problem(with: "Zhang-Secret-2026", login: "zhang")?.contains("登录名") == true)
        #expect(PasswordPolicy.problem(with: "Brand-New-Pass-42", login: "zhang") == nil)
    }

    @Test("DATABASE_URL selects SQLite or PostgreSQL")
    func databaseLocation() throws {
        #expect(try DatabaseLocation.parse(nil) == .sqlite(path: "./data/yingshang.sqlite"))
        #expect(try DatabaseLocation.parse("sqlite:///var/lib/ys/y.sqlite") == .sqlite(path: "/var/lib/ys/y.sqlite"))
        #expect(try DatabaseLocation.parse("sqlite://./local.sqlite") == .sqlite(path: "./local.sqlite"))
        #expect(try DatabaseLocation.parse("postgres://u:p@db/ys") == .postgres(url: "postgres://u:p@db/ys"))
        #expect(try DatabaseLocation.parse("postgresql://db/ys") == .postgres(url: "postgresql://db/ys"))
        #expect(throws: DatabaseLocation.ParseError.unsupportedScheme("mysql")) { try DatabaseLocation.parse("mysql://x") }
        #expect(throws: DatabaseLocation.ParseError.missingPath) { try DatabaseLocation.parse("sqlite://") }
    }
}
