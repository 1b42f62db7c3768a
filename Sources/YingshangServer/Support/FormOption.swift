import Foundation

/// One `<option>` of a `<select>`.
struct FormOption: Encodable, Sendable {
    let value: String
    let label: String
    let selected: Bool
}

extension String {
    /// The string, percent-encoded for use inside a query string.
    var urlQueryEncoded: String {
        addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
