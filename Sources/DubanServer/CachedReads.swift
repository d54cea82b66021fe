import DubanKit
import Foundation

/// The reads several pages and API calls share, through the `ReadCache`: each computed for the
/// whole plan once per database state and `as_of` day, then narrowed to the units the caller
/// may read (or asked for).
extension PortalRoutes {
    /// The database's stamp, then the plan: read in this order, so that what is computed from
    /// them is at least as new as the stamp it is kept under (`ReadCache`).
    func stampedPlan() throws -> (DatabaseStamp, Plan) {
        let stamp = try stamps.stamp()
        return (stamp, try storedPlan())
    }

    /// The overdue items of `units` (all when nil), in the order `duban overdue` lists them.
    func overdueItems(_ plan: Plan, asOf: LocalDate, units: Set<String>?, stamp: DatabaseStamp) throws -> [SupervisionJSON.Item] {
        let all = try reads.value(.overdue(asOf), stamp: stamp) {
            try SupervisionSnapshot.overdue(database: configuration.database, plan: plan, asOf: asOf, units: nil)
        }
        return units.map { ids in all.filter { ids.contains($0.unit) } } ?? all
    }

    /// The ledger grid's cells of `units` (all when nil) for the periods owed by `asOf`.
    func ledgerCells(_ plan: Plan, asOf: LocalDate, units: Set<String>?, stamp: DatabaseStamp) throws -> [LedgerCell] {
        let all = try reads.value(.ledgerGrid(asOf), stamp: stamp) {
            LedgerCalendar.grid(plan, submissions: try LedgerStore(configuration.database).submissions(plan: plan.id),
                                periods: LedgerCalendar.periods(plan, asOf: asOf), asOf: asOf)
        }
        return units.map { ids in all.filter { ids.contains($0.unitID) } } ?? all
    }

    /// `render(items)`, kept under `key` when `units` is nil (every unit's), else made afresh.
    func rendered<T: Sendable>(_ key: ReadCache.Key, units: Set<String>?, stamp: DatabaseStamp, _ render: () throws -> T) rethrows -> T {
        guard units == nil else { return try render() }
        return try reads.value(key, stamp: stamp, render)
    }
}
