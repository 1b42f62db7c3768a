import Foundation
import Testing
@testable import YingshangCore

/// Deterministic generator so failures are reproducible.
typealias WorkPointTestRNG = SplitMix64

@Suite("Work points: robustness and performance bounds")
struct WorkPointRobustnessTests {
    static let pieces: [String] = [
        "（", "）", "(", ")", "〔", "〕", "【", "】", "《", "》", "“", "”", "、", "，", "；", "：", "。", "\n", "\n\n", " ", "\u{3000}",
        "一、", "（一）", "(二)", "1.", "2、", "3．", "（1）", "①", "第一章", "十一、", "（二十）",
        "牵头单位：", "配合单位：", "责任单位：", "完成时限：", "责任科室:", "适用范围：", "负责", "牵头", "参与", "指导", "按职责分工负责",
        "列第一位者为牵头单位，下同", "自治区", "市", "县", "各市、县人民政府", "发展改革委", "财政厅", "等有关部门和单位",
        "2023年", "7月底前", "年底前", "12月31日", "至", "长期坚持", "印发之日起", "30日内", "97%以上", "不少于", "60亿元", "全国前十",
        "##paidbegin##", "目录", "\t12", "—", "工作要点", "XX", "0", "9", "a", "\u{FEFF}", "\r\n", "牽頭單位",
    ]

    static func randomText(_ rng: inout WorkPointTestRNG, maxPieces: Int) -> String {
        let n = Int(rng.next() % UInt64(maxPieces))
        var s = ""
        for _ in 0..<n {
            if rng.next() % 10 == 0 {
                s.unicodeScalars.append(Unicode.Scalar(UInt32(0x4E00 + rng.next() % 0x5000))!)
            } else {
                s += pieces[Int(rng.next() % UInt64(pieces.count))]
            }
        }
        return s
    }

    func elapsed(_ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let d = clock.measure(body)
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    @Test func randomGenreTextNeverCrashes() {
        var rng = WorkPointTestRNG(seed: 42)
        let parser = WorkPointParser(options: .init(defaultYear: 2023))
        let t = elapsed {
            for _ in 0..<400 {
                let text = Self.randomText(&rng, maxPieces: 400)
                let r = parser.parse(text)
                for d in r.documents {
                    for item in d.items {
                        #expect(item.paragraph >= 1 && item.segment >= 1)
                        if let date = item.deadline?.date { #expect(WorkPointDate(iso: date) != nil) }
                    }
                }
                _ = r.jsonData(pretty: false)
            }
        }
        #expect(t < 20)
    }

    @Test func randomBytesDecodeOrThrow() {
        var rng = WorkPointTestRNG(seed: 7)
        let seed = Array((try? WorkPointFixtures.data(WorkPointFixtures.seed + ".txt")) ?? Data())
        for i in 0..<300 {
            var bytes: [UInt8]
            if i % 2 == 0 {
                bytes = (0..<Int(rng.next() % 3000)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            } else {
                // mixed: UTF-8 text with GB18030 / random bytes spliced in
                bytes = Array(seed.prefix(Int(rng.next() % 5000)))
                let k = Int(rng.next() % 50)
                for _ in 0..<k where !bytes.isEmpty {
                    bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next() | 0x80)
                }
            }
            if let s = try? WorkPointText.decode(Data(bytes)) {
                _ = WorkPointParser().parse(s)
            }
        }
    }

    @Test(arguments: [WorkPointFixtures.seed] + WorkPointFixtures.corpus)
    func truncatedFixturePrefixes(_ base: String) throws {
        let scalars = Array(try WorkPointFixtures.text(base + ".txt").unicodeScalars)
        let parser = WorkPointParser()
        var cut = 0
        let t = elapsed {
            while cut < scalars.count {
                var v = String.UnicodeScalarView()
                v.append(contentsOf: scalars[0..<cut])
                _ = parser.parse(String(v))
                cut += 173
            }
        }
        #expect(t < 30)
    }

    @Test func pathologicalInputsAreFastAndLinear() {
        let parser = WorkPointParser()
        func build(_ n: Int) -> [String] {
            let units = (0..<n).map { "自治区第\($0)厅" }.joined(separator: "、")
            return [
                "一、任务\n（一）测试。（牵头单位：" + units + "；配合单位：" + units + "）",          // very long unit lists
                "一、任务\n（一）" + String(repeating: "（", count: n * 4),                           // unclosed brackets
                "一、任务\n（一）" + String(repeating: "（牵头单位：市发改委", count: n),
                String(repeating: "（", count: n * 2) + String(repeating: "）", count: n * 2),       // deep nesting
                (1...n).map { "\($0)." + "测试内容。（\($0)负责）" }.joined(separator: "\n"),          // many items
                String(repeating: "长", count: n * 8),                                              // one long line
                String(repeating: "2023年7月底前", count: n),
                String(repeating: "\n", count: n * 4),
                String(repeating: "、", count: n * 4),
            ]
        }
        let small = build(2_000)
        let large = build(8_000)
        // The fastest of three runs: other load on a shared machine only ever adds time.
        func fastest(_ s: String) -> Double { (0..<3).map { _ in elapsed { _ = parser.parse(s) } }.min()! }
        for (a, b) in zip(small, large) {
            let ta = fastest(a)
            let tb = fastest(b)
            #expect(tb < 5, "too slow on \(b.prefix(30))")
            // 4x the input must not take ~16x the time (quadratic). Below 50 ms the ratio measures noise, not growth.
            if tb > 0.05 { #expect(tb / ta < 12, "non-linear growth on \(b.prefix(30)): \(ta)s -> \(tb)s") }
        }
        let r = parser.parse(large[0])
        #expect(r.allItems.first?.leadUnits.count == 8_000)
        #expect(r.allItems.first?.coUnits.count == 0) // same names as lead → deduplicated
    }

    @Test func seedRepeatedParsesConsistently() throws {
        let seed = try WorkPointFixtures.text(WorkPointFixtures.seed + ".txt")
        let big = String(repeating: seed + "\n\n\n", count: 5)
        let r = WorkPointParser().parse(big)
        #expect(r.allItems.filter(\.annotated).count == 47 * 5)
    }
}
