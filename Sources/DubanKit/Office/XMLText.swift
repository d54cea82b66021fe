/// Text made safe for an XML part: `& < > " '` as entities, and the characters XML 1.0 cannot
/// hold at all (C0 controls other than tab, line feed and carriage return; U+FFFE, U+FFFF;
/// lone surrogates cannot occur in a Swift string) dropped, so that no input can break a part.
public enum XMLText {
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n": out.unicodeScalars.append(ch)
            case "\r": out += "&#13;"
            default:
                if ch.value < 0x20 || ch.value == 0xFFFE || ch.value == 0xFFFF { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// An element holding escaped text; `xml:space="preserve"` when leading or trailing
    /// white space would otherwise be dropped by the reader.
    static func element(_ name: String, _ text: String) -> String {
        let keep = text.first.map { $0 == " " || $0 == "\t" || $0 == "\n" } == true
            || text.last.map { $0 == " " || $0 == "\t" || $0 == "\n" } == true
        return "<\(name)\(keep ? " xml:space=\"preserve\"" : "")>\(escape(text))</\(name)>"
    }

    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
}
