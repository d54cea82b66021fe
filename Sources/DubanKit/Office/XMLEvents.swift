import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A part's XML read as a stream of events (Foundation's `XMLParser`, SAX over libxml2), after
/// a check that it declares no DOCTYPE and no entity: OOXML parts never do, and refusing them
/// rules out entity expansion ("billion laughs") and external entities before parsing starts.
final class XMLEvents: NSObject, XMLParserDelegate {
    /// Element names are local (a prefix such as `x:` is dropped); attribute names as written.
    var onStart: (String, [String: String]) throws -> Void = { _, _ in }
    var onEnd: (String) throws -> Void = { _ in }
    var onText: (String) -> Void = { _ in }

    private var failure: Error?
    private weak var parser: XMLParser?

    /// Parses `data` (the part `name`), throwing the first error of a handler or of the XML.
    func parse(_ data: Data, name: String) throws {
        try Self.refuseDeclarations(data, name: name)
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = self
        self.parser = parser
        let ok = parser.parse()
        if let failure { throw failure }
        if !ok {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "malformed XML"
            throw OfficeReadError("the part \(name) is not well-formed XML (line \(parser.lineNumber)): \(reason)")
        }
    }

    /// DOCTYPE or ENTITY anywhere, UTF-16 or NUL bytes: refused before any parsing.
    static func refuseDeclarations(_ data: Data, name: String) throws {
        if data.starts(with: [0xFE, 0xFF]) || data.starts(with: [0xFF, 0xFE]) || data.contains(0) {
            throw OfficeReadError("the part \(name) is not UTF-8 XML; refused")
        }
        for word in ["<!DOCTYPE", "<!ENTITY"] where Self.contains(data, caseInsensitive: Array(word.utf8)) {
            throw OfficeReadError("the part \(name) declares a DOCTYPE or an entity (\(word)); Office files never do, so it is refused (entity expansion, external entities)")
        }
    }

    static func contains(_ data: Data, caseInsensitive needle: [UInt8]) -> Bool {
        let upper = needle.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }
        return data.withUnsafeBytes { raw -> Bool in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard bytes.count >= upper.count else { return false }
            var i = 0
            while i <= bytes.count - upper.count {
                if bytes[i] == 0x3C {
                    var j = 1
                    while j < upper.count {
                        let b = bytes[i + j]
                        if (b >= 97 && b <= 122 ? b - 32 : b) != upper[j] { break }
                        j += 1
                    }
                    if j == upper.count { return true }
                }
                i += 1
            }
            return false
        }
    }

    static func local(_ name: String) -> String {
        guard let colon = name.lastIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }

    private func fail(_ error: Error) {
        if failure == nil { failure = error }
        parser?.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        guard failure == nil else { return }
        do { try onStart(Self.local(elementName), attributeDict) } catch { fail(error) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard failure == nil else { return }
        do { try onEnd(Self.local(elementName)) } catch { fail(error) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard failure == nil else { return }
        onText(string)
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard failure == nil else { return }
        onText(String(decoding: CDATABlock, as: UTF8.self))
    }
}
