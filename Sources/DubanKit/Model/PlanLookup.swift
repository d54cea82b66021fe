import Foundation

/// Id → position indexes for a plan's units, groups and tasks, so that `Plan.unit(id:)` and
/// `Plan.expand` stay O(1) per member with thousands of units (a national roll-up has ~3,100).
///
/// Built on first use and shared by copies of the plan. A hit is checked against the array it
/// came from (same position, same id), so a copy whose arrays were edited afterwards never gets
/// a wrong answer: it falls back to a linear search and rebuilds. Not part of the plan's value:
/// equal to every other lookup and never coded.
final class PlanLookup: Equatable, @unchecked Sendable {
    private let lock = NSLock()
    private var units: [String: Int]?
    private var groups: [String: Int]?
    private var tasks: [Int: Int]?

    static func == (lhs: PlanLookup, rhs: PlanLookup) -> Bool { true }

    func unit(id: String, in all: [PlanUnit]) -> PlanUnit? {
        all.count < 16 ? all.first { $0.id == id } : locked { Self.find(id, in: all, key: { $0.id }, cache: &units) }
    }

    func group(id: String, in all: [UnitGroup]) -> UnitGroup? {
        all.count < 16 ? all.first { $0.id == id } : locked { Self.find(id, in: all, key: { $0.id }, cache: &groups) }
    }

    func task(number: Int, in all: [PlanTask]) -> PlanTask? {
        all.count < 16 ? all.first { $0.number == number } : locked { Self.find(number, in: all, key: { $0.number }, cache: &tasks) }
    }

    private func locked<R>(_ body: () -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    /// The key as a closure and the cache as `inout` (the caller holds the lock), not key paths:
    /// `Plan.expand` looks up every member of every milestone's owners, and a key path is read
    /// through the runtime each time.
    private static func find<T, K: Hashable>(_ key: K, in all: [T], key path: (T) -> K, cache: inout [K: Int]?) -> T? {
        if let i = cache?[key], i < all.count, path(all[i]) == key { return all[i] }
        guard let i = all.firstIndex(where: { path($0) == key }) else { return nil }
        var index: [K: Int] = [:]
        index.reserveCapacity(all.count)
        for (n, element) in all.enumerated() where index[path(element)] == nil { index[path(element)] = n }
        cache = index
        return all[i]
    }
}
