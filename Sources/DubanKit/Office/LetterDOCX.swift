extension Letter {
    /// The letter laid out in the 信函 form of GB/T 9704-2012: A4, margins 37/28/35/26 mm, 22
    /// lines of 28 characters of 3号 仿宋; the office's name in red 小标宋 30 mm from the top with a red
    /// double rule under it (first-page header) and another 20 mm above the bottom edge (first-page
    /// footer), both 170 mm long; the number at the right; the title in 2号
    /// 小标宋 two lines below; the addressee; the body (headings in 黑体); signature and date
    /// right, the date's first character two to the right of the signature's; the contact line.
    public func docx() -> DOCXDocument {
        typealias P = DOCXDocument.Paragraph
        func p(_ text: String, _ configure: (inout P) -> Void = { _ in }) -> P {
            var paragraph = P(text)
            configure(&paragraph)
            return paragraph
        }
        var paragraphs: [P] = []
        paragraphs.append(p(reference ?? "") { $0.alignment = .right })
        paragraphs.append(p(""))
        paragraphs.append(p(title) { $0.font = .xiaobiaosong; $0.size = 44; $0.alignment = .center; $0.exactLine = 640 })
        paragraphs.append(p(""))
        paragraphs.append(p(addresseeLine) { $0.alignment = .left })
        for block in body {
            switch block {
            case .paragraph(let text): paragraphs.append(p(text) { $0.firstLineChars = 200 })
            case .heading(let text): paragraphs.append(p(text) { $0.firstLineChars = 200; $0.font = .heiti })
            }
        }
        paragraphs.append(p("") { $0.keepWithNext = true })
        // 7.3.5.2: the signature 右空二字, the date's first character two to the right of the
        // signature's; a date longer than the signature 右空二字 and the signature moves left.
        let dateText = Letter.chineseDate(date)
        let nameWidth = DisplayWidth.of(office) * 50, dateWidth = DisplayWidth.of(dateText) * 50
        var nameRight = 200, dateRight = nameRight + nameWidth - dateWidth - 200
        if dateRight < 200 {
            dateRight = 200
            nameRight = dateRight + dateWidth + 200 - nameWidth
        }
        paragraphs.append(p(office) { $0.alignment = .right; $0.rightChars = nameRight; $0.keepWithNext = true })
        paragraphs.append(p(dateText) { $0.alignment = .right; $0.rightChars = dateRight })
        if let contact { paragraphs.append(p("(\(contact))") { $0.firstLineChars = 200 }) }
        var doc = DOCXDocument(paragraphs: paragraphs)
        doc.firstPageHeader = [p(office) { $0.font = .xiaobiaosong; $0.size = 52; $0.alignment = .center; $0.colour = "FF0000"; $0.rule = .belowThickOverThin }]
        // The lower rule 20 mm above the bottom edge: the footer's last line ends `page.footer`
        // (17.5 mm) above it; an empty line of exactly 1.7 mm under the rule puts the rule's
        // middle at 20 mm (the rule is 1.6 mm high).
        doc.firstPageFooter = [p("") { $0.size = 2; $0.exactLine = 95; $0.rule = .aboveThinOverThick }]
        return doc
    }
}
