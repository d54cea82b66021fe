/// The state of one owed item on an as-of date.
public struct ItemState: Equatable, Sendable {
    public var item: OwedItem
    /// The due date in force: the original one, or an extension's.
    public var due: LocalDate
    public var extended: Bool
    /// When it was done (completed, or the ledger submitted), if it was by the as-of date.
    public var doneOn: LocalDate?
    /// The latest status the unit reported for the task on or before the as-of date.
    public var lastStatus: ProgressStatus?
    public var lastPercent: Int?
    public var lastReportedOn: LocalDate?

    public var isDone: Bool { doneOn != nil }

    /// Days past the due date on `asOf` (0 or less: not yet due).
    public func daysOverdue(asOf: LocalDate) -> Int { due.days(to: asOf) }

    public func isOverdue(asOf: LocalDate) -> Bool { !isDone && due < asOf }

    /// Done after its due date.
    public var wasLate: Bool { doneOn.map { $0 > due } ?? false }
}

/// Computes the state of every owed item as of a date. Pure: (plan, facts, as-of) → states.
public enum ItemStates {
    // Dictionary keys as small structs (no string built per lookup: at scale these run per owed item).
    private struct UnitPeriod: Hashable { var unit: String; var period: ReportingPeriod }
    private struct UnitName: Hashable { var unit: String; var name: String }
    private struct UnitTask: Hashable { var unit: String; var task: Int }
    private struct Occurrence: Hashable { var milestone: String; var unit: String; var due: LocalDate }

    /// With `units`, only those units' items (the same states, less the other units'). With
    /// `including`, only the states it accepts (in the same order): a list that shows open items
    /// alone need not hold millions of done ones at country size.
    public static func compute(plan: Plan, facts allFacts: Facts, asOf: LocalDate, units: Set<String>? = nil,
                               including: (@Sendable (ItemState) -> Bool)? = nil) -> [ItemState] {
        compute(plan: plan, facts: allFacts, asOf: asOf, units: units, including: including, parallelFrom: parallelFrom)
    }

    /// The same, using two threads from `parallelFrom` owed milestone occurrences on (tests
    /// compare both ways).
    static func compute(plan: Plan, facts allFacts: Facts, asOf: LocalDate, units: Set<String>?,
                        including: (@Sendable (ItemState) -> Bool)?, parallelFrom: Int) -> [ItemState] {
        compute(Owed(plan: plan, units: units), facts: allFacts, asOf: asOf, including: including, parallelFrom: parallelFrom)
    }

    /// What `compute` takes from the plan for a set of units (all when nil), whatever the date:
    /// made once for computing the same units on many dates.
    struct Owed: Sendable {
        let plan: Plan
        /// `plan.milestones`, built once (the property builds the array on every use).
        let milestones: [Milestone]
        let units: Set<String>?
        let ledgerItems: [OwedItem]
        let work: [(owners: [PlanUnit], occurrences: Occurrences)]

        /// - Parameter ledgers: whether to list the units' ledger items (`OwedByUnit` makes each
        ///   unit's when asked instead).
        init(plan: Plan, units: Set<String>?, ledgers: Bool = true) {
            self.plan = plan
            milestones = plan.milestones
            self.units = units
            ledgerItems = ledgers ? Obligations.ledgerItems(plan, only: units) : []
            work = zip(milestones, Owing.units(owingEach: milestones, in: plan)).map { m, all in
                var owners = all
                if let units { owners.removeAll { !units.contains($0.id) } }
                return (owners, Occurrences(m))
            }
        }

        /// `all`'s items of `units` alone: the same as `Owed(plan: all.plan, units: units)`, without
        /// expanding the owners again. `all`: of every unit (`units` nil; its ledger items may be left out).
        init(_ all: Owed, units: Set<String>) {
            self.init(plan: all.plan, milestones: all.milestones, units: units,
                      ledgerItems: Obligations.ledgerItems(all.plan, only: units),
                      work: all.work.map { w in (w.owners.filter { units.contains($0.id) }, w.occurrences) })
        }

        init(plan: Plan, milestones: [Milestone], units: Set<String>?, ledgerItems: [OwedItem],
             work: [(owners: [PlanUnit], occurrences: Occurrences)]) {
            self.plan = plan
            self.milestones = milestones
            self.units = units
            self.ledgerItems = ledgerItems
            self.work = work
        }
    }

