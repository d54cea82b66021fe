import Foundation

/// A WordprocessingML document as Duban writes it: paragraphs of one run each, a first-page
/// header, page numbers from page 2, and one section's page setup with its line grid.
public struct DOCXDocument: Sendable {
    /// A font by its Chinese name and the font used where it is not installed.
    public struct Font: Sendable, Equatable {
        public var name: String
        public var fallback: String
        public static let xiaobiaosong = Font(name: "方正小标宋简体", fallback: "Noto Serif CJK SC")
        public static let fangsong = Font(name: "仿宋_GB2312", fallback: "Noto Serif CJK SC")
        public static let kaiti = Font(name: "楷体_GB2312", fallback: "Noto Serif CJK SC")
        public static let heiti = Font(name: "黑体", fallback: "Noto Sans CJK SC")
        public static let songti = Font(name: "宋体", fallback: "Noto Serif CJK SC")
    }

    public struct Paragraph: Sendable, Equatable {
        public enum Alignment: String, Sendable { case left, center, right, both }
        public var text: String
        public var font: Font = .fangsong
        /// Half-points: 44 is 2号 (22 pt), 32 is 3号 (16 pt), 28 is 4号 (14 pt).
        public var size = 32
        public var alignment: Alignment = .both
        /// Indents in hundredths of a character (200: two characters).
        public var firstLineChars = 0
        public var leftChars = 0
        public var rightChars = 0
        /// An RGB colour (`FF0000`), or nil for black.
        public var colour: String?
        /// A red double rule under or over the paragraph (the 信函 form's two), drawn 170 mm long,
        /// centred on the text block (the paragraph is widened to it).
        public var rule: Rule?
        /// Kept on the page of the next paragraph (a signature with its date).
        public var keepWithNext = false
        /// An exact line height in twips, off the line grid (a title in a larger size).
        public var exactLine: Int?

        public init(_ text: String) { self.text = text }
    }

    /// The 信函 form's red double rules (GB/T 9704-2012 10.1): under the office's name thick
    /// over thin, 20 mm above the bottom edge thin over thick.
    public enum Rule: Sendable, Equatable {
        case belowThickOverThin
        case aboveThinOverThick
    }

    /// Page setup in twentieths of a point (twips); A4 by default.
    public struct Page: Sendable {
        public var width = 11_906, height = 16_838
        public var top = 2_098, left = 1_587, bottom = 1_984, right = 1_474
        /// From the page's top edge to the header's first line.
        public var header = 1_701
        public var footer = 992
        /// Lines per page and characters per line of the document grid.
        public var lines = 22
        public var characters = 28
        /// The length of a `Rule`: 170 mm.
        public var ruleLength = 9_638
    }

    public var paragraphs: [Paragraph]
    public var firstPageHeader: [Paragraph] = []
    /// The first page's footer (its other pages' footer holds the page number).
    public var firstPageFooter: [Paragraph] = []
    public var page = Page()
    /// The body's default font size (half-points): the grid's characters are measured against it.
    public var baseSize = 32
    public var pageNumbers = true

    public init(paragraphs: [Paragraph]) {
        self.paragraphs = paragraphs
    }

    /// The grid's line pitch in twips: the text height divided into `lines`.
    public var linePitch: Int { (page.height - page.top - page.bottom) / page.lines }

    /// The width of one character of the grid, in twips (156 mm / 28 = 315.9).
    public var characterPitch: Double { Double(page.width - page.left - page.right) / Double(page.characters) }

    /// How much each character of the base size is condensed (`w:spacing`, twentieths of a
    /// point) so that `characters` fit a line: 3号 (16 pt) in a 15.8 pt pitch is −5.
    public var condensing: Int { Int((characterPitch - Double(baseSize) * 10).rounded(.down)) }
}

