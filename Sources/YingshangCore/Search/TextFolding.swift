import Foundation

/// Folds the variants a reader treats as the same character: full-width ASCII to half-width, upper to lower case,
/// traditional to simplified Chinese (OpenCC's character table, shipped as a resource).
public enum TextFolding {
    /// The folded form of one character. Characters of the Basic Multilingual Plane (nearly all text) are read from a
    /// table built once from `computedFold`: indexing and every query fold each character, and the hashed look-up of
    /// the traditional-character table was a tenth of a query's time.
    public static func fold(_ c: Unicode.Scalar) -> Unicode.Scalar {
        c.value < 0x1_0000 ? Unicode.Scalar(bmpFolds[Int(c.value)])! : computedFold(c)
    }

    /// Folded values of U+0000…U+FFFF (surrogate code points, which are not characters, map to themselves).
    private static let bmpFolds: [UInt32] = (0..<UInt32(0x1_0000)).map { v in Unicode.Scalar(v).map { computedFold($0).value } ?? v }

    /// The folding rules themselves (the table above caches them).
    static func computedFold(_ c: Unicode.Scalar) -> Unicode.Scalar {
        var v = c.value
        if v >= 0xFF01 && v <= 0xFF5E { v -= 0xFEE0 } // full-width ASCII
        else if v == 0x3000 { return " " }
        if v >= 0x41 && v <= 0x5A { return Unicode.Scalar(v + 32)! }
        if v < 0x80 { return Unicode.Scalar(v)! }
        if let simplified = traditionalToSimplified[v] { return Unicode.Scalar(simplified)! }
        if v < 0x530, let scalar = Unicode.Scalar(v), scalar.properties.isUppercase, // Latin, Greek, Cyrillic
            let lower = scalar.properties.lowercaseMapping.unicodeScalars.first {
            return lower
        }
        return Unicode.Scalar(v)!
    }

    /// The folded form of a text, character by character (lengths in characters stay the same). Written straight
    /// into the string's UTF-8 storage (appending scalars one at a time was a tenth of parsing a query), sized for
    /// the most a character can grow: by half (Ⱥ, two bytes, lowercases to ⱥ, three; 繐, three, simplifies to 𰬸, four).
    public static func fold(_ text: String) -> String {
        String(unsafeUninitializedCapacity: text.utf8.count * 2) { out in
            var n = 0
            for c in text.unicodeScalars {
                UTF8.encode(fold(c)) { byte in
                    out[n] = byte
                    n += 1
                }
            }
            return n
        }
    }

    static let traditionalToSimplified: [UInt32: UInt32] = {
        let url = Bundle.module.url(forResource: "traditional-simplified", withExtension: "txt", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "traditional-simplified", withExtension: "txt")
        guard let url, let text = try? String(contentsOf: url, encoding: .utf8) else { return [:] }
        var table: [UInt32: UInt32] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let scalars = Array(line.unicodeScalars)
            guard scalars.count == 3, scalars[1] == "\t" else { continue }
            table[scalars[0].value] = scalars[2].value
        }
        return table
    }()
}
