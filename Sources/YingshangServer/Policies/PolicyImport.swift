import Fluent
import Foundation
import YingshangCore

/// Imports a folder (or one file) in the corpus layout into the library; re-importing updates by path.
enum PolicyImport {
    struct Report {
        var created = 0, updated = 0, unchanged = 0
        var failures: [(path: String, reason: String)] = []
        /// Documents created or changed (their versions' links included), for the search index.
        var changed: [UUID] = []
        var total: Int { created + updated + unchanged + failures.count }
    }

    static func run(_ root: URL, actor: Principal?, on db: any Database, progress: (Int, Int) -> Void = { _, _ in }) async throws -> Report {
        let files = PolicyCorpus.files(at: root)
        var report = Report()
        var titles = Set<String>()
        for (i, file) in files.enumerated() {
            do {
                let draft = try PolicyCorpus.read(file)
                let (record, outcome) = try await PolicyStore.save(draft, sourcePath: file.relativePath, actor: actor, on: db)
                switch outcome {
                case .created: report.created += 1
                case .updated: report.updated += 1
                case .unchanged: report.unchanged += 1
                }
                if outcome != .unchanged, let id = record.id {
                    titles.insert(record.title)
                    report.changed.append(id)
                }
            } catch let error as PolicyParseError {
                report.failures.append((file.relativePath, error.description))
            } catch let error as CocoaError where error.code == .fileReadNoPermission || error.code == .fileReadUnknown {
                report.failures.append((file.relativePath, "无法读取文件"))
            }
            progress(i + 1, files.count)
        }
        report.changed += try await PolicyStore.linkVersions(titles: titles, actor: actor, on: db)
        return report
    }
}
