import Foundation

/// One `<option>` of a `<select>`.
struct FormOption: Encodable, Sendable {
    let value: String
    let label: String
    let selected: Bool
}

extension Array where Element == FormOption {
    /// The same options with only `value` selected.
    func selecting(_ value: String?) -> [FormOption] {
        map { FormOption(value: $0.value, label: $0.label, selected: $0.value == value) }
    }
}

extension String {
    /// The string, percent-encoded for use inside a query string.
    var urlQueryEncoded: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
