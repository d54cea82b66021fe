/// ANSI colours for a table shown on a terminal (whether to paint is the command's choice: not
/// when piped, not with NO_COLOR).
public enum TerminalColour {
    /// `text` in `colour` (blue, yellow, orange, red); any other colour leaves it plain.
    public static func paint(_ text: String, _ colour: String) -> String {
        let code: String
        switch colour {
        case "blue": code = "34"
        case "yellow": code = "33"
        case "orange": code = "38;5;208"
        case "red": code = "31"
        default: return text
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}