/// Writes a `DOCXDocument` as a .docx: the parts Word, WPS and LibreOffice need, text escaped.
public enum DOCXWriter {
    static let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    public static func data(_ doc: DOCXDocument) throws -> Data {
        var zip = ZipWriter()
        zip.add("[Content_Types].xml", contentTypes)
        zip.add("_rels/.rels", XMLText.declaration + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>")
        zip.add("word/_rels/document.xml.rels", XMLText.declaration + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"\(r)/styles\" Target=\"styles.xml\"/>"
                + "<Relationship Id=\"rId2\" Type=\"\(r)/fontTable\" Target=\"fontTable.xml\"/>"
                + "<Relationship Id=\"rId3\" Type=\"\(r)/settings\" Target=\"settings.xml\"/>"
                + "<Relationship Id=\"rId4\" Type=\"\(r)/header\" Target=\"header1.xml\"/>"
                + "<Relationship Id=\"rId5\" Type=\"\(r)/footer\" Target=\"footer1.xml\"/>"
                + "<Relationship Id=\"rId6\" Type=\"\(r)/footer\" Target=\"footer2.xml\"/></Relationships>")
        zip.add("word/document.xml", document(doc))
        zip.add("word/styles.xml", styles(doc))
        zip.add("word/fontTable.xml", fontTable)
        zip.add("word/settings.xml", XMLText.declaration + "<w:settings xmlns:w=\"\(w)\"><w:defaultTabStop w:val=\"420\"/><w:characterSpacingControl w:val=\"compressPunctuation\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>")
        zip.add("word/header1.xml", "\(XMLText.declaration)<w:hdr xmlns:w=\"\(w)\">" + doc.firstPageHeader.map { paragraph($0, in: doc) }.joined()
                + (doc.firstPageHeader.isEmpty ? "<w:p/>" : "") + "</w:hdr>")
        zip.add("word/footer1.xml", footer(pageNumber: doc.pageNumbers))
        zip.add("word/footer2.xml", "\(XMLText.declaration)<w:ftr xmlns:w=\"\(w)\">" + doc.firstPageFooter.map { paragraph($0, in: doc) }.joined()
                + (doc.firstPageFooter.isEmpty ? "<w:p/>" : "") + "</w:ftr>")
        return try zip.data()
    }

    static let contentTypes = XMLText.declaration + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
        + "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
        + "<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>"
        + "<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
        + "<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
        + "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
        + "<Override PartName=\"/word/footer2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
        + "</Types>"

    static func fonts(_ font: DOCXDocument.Font) -> String {
        let n = XMLText.escape(font.name)
        return "<w:rFonts w:ascii=\"\(n)\" w:hAnsi=\"\(n)\" w:eastAsia=\"\(n)\" w:cs=\"\(n)\"/>"
    }

    static func paragraph(_ p: DOCXDocument.Paragraph, in doc: DOCXDocument) -> String {
        var ppr = p.keepWithNext ? "<w:keepNext/>" : ""
        // No extra space between Chinese and Latin letters or digits (公文 do not add it).
        ppr += "<w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/>"
        switch p.rule {
        case .belowThickOverThin?: ppr += "<w:pBdr><w:bottom w:val=\"thickThinSmallGap\" w:sz=\"24\" w:space=\"4\" w:color=\"FF0000\"/></w:pBdr>"
        case .aboveThinOverThick?: ppr += "<w:pBdr><w:top w:val=\"thickThinSmallGap\" w:sz=\"24\" w:space=\"0\" w:color=\"FF0000\"/></w:pBdr>"
        case nil: break
        }
        if let line = p.exactLine { ppr += "<w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"\(line)\" w:lineRule=\"exact\"/>" }
        if p.rule != nil {
            // `thickThin` names the line nearer the text first: thick over thin under the text,
            // thin over thick above it (as LibreOffice draws them; LetterTests checks its PDF).
            // Widened on both sides to the rule's length (a border runs from indent to indent).
            let out = -(doc.page.ruleLength - (doc.page.width - doc.page.left - doc.page.right)) / 2
            ppr += "<w:ind w:left=\"\(out)\" w:right=\"\(out)\"/>"
        } else if p.firstLineChars != 0 || p.leftChars != 0 || p.rightChars != 0 {
            // In characters for Word and WPS, and in twips for LibreOffice, which reads only those.
            func twips(_ chars: Int) -> Int { Int((Double(chars) / 100 * doc.characterPitch).rounded()) }
            ppr += "<w:ind" + (p.leftChars != 0 ? " w:leftChars=\"\(p.leftChars)\" w:left=\"\(twips(p.leftChars))\"" : "")
                + (p.rightChars != 0 ? " w:rightChars=\"\(p.rightChars)\" w:right=\"\(twips(p.rightChars))\"" : "")
                + (p.firstLineChars != 0 ? " w:firstLineChars=\"\(p.firstLineChars)\" w:firstLine=\"\(twips(p.firstLineChars))\"" : "") + "/>"
        }
        ppr += "<w:jc w:val=\"\(p.alignment.rawValue)\"/>"
        var rpr = fonts(p.font) + (p.colour.map { "<w:color w:val=\"\($0)\"/>" } ?? "")
        if p.size == doc.baseSize && doc.condensing < 0 { rpr += "<w:spacing w:val=\"\(doc.condensing)\"/>" }
        rpr += "<w:sz w:val=\"\(p.size)\"/><w:szCs w:val=\"\(p.size)\"/>"
        let run = p.text.isEmpty ? "" : "<w:r><w:rPr>\(rpr)</w:rPr>\(XMLText.element("w:t", p.text))</w:r>"
        return "<w:p><w:pPr>\(ppr)<w:rPr>\(rpr)</w:rPr></w:pPr>\(run)</w:p>"
    }

    static func document(_ doc: DOCXDocument) -> String {
        let p = doc.page
        var out = XMLText.declaration + "<w:document xmlns:w=\"\(w)\" xmlns:r=\"\(r)\"><w:body>"
        out += doc.paragraphs.map { paragraph($0, in: doc) }.joined()
        out += "<w:sectPr><w:headerReference w:type=\"first\" r:id=\"rId4\"/>"
        out += "<w:footerReference w:type=\"default\" r:id=\"rId5\"/><w:footerReference w:type=\"first\" r:id=\"rId6\"/>"
        out += "<w:pgSz w:w=\"\(p.width)\" w:h=\"\(p.height)\"/>"
        out += "<w:pgMar w:top=\"\(p.top)\" w:right=\"\(p.right)\" w:bottom=\"\(p.bottom)\" w:left=\"\(p.left)\" w:header=\"\(p.header)\" w:footer=\"\(p.footer)\" w:gutter=\"0\"/>"
        // A line grid of `lines` lines; the characters per line come from condensing each character
        // (see `condensing`), not from a linesAndChars grid: LibreOffice 7.4 gives each CJK
        // character two cells under a linesAndChars grid with a negative charSpace (−841 here).
        out += "<w:titlePg/><w:docGrid w:type=\"lines\" w:linePitch=\"\(doc.linePitch)\"/>"
        out += "</w:sectPr></w:body></w:document>"
        return out
    }

    static func footer(pageNumber: Bool) -> String {
        var out = XMLText.declaration + "<w:ftr xmlns:w=\"\(w)\">"
        if pageNumber {
            // — N —, 4号 宋体, centred (GB/T 9704-2012 7.5, simplified: not alternating sides).
            let rpr = "<w:rPr>\(fonts(.songti))<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr>"
            out += "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r>\(rpr)<w:t xml:space=\"preserve\">— </w:t></w:r>"
            out += "<w:r>\(rpr)<w:fldChar w:fldCharType=\"begin\"/></w:r><w:r>\(rpr)<w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
            out += "<w:r>\(rpr)<w:fldChar w:fldCharType=\"separate\"/></w:r><w:r>\(rpr)<w:t>2</w:t></w:r><w:r>\(rpr)<w:fldChar w:fldCharType=\"end\"/></w:r>"
            out += "<w:r>\(rpr)<w:t xml:space=\"preserve\"> —</w:t></w:r></w:p>"
        } else {
            out += "<w:p/>"
        }
        return out + "</w:ftr>"
    }

    static func styles(_ doc: DOCXDocument) -> String {
        XMLText.declaration + "<w:styles xmlns:w=\"\(w)\"><w:docDefaults><w:rPrDefault><w:rPr>\(fonts(.fangsong))"
            + "<w:sz w:val=\"\(doc.baseSize)\"/><w:szCs w:val=\"\(doc.baseSize)\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr></w:rPrDefault>"
            + "<w:pPrDefault><w:pPr><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>"
            + "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:pPr><w:widowControl w:val=\"0\"/><w:jc w:val=\"both\"/></w:pPr></w:style>"
            + "</w:styles>"
    }

    /// Each font named with the one used where it is missing (`w:altName`): Noto CJK on Debian.
    static var fontTable: String {
        let fonts: [DOCXDocument.Font] = [.xiaobiaosong, .fangsong, .kaiti, .heiti, .songti]
        return XMLText.declaration + "<w:fonts xmlns:w=\"\(w)\">" + fonts.map { f in
            "<w:font w:name=\"\(XMLText.escape(f.name))\"><w:altName w:val=\"\(XMLText.escape(f.fallback))\"/><w:charset w:val=\"86\"/>"
                + "<w:family w:val=\"\(f == .heiti ? "modern" : "roman")\"/><w:pitch w:val=\"variable\"/></w:font>"
        }.joined() + "</w:fonts>"
    }
}
