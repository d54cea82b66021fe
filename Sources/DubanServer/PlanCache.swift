import DubanKit
import Foundation

/// The served plan, decoded once per version, with what is derived from it alone: each request
/// asks the database which version is current (one row) and decodes the plan's JSON, and builds
/// its `OwedIndex` (which unit owes what, the plan's groups expanded: a sixth of a portal
/// submission's CPU when built per ledger), only when that changed (`duban plan load` of a new
/// version while the portal runs). Plan and index are built and replaced together, so the index
/// is always the plan's.
final class PlanCache: @unchecked Sendable {
    /// One version of the plan and what is derived from it.
    struct Served: Sendable {
        let plan: Plan
        let version: Int
        /// `StoredPlan.planSHA256`: names the plan to `owed_state` without encoding it again.
        let planSHA256: String
        /// `OwedIndex(plan)`, the ledger checks' rule (`Owing`).
        let owed: OwedIndex
    }

    private let lock = NSLock()
    private var cached: Served?

    /// The current plan, its version (`plan.current_version`) and its index.
    func current(id: String, in database: DubanDatabase) throws -> Served? {
        let store = PlanStore(database)
        guard let version = try store.currentVersion(id: id) else { return nil }
        if let hit = lock.withLock({ cached }), hit.version == version { return hit }
        guard let stored = try store.plan(id: id) else { return nil }
        let served = Served(plan: stored.plan, version: stored.version, planSHA256: stored.planSHA256, owed: OwedIndex(stored.plan))
        lock.withLock { cached = served }
        return served
    }
}
