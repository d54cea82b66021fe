import DubanKit
import Foundation

/// The served plan, decoded once per version: each request asks the database which version is
/// current (one row) and decodes the plan's JSON only when that changed (`duban plan load` of a
/// new version while the portal runs).
final class PlanCache: @unchecked Sendable {
    private let lock = NSLock()
    private var cached: (version: Int, plan: Plan)?

    func plan(id: String, in database: DubanDatabase) throws -> Plan? {
        try current(id: id, in: database)?.plan
    }

    /// The current plan and its version (`plan.current_version`).
    func current(id: String, in database: DubanDatabase) throws -> (plan: Plan, version: Int)? {
        let store = PlanStore(database)
        guard let version = try store.currentVersion(id: id) else { return nil }
        if let hit = lock.withLock({ cached }), hit.version == version { return (hit.plan, hit.version) }
        guard let stored = try store.plan(id: id) else { return nil }
        lock.withLock { cached = (stored.version, stored.plan) }
        return (stored.plan, stored.version)
    }
}
