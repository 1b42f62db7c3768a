/// The texts of a segment's units in UTF-16 chunks: Chinese takes two bytes a character instead of UTF-8's three,
/// 150,000 texts cost no object each, and the store grows a chunk at a time (a single growing buffer would be
/// copied into one twice its size, briefly holding both). A text is made a `String` again when read.
struct UnitTexts: Sendable {
    /// Chunks are started at this many code units (a longer text gets a chunk of its own size).
    static let chunkSize = 1 << 20
    private var chunks: [[UInt16]] = []
    /// Per text: its chunk and where it starts and ends there.
    private var places: [(chunk: Int32, start: UInt32, end: UInt32)] = []

    var count: Int { places.count }
    var byteSize: Int { chunks.reduce(0) { $0 + $1.count * 2 } + places.count * 12 }

    mutating func append(_ text: String) {
        let length = text.utf16.count
        if chunks.isEmpty || chunks[chunks.count - 1].count + length > Self.chunkSize {
            chunks.append([])
            chunks[chunks.count - 1].reserveCapacity(max(Self.chunkSize, length))
        }
        let last = chunks.count - 1
        let start = chunks[last].count
        chunks[last].append(contentsOf: text.utf16)
        places.append((Int32(last), UInt32(start), UInt32(chunks[last].count)))
    }

    subscript(_ i: Int) -> String {
        let place = places[i]
        return String(decoding: chunks[Int(place.chunk)][Int(place.start)..<Int(place.end)], as: UTF16.self)
    }
}
