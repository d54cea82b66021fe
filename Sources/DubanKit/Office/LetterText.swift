extension Letter {
    /// The letter as plain text, in the order of the printed page.
    public func text() -> String {
        var out = office + "\n"
        if let reference { out += reference + "\n" }
        out += "\n" + title + "\n\n" + addresseeLine + "\n"
        for block in body {
            switch block {
            case .paragraph(let p): out += "  " + p + "\n"
            case .heading(let h): out += "  " + h + "\n"
            }
        }
        out += "\n" + office + "\n" + Letter.chineseDate(date) + "\n"
        if let contact { out += "(\(contact))\n" }
        return out
    }
}
