import Foundation
import Testing
import YingshangCore

@Suite("Audit hash chain")
struct AuditChainTests {
    /// A toy hash is enough to test the chain rules (the server uses SHA-256).
    let chain = AuditChain(hash: { text in String(text.unicodeScalars.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1.value)) &* 1099511628211 }, radix: 16) })

    func build(_ count: Int) -> [AuditRecord] {
        var records: [AuditRecord] = []
        for index in 0..<count {
            let draft = AuditRecord(sequence: 0, occurredAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(index)),
                                    actor: "李明（office）", action: "update", entityType: "org_unit", entityID: "u\(index)",
                                    before: #"{"name":"旧"}"#, after: #"{"name":"新"}"#, previousHash: "", hash: "")
            records.append(chain.seal(draft, after: records.last))
        }
        return records
    }

    @Test("A sealed chain verifies, in one go or in batches")
    func verifies() {
        let records = build(10)
        #expect(records.map(\.sequence) == Array(1...10))
        #expect(records[0].previousHash == AuditChain.genesisHash)
        #expect(chain.firstProblem(in: records, after: nil) == nil)
        #expect(chain.firstProblem(in: Array(records[5...]), after: records[4]) == nil)
    }

    @Test("Editing, deleting, reordering or replacing an entry is caught at that entry")
    func tampering() {
        var edited = build(6)
        edited[3].after = #"{"name":"篡改"}"#
        #expect(chain.firstProblem(in: edited, after: nil) == .edited(sequence: 4))

        var deleted = build(6)
        deleted.remove(at: 2)
        #expect(chain.firstProblem(in: deleted, after: nil) == .missing(expected: 3, found: 4))

        var swapped = build(6)
        swapped.swapAt(1, 2)
        (swapped[1].sequence, swapped[2].sequence) = (2, 3)
        #expect(chain.firstProblem(in: swapped, after: nil) == .brokenLink(sequence: 2))

        // Re-hashing an edited entry does not help: the next entry's link breaks.
        var resealed = build(6)
        resealed[2].actor = "别人"
        resealed[2].hash = chain.hash(resealed[2].canonicalText)
        #expect(chain.firstProblem(in: resealed, after: nil) == .brokenLink(sequence: 4))
    }

    @Test("Field boundaries are part of the hashed text")
    func canonicalText() {
        var a = build(1)[0], b = a
        a.entityType = "ab"; a.entityID = "c"
        b.entityType = "a"; b.entityID = "bc"
        #expect(a.canonicalText != b.canonicalText)
        #expect(AuditChain.Problem.edited(sequence: 3).description.contains("第 3 条"))
    }
}
