import DubanKit
import Foundation

/// The reads several pages and API calls share, through the `ReadCache`: each computed for the
/// whole plan, kept per database state and `as_of` day, then narrowed to the units the caller
/// may read (or asked for).
extension PortalRoutes {
    /// What a read asks of the `ReadCache`: the database's stamp read first, then the plan (so
    /// what is computed from them is at least as new as the stamp), and the stamp the account's
    /// reads must include (`WriteStamps`: its last write's).
    struct ReadState: Sendable {
        let stamp: DatabaseStamp
        let plan: Plan
        let needs: DatabaseStamp?
    }

    func readState(_ account: Account?) throws -> ReadState {
        let stamp = try stamps.stamp()
        return ReadState(stamp: stamp, plan: try storedPlan(), needs: account.flatMap { writes.needs($0.id) })
    }

    /// The overdue items of `units` (all when nil), in the order `duban overdue` lists them, and
    /// the stamp of the whole plan's value they were taken from.
    func overdueItems(_ state: ReadState, asOf: LocalDate, units: Set<String>?) async throws -> (items: [SupervisionJSON.Item], stamp: DatabaseStamp) {
        let (database, routes) = (configuration.database, self)
        let all = try await reads.value(.overdue(asOf), current: state.stamp, needs: state.needs) {
            try SupervisionSnapshot.overdue(database: database, plan: try routes.storedPlan(), asOf: asOf, units: nil)
        }
        return (units.map { ids in all.value.filter { ids.contains($0.unit) } } ?? all.value, all.stamp)
    }

    /// The ledger grid's cells of `units` (all when nil) for the periods owed by `asOf`, and the
    /// stamp of the whole plan's value they were taken from.
    func ledgerCells(_ state: ReadState, asOf: LocalDate, units: Set<String>?) async throws -> (cells: [LedgerCell], stamp: DatabaseStamp) {
        let (database, routes) = (configuration.database, self)
        let all = try await reads.value(.ledgerGrid(asOf), current: state.stamp, needs: state.needs) {
            let plan = try routes.storedPlan()
            return LedgerCalendar.grid(plan, submissions: try LedgerStore(database).submissions(plan: plan.id),
                                       periods: LedgerCalendar.periods(plan, asOf: asOf), asOf: asOf)
        }
        return (units.map { ids in all.value.filter { ids.contains($0.unitID) } } ?? all.value, all.stamp)
    }

    /// `render()`, kept under `key` and the stamp of the value it renders when `units` is nil
    /// (every unit's), else made afresh.
    func rendered<T: Sendable>(_ key: ReadCache.Key, units: Set<String>?, stamp: DatabaseStamp, _ render: () throws -> T) async throws -> T {
        guard units == nil else { return try render() }
        return try await reads.rendered(key, stamp: stamp, render)
    }
}
