/// `--name value` pairs from a tool's command line; an unknown name or a missing value is an error.
public struct FlagArguments {
    private var values: [String: String] = [:]

    public init(_ arguments: some Sequence<String>, known: Set<String>) throws {
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            guard known.contains(flag) else { throw LoadError("unknown option \(flag); known: \(known.sorted().joined(separator: " "))") }
            guard let value = iterator.next() else { throw LoadError("\(flag) needs a value") }
            values[flag] = value
        }
    }

    public func string(_ flag: String, default value: String) -> String { values[flag] ?? value }

    /// The value given for `flag`, nil when it was not given.
    public func optional(_ flag: String) -> String? { values[flag] }

    public func int(_ flag: String, default value: Int) throws -> Int {
        guard let text = values[flag] else { return value }
        guard let number = Int(text) else { throw LoadError("\(flag) needs a whole number, not \(text)") }
        return number
    }

    public func double(_ flag: String, default value: Double) throws -> Double {
        guard let text = values[flag] else { return value }
        guard let number = Double(text) else { throw LoadError("\(flag) needs a number, not \(text)") }
        return number
    }
}
