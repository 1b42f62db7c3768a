import Foundation
import Testing
@testable import YingshangCore

/// The scoring engine reproduces the World Bank's published Doing Business figures in
/// `Tests/Fixtures/doing-business-2020.json` (copied from the shared data) within the tolerances written there.
@Suite("Indicator scoring: DoingBusiness figures reproduced")
struct DoingBusinessScoringTests {
    struct File: Decodable {
        struct Component: Decodable { let best: Double; let worst: Double; let transform: String? }
        struct Topic: Decodable { let aggregate: String?; let components: [String: Component] }
        struct Case: Decodable {
            let name: String
            let topic: String?
            let values: JSONValues
            let expect_topic: Double?
            let expect_components: [String: Double]?
            let expect_topics: [String: Double]?
            let expect_overall: Double?
            let tolerance: Tolerance
        }
        let topics: [String: Topic]
        let cases: [Case]
    }

    /// A case's values: one topic's components, or components by topic.
    enum JSONValues: Decodable {
        case flat([String: Double]), byTopic([String: [String: Double]])
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let flat = try? container.decode([String: Double].self) { self = .flat(flat) } else {
                self = .byTopic(try container.decode([String: [String: Double]].self))
            }
        }
    }

    enum Tolerance: Decodable {
        case one(Double), byTopic([String: Double])
        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Double.self) { self = .one(value) } else {
                self = .byTopic(try container.decode([String: Double].self))
            }
        }
        func of(_ topic: String) -> Double {
            switch self {
            case .one(let value): value
            case .byTopic(let values): values[topic] ?? values["default"] ?? 0
            }
        }
    }

    static let file: File = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Fixtures/doing-business-2020.json")
        return try! JSONDecoder().decode(File.self, from: Data(contentsOf: url))
    }()

    /// The bounds of a component as the file states them; "^ 0.8" in a transform is the exponent.
    static func bounds(_ component: File.Component) -> ScoringBounds {
        let exponent = component.transform.flatMap { text in
            text.range(of: "^ ").flatMap { Double(text[$0.upperBound...].prefix { $0.isNumber || $0 == "." }) }
        } ?? 1
        return ScoringBounds(best: component.best, worst: component.worst, exponent: exponent)
    }

    /// A topic's aggregation: 'sum of the two indexes' is the index sum; everything else the mean.
    static func aggregation(_ topic: File.Topic) -> ScoreAggregation {
        topic.aggregate?.hasPrefix("sum of") == true ? .sumOfIndexes : .mean
    }

    static func topicScore(_ name: String, values: [String: Double]) throws -> Double {
        let topic = try #require(file.topics[name])
        let components = topic.components.keys.sorted().compactMap { key in
            values[key].map { ($0, bounds(topic.components[key]!)) }
        }
        return aggregation(topic).aggregate(components)
    }

    @Test("Shanghai DB2017 starting a business scores 81.25")
    func shanghai() throws {
        let example = try #require(Self.file.cases.first { $0.name.hasPrefix("Shanghai") })
        guard case .flat(let values) = example.values, let topic = example.topic, let expected = example.expect_topic else {
            Issue.record("unexpected case shape")
            return
        }
        #expect(abs(try Self.topicScore(topic, values: values) - expected) <= example.tolerance.of(topic))
    }

    @Test("Uzbekistan DB2020 component scores")
    func uzbekistan() throws {
        let example = try #require(Self.file.cases.first { $0.name.hasPrefix("Uzbekistan") })
        guard case .flat(let values) = example.values, let topic = example.topic.flatMap({ Self.file.topics[$0] }),
              let expected = example.expect_components else {
            Issue.record("unexpected case shape")
            return
        }
        for (key, score) in expected {
            let component = try #require(topic.components[key])
            #expect(abs(Self.bounds(component).score(try #require(values[key])).score - score) <= example.tolerance.of(key), "\(key)")
        }
    }

    @Test("China DB2020 (final database): topic scores and overall 77.28424")
    func china() throws {
        let example = try #require(Self.file.cases.first { $0.name.hasPrefix("China") })
        guard case .byTopic(let values) = example.values, let topics = example.expect_topics, let overall = example.expect_overall else {
            Issue.record("unexpected case shape")
            return
        }
        var scores: [Double] = []
        for (name, published) in topics.sorted(by: { $0.key < $1.key }) {
            guard let raw = values[name] else {
                // Topics without raw values in the file enter the overall score as published.
                scores.append(published)
                continue
            }
            let score = try Self.topicScore(name, values: raw)
            #expect(abs(score - published) <= example.tolerance.of(name), "\(name): \(score) vs \(published)")
            scores.append(score)
        }
        #expect(scores.count == 10)
        #expect(abs(ScoreAggregation.mean.combine(scores) - overall) <= example.tolerance.of("default"))
    }

    @Test("scores clip to 0–100, work in both directions, and show their calculation")
    func basics() {
        let time = ScoringBounds(best: 0.5, worst: 100)
        #expect(time.score(200).score == 0)
        #expect(time.score(0).score == 100)
        let index = ScoringBounds(best: 15, worst: 0)
        #expect(index.score(12).score == 80)
        #expect(index.score(12).formula == "100 × (0 − 12) / (0 − 15)")
        #expect(ScoreAggregation.weightedMean([3, 1]).combine([100, 0]) == 75)
    }
}
