import Foundation
@testable import YingshangCore

/// Locates fixtures relative to this source file (no Bundle resources).
enum WorkPointFixtures {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // WorkPoints
        .deletingLastPathComponent() // YingshangCoreTests
        .deletingLastPathComponent() // Tests
        .appendingPathComponent("Fixtures/workpoints", isDirectory: true)

    static func url(_ name: String) -> URL { root.appendingPathComponent(name) }

    static func data(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

    static func text(_ name: String) throws -> String { try WorkPointText.decode(data(name)) }

    static let seed = "00-seed-2023-yingshang-gongzuo-yaodian-huibian"
    static let corpus = ["guowuyuan-cujin-jiuye-2018", "guowuyuan-zimaoqu-gaige-cuoshi-2018", "guobanfa-wufei-chengshi-shidian-2018"]
}

/// Answer-key format shared by the provided keys and the hand-written seed key.
struct WorkPointKey: Decodable {
    struct Item: Decodable {
        var document: Int?
        var number: String
        var paragraph: Int?
        var segment: Int?
        var title_or_first_words: String?
        var lead_units: [String]
        var co_units: [String]
        var guide_units: [String]?
        var deadline: String?
        var deadline_date: String?
        var deadline_kind: String?
        var scope: String?
        var path_first: String?
    }
    var items: [Item]
}

struct WorkPointKeyScore: CustomStringConvertible {
    var total = 0
    var matched = 0
    var leadTP = 0, leadFP = 0, leadFN = 0
    var coTP = 0, coFP = 0, coFN = 0
    var guideTP = 0, guideFP = 0, guideFN = 0
    var deadlineRight = 0
    var exactItems = 0
    var mismatches: [String] = []

    var recall: Double { total == 0 ? 1 : Double(matched) / Double(total) }
    static func f1(_ tp: Int, _ fp: Int, _ fn: Int) -> Double {
        if tp + fp + fn == 0 { return 1 }
        return 2 * Double(tp) / Double(2 * tp + fp + fn)
    }
    var leadF1: Double { Self.f1(leadTP, leadFP, leadFN) }
    var coF1: Double { Self.f1(coTP, coFP, coFN) }
    var guideF1: Double { Self.f1(guideTP, guideFP, guideFN) }
    var deadlineAccuracy: Double { total == 0 ? 1 : Double(deadlineRight) / Double(total) }

    var description: String {
        String(format: "items %d/%d recall %.3f | lead F1 %.3f | co F1 %.3f | guide F1 %.3f | deadlines %d/%d (%.3f) | exact %d",
               matched, total, recall, leadF1, coF1, guideF1, deadlineRight, total, deadlineAccuracy, exactItems)
    }

    static func evaluate(_ key: WorkPointKey, _ result: WorkPointParseResult) -> WorkPointKeyScore {
        var s = WorkPointKeyScore()
        var used = Set<String>()
        for k in key.items {
            s.total += 1
            var candidates: [(Int, Int, WorkPointTask)] = []
            for (di, d) in result.documents.enumerated() where k.document == nil || k.document == di + 1 {
                for (ti, t) in d.items.enumerated() where t.number == k.number && t.annotated {
                    if let p = k.paragraph, p != t.paragraph { continue }
                    if let g = k.segment, g != t.segment { continue }
                    if let pf = k.path_first, t.path.first != pf { continue }
                    candidates.append((di, ti, t))
                }
            }
            guard let hit = candidates.first(where: { !used.contains("\($0.0)/\($0.1)") }) else {
                s.mismatches.append("missing \(k.document.map { "doc\($0) " } ?? "")\(k.number) p\(k.paragraph ?? 0) s\(k.segment ?? 0)")
                s.leadFN += k.lead_units.count
                s.coFN += k.co_units.count
                s.guideFN += k.guide_units?.count ?? 0
                continue
            }
            used.insert("\(hit.0)/\(hit.1)")
            s.matched += 1
            let t = hit.2
            func cmp(_ want: [String], _ got: [String], _ tp: inout Int, _ fp: inout Int, _ fn: inout Int) -> Bool {
                let w = Set(want), g = Set(got)
                tp += w.intersection(g).count
                fp += g.subtracting(w).count
                fn += w.subtracting(g).count
                return w == g
            }
            var ok = cmp(k.lead_units, t.leadUnits, &s.leadTP, &s.leadFP, &s.leadFN)
            ok = cmp(k.co_units, t.coUnits, &s.coTP, &s.coFP, &s.coFN) && ok
            if let gu = k.guide_units { ok = cmp(gu, t.guideUnits, &s.guideTP, &s.guideFP, &s.guideFN) && ok }
            var dOK = t.deadline?.text == k.deadline
            if dOK, let kind = k.deadline_kind { dOK = t.deadline?.kind.rawValue == kind }
            if dOK, k.deadline_kind != nil { dOK = t.deadline?.date == k.deadline_date }
            if dOK { s.deadlineRight += 1 }
            if let sc = k.scope, t.scope != sc { ok = false }
            if ok && dOK {
                s.exactItems += 1
            } else {
                s.mismatches.append("\(k.number) p\(k.paragraph ?? 0) s\(k.segment ?? 0): lead \(t.leadUnits) vs \(k.lead_units); co \(t.coUnits) vs \(k.co_units); guide \(t.guideUnits) vs \(k.guide_units ?? []); deadline \(String(describing: t.deadline)) vs \(k.deadline ?? "nil"); scope \(t.scope ?? "nil") vs \(k.scope ?? "nil")")
            }
        }
        return s
    }
}
