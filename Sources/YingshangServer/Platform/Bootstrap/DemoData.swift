import Crypto
import Fluent
import Vapor
import YingshangCore

/// Demo data for `serve --demo`: a region with its departments, sections and cities, and one user per role.
/// Loading is idempotent (records are keyed by code and login). Demo passwords are derived from a random
/// secret stored in this database, so they differ per installation yet can be printed at every start.
enum DemoData {
    /// Later capabilities add their demo data by appending a loader here.
    static let loaders: [@Sendable (Application) async throws -> Void] = [loadPlatform, LedgerDemoData.load, AppealDemoData.load, PolicyDemoData.load, EnterpriseDemoData.load, EvaluationDemoData.load]

    struct DemoAccount: Sendable {
        let login: String
        let displayName: String
        let role: Role
        let unitCode: String?
    }

    static let accounts: [DemoAccount] = [
        DemoAccount(login: "leader", displayName: "王局长", role: .leader, unitCode: "GX-YSJ"),
        DemoAccount(login: "office", displayName: "李明", role: .admin, unitCode: "GX-YSJ"),
        DemoAccount(login: "scjg", displayName: "张华", role: .unitStaff, unitCode: "GX-SCJG"),
        DemoAccount(login: "zjt", displayName: "陈静", role: .unitStaff, unitCode: "GX-ZJT"),
        DemoAccount(login: "jiandu", displayName: "刘芳", role: .supervisor, unitCode: nil),
        DemoAccount(login: "qiye", displayName: "南宁某科技有限公司", role: .enterprise, unitCode: nil),
    ]

    /// code, name, short name, kind, parent code, aliases
    static let units: [(String, String, String?, OrgUnitKind, String?, [String])] = [
        ("GX", "自治区人民政府", "自治区", .region, nil, []),
        ("GX-YSJ", "自治区优化营商环境办公室", "营商办", .department, "GX", ["自治区营商环境建设局", "营商环境建设局"]),
        ("GX-YSJ-ZHC", "综合协调处", nil, .section, "GX-YSJ", []),
        ("GX-YSJ-DBC", "督查督办处", nil, .section, "GX-YSJ", []),
        ("GX-SCJG", "自治区市场监督管理局", "市场监管局", .department, "GX", ["自治区市场监管局", "市场监督管理局"]),
        ("GX-SCJG-DJC", "登记注册处", nil, .section, "GX-SCJG", []),
        ("GX-SCJG-XYC", "信用监督管理处", nil, .section, "GX-SCJG", []),
        ("GX-FGW", "自治区发展和改革委员会", "发展改革委", .department, "GX", ["自治区发展改革委", "发改委"]),
        ("GX-ZJT", "自治区住房和城乡建设厅", "住房城乡建设厅", .department, "GX", ["自治区住房城乡建设厅", "住建厅"]),
        ("GX-RST", "自治区人力资源和社会保障厅", "人力资源社会保障厅", .department, "GX", ["自治区人力资源社会保障厅", "人社厅"]),
        ("GX-DSJ", "自治区大数据发展局", "大数据发展局", .department, "GX", ["自治区大数据发展局"]),
        ("GX-CZT", "自治区财政厅", "财政厅", .department, "GX", []),
        ("GX-SWJ", "国家税务总局广西壮族自治区税务局", "税务局", .department, "GX", ["自治区税务局"]),
        ("NN", "南宁市人民政府", "南宁市", .region, "GX", []),
        ("NN-SCJG", "南宁市市场监督管理局", "南宁市市场监管局", .department, "NN", []),
        ("LZ", "柳州市人民政府", "柳州市", .region, "GX", []),
        ("GL", "桂林市人民政府", "桂林市", .region, "GX", []),
    ]

    static func load(on app: Application) async throws {
        for loader in loaders { try await loader(app) }
    }

    static func loadPlatform(on app: Application) async throws {
        try await Transactions.run(on: app.db) { tx in
            var ids: [String: UUID] = [:]
            for unit in try await OrgUnit.query(on: tx).all() { ids[unit.code] = unit.id }
            for (code, name, short, kind, parent, aliases) in units where ids[code] == nil {
                let unit = OrgUnit(draft: OrgUnitDraft(code: code, name: name, shortName: short, parentCode: parent,
                                                       kind: kind, aliases: aliases),
                                   parentID: parent.flatMap { ids[$0] })
                try await unit.create(on: tx)
                ids[code] = try unit.requireID()
                try await AuditLog.record(on: tx, actor: nil, action: .create, entityType: "org_unit",
                                          entityID: try unit.requireID().uuidString, before: nil, after: OrgUnitDTO.snapshot(unit))
            }
        }
        let secret = try await demoSecret(on: app.db)
        let existing = Set(try await User.query(on: app.db).all().map(\.login))
        for (index, account) in accounts.enumerated() where !existing.contains(account.login) {
            let hash = try await Passwords.hash(password(for: account.login, secret: secret), on: app)
            try await Transactions.run(on: app.db) { tx in
                let unitID = try await account.unitCode.asyncMap { code in
                    try await OrgUnit.query(on: tx).filter(\.$code == code).first()?.id
                } ?? nil
                let user = User(login: account.login, displayName: account.displayName, role: account.role,
                                orgUnitID: unitID, passwordHash: hash, mustChangePassword: false)
                user.phone = String(format: "1380771%04d", 1001 + index)
                try await user.create(on: tx)
                try await AuditLog.record(on: tx, actor: nil, action: .create, entityType: "user",
                                          entityID: try user.requireID().uuidString, before: nil, after: UserDTO.snapshot(user))
            }
        }
    }

    /// The demo password of `login` in this installation.
    static func password(for login: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(login.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        let body = mac.prefix(10).map { String(alphabet[Int($0) % alphabet.count]) }.joined()
        return "Demo-\(body)"
    }

    static func demoSecret(on db: any Database) async throws -> String {
        if let setting = try await PlatformSetting.find("demo_secret", on: db) { return setting.value }
        let secret = Data([UInt8].random(count: 24)).base64URLEncodedString()
        try await PlatformSetting(key: "demo_secret", value: secret).create(on: db)
        return secret
    }

    static func announce(on app: Application) async throws {
        let secret = try await demoSecret(on: app.db)
        var lines = ["============================================================", " 演示账号（仅用于试用）："]
        for account in accounts {
            lines.append("   \(account.role.label)\t\(account.login)\t\(password(for: account.login, secret: secret))\t\(account.displayName)")
        }
        lines.append("============================================================")
        app.console.output(lines.joined(separator: "\n").consoleText())
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
