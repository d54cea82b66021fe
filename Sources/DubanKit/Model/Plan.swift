/// A plan, resolved and validated: every reference points at a known unit or group and every
/// milestone knows its due dates. This is what the store writes and the reports read.
public struct Plan: Codable, Equatable, Sendable {
    public var id: String
    public var title: String
    public var issuer: String
    public var issued: LocalDate
    public var start: LocalDate
    public var end: LocalDate
    public var periodSource: String?
    /// The coordinating unit's id (牵头抓总).
    public var coordinator: String
    public var ledgers: LedgerSchedule?
    public var escalation: EscalationRules?
    /// The working-day calendar (法定节假日) for windows counted in working days; nil: plain weekdays.
    public var calendar: WorkCalendar?
    public var categories: [Category]
    public var units: [PlanUnit]
    public var groups: [UnitGroup]
    public var tasks: [PlanTask]
    /// Plan-wide milestones that belong to no numbered task (e.g. section 三(二)).
    public var obligations: [Milestone]
    /// Who signs the supervision letters and their 机关代字 (plan.yaml `letters:`); nil: the coordinator, no code.
    public var letters: LetterSettings? = nil
    /// Id → position lookups, built on first use; not coded, not compared (see PlanLookup.swift).
    let lookup = PlanLookup()

    enum CodingKeys: String, CodingKey {
        case id, title, issuer, issued, start, end, periodSource, coordinator, ledgers, escalation, calendar, categories,
             units, groups, tasks, obligations, letters
    }

    /// Every milestone: obligations first, then the tasks' in task order.
    public var milestones: [Milestone] { obligations + tasks.flatMap(\.milestones) }

    public func unit(id: String) -> PlanUnit? { lookup.unit(id: id, in: units) }
    public func group(id: String) -> UnitGroup? { lookup.group(id: id, in: groups) }
    public func task(number: Int) -> PlanTask? { lookup.task(number: number, in: tasks) }
    public func category(number: Int) -> Category? { categories.first { $0.number == number } }

    /// The units a list of references names, groups expanded, each once, in order.
    public func expand(_ refs: [UnitRef]) -> [PlanUnit] {
        var seen = Set<String>()
        var out: [PlanUnit] = []
        for ref in refs {
            let ids: [String]
            switch ref.kind {
            case .unit: ids = [ref.id]
            case .group: ids = group(id: ref.id)?.members ?? []
            }
            for id in ids where seen.insert(id).inserted {
                if let unit = unit(id: id) { out.append(unit) }
            }
        }
        return out
    }

    /// Finds a unit or group by id, Chinese name or alias.
    public func resolve(_ name: String) -> UnitRef? {
        if let u = units.first(where: { $0.id == name || $0.name == name || $0.aliases.contains(name) }) {
            return UnitRef(written: name, kind: .unit, id: u.id)
        }
        if let g = groups.first(where: { $0.id == name || $0.name == name || $0.aliases.contains(name) }) {
            return UnitRef(written: name, kind: .group, id: g.id)
        }
        return nil
    }
}

public struct Category: Codable, Equatable, Sendable {
    public var number: Int
    /// The Chinese numeral of the heading: 一 … 六.
    public var numeral: String
    public var title: String
}

public enum UnitKind: String, Codable, CaseIterable, Sendable {
    case countyGovernment = "county_government"
    case municipalDepartment = "municipal_department"
    case partyOrgan = "party_organ"
    case disciplineInspection = "discipline_inspection"
    case court
    case procuratorate
    case publicInstitution = "public_institution"
    case other
    /// A county's government department (县直部门, e.g. 县市场监管局), for a county's plan.
    case countyDepartment = "county_department"
    /// A township or town government (乡镇人民政府).
    case township
    /// A subdistrict office (街道办事处).
    case subdistrict

    /// The kinds the v1 schema's CHECK on `unit.kind` lists; the others are stored as `other`
    /// there, with the kind itself in `unit.finer_kind` (migration `v11-unit-kinds`).
    public var v1Kind: UnitKind {
        switch self {
        case .countyDepartment, .township, .subdistrict: return .other
        default: return self
        }
    }

    /// The Chinese label shown in listings.
    public var label: String {
        switch self {
        case .countyGovernment: return "县区人民政府"
        case .municipalDepartment: return "市政府部门"
        case .partyOrgan: return "党委工作机关"
        case .disciplineInspection: return "纪检监察机关"
        case .court: return "法院"
        case .procuratorate: return "检察院"
        case .publicInstitution: return "事业单位"
        case .other: return "其他"
        case .countyDepartment: return "县直部门"
        case .township: return "乡镇"
        case .subdistrict: return "街道"
        }
    }
}

public struct Liaison: Codable, Equatable, Sendable {
    public var name: String
    public var phone: String?
}

/// A unit (单位): a county government, a municipal department, a court, …
public struct PlanUnit: Codable, Equatable, Sendable {
    public var id: String
    public var name: String
    public var kind: UnitKind
    public var aliases: [String]
    public var liaison: Liaison?
}

/// Whether a setting comes from the plan text or was set locally by the coordinator.
public enum Basis: String, Codable, Sendable {
    case text
    case local
}

/// A named group of units that the text assigns tasks to as a whole (各县区人民政府).
public struct UnitGroup: Codable, Equatable, Sendable {
    public var id: String
    public var name: String
    public var aliases: [String]
    public var basis: Basis
    public var members: [String]
}

