import Foundation
// CYaml is the libyaml that Yams bundles (its C target), the same parser `Yams.compose` runs.
// Driven here through its event API, a ledger is read without building Yams' `Node` tree, whose
// tag resolution (regular expressions per scalar) and duplicate-key hashing were most of the
// cost of YAML ingest.
internal import CYaml

/// One libyaml event. `bytes` (a scalar's value) is valid only inside the `YAMLEvents.scan`
/// callback that receives the event.
struct YAMLEvent {
    enum Kind {
        case documentStart, documentEnd, alias, scalar, sequenceStart, sequenceEnd, mappingStart, mappingEnd, other
    }

    var kind: Kind
    /// 1-based line and column of the event's start, as Yams' `Mark` has them.
    var line: Int
    var column: Int
    /// Whether the node carries an anchor (`&a`).
    var anchored: Bool
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

/// Reading a YAML text as libyaml's stream of events.
enum YAMLEvents {
    /// Calls `body` with each event of `text` after the stream start, in order, until the stream
    /// ends. True when the whole stream was read; false when libyaml found an error (which the
    /// caller learns nothing more about: `YAMLDocument` reports errors) or `body` returned false.
    static func scan(_ text: String, _ body: (YAMLEvent) -> Bool) -> Bool {
        var text = text
        return text.withUTF8 { bytes -> Bool in
            guard let base = bytes.baseAddress, bytes.count > 0 else { return false }
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return false }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, base, bytes.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else { return false }
                defer { yaml_event_delete(&event) }
                let kind: YAMLEvent.Kind
                var anchor: UnsafeMutablePointer<yaml_char_t>?
                var plain = false
                var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return true
                case YAML_DOCUMENT_START_EVENT: kind = .documentStart
                case YAML_DOCUMENT_END_EVENT: kind = .documentEnd
                case YAML_ALIAS_EVENT: kind = .alias
                case YAML_SCALAR_EVENT:
                    kind = .scalar
                    anchor = event.data.scalar.anchor
                    plain = event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE
                    bytes = UnsafeBufferPointer(start: event.data.scalar.value, count: event.data.scalar.length)
                case YAML_SEQUENCE_START_EVENT:
                    kind = .sequenceStart
                    anchor = event.data.sequence_start.anchor
                case YAML_SEQUENCE_END_EVENT: kind = .sequenceEnd
                case YAML_MAPPING_START_EVENT:
                    kind = .mappingStart
                    anchor = event.data.mapping_start.anchor
                case YAML_MAPPING_END_EVENT: kind = .mappingEnd
                default: kind = .other
                }
                let e = YAMLEvent(kind: kind, line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1,
                                  anchored: anchor != nil, plain: plain, bytes: bytes)
                guard body(e) else { return false }
            }
        }
    }
}