    /// `Owed` of each unit alone, taken from the whole plan's in time that does not grow with
    /// the plan (for deriving every unit's states one unit at a time).
    struct OwedByUnit: Sendable {
        /// Every unit's milestones (its ledger items are made per unit, in `owed(unit:)`).
        let all: Owed
        /// Per milestone, each owner's position among its owners.
        let ownerRanks: [[String: Int]]
        private let ledgerOwners: Set<String>
        private let ledgerPeriods: [ReportingPeriod]

        init(plan: Plan) {
            all = Owed(plan: plan, units: nil, ledgers: false)
            // One table per list of owners (milestones share them: see `Owed.init`).
            var tables: [[UnitRef]: [String: Int]] = [:]
            ownerRanks = zip(all.milestones, all.work).map { m, w in
                if let known = tables[m.owners] { return known }
                let ranks = Dictionary(w.owners.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
                tables[m.owners] = ranks
                return ranks
            }
            ledgerOwners = Set(Obligations.ledgerOwners(plan).map(\.id))
            ledgerPeriods = LedgerPeriods.owed(plan)
        }

        func owed(unit: String) -> Owed {
            var ledgerItems: [OwedItem] = []
            if let schedule = all.plan.ledgers, ledgerOwners.contains(unit) {
                ledgerItems = Obligations.ledgerItems(unitID: unit, periods: ledgerPeriods, schedule: schedule)
            }
            return Owed(plan: all.plan, milestones: all.milestones, units: [unit], ledgerItems: ledgerItems,
                        work: zip(all.work, ownerRanks).map { w, ranks in (ranks[unit].map { [w.owners[$0]] } ?? [], w.occurrences) })
        }
    }

    /// Counts the milestone items `compute` gives as done by their completion date
    /// (`ItemState.doneOn`), one unit's facts at a time, without building the items or their
    /// states (at country size, millions): what a burn-up counts.
    ///
    /// Every table it uses is made by `init` and made room in by `reserve(facts:)`, on the thread
    /// that calls them: counting a unit (`add`) allocates nothing (but for a record naming its
    /// occurrence by label, whose label is parsed), so it can run on another thread without
    /// growing a malloc arena of that thread's.
    struct CompletionCounter: Sendable {
        private let owed: OwedByUnit
        /// Per milestone id, its positions in `owed.all.milestones`.
        private let milestonesNamed: [String: [Int]]
        /// Per task, the positions of its milestones.
        private let milestonesOfTask: [Int: [Int]]
        /// Per milestone, the slot of its first occurrence in `earliest`.
        private let firstSlot: [Int]
        /// Per milestone occurrence, of the unit being counted: its completion date (nil: not done).
        private var earliest: [LocalDate?]
        /// The slots of `earliest` set by the unit being counted.
        private var touched: [Int]
        /// The done milestone items counted so far, by completion date.
        private(set) var counts: [LocalDate: Int] = [:]

        init(_ owed: OwedByUnit) {
            self.owed = owed
            var named: [String: [Int]] = [:], ofTask: [Int: [Int]] = [:]
            var first: [Int] = [], slots = 0
            for (i, (m, w)) in zip(owed.all.milestones, owed.all.work).enumerated() {
                named[m.id, default: []].append(i)
                if let t = m.task { ofTask[t, default: []].append(i) }
                first.append(slots)
                slots += w.occurrences.list.count
            }
            (milestonesNamed, milestonesOfTask, firstSlot) = (named, ofTask, first)
            earliest = [LocalDate?](repeating: nil, count: slots)
            touched = []
            touched.reserveCapacity(slots)
        }

        /// Makes room for the completion dates `facts` can add (one each at most).
        mutating func reserve(facts: Int) { counts.reserveCapacity(counts.count + facts) }

        /// Counts the done items of `unit` on `asOf` from its facts (those in force on `asOf`, in
        /// any order): each occurrence done on the earliest completion that completes it
        /// (`completion(by:of:)`), as `compute` gives it.
        mutating func add(unit: String, progress: [ProgressFact], asOf: LocalDate) {
            for f in progress where f.status == .done && f.unitID == unit && f.isKnown(on: asOf) {
                // A milestone's own record, or a task-level record about every milestone of its task.
                let about: [Int]?
                if let m = f.milestoneID { about = milestonesNamed[m] } else { about = f.task.flatMap { milestonesOfTask[$0] } }
                for i in about ?? [] where owed.ownerRanks[i][unit] != nil {
                    let occurrences = owed.all.work[i].occurrences
                    guard let o = occurrences.index(of: f), let on = ItemStates.completion(by: f, of: occurrences.list[o]) else { continue }
                    let slot = firstSlot[i] + o
                    if let known = earliest[slot] {
                        if on < known { earliest[slot] = on }
                    } else {
                        earliest[slot] = on
                        touched.append(slot)
                    }
                }
            }
            for slot in touched {
                if let on = earliest[slot] { counts[on, default: 0] += 1 }
                earliest[slot] = nil
            }
            touched.removeAll(keepingCapacity: true)
        }
    }

