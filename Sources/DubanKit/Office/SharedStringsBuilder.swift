/// The shared-string table of a workbook being written: each distinct text once, in order.
struct SharedStringsBuilder {
    private var indices: [String: Int] = [:]
    private var texts: [String] = []
    private var references = 0

    /// The index of `text` (cut to Excel's 32,767 UTF-16 units a cell), added on first use.
    mutating func index(of text: String) -> Int {
        references += 1
        let text = Self.fitting(text)
        if let i = indices[text] { return i }
        indices[text] = texts.count
        texts.append(text)
        return texts.count - 1
    }

    static func fitting(_ text: String) -> String {
        guard text.utf16.count > XLSXSheet.maxCellCharacters else { return text }
        var out = ""
        var used = 0
        for ch in text {
            let n = ch.utf16.count
            if used + n > XLSXSheet.maxCellCharacters - 1 { break }
            out.append(ch)
            used += n
        }
        return out + "…"
    }

    func xml() -> String {
        var out = XMLText.declaration
        out += "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"\(references)\" uniqueCount=\"\(texts.count)\">"
        for t in texts { out += "<si>" + XMLText.element("t", t) + "</si>" }
        out += "</sst>"
        return out
    }
}
