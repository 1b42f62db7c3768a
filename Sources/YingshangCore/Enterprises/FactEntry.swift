/// Facts as typed into a form or a spreadsheet row: text per field and a tag list, checked field by field.
public enum FactEntry {
    public struct Parsed: Sendable {
        /// Each field given: its value, or nil when the text was empty (unknown).
        public var values: [FactField: FactValue?] = [:]
        /// The tags held, when a tag list was given (empty text: none held).
        public var tags: Set<String>?
        /// Problems by field (nil: the tag list).
        public var problems: [(field: FactField?, message: String)] = []
    }

    public static func parse(_ cells: [FactField: String], tags tagText: String?) -> Parsed {
        var parsed = Parsed()
        for field in FactField.stored {
            guard let raw = cells[field] else { continue }
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty {
                parsed.values[field] = .some(nil)
                continue
            }
            switch field.parse(text) {
            case .success(let value): parsed.values[field] = value
            case .failure(let problem): parsed.problems.append((field, problem.message))
            }
        }
        if let tagText {
            let list = tagText.split(whereSeparator: { "、,，;；|".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for tag in list { if let problem = EnterpriseTag.problem(with: tag) { parsed.problems.append((nil, problem)) } }
            parsed.tags = Set(list)
        }
        return parsed
    }
}
