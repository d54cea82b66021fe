/// What a recorded step of the ladder (函告提醒, 通报, 提请追责问责) must be, for `duban action
/// record` and the portal's 督办等级 page alike: one of the three steps, on or after the plan's
/// start, for a task of the plan if one, with a 文号 in the plan's form (or `next`, the next of
/// its 机关代字's counter). A step may name several units at once (a 通报 names several): each
/// is one recorded action, all in one transaction (`SupervisionStore.recordActions`).
public enum ActionRule {
    /// What is wrong with a step; `field` names the input at fault.
    public struct Problem: Error, Equatable, Sendable {
        public enum Field: String, Sendable { case units, level, date, task, ref }
        public var field: Field
        public var message: String
        public var hint: String?
        /// Whether the input asks for what is not there (a usage error on the command line).
        public var usage: Bool

        public init(field: Field, message: String, hint: String?, usage: Bool) {
            self.field = field
            self.message = message
            self.hint = hint
            self.usage = usage
        }
    }

    /// The most units one step names.
    public static let maxUnits = 200

    /// Days a unit has to reply in writing to a step (请于…前书面反馈), counted from the step's date.
    public static let replyDays = 10

    /// The day by which a step taken on `takenOn` asks for a written reply: what a letter says
    /// unless the coordinator names another day (`letter --reply-by`), and what its notice says.
    public static func replyBy(_ takenOn: LocalDate) -> LocalDate { takenOn.adding(days: replyDays) }

    /// Every problem with a step's level, date, task and 文号 (`ref`: a 文号, `next`, or nil).
    public static func problems(plan: Plan, level: EscalationLevel?, date: LocalDate, task: Int?, ref: String?) -> [Problem] {
        var out: [Problem] = []
        if let level, ![.letter, .circular, .referral].contains(level) {
            out.append(Problem(field: .level, message: "the step is letter, circular or referral", hint: nil, usage: true))
        }
        if let task, plan.task(number: task) == nil {
            out.append(Problem(field: .task, message: "no task \(task) in plan \(plan.id)", hint: nil, usage: true))
        }
        if date < plan.start {
            out.append(Problem(field: .date, message: "\(date) is before the plan starts (\(plan.start))", hint: nil, usage: false))
        }
        let code = plan.letters?.code
        if ref == "next" && code == nil {
            out.append(Problem(field: .ref, message: "next takes the next number of the plan's 机关代字, and plan \(plan.id) has none",
                               hint: "add `letters: {code: 张司函}` to plan.yaml and load it, or give the 文号 (张司函〔2024〕12号)", usage: true))
        }
        if let ref, ref != "next", let code, ref.hasPrefix(code + "〔"), DocumentNumber(ref) == nil {
            out.append(Problem(field: .ref, message: "\"\(ref)\" is not a 文号 of the form \(code)〔\(date.year)〕12号",
                               hint: "the year in full in 〔〕, the number without leading zeros or 第 (GB/T 9704-2012 7.2.5)", usage: true))
        }
        if let ref, ref.count > 64 {
            out.append(Problem(field: .ref, message: "the 文号 is longer than 64 characters", hint: nil, usage: true))
        }
        return out
    }

    /// The units named (ids, names or aliases; a group names its members), each once, in the
    /// order named; a name that is no unit or group is a problem.
    public static func units(_ names: [String], in plan: Plan) -> (units: [PlanUnit], problems: [Problem]) {
        var units: [PlanUnit] = [], seen: Set<String> = [], problems: [Problem] = []
        for name in names {
            guard name.count <= 64, let ref = plan.resolve(name) else {
                problems.append(Problem(field: .units, message: "no unit or group \"\(String(name.prefix(64)))\" in plan \(plan.id)",
                                        hint: "see duban units", usage: true))
                continue
            }
            for unit in plan.expand([ref]) where seen.insert(unit.id).inserted { units.append(unit) }
        }
        if names.isEmpty { problems.append(Problem(field: .units, message: "name at least one unit", hint: nil, usage: true)) }
        if units.count > maxUnits {
            problems.append(Problem(field: .units, message: "at most \(maxUnits) units a step, found \(units.count)", hint: nil, usage: true))
        }
        return (units, problems)
    }
}
