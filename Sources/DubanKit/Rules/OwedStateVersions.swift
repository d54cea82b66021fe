/// Where an owed item stands in `ItemStates.compute`'s order, whatever the as-of date: the plan's
/// milestones in order (their owners in the order the milestone names them, each owner's
/// occurrences in date order), then the ledgers (their owners in the schedule's order, each
/// owner's periods in order). Derived from the plan alone.
public struct ItemPlace: Comparable, Hashable, Sendable {
    /// The milestone's position in `plan.milestones`; for a ledger, `plan.milestones.count`.
    public var milestoneRank: Int
    /// The unit's position among the milestone's owners (or the ledger schedule's).
    public var ownerRank: Int
    /// The occurrence's position among the milestone's occurrences (or the owed ledger period's).
    public var slot: Int

    public init(milestoneRank: Int, ownerRank: Int, slot: Int) {
        self.milestoneRank = milestoneRank
        self.ownerRank = ownerRank
        self.slot = slot
    }

    public static func < (a: ItemPlace, b: ItemPlace) -> Bool {
        (a.milestoneRank, a.ownerRank, a.slot) < (b.milestoneRank, b.ownerRank, b.slot)
    }
}

/// One open (not done) state of an owed item, valid on every as-of date D with
/// `validFrom <= D < validUntil` (no `validUntil`: on every later date).
public struct OwedStateVersion: Equatable, Sendable {
    public var state: ItemState
    public var place: ItemPlace
    public var validFrom: LocalDate
    public var validUntil: LocalDate?

    public init(state: ItemState, place: ItemPlace, validFrom: LocalDate, validUntil: LocalDate?) {
        self.state = state
        self.place = place
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    public func isValid(on date: LocalDate) -> Bool { validFrom <= date && validUntil.map { date < $0 } ?? true }
}

/// A unit's open item states on every as-of date, as versions: what `ItemStates.compute` gives for
/// the unit on each day something about it changes, identical consecutive states merged. Pure:
/// (plan, the unit's complete facts) → versions.
public enum OwedStateVersions {
    /// The days on which `ItemStates.compute` can answer differently for facts about one unit: a
    /// record becomes known or stops counting (superseded, returned), a ledger is submitted or
    /// returned (`LedgerCalendar.receivedOn`), an extension is granted. Sorted, each once.
    public static func changeDays(_ facts: Facts) -> [LocalDate] {
        var days = Set<LocalDate>()
        for f in facts.progress {
            days.insert(f.knownOn)
            if let s = f.supersededOn { days.insert(s) }
        }
        for l in facts.ledgers {
            days.insert(l.submittedOn)
            if let r = l.returnedOn { days.insert(r) }
        }
        for e in facts.extensions { days.insert(e.grantedOn) }
        return days.sorted()
    }

    /// The versions of `unit`'s open states, from `facts` holding every fact about the unit (known
    /// on any date, superseded ones included, in the order the store reads them). In the order of
    /// `ItemPlace`, then `validFrom`. `days`: the evaluation days (`changeDays(facts)` unless a
    /// test says otherwise). From `start` (a change day, or `distantPast`): only the versions
    /// valid on `start` or later, those valid on `start` beginning there.
    public static func versions(unit: String, facts: Facts, places: ItemPlaces, days: [LocalDate]? = nil,
                                from start: LocalDate = .distantPast) -> [OwedStateVersion] {
        let unitFacts = facts.about([unit])
        let evaluated = [start] + (days ?? changeDays(unitFacts)).filter { $0 > start }
        var open: [Int: OwedStateVersion] = [:]
        var closed: [Int: [OwedStateVersion]] = [:]
        var itemPlaces: [ItemPlace] = []
        let owed = places.owed.owed(unit: unit)
        for day in evaluated {
            let states = ItemStates.compute(owed, facts: unitFacts, asOf: day, including: nil)
            if itemPlaces.isEmpty { itemPlaces = places.places(of: states) }
            for (i, state) in states.enumerated() {
                if let current = open[i] {
                    if current.state == state { continue }
                    var ended = current
                    ended.validUntil = day
                    closed[i, default: []].append(ended)
                    open[i] = nil
                }
                if !state.isDone, i < itemPlaces.count {
                    open[i] = OwedStateVersion(state: state, place: itemPlaces[i], validFrom: day, validUntil: nil)
                }
            }
        }
        var out: [OwedStateVersion] = []
        for i in itemPlaces.indices {
            out.append(contentsOf: closed[i] ?? [])
            if let o = open[i] { out.append(o) }
        }
        return out.sorted { ($0.place, $0.validFrom) < ($1.place, $1.validFrom) }
    }
}

/// The places of a plan's owed items (`ItemPlace`), looked up per milestone and unit.
public struct ItemPlaces: Sendable {
    private let milestoneRank: [String: Int]
    /// What `ItemStates.compute` takes from the plan, per unit.
    let owed: ItemStates.OwedByUnit
    private var owners: [[String: Int]] { owed.ownerRanks }
    private let ledgerOwners: [String: Int]
    private let ledgerPeriods: [ReportingPeriod: Int]
    private let occurrences: [Occurrences]
    private let milestones: [Milestone]
    private let periods: [ReportingPeriod]

