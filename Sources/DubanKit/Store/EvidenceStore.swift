import Foundation
import GRDB

/// An evidence file as attached to an entry of a submission.
public struct EvidenceAttachment: Equatable, Sendable {
    public var id: Int64
    public var submissionID: Int64
    public var planID: String
    public var unitID: String
    /// The entry's number in its ledger, from 1, in the order of the ledger's file.
    public var entry: Int
    public var task: Int?
    public var milestone: String?
    public var name: String
    public var mediaType: String
    public var size: Int
    public var sha256: String
    public var uploadedBy: String
    public var recordedAt: String
}

/// Evidence files in the database (`v12-evidence-files`): attached while a ledger is recorded,
/// in its transaction (`LedgerRecorder.attach`), or to a ledger already recorded (`attach`, the
/// API), and read back for the receipt, the ledger page and downloads. The store returns facts;
/// who may read them is `Permissions`', what may be attached later `EvidenceRule`'s.
public struct EvidenceStore: Sendable {
    let database: DubanDatabase

    public init(_ database: DubanDatabase) {
        self.database = database
    }

    static let select = """
        SELECT f.id, f.submission_id, s.plan_id, s.unit_id, r.task_number, r.milestone_id, f.name, b.media_type, b.size,
               f.sha256, f.uploaded_by, f.recorded_at,
               (SELECT count(*) FROM progress_record e WHERE e.submission_id = f.submission_id AND e.id <= f.record_id) AS entry
        FROM evidence_file f JOIN ledger_submission s ON s.id = f.submission_id
        JOIN progress_record r ON r.id = f.record_id JOIN evidence_blob b ON b.sha256 = f.sha256
        """

    static func attachment(_ row: Row) -> EvidenceAttachment {
        EvidenceAttachment(id: row[0], submissionID: row[1], planID: row[2], unitID: row[3], entry: row[12], task: row[4], milestone: row[5],
                           name: row[6], mediaType: row[7], size: row[8], sha256: row[9], uploadedBy: row[10], recordedAt: row[11])
    }

    public func attachment(id: Int64) throws -> EvidenceAttachment? {
        try database.read { db in
            try Row.fetchOne(db, sql: Self.select + " WHERE f.id = ?", arguments: [id]).map(Self.attachment)
        }
    }

    /// The files of the given submissions, in the order attached.
    public func attachments(submissions: [Int64]) throws -> [EvidenceAttachment] {
        guard !submissions.isEmpty else { return [] }
        return try database.read { db in
            try Row.fetchAll(db, sql: Self.select + " WHERE f.submission_id IN (\(submissions.map { _ in "?" }.joined(separator: ","))) ORDER BY f.id",
                             arguments: StatementArguments(submissions)).map(Self.attachment)
        }
    }

    /// What `attach` did: the attachment, and whether it is new (false: the same file was
    /// attached to that entry already, and nothing was written).
    public struct Attached: Equatable, Sendable {
        public var attachment: EvidenceAttachment
        public var isNew: Bool
    }

    /// Attaches `file` to entry `entry` (from 1) of ledger `submission` of `plan`, recorded
    /// already, with its audit line (`evidence.attach`, as the form's), in ONE transaction.
    /// nil when there is no such ledger; `EvidenceRule.Refusal` (nothing written) when the rule
    /// refuses it. The unit's permission is the caller's to check first (a ledger's unit never
    /// changes).
    public func attach(_ file: EvidenceFile, plan: String, submission: Int64, entry: Int, actor: AuditActor,
                       now: Date = Date()) throws -> Attached? {
        try database.write { db in
            guard let made = try Self.attach([entry: [file]], plan: plan, submission: submission, actor: actor,
                                             at: Timestamp.iso(now), in: db),
                  let one = made.first else { return nil }
            guard let attachment = try Row.fetchOne(db, sql: Self.select + " WHERE f.id = ?", arguments: [one.id]).map(Self.attachment) else {
                throw StoreCorruption(description: "evidence file \(one.id) not found after attaching it")
            }
            return Attached(attachment: attachment, isNew: one.isNew)
        }
    }

    /// One file `attach(_:plan:submission:…)` was given, as it ended up: its attachment's id, and
    /// whether it was attached now (false: the same file was on that entry already).
    public struct Made: Equatable, Sendable {
        public var entry: Int
        public var id: Int64
        public var isNew: Bool
    }

