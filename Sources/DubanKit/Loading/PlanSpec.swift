/// The plan files as written, before references are resolved. Values keep their positions so
/// that validation can point at them. A field that could not be read is nil (its error is
/// already reported).
public struct PlanSpec {
    public var directory: String
    public var header: HeaderSpec?
    public var units: [UnitSpec] = []
    public var groups: [GroupSpec] = []
    public var tasks: [TaskSpec] = []
    /// False when units.yaml could not be read at all; references are then not checked, since
    /// every one of them would be reported as unknown.
    public var unitsReadable = true
}

public struct HeaderSpec {
    public var location: SourceLocation
    public var id: Located<String>?
    public var title: String?
    public var issuer: String?
    public var issued: Located<LocalDate>?
    public var start: Located<LocalDate>?
    public var end: Located<LocalDate>?
    public var periodSource: Located<String>?
    public var coordinator: Located<String>?
    public var text: Located<String>?
    public var calendar: Located<String>?
    public var ledgers: LedgerSpec?
    public var escalation: EscalationRules?
    public var letters: LetterSettings?
    public var categories: [CategorySpec] = []
    public var obligations: [MilestoneSpec] = []
}

public struct LedgerSpec {
    public var location: SourceLocation
    public var basis: Basis
    public var note: String?
    public var every: Frequency?
    public var dueAfterDays: Int
    public var from: Located<LocalDate>?
    public var owedBy: [Located<String>]
    public var liaisonPhone: Located<String>?
    /// `review: required | none`.
    public var review: Located<String>? = nil
}

public struct CategorySpec {
    public var number: Located<Int>
    public var numeral: String
    public var title: String
}

public struct UnitSpec {
    public var id: Located<String>
    public var name: Located<String>
    public var kind: UnitKind
    public var aliases: [Located<String>]
    public var liaison: Liaison?
}

public struct GroupSpec {
    public var id: Located<String>
    public var name: Located<String>
    public var aliases: [Located<String>]
    public var basis: Basis
    public var members: [Located<String>]
}

public struct TaskSpec {
    public var location: SourceLocation
    public var number: Located<Int>
    public var category: Located<Int>?
    public var title: String?
    public var text: String?
    public var lead: [Located<String>]?
    public var responsible: [Located<String>]
    public var milestones: [MilestoneSpec]
}

public struct MilestoneSpec {
    public var location: SourceLocation
    public var id: Located<String>
    public var section: String?
    public var title: String?
    public var owners: [Located<String>]?
    public var due: Located<DueRule>?
    public var source: Located<String>?
    public var note: String?
}
