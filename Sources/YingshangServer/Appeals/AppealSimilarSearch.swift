import Fluent
import Vapor
import YingshangCore

/// Open appeals that look like a draft (same enterprise, similar text): shown while an operator enters an appeal,
/// over the API, and on the handling page as candidates for 并单.
enum AppealSimilarSearch {
    /// How many of the most recently received open appeals are compared.
    static let window = 5000

    struct Found: Sendable {
        let appeal: Appeal
        let match: AppealMatch
    }

    static func openMatches(to draft: AppealDraftText, on db: any Database, limit: Int = 5) async throws -> [Found] {
        var query = Appeal.query(on: db).filter(\.$state ~~ AppealState.allCases.filter(\.isOpen).map(\.rawValue))
        if let number = draft.excludeNumber { query = query.filter(\.$number != number) }
        let open = try await query.sort(\.$createdAt, .descending).limit(window).all()
        let byNumber = Dictionary(open.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        let index = AppealSimilarityIndex(open.map {
            AppealSimilarityEntry(number: $0.number, enterpriseCode: $0.enterpriseCode, title: $0.title, content: $0.content)
        })
        return AppealSimilarity.similar(to: draft, among: index, limit: limit).compactMap { match in
            byNumber[match.number].map { Found(appeal: $0, match: match) }
        }
    }
}
