import Foundation
import GRDB

extension LedgerStore {
    /// One submission of a group commit (`recording(group:plan:)`): when it was received, which
    /// is its `recorded_at` and its audit lines' time, and what it records through its recorder.
    public struct Grouped<T> {
        public var now: Date
        public var body: (LedgerRecorder) throws -> T

        public init(now: Date, _ body: @escaping (LedgerRecorder) throws -> T) {
            self.now = now
            self.body = body
        }
    }

    /// Group commit: independent submissions (the portal's, which wait for the one writer
    /// together) written in ONE write transaction, each in a savepoint of its own with a
    /// recorder of its own (its own `recorded_at`, its own audit lines), in the order given, so
    /// each sees what those before it wrote (a second ledger of the same unit and period is a
    /// correction of the first, as if they had come one after the other). A body that throws
    /// (a refusal, a failed attachment, a constraint) has its savepoint rolled back, nothing of
    /// it written, and gets its own error back; the others are kept. The kept facts are folded
    /// in once, at the end (`plan`: the plan at hand, used when its version is still the current
    /// one), then the transaction commits: a success is only returned once it is committed.
    ///
    /// Some errors end the whole transaction, not only the statement: a record breaking a CHECK
    /// (`LedgerWriter` inserts records `OR ROLLBACK`, which validation rules out), a full disk, an
    /// I/O error. The submission whose body hit one gets it as its answer, and the group is
    /// written again without it (each try leaves one more out, so there are at most as many
    /// tries as submissions). Throws, with nothing of any of them written, when a transaction
    /// cannot begin, or its fold or commit fails.
    public func recording<T>(group: [Grouped<T>], plan: (plan: Plan, version: Int)? = nil) throws -> [Result<T, any Error>] {
        try writing { db in
            var alone: [Int: any Error] = [:]
            while true {
                do {
                    return try record(group, leavingOut: alone, plan: plan, in: db)
                } catch let ended as TransactionEnded {
                    alone[ended.index] = ended.error
                }
            }
        }
    }

    /// The body of submission `index` ended the whole transaction with `error`.
    private struct TransactionEnded: Error {
        var index: Int
        var error: any Error
    }

    /// One try of `recording(group:plan:)`: the submissions not in `alone` in one transaction;
    /// those in `alone` answered with their error.
    private func record<T>(_ group: [Grouped<T>], leavingOut alone: [Int: any Error], plan: (plan: Plan, version: Int)?,
                           in db: Database) throws -> [Result<T, any Error>] {
        var results: [Result<T, any Error>] = []
        try db.inTransaction(.immediate) {
            for (index, piece) in group.enumerated() {
                if let error = alone[index] {
                    results.append(.failure(error))
                    continue
                }
                var value: T?
                do {
                    try db.inSavepoint {
                        let recorder = try LedgerRecorder(db, store: self, recordedAt: Timestamp.iso(piece.now), afterRecord: nil,
                                                          keepingRecentStates: false)
                        value = try piece.body(recorder)
                        return .commit
                    }
                } catch {
                    guard db.isInsideTransaction else { throw TransactionEnded(index: index, error: error) }
                    results.append(.failure(error))
                    continue
                }
                guard let value else { throw StoreCorruption(description: "a grouped recording ended without a result") }
                results.append(.success(value))
            }
            try DerivedTables.fold(db, plans: try Self.atHand(plan, in: db))
            return .commit
        }
        return results
    }
}

extension LedgerRecorder {
    /// Runs `body` in a savepoint of its own: when it throws, what it wrote is rolled back and the
    /// error rethrown, and the rest of the transaction is kept (a refused ledger's audit line can
    /// then be written in its place).
    public func undoable<T>(_ body: () throws -> T) throws -> T {
        var value: T?
        try db.inSavepoint {
            value = try body()
            return .commit
        }
        guard let value else { throw StoreCorruption(description: "a savepoint ended without a result") }
        return value
    }
}
