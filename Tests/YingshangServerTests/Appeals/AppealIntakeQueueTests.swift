import Fluent
import Foundation
import Testing
import Vapor
import YingshangCore
@testable import YingshangServer

/// Intake commits concurrent submissions together; nothing about an appeal's number, idempotency or audit trail
/// may differ from committing them one by one.
@Suite("Appeals: group-committed intake")
struct AppealIntakeQueueTests {
    static func submission(_ index: Int, category: String? = nil) -> AppealSubmission {
        AppealSubmission(type: "complaint", categoryCode: category, title: "并发受理测试 \(index)",
                         content: "第 \(index) 件诉求的内容。", contactPhone: "13800000000")
    }

    @Test("Concurrent submissions are stored once each, numbered without gaps and audited in one unbroken chain",
          arguments: TestDatabase.available)
    func concurrent(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let intake = AppealIntake(app: app, actor: nil)
            // 80 submissions, 60 distinct idempotency keys: 20 are retries racing their originals.
            let receipts = try await withThrowingTaskGroup(of: (String, AppealIntake.Receipt).self) { group in
                for index in 0..<80 {
                    let key = "race-key-\(index % 60)"
                    group.addTask { (key, try await intake.submit(Self.submission(index % 60), idempotencyKey: key, clientAddress: nil)) }
                }
                var all: [(String, AppealIntake.Receipt)] = []
                for try await receipt in group { all.append(receipt) }
                return all
            }
            #expect(receipts.filter(\.1.created).count == 60)
            let idsByKey = Dictionary(grouping: receipts, by: \.0).mapValues { Set($0.map { $0.1.appeal.id }) }
            #expect(idsByKey.count == 60)
            #expect(idsByKey.values.allSatisfy { $0.count == 1 })

            let stored = try await Appeal.query(on: app.db).all()
            #expect(stored.count == 60)
            #expect(Set(stored.map(\.sequence)) == Set(1...60))
            #expect(Set(stored.map(\.number)).count == 60)
            #expect(try await AppealEventRecord.query(on: app.db).filter(\.$kind == "receive").count() == 60)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$entityType == "appeal").count() == 60)
            let verified = try await AuditLog.verify(on: app.db)
            #expect(verified.problem == nil)
            // The handling list's count stops at its cap and finds a number exactly.
            let all = try await AppealListFilter(state: "", type: "complaint", search: "").count(upTo: 50, on: app.db)
            #expect(all.total == 50 && all.capped)
            let one = try await AppealListFilter(state: "received", type: "", search: stored[0].number.lowercased())
                .count(upTo: 50, on: app.db)
            #expect(one.total == 1 && !one.capped)
            let words = try await AppealListFilter(state: "", type: "", search: "测试 1").count(upTo: 50, on: app.db)
            #expect(words.total == 11 && !words.capped)   // 并发受理测试 1, 10–19
        }
    }

    @Test("A submission naming an unknown category is refused on its own; the others are stored",
          arguments: TestDatabase.available)
    func oneBadSubmission(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let intake = AppealIntake(app: app, actor: nil)
            let results = await withTaskGroup(of: Result<AppealIntake.Receipt, any Error>.self) { group in
                for index in 0..<12 {
                    let category = index == 5 ? "没有这个类别" : nil
                    group.addTask {
                        do { return .success(try await intake.submit(Self.submission(index, category: category),
                                                                      idempotencyKey: nil, clientAddress: nil)) }
                        catch { return .failure(error) }
                    }
                }
                var all: [Result<AppealIntake.Receipt, any Error>] = []
                for await result in group { all.append(result) }
                return all
            }
            let failures = results.compactMap { result -> APIError? in
                if case .failure(let error) = result { return error as? APIError }
                return nil
            }
            #expect(failures.count == 1)
            #expect(failures.first?.fields["category_code"]?.contains("未知的诉求类别") == true)
            let stored = try await Appeal.query(on: app.db).count()
            #expect(stored == 11)
        }
    }
}
