/// The forms a digest is written in.
public enum DigestFormat: String, CaseIterable, Sendable {
    case markdown, html, text, json

    /// The file extension of one digest in this form.
    public var fileExtension: String {
        switch self {
        case .markdown: return "md"
        case .html: return "html"
        case .text: return "txt"
        case .json: return "json"
        }
    }

    public func render(_ digest: Digest, language: DigestLanguage) -> String {
        switch self {
        case .markdown: return DigestMarkdownRenderer.render(digest, language: language)
        case .html: return DigestHTMLRenderer.render(digest, language: language)
        case .text: return DigestTextRenderer.render(digest, language: language)
        case .json: return DigestJSONRenderer.render(digest)
        }
    }
}
