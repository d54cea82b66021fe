import Foundation
import XCTest
@testable import DubanKit

/// The streaming XML reader of the big workbook parts gives the events Foundation's `XMLParser`
/// gives, whatever the chunks the zip hands over, and refuses what it refuses.
final class XMLChunkParserTests: XCTestCase {
    /// Events as one string each; adjacent texts joined (both parsers may split a text).
    func events(chunked xml: String, size: Int) throws -> [String] {
        var out: [String] = []
        let parser = XMLChunkParser(part: "p.xml")
        parser.onStart = { name, attrs in out.append("<\(name) " + attrs.pairs.map { "\($0.name)=\($0.value)" }.sorted().joined(separator: " ")) }
        parser.onEnd = { out.append("</\($0)") }
        parser.onText = { text in
            if let last = out.last, last.hasPrefix("T:") { out[out.count - 1] = last + text } else { out.append("T:" + text) }
        }
        let bytes = Array(xml.utf8)
        var i = 0
        while i < bytes.count {
            try parser.feed(Data(bytes[i..<min(bytes.count, i + size)]))
            i += size
        }
        try parser.finish()
        return out
    }

    func foundationEvents(_ xml: String) throws -> [String] {
        var out: [String] = []
        let events = XMLEvents()
        events.onStart = { name, attrs in out.append("<\(name) " + attrs.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")) }
        events.onEnd = { out.append("</\($0)") }
        events.onText = { text in
            if let last = out.last, last.hasPrefix("T:") { out[out.count - 1] = last + text } else { out.append("T:" + text) }
        }
        try events.parse(Data(xml.utf8), name: "p.xml")
        return out
    }

    static let wellFormed = [
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"urn:x\" count=\"2\"><si><t>任务</t></si><si><r><t xml:space=\"preserve\">甲 </t></r><r><t>乙</t></r></si></sst>",
        "<x:worksheet xmlns:x=\"urn:x\"><x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t='s'><x:v>0</x:v></x:c><x:c r=\"B1\"><x:f>1+1</x:f><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>",
        "<a b=\"&lt;&amp;&gt;&quot;&apos;&#x4E00;&#20108;\">x &amp; y &#x1F600; &lt;z&gt;<![CDATA[<not a tag> & ]]><!-- a comment --><?pi data?>end</a>",
        "<a>line\r\nnext\rlast<b c=\"1\t2\"/></a>\n<!-- after -->\n",
        "\u{FEFF}<a><is><t>富文本</t><rPh><t>ふりがな</t></rPh></is></a>",
        "<a\n  b = \"1\"\n  c='2'  ><b></b ></a>",
    ]

    func testTheEventsAreFoundationsWhateverTheChunks() throws {
        for xml in Self.wellFormed {
            let expected = try foundationEvents(xml)
            for size in [1, 2, 3, 7, 64, 1 << 20] {
                XCTAssertEqual(try events(chunked: xml, size: size), expected, "chunks of \(size): \(xml)")
            }
        }
    }

    static let malformed = [
        "<a><b></a></b>", "<a>", "<a></a><b/>", "text<a/>", "<a>&nbsp;</a>", "<a>& b</a>", "<a b=\"<\"/>", "<a b=1/>",
        "<a b=\"1\"b=\"2\"/>", "<a b=\"1\" b=\"1\"/>", "<1a/>", "<a>\u{01}</a>", "", "<a></a", "<a><![CDATA[x</a>",
    ]

    /// Foundation's parser refuses some of these and recovers from others (an unclosed `<a>`, a
    /// second root, `b=1`, an empty part): this one refuses them all.
    func testMalformedXMLIsRefusedWithThePartAndLine() throws {
        for xml in Self.malformed {
            for size in [1, 5, 1 << 20] {
                XCTAssertThrowsError(try events(chunked: xml, size: size), "chunks of \(size): \(xml)") { error in
                    let message = (error as? OfficeReadError)?.message ?? "\(error)"
                    XCTAssertTrue(message.hasPrefix("the part p.xml is not well-formed XML (line 1): "), message)
                }
            }
        }
        XCTAssertThrowsError(try events(chunked: "<a>\n\n<b></c></a>", size: 2)) { error in
            XCTAssertTrue(((error as? OfficeReadError)?.message ?? "").contains("(line 3): the end tag </c> does not close <b>"), "\(error)")
        }
    }

    func testDeclarationsUTF16AndBadUTF8AreRefused() throws {
        for xml in ["<!DOCTYPE a [<!ENTITY b \"c\">]><a>&b;</a>", "<?xml version=\"1.0\"?><!doctype a SYSTEM \"file:///etc/passwd\"><a/>"] {
            for size in [1, 4, 1 << 20] {
                XCTAssertThrowsError(try events(chunked: xml, size: size)) { error in
                    XCTAssertTrue(((error as? OfficeReadError)?.message ?? "").contains("declares a DOCTYPE or an entity (<!DOCTYPE)"), "\(error)")
                }
            }
        }
        let parser = XMLChunkParser(part: "p.xml")
        XCTAssertThrowsError(try parser.feed(Data([0xFF, 0xFE, 0x3C, 0x00]))) { XCTAssertTrue("\($0)".contains("not UTF-8 XML")) }
        let latin = XMLChunkParser(part: "p.xml")
        XCTAssertThrowsError(try { try latin.feed(Data([0x3C, 0x61, 0x3E, 0xE9, 0x3C, 0x2F, 0x61, 0x3E])); try latin.finish() }()) {
            XCTAssertTrue("\($0)".contains("not UTF-8"), "\($0)")
        }
    }

    func testLongWhiteSpaceIsNotHeldButALongTextIsBounded() throws {
        let parser = XMLChunkParser(part: "p.xml")
        var spaces = 0
        parser.onText = { spaces += $0.count }
        try parser.feed(Data("<a>".utf8))
        let chunk = Data(repeating: 0x20, count: 1 << 16)
        for _ in 0..<160 { try parser.feed(chunk) }   // 10 MB, past maxToken
        try parser.feed(Data("</a>".utf8))
        try parser.finish()
        XCTAssertEqual(spaces, 160 << 16)
        let long = XMLChunkParser(part: "p.xml")
        try long.feed(Data("<a>".utf8))
        XCTAssertThrowsError(try { for _ in 0..<80 { try long.feed(Data(repeating: 0x78, count: 1 << 16)) } }()) {
            XCTAssertTrue("\($0)".contains("a text of more than 4 MB"), "\($0)")
        }
    }
}
