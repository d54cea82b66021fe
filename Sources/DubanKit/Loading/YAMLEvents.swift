import Foundation
// CYaml is the libyaml that Yams bundles (its C target), the same parser `Yams.compose` runs.
// Driven here through its event API, a YAML file is read without building Yams' `Node` tree,
// whose tag resolution (regular expressions per scalar) and duplicate-key hashing were most of
// the cost of YAML ingest.
internal import CYaml

/// One libyaml event. `bytes` (a scalar's value) is valid only inside the `YAMLEvents.scan`
/// callback that receives the event.
struct YAMLEvent {
    enum Kind {
        case documentStart, documentEnd, alias, scalar, sequenceStart, sequenceEnd, mappingStart, mappingEnd, streamEnd, other
    }

    var kind: Kind
    /// 1-based line and column of the event's start, as Yams' `Mark` has them.
    var line: Int
    var column: Int
    /// The anchor a node carries (`&a`), or the one an alias names (`*a`).
    var anchor: String?
    /// The tag written on a node (`!!str`, `!x`), as libyaml gives it (`tag:yaml.org,2002:str`).
    var tag: String?
    /// Whether a scalar is written plain (not quoted, not a `|` or `>` block).
    var plain: Bool
    /// A scalar's value, UTF-8.
    var bytes: UnsafeBufferPointer<UInt8>

    /// The scalar's value as `Yams.Node.Scalar.string` has it: Yams decodes it with Foundation's
    /// `String(bytes:encoding:)`, which drops a leading byte order mark.
    var string: String {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            return String(bytes: bytes, encoding: .utf8) ?? String(decoding: bytes, as: UTF8.self)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// What libyaml reported when it could not read a text, as Yams' `YamlError` has it.
struct YAMLSyntaxError: Error, Equatable {
    enum Stage: Equatable { case reader, scanner, parser, memory }
    var stage: Stage
    var problem: String
    /// What libyaml was reading ("while scanning a quoted scalar"), if it says.
    var context: String?
    /// 1-based line and column of the problem.
    var line: Int
    var column: Int
    /// A reader error's place, counted as Yams counts it (characters of the text before the
    /// byte libyaml names; nil when that byte is inside a character), and the character's value.
    var offset: Int?
    var value: Int32
}

/// Reading a YAML text as libyaml's stream of events.
enum YAMLEvents {
    nonisolated(unsafe) private static let emptyInput = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)

    /// How a scan ended: at the end of the stream, because `body` returned false, or at a
    /// libyaml error.
    enum End {
        case finished, stopped
        case failed(YAMLSyntaxError)
    }

    /// Calls `body` with each event of `text` after the stream start, in order, up to and
    /// including the stream's end.
    static func scan(_ text: String, _ body: (YAMLEvent) -> Bool) -> End {
        var contiguous = text
        return contiguous.withUTF8 { bytes -> End in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return .failed(error(parser, text)) }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            // libyaml reads nothing from an empty text, but wants an address.
            yaml_parser_set_input_string(&parser, bytes.baseAddress ?? UnsafePointer(emptyInput), bytes.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else { return .failed(error(parser, text)) }
                defer { yaml_event_delete(&event) }
                var kind = YAMLEvent.Kind.other
                var anchor: UnsafeMutablePointer<yaml_char_t>?
                var tag: UnsafeMutablePointer<yaml_char_t>?
                var plain = false
                var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
                switch event.type {
                case YAML_STREAM_END_EVENT: kind = .streamEnd
                case YAML_DOCUMENT_START_EVENT: kind = .documentStart
                case YAML_DOCUMENT_END_EVENT: kind = .documentEnd
                case YAML_ALIAS_EVENT:
                    kind = .alias
                    anchor = event.data.alias.anchor
                case YAML_SCALAR_EVENT:
                    kind = .scalar
                    anchor = event.data.scalar.anchor
                    // As Yams: a quoted or block scalar with no tag is a string; a tag is kept as written.
                    tag = event.data.scalar.quoted_implicit == 1 ? nil : event.data.scalar.tag
                    plain = event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE
                    bytes = UnsafeBufferPointer(start: event.data.scalar.value, count: event.data.scalar.length)
                case YAML_SEQUENCE_START_EVENT:
                    kind = .sequenceStart
                    anchor = event.data.sequence_start.anchor
                    tag = event.data.sequence_start.tag
                case YAML_SEQUENCE_END_EVENT: kind = .sequenceEnd
                case YAML_MAPPING_START_EVENT:
                    kind = .mappingStart
                    anchor = event.data.mapping_start.anchor
                    tag = event.data.mapping_start.tag
                case YAML_MAPPING_END_EVENT: kind = .mappingEnd
                default: break
                }
                let e = YAMLEvent(kind: kind, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1,
                                  anchor: anchor.map { String(cString: $0) }, tag: tag.map { String(cString: $0) },
                                  plain: plain, bytes: bytes)
                guard body(e) else { return .stopped }
                if kind == .streamEnd { return .finished }
            }
        }
    }

    /// The parser's error, worded and placed as Yams' `YamlError(from:with:)` has it.
    private static func error(_ parser: yaml_parser_t, _ text: String) -> YAMLSyntaxError {
        let problem = parser.problem.map { String(cString: $0) } ?? ""
        let context = parser.context.map { String(cString: $0) }
        let line = Int(parser.problem_mark.line) + 1, column = Int(parser.problem_mark.column) + 1
        switch parser.error {
        case YAML_READER_ERROR:
            let index = text.utf8.index(text.utf8.startIndex, offsetBy: parser.problem_offset, limitedBy: text.utf8.endIndex)?
                .samePosition(in: text)
            return YAMLSyntaxError(stage: .reader, problem: problem, context: nil, line: line, column: column,
                                   offset: index.map { text.distance(from: text.startIndex, to: $0) }, value: parser.problem_value)
        case YAML_SCANNER_ERROR:
            return YAMLSyntaxError(stage: .scanner, problem: problem, context: context, line: line, column: column, offset: nil, value: -1)
        case YAML_PARSER_ERROR:
            return YAMLSyntaxError(stage: .parser, problem: problem, context: context, line: line, column: column, offset: nil, value: -1)
        default:
            return YAMLSyntaxError(stage: .memory, problem: problem, context: nil, line: line, column: column, offset: nil, value: -1)
        }
    }
}
