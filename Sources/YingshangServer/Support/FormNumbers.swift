import Vapor
import YingshangCore

/// Reads numbers from a submitted form by field name, collecting one Chinese problem per field that is
/// empty or not a number (forms send text; nothing is guessed).
struct FormNumbers {
    let request: Request
    private(set) var problems: [String] = []

    init(_ request: Request) { self.request = request }

    private func text(_ key: String) -> String? {
        (try? request.content.get(String.self, at: key))?.trimmingCharacters(in: .whitespaces)
    }

    mutating func int(_ key: String, _ label: String) -> Int {
        guard let value = text(key).flatMap({ Int($0) }) else { problems.append("“\(label)”应为整数"); return 0 }
        return value
    }

    mutating func decimal(_ key: String, _ label: String) -> Double {
        guard let value = text(key).flatMap({ Double($0) }) else { problems.append("“\(label)”应为数字"); return 0 }
        return value
    }

    /// A supervision level chosen in a `<select>`; empty means "not automatic".
    func level(_ key: String) -> SupervisionLevel? { text(key).flatMap(SupervisionLevel.init(rawValue:)) }
}
