import Fluent
import SQLKit
import Vapor
import YingshangCore

/// The handling list's filters (state, type, a number or words of the title), applied the same way to the page's
/// query and to its count. Over all appeals the count stops at a cap: counting millions of closed appeals exactly
/// costs more than the page itself, and nobody pages that far.
struct AppealListFilter {
    var state: AppealState?
    var type: AppealType?
    var number: String?
    var titleContains: String?

    init(state: String, type: String, search: String) {
        self.state = AppealState(rawValue: state)
        self.type = AppealType(rawValue: type)
        let search = search.trimmingCharacters(in: .whitespaces)
        if AppealNumber.parse(search.uppercased()) != nil {
            number = search.uppercased()
        } else if !search.isEmpty {
            titleContains = search
        }
    }

    func apply(to query: QueryBuilder<Appeal>) {
        if let state { query.filter(\.$state == state.rawValue) }
        if let type { query.filter(\.$type == type.rawValue) }
        if let number { query.filter(\.$number == number) }
        if let titleContains { query.filter(\.$title, .custom("LIKE"), "%\(titleContains)%") }
    }

    /// How many appeals match, counting no further than `cap`; `capped` when there are more.
    func count(upTo cap: Int, on db: any Database) async throws -> (total: Int, capped: Bool) {
        guard let sql = db as? any SQLDatabase else { throw APIError.conflict("数据库不支持统计") }
        var conditions: [SQLQueryString] = []
        if let state { conditions.append("state = \(bind: state.rawValue)") }
        if let type { conditions.append("type = \(bind: type.rawValue)") }
        if let number { conditions.append("number = \(bind: number)") }
        if let titleContains { conditions.append("title LIKE \(bind: "%\(titleContains)%")") }
        let whereClause: SQLQueryString = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let counted = try await sql.raw("SELECT COUNT(*) AS n FROM (SELECT 1 FROM appeals\(whereClause) LIMIT \(bind: cap + 1)) AS matches")
            .first()?.decode(column: "n", as: Int.self) ?? 0
        return (min(counted, cap), counted > cap)
    }
}