/// A reference to a unit or group as the plan text writes it, with what it resolved to.
public struct UnitRef: Codable, Equatable, Hashable, Sendable {
    public enum Kind: String, Codable, Sendable { case unit, group }
    /// The name exactly as written in the plan file.
    public var written: String
    public var kind: Kind
    public var id: String
}

/// A numbered task (重点任务). Named `PlanTask` so as not to collide with Swift's `Task`.
public struct PlanTask: Codable, Equatable, Sendable {
    public var number: Int
    public var category: Int
    public var title: String
    public var text: String
    /// 牵头单位, as written.
    public var lead: [UnitRef]
    /// 责任单位, as written.
    public var responsible: [UnitRef]
    public var milestones: [Milestone]
}

/// Something that must be delivered, by whom and when, with the phrase of the text that says so.
public struct Milestone: Codable, Equatable, Sendable {
    public var id: String
    /// The task it belongs to; nil for a plan-wide obligation.
    public var task: Int?
    public var section: String?
    public var title: String
    public var owners: [UnitRef]
    public var due: DueRule
    /// Every due date within the plan's period, ascending; one for a one-time milestone.
    public var dueDates: [LocalDate]
    public var source: String?
    public var note: String?
}

public enum Frequency: String, Codable, CaseIterable, Sendable {
    case year
    case halfYear = "half-year"
    case quarter
    case month

    public var months: Int {
        switch self {
        case .year: return 12
        case .halfYear: return 6
        case .quarter: return 3
        case .month: return 1
        }
    }

    public var label: String {
        switch self {
        case .year: return "每年"
        case .halfYear: return "每半年"
        case .quarter: return "每季度"
        case .month: return "每月"
        }
    }
}

/// When a milestone falls due.
public enum DueRule: Codable, Equatable, Sendable {
    /// A fixed date.
    case date(LocalDate)
    /// The text gives no date: due when the plan ends.
    case planEnd
    /// One due date per calendar period.
    case recurring(Recurrence)
}

public struct Recurrence: Codable, Equatable, Sendable {
    public var every: Frequency
    /// For yearly recurrences: month and day in each year (e.g. 1-31 for 每年年初).
    public var onMonth: Int?
    public var onDay: Int?
    /// Days after each period's end (ignored when `on` is set).
    public var afterDays: Int
    public var from: LocalDate?
    public var until: LocalDate?

    public init(every: Frequency, onMonth: Int? = nil, onDay: Int? = nil, afterDays: Int = 0,
                from: LocalDate? = nil, until: LocalDate? = nil) {
        self.every = every
        self.onMonth = onMonth
        self.onDay = onDay
        self.afterDays = afterDays
        self.from = from
        self.until = until
    }

    /// A short Chinese description: 每半年, 每年1月31日前, 每月结束后5日内.
    public var label: String {
        if let m = onMonth, let d = onDay { return "\(every.label)\(m)月\(d)日前" }
        if afterDays > 0 { return "\(every.label)期末后\(afterDays)日内" }
        return "\(every.label)期末前"
    }
}

/// The ledger (台账) reporting schedule: who reports, how often, due when.
public struct LedgerSchedule: Codable, Equatable, Sendable {
    public var basis: Basis
    public var note: String?
    public var every: Frequency
    public var dueAfterDays: Int
    public var from: LocalDate?
    public var owedBy: [UnitRef]
    /// `liaison_phone: required`: every ledger must carry its liaison's telephone. Nil (the
    /// default, `optional`): a ledger may leave it out, since the plan's units may have none.
    public var requiresLiaisonPhone: Bool?
    /// `review: required`: every ledger waits for the coordinator's decision (`LedgerReviewRule`).
    /// Nil (the default, `none`): a ledger stands when received, and none can be returned.
    public var review: ReviewPolicy? = nil
}

/// One step of the escalation ladder; a unit reaches it when any set condition holds.
public struct LadderStep: Codable, Equatable, Sendable {
    public var daysOverdue: Int?
    public var overdueItems: Int?
    public var unrectifiedDays: Int?

    public init(daysOverdue: Int? = nil, overdueItems: Int? = nil, unrectifiedDays: Int? = nil) {
        self.daysOverdue = daysOverdue
        self.overdueItems = overdueItems
        self.unrectifiedDays = unrectifiedDays
    }
}

/// Thresholds of 提醒 → 函告提醒 → 通报 → 提请追责问责 and of 序时进度 colours.
public struct EscalationRules: Codable, Equatable, Sendable {
    public var basis: Basis
    public var note: String?
    public var remindBeforeDays: Int
    public var letter: LadderStep
    public var circular: LadderStep
    public var referral: LadderStep
    public var behindYellowPoints: Int
    public var behindRedPoints: Int
}

/// plan.yaml `letters:`: the office that issues supervision letters, its 机关代字 for their
/// numbers (张司函 → 张司函〔2024〕12号), and the contact line. A local setting.
public struct LetterSettings: Codable, Equatable, Sendable {
    /// 发文机关 as printed: 张掖市司法局.
    public var office: String?
    /// 机关代字 with the kind: 张司函.
    public var code: String?
    public var contact: String?
    public var phone: String?

    public init(office: String? = nil, code: String? = nil, contact: String? = nil, phone: String? = nil) {
        self.office = office
        self.code = code
        self.contact = contact
        self.phone = phone
    }
}
