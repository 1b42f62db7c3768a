import Foundation

/// An industry code of GB/T 4754-2017 (国民经济行业分类): a section letter (门类, `C`) or 2 to 4 digits (大类 `39`,
/// 中类 `391`, 小类 `3911`), written with or without the section letter (`C3911` and `3911` are the same code).
///
/// A code is held as the range of 4-digit classes it covers, so a division `39` is `3900…3999` and a section `C` is
/// `1300…4399`. Membership of one code in another is then a range test, which the columnar matcher uses as it is.
public struct IndustryCode: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The first and last 4-digit class the code covers.
    public let low: UInt16
    public let high: UInt16
    /// The code as written in the standard: a section letter or 2–4 digits.
    public let code: String

    /// The section letter the code belongs to.
    public var section: String { IndustryClassification.standard.section(ofClass: low)?.code ?? "" }

    /// The code with its section letter, as enterprise registers print it: `C3911`, `K7010`, `C`.
    public var description: String { code.first!.isLetter ? code : section + code }

    /// Whether every class of `self` lies inside `other` (yes), none does (no), or some do (unknown: a division-level
    /// code asked about one of its classes).
    public func lies(in other: IndustryCode) -> Truth {
        if other.low <= low && high <= other.high { return .yes }
        if high < other.low || low > other.high { return .no }
        return .unknown
    }

    init(code: String, low: UInt16, high: UInt16) {
        self.code = code
        self.low = low
        self.high = high
    }

    /// Parses a code, or explains in Chinese why it is not one (unknown section or division included).
    public static func parse(_ raw: String) -> Result<IndustryCode, IndustryCodeProblem> {
        IndustryClassification.standard.parse(raw)
    }

    public init(from decoder: Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        switch IndustryCode.parse(raw) {
        case .success(let code): self = code
        case .failure(let problem):
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: problem.message))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Why a text is not a GB/T 4754-2017 code.
public struct IndustryCodeProblem: Error, Equatable, Sendable {
    public let message: String
}

/// The classification table shipped with the platform: the 20 sections, the 97 divisions and the finer codes the
/// SME size standard needs (`Resources/gbt4754-2017.json`).
public struct IndustryClassification: Sendable {
    public struct Section: Sendable, Decodable {
        public let code: String
        public let name: String
        /// First and last division, e.g. `13`…`43` for 制造业.
        public let divisions: [String]
    }
    public struct Entry: Sendable, Decodable {
        public let code: String
        public let name: String
    }

    public let sections: [Section]
    public let divisions: [Entry]
    public let finer: [Entry]
    private let names: [String: String]

    public static let standard: IndustryClassification = {
        let url = Bundle.module.url(forResource: "gbt4754-2017", withExtension: "json", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "gbt4754-2017", withExtension: "json")
        struct File: Decodable { let sections: [Section]; let divisions: [Entry]; let finer: [Entry] }
        guard let url, let data = try? Data(contentsOf: url), let file = try? JSONDecoder().decode(File.self, from: data) else {
            fatalError("the GB/T 4754-2017 table is missing from the YingshangCore bundle")
        }
        return IndustryClassification(sections: file.sections, divisions: file.divisions, finer: file.finer)
    }()

    init(sections: [Section], divisions: [Entry], finer: [Entry]) {
        self.sections = sections
        self.divisions = divisions
        self.finer = finer
        var names: [String: String] = [:]
        for section in sections { names[section.code] = section.name }
        for entry in divisions + finer { names[entry.code] = entry.name }
        self.names = names
    }

    /// The section whose divisions include the 4-digit class `value`.
    public func section(ofClass value: UInt16) -> Section? {
        let division = Int(value / 100)
        return sections.first { section in
            guard let first = Int(section.divisions[0]), let last = Int(section.divisions[1]) else { return false }
            return (first...last).contains(division)
        }
    }

    /// The most specific name the table has for a code: `3911` → 计算机、通信和其他电子设备制造业 (its division).
    public func name(of code: IndustryCode) -> String {
        var digits = code.code.filter(\.isNumber)
        if code.code.first?.isLetter == true && digits.isEmpty { return names[code.code] ?? code.code }
        while !digits.isEmpty {
            if let name = names[digits] { return name }
            digits.removeLast()
        }
        return code.description
    }

    public func parse(_ raw: String) -> Result<IndustryCode, IndustryCodeProblem> {
        let text = raw.trimmingCharacters(in: .whitespaces).uppercased()
        guard !text.isEmpty else { return .failure(.init(message: "行业代码为空")) }
        var letter: Character?
        var digits = Substring(text)
        if let first = text.first, first.isLetter {
            letter = first
            digits = text.dropFirst()
        }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.count != 1, digits.count <= 4 else {
            return .failure(.init(message: "“\(raw)”不是国民经济行业分类（GB/T 4754-2017）代码，应为门类字母或 2–4 位数字，如 C3911"))
        }
        if digits.isEmpty {
            guard let letter, let section = sections.first(where: { $0.code == String(letter) }),
                  let first = UInt16(section.divisions[0]), let last = UInt16(section.divisions[1]) else {
                return .failure(.init(message: "“\(raw)”不是国民经济行业分类的门类（A–T）"))
            }
            return .success(IndustryCode(code: String(letter), low: first * 100, high: last * 100 + 99))
        }
        let division = String(digits.prefix(2))
        guard names[division] != nil, let section = section(ofClass: UInt16(division)! * 100) else {
            return .failure(.init(message: "“\(raw)”中的大类“\(division)”不在国民经济行业分类（GB/T 4754-2017）中"))
        }
        if let letter, String(letter) != section.code {
            return .failure(.init(message: "行业代码“\(raw)”的门类应为 \(section.code)（大类 \(division) 属于\(section.name)）"))
        }
        let scale: UInt16 = [2: 100, 3: 10, 4: 1][digits.count]!
        let low = UInt16(digits)! * scale
        return .success(IndustryCode(code: String(digits), low: low, high: low + scale - 1))
    }
}