    public init(_ plan: Plan) {
        milestones = plan.milestones
        milestoneRank = Dictionary(plan.milestones.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        owed = ItemStates.OwedByUnit(plan: plan)
        occurrences = owed.all.work.map(\.occurrences)
        ledgerOwners = Dictionary(Obligations.ledgerOwners(plan).enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        periods = LedgerPeriods.owed(plan)
        ledgerPeriods = Dictionary(periods.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        schedule = plan.ledgers
    }

    private let schedule: LedgerSchedule?

    /// The place of each of one unit's states, in the order `ItemStates.compute` gives them
    /// (occurrences of one milestone and unit follow each other in date order, one per due date).
    func places(of states: [ItemState]) -> [ItemPlace] {
        var out: [ItemPlace] = []
        out.reserveCapacity(states.count)
        var previous: (milestone: String, unit: String, slot: Int)?
        for s in states {
            let item = s.item
            switch item.kind {
            case .milestone:
                let m = item.milestoneID ?? ""
                let rank = milestoneRank[m] ?? milestones.count
                let slot = previous.map { $0.milestone == m && $0.unit == item.unitID ? $0.slot + 1 : 0 } ?? 0
                previous = (m, item.unitID, slot)
                out.append(ItemPlace(milestoneRank: rank, ownerRank: rank < owners.count ? owners[rank][item.unitID] ?? 0 : 0, slot: slot))
            case .ledger:
                previous = nil
                out.append(ItemPlace(milestoneRank: milestones.count, ownerRank: ledgerOwners[item.unitID] ?? 0,
                                     slot: item.period.flatMap { ledgerPeriods[$0] } ?? 0))
            }
        }
        return out
    }

    /// The owed item at `place` for `unit`, as `ItemStates.compute` makes it; nil when the plan
    /// has no such item (the place was derived from another plan).
    public func item(at place: ItemPlace, unit: String) -> OwedItem? {
        if place.milestoneRank < milestones.count {
            let m = milestones[place.milestoneRank]
            let list = occurrences[place.milestoneRank].list
            guard place.slot < list.count, owners[place.milestoneRank][unit] == place.ownerRank else { return nil }
            return Obligations.milestoneItem(m, unitID: unit, occurrence: list[place.slot])
        }
        guard place.milestoneRank == milestones.count, let schedule, place.slot < periods.count,
              ledgerOwners[unit] == place.ownerRank else { return nil }
        return Obligations.ledgerItem(unitID: unit, period: periods[place.slot], schedule: schedule)
    }
}

extension ItemStates {
    /// States of several units (each unit's in `ItemStates.compute`'s order or any order) put in
    /// the order `ItemStates.compute` gives for all of them: by their places.
    public static func ordered(_ states: [(place: ItemPlace, state: ItemState)]) -> [ItemState] {
        // Positions sorted, not the states (each a few hundred bytes): one copy of each.
        let order = states.indices.sorted { i, j in
            let a = states[i], b = states[j]
            return a.place != b.place ? a.place < b.place : a.state.item.unitID.utf8.lexicographicallyPrecedes(b.state.item.unitID.utf8)
        }
        return order.map { states[$0].state }
    }
}
