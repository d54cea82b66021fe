/// A supervision letter (督办函), circular (通报) or referral (提请追责问责) as a 公文 in the
/// 信函 form of GB/T 9704-2012: who issues it, its number, title, addressee, body, signature,
/// date and contact. Built from the same facts as `escalate` (`SupervisionJSON.Escalation`).
public struct Letter: Sendable, Equatable {
    public enum Level: String, CaseIterable, Sendable {
        case reminder, letter, circular, referral

        /// The escalation step it answers.
        public var escalation: EscalationLevel {
            switch self {
            case .reminder: return .remind
            case .letter: return .letter
            case .circular: return .circular
            case .referral: return .referral
            }
        }
    }

    /// A block of the body, in order.
    public enum Block: Sendable, Equatable {
        /// A paragraph, its first line indented two characters.
        case paragraph(String)
        /// A first-level heading (一、…), in 黑体.
        case heading(String)
    }

    public var level: Level
    /// 发文机关标志 and 落款: the issuing office.
    public var office: String
    /// 发文字号, e.g. 张司函〔2024〕12号; nil: left for the office to fill in.
    public var reference: String?
    public var title: String
    /// 主送机关, without the colon.
    public var addressees: [String]
    public var body: [Block]
    /// 成文日期.
    public var date: LocalDate
    /// The contact line's text, e.g. 联系人:王某某,联系电话:0936-8212345 (without brackets).
    public var contact: String?

    /// A date as 公文 write it (GB/T 9704-2012 7.3.5.4): Arabic numerals, the year in full,
    /// month and day without a leading zero: 2024年4月10日.
    public static func chineseDate(_ d: LocalDate) -> String { "\(d.year)年\(d.month)月\(d.day)日" }

    /// The 主送机关 line: names joined with 、 and a full-width colon.
    public var addresseeLine: String { addressees.joined(separator: "、") + ":" }
}
