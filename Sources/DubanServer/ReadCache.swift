import DubanKit
import Foundation

/// What the read pages and API calls compute from the facts of the whole plan (every unit's
/// overdue items, the ledger grid) and the bytes they render for an account that reads every unit,
/// kept for as long as the database is unchanged: each request reads a `DatabaseStamp` first,
/// and a value is reused only under the very stamp it was computed after. Any commit, the
/// portal's own or another process's (`duban ledger submit`, `plan load`, `review`), changes
/// the next stamp, so nothing stale is served. Callers that may read fewer units filter the
/// whole plan's values by their units afterwards (`Permissions.readableUnits`).
///
/// Stamps are per connection (`DatabaseStamp`): the cache keeps one state per connection (a
/// reader pool has a few), each with at most `maxValuesPerState` values (the `as_of` dates
/// asked vary).
final class ReadCache: @unchecked Sendable {
    /// What is kept: each value is computed for one `as_of` day.
    enum Key: Hashable {
        /// `[SupervisionJSON.Item]`: every unit's overdue items.
        case overdue(LocalDate)
        /// `[UInt8]`: their JSON (`GET /api/v1/overdue` without `unit=`, for an account reading every unit).
        case overdueJSON(LocalDate)
        /// `String`: their table on the overdue page, with the unit column.
        case overdueTable(LocalDate)
        /// `[LedgerCell]`: every unit's cells of the ledger grid.
        case ledgerGrid(LocalDate)
        /// `[UInt8]`: their JSON (`GET /api/v1/ledgers` without `unit=`, for an account reading every unit).
        case ledgersJSON(LocalDate)
        /// `String`: the grid's table on the ledgers page, every unit's row.
        case ledgerGridTable(LocalDate)
    }

    static let maxValuesPerState = 24

    private struct State {
        var stamp: DatabaseStamp
        var values: [Key: any Sendable] = [:]
    }

    private let lock = NSLock()
    private var states: [String: State] = [:]
    private var computed = 0

    /// The value kept for `key` under `stamp`, or `make()`'s, kept. `make` runs outside the lock
    /// (two requests missing at once both compute; the later one's value is kept).
    func value<T: Sendable>(_ key: Key, stamp: DatabaseStamp, _ make: () throws -> T) rethrows -> T {
        if let hit = lock.withLock({ states[stamp.connection].flatMap { $0.stamp == stamp ? $0.values[key] : nil } }) as? T {
            return hit
        }
        let made = try make()
        lock.withLock {
            computed += 1
            var state = states[stamp.connection].flatMap { $0.stamp == stamp ? $0 : nil } ?? State(stamp: stamp)
            if state.values.count >= Self.maxValuesPerState { state.values = [:] }
            state.values[key] = made
            states[stamp.connection] = state
        }
        return made
    }

    /// How many values were computed (misses): for tests.
    var computedCount: Int { lock.withLock { computed } }
}
