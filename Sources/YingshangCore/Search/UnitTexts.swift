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

    /// Text `i`, transcoded straight into the string's UTF-8 storage (the standard library's generic UTF-16 decoding
    /// took a quarter of a query's time with snippets). The texts came from valid strings, so surrogates are paired.
    subscript(_ i: Int) -> String {
        let place = places[i]
        return chunks[Int(place.chunk)].withUnsafeBufferPointer { chunk in
            let units = UnsafeBufferPointer(rebasing: chunk[Int(place.start)..<Int(place.end)])
            return String(unsafeUninitializedCapacity: units.count * 3) { out in
                var n = 0, k = 0
                while k < units.count {
                    var c = UInt32(units[k])
                    k += 1
                    if c < 0x80 {
                        out[n] = UInt8(c)
                        n += 1
                    } else if c < 0x800 {
                        out[n] = UInt8(0xC0 | c >> 6)
                        out[n + 1] = UInt8(0x80 | c & 0x3F)
                        n += 2
                    } else if c & 0xFC00 == 0xD800, k < units.count {
                        c = 0x1_0000 + ((c - 0xD800) << 10) + (UInt32(units[k]) - 0xDC00)
                        k += 1
                        out[n] = UInt8(0xF0 | c >> 18)
                        out[n + 1] = UInt8(0x80 | c >> 12 & 0x3F)
                        out[n + 2] = UInt8(0x80 | c >> 6 & 0x3F)
                        out[n + 3] = UInt8(0x80 | c & 0x3F)
                        n += 4
                    } else {
                        out[n] = UInt8(0xE0 | c >> 12)
                        out[n + 1] = UInt8(0x80 | c >> 6 & 0x3F)
                        out[n + 2] = UInt8(0x80 | c & 0x3F)
                        n += 3
                    }
                }
                return n
            }
        }
    }
}
