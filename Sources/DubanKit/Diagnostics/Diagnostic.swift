/// Where something was found in an input file. Lines and columns count from 1; columns count
/// Unicode scalars, as libyaml does, so a column is the same whatever the script.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// In a workbook: the sheet and cell (`台账!F7`), shown instead of line and column, which
    /// then hold the cell's row and column (for ordering and the recorded source line).
    public var cell: String?
    /// In a form filled in on the portal: the field's key (`status`, `liaison`: see `LedgerForm`),
    /// shown by its label and entry (`entry 3 · 状态`) instead of file, line and column; `line`
    /// then holds the entry's number (nil for a header field), `column` the field's place in it.
    public var field: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, cell: String? = nil, field: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.cell = cell
        self.field = field
    }

    public var description: String {
        var text = file
        if let field { return LedgerForm.fieldDescription(key: field, entry: line) }
        if let cell { return text + ":" + cell }
        if let line { text += ":\(line)" }
        if line != nil, let column { text += ":\(column)" }
        return text
    }
}

/// One finding about an input: an error fails the load, a warning does not.
public struct Diagnostic: Hashable, Sendable {
    public enum Severity: String, Sendable { case error, warning }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String
    public var hint: String?

    public init(_ severity: Severity, _ location: SourceLocation, _ message: String, hint: String? = nil) {
        self.severity = severity
        self.location = location
        self.message = message
        self.hint = hint
    }
}

/// Collects every finding of a pass, so that all problems are reported at once.
public final class DiagnosticCollector {
    public private(set) var diagnostics: [Diagnostic] = []
    /// The text of each file seen, to quote the offending line when rendering. Split into
    /// lines only when a finding in the file is rendered (a CR before a line end is dropped).
    private var texts: [String: String] = [:]
    private var lineCache: [String: [Substring]] = [:]
    /// Files whose lines are quoted only as a short escaped window (`QuotedLine`): files a
    /// plan names that may not be what they claim (a calendar), so a finding never prints them.
    private var boundedFiles: Set<String> = []
    public var sources: [String: [Substring]] {
        var out: [String: [Substring]] = [:]
        for file in texts.keys { out[file] = lines(of: file) }
        return out
    }

    func lines(of file: String) -> [Substring]? {
        if let cached = lineCache[file] { return cached }
        guard let text = texts[file] else { return nil }
        // In Swift "\r\n" is one Character, not "\n": split on both, or a CRLF file (Excel on
        // Windows) is one long line and no finding in it quotes its line.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        lineCache[file] = lines
        return lines
    }

    public init() {}

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }

    /// Keeps `text` to quote its lines in findings; `bounded`: quote at most a short, escaped
    /// window of a line (see `QuotedLine`).
    public func register(file: String, text: String, bounded: Bool = false) {
        texts[file] = text
        lineCache[file] = nil
        if bounded { boundedFiles.insert(file) } else { boundedFiles.remove(file) }
    }

    public func error(_ location: SourceLocation, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(.error, location, message, hint: hint))
    }

    public func warning(_ location: SourceLocation, _ message: String, hint: String? = nil) {
        diagnostics.append(Diagnostic(.warning, location, message, hint: hint))
    }

    /// Findings in file order (file, line, column), errors before warnings at the same place.
    public var sorted: [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            let l = a.element.location, r = b.element.location
            if l.file != r.file { return l.file < r.file }
            if (l.line ?? 0) != (r.line ?? 0) { return (l.line ?? 0) < (r.line ?? 0) }
            if (l.column ?? 0) != (r.column ?? 0) { return (l.column ?? 0) < (r.column ?? 0) }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// Compiler-style text: `FILE:LINE:COLUMN: error: MESSAGE`, the offending line, a caret, a hint.
    public func render(_ diagnostic: Diagnostic) -> String {
        var out = "\(diagnostic.location): \(diagnostic.severity.rawValue): \(QuotedLine.escapingControls(diagnostic.message))\n"
        if let line = diagnostic.location.line, let lines = lines(of: diagnostic.location.file),
           line >= 1, line <= lines.count {
            var text = lines[line - 1].replacingTabs()
            var column = diagnostic.location.column
            // A line with a control character (an escape sequence a terminal would act on) is
            // quoted escaped, as a file a plan names is.
            if boundedFiles.contains(diagnostic.location.file) || QuotedLine.hasControls(text) {
                let quoted = QuotedLine(text, column: column)
                (text, column) = (quoted.text, quoted.column)
            }
            let gutter = String(line)
            out += " \(gutter) | \(text)\n"
            if let column, column >= 1 {
                let prefix = String(String.UnicodeScalarView(text.unicodeScalars.prefix(column - 1)))
                let pad = String(repeating: " ", count: DisplayWidth.of(prefix))
                out += " \(String(repeating: " ", count: gutter.count)) | \(pad)^\n"
            }
        }
        if let hint = diagnostic.hint { out += "  hint: \(QuotedLine.escapingControls(hint))\n" }
        return out
    }

    /// Every finding rendered, then a summary line such as `2 errors, 1 warning`.
    public func renderAll() -> String {
        var out = sorted.map(render).joined()
        let e = errors.count, w = warnings.count
        if e + w > 0 {
            out += "\(e) error\(e == 1 ? "" : "s"), \(w) warning\(w == 1 ? "" : "s")\n"
        }
        return out
    }
}

private extension Substring {
    func replacingTabs() -> String { String(self).replacingOccurrences(of: "\t", with: " ") }
}