    /// The one way evidence is attached, the form's (in its ledger's transaction) and the API's:
    /// `files` by entry (from 1, in the ledger's order) to ledger `submission` of `plan` as it is
    /// stored in this transaction, each allowed by `EvidenceRule` first (a file already on its
    /// entry is not counted again); each new attachment audited (`evidence.attach`) at `at`.
    /// nil when there is no such ledger; `EvidenceRule.Refusal` when the rule refuses one entry's
    /// files (the caller's transaction is to be rolled back: nothing written).
    static func attach(_ files: [Int: [EvidenceFile]], plan: String, submission: Int64, actor: AuditActor, at: String,
                       in db: Database) throws -> [Made]? {
        guard let row = try Row.fetchOne(db, sql: "\(ProgressQueries.submissionSelect) WHERE s.plan_id = ? AND s.id = ?",
                                         arguments: [plan, submission]) else { return nil }
        let ledger = try ProgressQueries.submission(row)
        var attached = try Int.fetchOne(db, sql: "SELECT count(*) FROM evidence_file WHERE submission_id = ?", arguments: [submission]) ?? 0
        var made: [Made] = []
        for (entry, sent) in files.sorted(by: { $0.key < $1.key }) {
            let record = entry >= 1 ? try Int64.fetchOne(db, sql: "SELECT id FROM progress_record WHERE submission_id = ? ORDER BY id LIMIT 1 OFFSET ?",
                                                         arguments: [submission, entry - 1]) : nil
            var there: [String: Int64] = [:]
            if let record {
                for row in try Row.fetchAll(db, sql: "SELECT sha256, id FROM evidence_file WHERE record_id = ?", arguments: [record]) {
                    there[row[0]] = row[1]
                }
            }
            var fresh: [EvidenceFile] = []
            for file in sent where there[file.sha256] == nil && !fresh.contains(where: { $0.sha256 == file.sha256 }) { fresh.append(file) }
            if let refusal = EvidenceRule.refusal(submission: ledger, entry: entry, attached: attached, adding: fresh.count) { throw refusal }
            guard let record else {
                throw StoreCorruption(description: "ledger #\(submission) has \(ledger.entryCount) entries but no record \(entry)")
            }
            for (file, id) in zip(fresh, try insert(fresh, submission: submission, record: record, by: actor.login, at: at, in: db)) {
                there[file.sha256] = id
                try AccountStore.audit(db, accountID: actor.accountID, actor: actor.login, address: actor.address, action: "evidence.attach",
                                       detail: auditDetail(submission: submission, entry: entry, id: id, file: file), at: at)
            }
            attached += fresh.count
            for file in sent {
                guard let id = there[file.sha256] else { throw StoreCorruption(description: "evidence file for record \(record) not found after attaching it") }
                made.append(Made(entry: entry, id: id, isNew: fresh.contains { $0.sha256 == file.sha256 }))
            }
        }
        return made
    }

    /// The detail of an `evidence.attach` audit line (the form's and the API's).
    public static func auditDetail(submission: Int64, entry: Int, id: Int64, file: EvidenceFile) -> String {
        "#\(submission) entry \(entry) evidence \(id) \(file.name) \(file.sha256.prefix(12)) \(file.size) bytes"
    }

    /// Stores `files` (each distinct file once) and attaches those not attached to `record` yet;
    /// the ids of the attachments made.
    static func insert(_ files: [EvidenceFile], submission: Int64, record: Int64, by login: String, at recordedAt: String,
                       in db: Database) throws -> [Int64] {
        var ids: [Int64] = []
        for file in files {
            try db.execute(sql: """
                INSERT INTO evidence_blob (sha256, media_type, size, content) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING
                """, arguments: [file.sha256, file.kind.mediaType, file.size, file.content])
            let existing = try Int64.fetchOne(db, sql: "SELECT id FROM evidence_file WHERE record_id = ? AND sha256 = ?",
                                              arguments: [record, file.sha256])
            if existing != nil { continue }
            try db.execute(sql: """
                INSERT INTO evidence_file (submission_id, record_id, sha256, name, uploaded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [submission, record, file.sha256, file.name, login, recordedAt])
            ids.append(db.lastInsertedRowID)
        }
        return ids
    }

    /// A file's bytes by its SHA-256.
    public func content(sha256: String) throws -> Data? {
        try database.read { db in try Data.fetchOne(db, sql: "SELECT content FROM evidence_blob WHERE sha256 = ?", arguments: [sha256]) }
    }
}

extension LedgerRecorder {
    /// Attaches `files` (by entry, from 1, in the ledger's order) to `submission`, recorded (or
    /// found unchanged) in this recording's transaction, as `EvidenceStore` attaches any file:
    /// allowed by `EvidenceRule`, each file stored once, audited. An `EvidenceRule.Refusal` is
    /// thrown to the recording, which then writes nothing.
    @discardableResult
    public func attach(_ files: [Int: [EvidenceFile]], plan: String, submission: Int64, actor: AuditActor) throws -> [EvidenceStore.Made] {
        guard !files.isEmpty else { return [] }
        guard let made = try EvidenceStore.attach(files, plan: plan, submission: submission, actor: actor, at: recordedAt, in: db) else {
            throw StoreCorruption(description: "submission #\(submission) not found in its own recording")
        }
        return made
    }
}