    /// When `f` completes `occurrence` (nil: it does not): a done record completes the occurrence
    /// it is about on its completion date, unless that is before the occurrence's period. Of
    /// the records that complete an occurrence, the earliest completion date is the one it was
    /// done on.
    static func completion(by f: ProgressFact, of occurrence: (due: LocalDate, period: ReportingPeriod?)) -> LocalDate? {
        guard f.status == .done, (occurrence.period?.start ?? .distantPast) <= f.completionDate else { return nil }
        return f.completionDate
    }

    static func compute(_ owed: Owed, facts allFacts: Facts, asOf: LocalDate,
                        including: (@Sendable (ItemState) -> Bool)?, parallelFrom: Int = parallelFrom) -> [ItemState] {
        let milestones = owed.milestones
        let facts = allFacts.known(on: asOf)
        // When each (unit, period) ledger counts as received (`LedgerCalendar.receivedOn`).
        var byPeriod: [UnitPeriod: [(submittedOn: LocalDate, returnedOn: LocalDate?)]] = [:]
        for l in facts.ledgers {
            byPeriod[UnitPeriod(unit: l.unitID, period: l.period), default: []].append((l.submittedOn, l.returnedOn))
        }
        var ledgerSubmitted: [UnitPeriod: LocalDate] = [:]
        for (key, subs) in byPeriod {
            if let on = LedgerCalendar.receivedOn(subs, asOf: asOf) { ledgerSubmitted[key] = on }
        }
        let ledgerItems = owed.ledgerItems
        var states: [ItemState] = []
        // Milestones, in `Obligations.milestoneItems`' order (plan, unit, date) without building
        // that list (millions of items at country size). The milestones are cut in two runs of
        // about equal work, one per thread, joined in order: the same states, in the same order.
        let index = Index(facts: facts)
        let work = owed.work
        let weights = work.map { $0.owners.count * $0.occurrences.list.count }
        let total = weights.reduce(0, +)
        var half = 0, sum = 0
        while half < weights.count, sum * 2 < total { sum += weights[half]; half += 1 }
        let cut = half
        @Sendable func milestoneStates(in range: Range<Int>) -> [ItemState] {
            var out: [ItemState] = []
            for i in range {
                index.append(milestones[i], owners: work[i].owners, occurrences: work[i].occurrences,
                             including: including, to: &out)
            }
            return out
        }
        if total < parallelFrom || cut == 0 || cut == milestones.count {
            states = milestoneStates(in: 0..<milestones.count)
        } else {
            let (first, second) = onTwoThreads({ milestoneStates(in: 0..<cut) },
                                               { milestoneStates(in: cut..<milestones.count) })
            states = first
            states.append(contentsOf: second)
        }
        for item in ledgerItems {
            let submitted = item.period.flatMap { ledgerSubmitted[UnitPeriod(unit: item.unitID, period: $0)] }
            let state = ItemState(item: item, due: item.due, extended: false, doneOn: submitted,
                                  lastStatus: nil, lastPercent: nil, lastReportedOn: submitted)
            if including?(state) ?? true { states.append(state) }
        }
        return states
    }

    /// Owed milestone occurrences (owners × due dates) from which `compute` uses two threads
    /// (a judgement, not a measured threshold: a city plan has a few thousand, a province plan
    /// tens of thousands).
    static let parallelFrom = 20_000

    /// The facts of one computation, indexed by key: read-only, shared by the threads.
    private struct Index: Sendable {
        var progress: [ProgressFact]
        var byMilestone: [UnitName: [Int]]
        var byTask: [UnitTask: [Int]]
        var extensionFor: [Occurrence: ExtensionFact]

