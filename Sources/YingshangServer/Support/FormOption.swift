import Foundation

/// One `<option>` of a `<select>`.
struct FormOption: Encodable, Sendable {
    let value: String
    let label: String
    let selected: Bool
}

extension FormOption {
    /// A choice of `values` with a first "all" option (empty value) labelled `none`.
    static func choices(_ values: [String], selected: String?, none: String) -> [FormOption] {
        [FormOption(value: "", label: none, selected: selected == nil)] + values.map { FormOption(value: $0, label: $0, selected: $0 == selected) }
    }
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
