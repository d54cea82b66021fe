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
        find(id, in: all, key: \.id, cache: \.units)
    }

    func group(id: String, in all: [UnitGroup]) -> UnitGroup? {
        find(id, in: all, key: \.id, cache: \.groups)
    }

    func task(number: Int, in all: [PlanTask]) -> PlanTask? {
        find(number, in: all, key: \.number, cache: \.tasks)
    }

    private func find<T, K: Hashable>(_ key: K, in all: [T], key path: KeyPath<T, K>,
                                      cache: ReferenceWritableKeyPath<PlanLookup, [K: Int]?>) -> T? {
        if all.count < 16 { return all.first { $0[keyPath: path] == key } }
        lock.lock()
        defer { lock.unlock() }
        if let i = self[keyPath: cache]?[key], i < all.count, all[i][keyPath: path] == key { return all[i] }
        guard let i = all.firstIndex(where: { $0[keyPath: path] == key }) else { return nil }
        var index: [K: Int] = [:]
        index.reserveCapacity(all.count)
        for (n, element) in all.enumerated() where index[element[keyPath: path]] == nil { index[element[keyPath: path]] = n }
        self[keyPath: cache] = index
        return all[i]
    }
}
