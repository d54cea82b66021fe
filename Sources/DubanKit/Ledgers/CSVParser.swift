/// An RFC 4180 CSV parser working on the UTF-8 bytes of already-decoded text: quoted fields,
/// `""` inside quotes, line breaks inside quotes, CRLF, LF or CR line ends. Every field keeps
/// the line and column where it starts, so errors point into the file.
///
/// It is lenient where Excel and WPS are: a `"` inside an unquoted field is kept as text. It is
/// strict where data would be lost: text after a closing quote, or a quote never closed.
public enum CSVParser {
    public struct Field: Equatable, Sendable {
        public var value: String
        public var line: Int
        /// 1-based, in Unicode scalars, like YAML columns.
        public var column: Int
    }

    public struct Record: Equatable, Sendable {
        public var fields: [Field]
        /// The line the record starts on.
        public var line: Int

        /// Whether every field is empty (Excel writes `,,,,` for an empty row).
        public var isBlank: Bool { fields.allSatisfy { $0.value.trimmedFast(newlines: false).isEmpty } }
    }

    public struct ParseError: Error, Equatable, Sendable {
        public var message: String
        public var hint: String
        public var line: Int
        public var column: Int
    }

    /// The records of `text`, or the first error that makes the rest unreadable.
    public static func parse(_ text: String) -> Result<[Record], ParseError> {
        let bytes = Array(text.utf8)
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var records: [Record] = []
        var fields: [Field] = []
        var i = 0
        var line = 1
        var lineStart = 0
        var recordLine = 1

        // Columns are counted from the last position asked for, so a long line costs linear time.
        var memo = (offset: 0, column: 1)
        func column(at offset: Int) -> Int {
            if memo.offset < lineStart || memo.offset > offset { memo = (lineStart, 1) }
            var n = memo.column
            var j = memo.offset
            defer { memo = (offset, n) }
            while j < offset {
                if bytes[j] & 0xC0 != 0x80 { n += 1 }
                j += 1
            }
            return n
        }

        func endRecord() {
            records.append(Record(fields: fields, line: recordLine))
            fields = []
        }

        // Consumes a line end at i (CRLF, LF or CR); returns whether there was one.
        func lineEnd() -> Bool {
            guard i < bytes.count else { return false }
            if bytes[i] == cr {
                i += (i + 1 < bytes.count && bytes[i + 1] == lf) ? 2 : 1
            } else if bytes[i] == lf {
                i += 1
            } else {
                return false
            }
            line += 1
            lineStart = i
            return true
        }

        if bytes.isEmpty { return .success([]) }
        while true {
            let fieldLine = line, fieldColumn = column(at: i)
            if fields.isEmpty { recordLine = line }
            let value: String
            if i < bytes.count && bytes[i] == quote {
                i += 1
                let start = i
                // Fast path: a quoted field without `""` or line breaks is a slice of the bytes.
                while i < bytes.count && bytes[i] != quote && bytes[i] != cr && bytes[i] != lf { i += 1 }
                var closed = false
                if i < bytes.count && bytes[i] == quote && !(i + 1 < bytes.count && bytes[i + 1] == quote) {
                    value = String(decoding: bytes[start..<i], as: UTF8.self)
                    i += 1
                    closed = true
                } else {
                    var buffer = Array(bytes[start..<i])
                    while i < bytes.count {
                        let b = bytes[i]
                        if b == quote {
                            if i + 1 < bytes.count && bytes[i + 1] == quote {
                                buffer.append(quote)
                                i += 2
                            } else {
                                i += 1
                                closed = true
                                break
                            }
                        } else if b == cr || b == lf {
                            _ = lineEnd()
                            buffer.append(lf)
                        } else {
                            buffer.append(b)
                            i += 1
                        }
                    }
                    value = String(decoding: buffer, as: UTF8.self)
                }
                if !closed {
                    return .failure(ParseError(message: "a quoted field is never closed: the file ends inside it",
                                               hint: "add the closing `\"`; a `\"` inside a field is written `\"\"`; the file may be truncated",
                                               line: fieldLine, column: fieldColumn))
                }
                if i < bytes.count && bytes[i] != comma && bytes[i] != cr && bytes[i] != lf {
                    return .failure(ParseError(message: "text after the closing quote of a field",
                                               hint: "quote the whole field, and write a `\"` inside it as `\"\"`",
                                               line: line, column: column(at: i)))
                }
            } else {
                let start = i
                while i < bytes.count && bytes[i] != comma && bytes[i] != cr && bytes[i] != lf { i += 1 }
                value = String(decoding: bytes[start..<i], as: UTF8.self)
            }
            fields.append(Field(value: value, line: fieldLine, column: fieldColumn))
            if i >= bytes.count {
                endRecord()
                break
            }
            if bytes[i] == comma {
                i += 1
                continue
            }
            _ = lineEnd()
            endRecord()
            if i >= bytes.count { break }
        }
        return .success(records)
    }
}
