/// A 发文字号 as GB/T 9704-2012 7.2.5 writes it: 机关代字, the year in full in 〔〕, the
/// number without leading zeros and without 第, then 号: 张司函〔2024〕12号.
public struct DocumentNumber: Equatable, Sendable, CustomStringConvertible {
    public var code: String
    public var year: Int
    public var number: Int

    public init(code: String, year: Int, number: Int) {
        self.code = code
        self.year = year
        self.number = number
    }

    public var description: String { "\(code)〔\(year)〕\(number)号" }

    /// Reads `张司函〔2024〕12号`; nil for anything else (another form, a zero-padded number, 第).
    public init?(_ text: String) {
        guard let open = text.firstIndex(of: "〔"), let close = text.firstIndex(of: "〕"), open < close,
              text.hasSuffix("号") else { return nil }
        let code = String(text[..<open])
        let year = text[text.index(after: open)..<close]
        let number = text[text.index(after: close)..<text.index(before: text.endIndex)]
        guard !code.isEmpty, year.count == 4, let y = Int(year), (1900...2999).contains(y),
              !number.isEmpty, number.count <= 6, number.first != "0", number.allSatisfy(\.isASCII), let n = Int(number), n >= 1
        else { return nil }
        self.init(code: code, year: y, number: n)
    }
}
