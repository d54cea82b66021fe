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
/// Values are kept by stamp and key, at most `maxValues` of them, the oldest going first.
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

    /// At most this many values are kept (the `as_of` dates asked vary, and stamps follow each other).
    static let maxValues = 48

    private struct Entry: Hashable {
        var stamp: DatabaseStamp
        var key: Key
    }

    private let condition = NSCondition()
    private var values: [Entry: any Sendable] = [:]
    /// `values`' entries, oldest first (the first to go when there are too many).
    private var order: [Entry] = []
    /// The values being computed: a request that needs one waits for it instead of computing it too.
    private var computing: Set<Entry> = []
    private var computed = 0

    /// The value kept for `key` under `stamp`, or `make()`'s, kept. While one request computes it,
    /// others asking under the same stamp wait for it (200 readers arriving after a commit compute
    /// it once); if `make` throws, the next in line computes it.
    func value<T: Sendable>(_ key: Key, stamp: DatabaseStamp, _ make: () throws -> T) rethrows -> T {
        let entry = Entry(stamp: stamp, key: key)
        condition.lock()
        while true {
            if let hit = values[entry] as? T {
                condition.unlock()
                return hit
            }
            guard computing.contains(entry) else { break }
            condition.wait()
        }
        computing.insert(entry)
        condition.unlock()
        var made: T?
        defer {
            condition.lock()
            computing.remove(entry)
            if let made {
                computed += 1
                values[entry] = made
                order.append(entry)
                if order.count > Self.maxValues { values[order.removeFirst()] = nil }
            }
            condition.broadcast()
            condition.unlock()
        }
        let value = try make()
        made = value
        return value
    }

    /// How many values were computed (misses): for tests.
    var computedCount: Int { condition.withLock { computed } }
}