        /// The index of `facts` (those known on the as-of date).
        init(facts: Facts) {
            var extensionFor: [Occurrence: ExtensionFact] = [:]
            for e in facts.extensions.sorted(by: { $0.grantedOn < $1.grantedOn }) {
                extensionFor[Occurrence(milestone: e.milestoneID, unit: e.unitID, due: e.originalDue)] = e
            }
            // The facts about one milestone of one unit, and about one task of one unit as a whole,
            // each list in the order of `facts.progress` (so ties resolve as they always did).
            // (Positions into `facts.progress`, not copies: at scale there are hundreds of thousands;
            // facts of one key usually come together, so a run of them is looked up once.)
            let progress = facts.progress
            var byMilestone: [UnitName: [Int]] = [:]
            var byTask: [UnitTask: [Int]] = [:]
            var run = 0
            while run < progress.count {
                let f = progress[run]
                var end = run + 1
                while end < progress.count, progress[end].unitID == f.unitID, progress[end].task == f.task,
                      progress[end].milestoneID == f.milestoneID { end += 1 }
                if let m = f.milestoneID {
                    byMilestone[UnitName(unit: f.unitID, name: m), default: []].append(contentsOf: run..<end)
                } else if let t = f.task {
                    byTask[UnitTask(unit: f.unitID, task: t), default: []].append(contentsOf: run..<end)
                }
                run = end
            }
            (self.progress, self.byMilestone, self.byTask, self.extensionFor) = (progress, byMilestone, byTask, extensionFor)
        }

        /// The facts about one milestone of one unit (its own and its task's, in fact order), each
        /// one's occurrence (nil: none of this milestone's; `OccurrenceRule`), and when each
        /// occurrence was completed (nil: not done).
        func completions(_ m: Milestone, unit: String, occurrences: Occurrences)
            -> (relevant: [ProgressFact], target: [Int?], completed: [LocalDate?]) {
            let list = occurrences.list
            let aboutMilestone = byMilestone[UnitName(unit: unit, name: m.id)] ?? []
            let aboutTask = m.task.flatMap { byTask[UnitTask(unit: unit, task: $0)] } ?? []
            let relevant = (aboutTask.isEmpty ? aboutMilestone : aboutMilestone.isEmpty ? aboutTask : (aboutMilestone + aboutTask).sorted())
                .map { progress[$0] }
            let target = relevant.map { occurrences.index(of: $0) }
            var completed = [LocalDate?](repeating: nil, count: list.count)
            for r in relevant.indices {
                // The earliest completion of the occurrence's period or later completes it.
                guard let i = target[r], let on = ItemStates.completion(by: relevant[r], of: list[i]) else { continue }
                if completed[i].map({ on < $0 }) ?? true { completed[i] = on }
            }
            return (relevant, target, completed)
        }

        /// The states of one milestone's occurrences, per owner (`OccurrenceRule` says which
        /// occurrence each record is about).
        func append(_ m: Milestone, owners: [PlanUnit], occurrences: Occurrences,
                    including: ((ItemState) -> Bool)?, to states: inout [ItemState]) {
            let list = occurrences.list
            for unit in owners {
                let (relevant, target, completed) = completions(m, unit: unit.id, occurrences: occurrences)
                // The latest record (as `current_fact` keeps it) shows on the row of the occurrence
                // it is about, not on the others: an earlier period's row never reads a later 已完成.
                // A 已完成 carried forward from before its occurrence's period is about none.
                var latest: Int?
                for r in relevant.indices {
                    if let l = latest, !LatestRecord.beatsForItem(knownOn: relevant[r].knownOn, completedOn: relevant[r].completionDate,
                                                                  order: r, over: (relevant[l].knownOn, relevant[l].completionDate, l)) {
                        continue
                    }
                    latest = r
                }
                var lastAbout: Int?
                if let r = latest, let i = target[r] {
                    let fact = relevant[r]
                    if !(fact.status == .done && (list[i].period?.start ?? .distantPast) > fact.completionDate) { lastAbout = i }
                }
                for (i, occurrence) in list.enumerated() {
                    let item = Obligations.milestoneItem(m, unitID: unit.id, occurrence: occurrence)
                    let ext = extensionFor.isEmpty ? nil : extensionFor[Occurrence(milestone: m.id, unit: unit.id, due: occurrence.due)]
                    let state = ItemState(item: item, due: ext?.newDue ?? item.due, extended: ext != nil, doneOn: completed[i],
                                          lastStatus: lastAbout == i ? latest.map { relevant[$0].status } : nil,
                                          lastPercent: lastAbout == i ? latest.flatMap { relevant[$0].percent } : nil,
                                          lastReportedOn: lastAbout == i ? latest.map { relevant[$0].knownOn } : nil)
                    if including?(state) ?? true { states.append(state) }
                }
            }
        }
    }
}

extension LocalDate {
    /// A date before any plan, for comparisons.
    public static let distantPast = LocalDate(dayNumber: -719_162)
}
