import Foundation
import GRDB

/// What `plan load` did.
public enum PlanLoadOutcome: Equatable, Sendable {
    /// The stored plan already equals the files: nothing was written.
    case unchanged(version: Int)
    /// A plan seen for the first time.
    case created(version: Int)
    /// An edited plan: a new version with what changed.
    case updated(version: Int, changes: [PlanChange])
}

/// Writes plans to the database and reads them back.
public struct PlanStore: Sendable {
    public let database: DubanDatabase

    public init(_ database: DubanDatabase) {
        self.database = database
    }

    /// The canonical JSON of a plan: sorted keys, so equal plans give equal text.
    public static func canonicalJSON(_ plan: Plan) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(plan), as: UTF8.self)
    }

    /// FNV-1a 64-bit, hex: a short fingerprint of a plan's content, shown to users.
    public static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Stores `plan` in one transaction. Loading a plan equal to the stored one writes nothing.
    public func load(_ plan: Plan, sourceDirectory: String, now: Date = Date()) throws -> PlanLoadOutcome {
        let json = try Self.canonicalJSON(plan)
        let hash = Self.fingerprint(json)
        return try database.write { db in
            let current = try Row.fetchOne(db, sql: """
                SELECT v.version, v.plan_json FROM plan p
                JOIN plan_version v ON v.plan_id = p.id AND v.version = p.current_version
                WHERE p.id = ?
                """, arguments: [plan.id])
            var previous: Plan?
            var version = 1
            if let current {
                let oldJSON: String = current["plan_json"]
                let oldVersion: Int = current["version"]
                if oldJSON == json { return .unchanged(version: oldVersion) }
                previous = try JSONDecoder().decode(Plan.self, from: Data(oldJSON.utf8))
                version = oldVersion + 1
            }
            let changes = PlanDiff.changes(from: previous, to: plan)
            try write(plan, version: version, db: db)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            try db.execute(sql: """
                INSERT INTO plan_version (plan_id, version, loaded_at, source_dir, content_hash, plan_json, changes_json)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [plan.id, version, Timestamp.iso(now), sourceDirectory, hash, json,
                                 String(decoding: try encoder.encode(changes), as: UTF8.self)])
            try DerivedTables.fold(db, plans: [plan.id: plan])
            return previous == nil ? .created(version: version) : .updated(version: version, changes: changes)
        }
    }

    private func write(_ plan: Plan, version: Int, db: Database) throws {
        func json<T: Encodable>(_ value: T) throws -> String {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try e.encode(value), as: UTF8.self)
        }
        let p = plan.id
        try db.run(sql: """
            INSERT INTO plan (id, title, issuer, issued_on, starts_on, ends_on, coordinator_unit_id, current_version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET title = excluded.title, issuer = excluded.issuer,
                issued_on = excluded.issued_on, starts_on = excluded.starts_on, ends_on = excluded.ends_on,
                coordinator_unit_id = excluded.coordinator_unit_id, current_version = excluded.current_version
            """, arguments: [p, plan.title, plan.issuer, plan.issued.description, plan.start.description,
                             plan.end.description, plan.coordinator, version])
        // Derived rows are rebuilt from the plan; nothing refers to them.
        for table in ["group_member", "task_unit", "milestone_owner", "milestone_due"] {
            try db.run(sql: "DELETE FROM \(table) WHERE plan_id = ?", arguments: [p])
        }
        // Entities present in the new plan are upserted and un-retired; the others are retired.
        for table in ["category", "unit", "unit_group", "plan_task", "milestone"] {
            try db.run(sql: "UPDATE \(table) SET retired_in_version = ? WHERE plan_id = ? AND retired_in_version IS NULL",
                           arguments: [version, p])
        }
        for c in plan.categories {
            try db.run(sql: """
                INSERT INTO category (plan_id, number, numeral, title) VALUES (?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET numeral = excluded.numeral, title = excluded.title, retired_in_version = NULL
                """, arguments: [p, c.number, c.numeral, c.title])
        }
        for u in plan.units {
            try db.run(sql: """
                INSERT INTO unit (plan_id, id, name, kind, finer_kind, aliases_json, liaison_name, liaison_phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET name = excluded.name, kind = excluded.kind, finer_kind = excluded.finer_kind,
                    aliases_json = excluded.aliases_json, liaison_name = excluded.liaison_name, liaison_phone = excluded.liaison_phone,
                    retired_in_version = NULL
                """, arguments: [p, u.id, u.name, u.kind.v1Kind.rawValue, u.kind.v1Kind == u.kind ? nil : u.kind.rawValue,
                                 try json(u.aliases), u.liaison?.name, u.liaison?.phone])
        }
        for g in plan.groups {
            try db.run(sql: """
                INSERT INTO unit_group (plan_id, id, name, aliases_json, basis) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET name = excluded.name, aliases_json = excluded.aliases_json,
                    basis = excluded.basis, retired_in_version = NULL
                """, arguments: [p, g.id, g.name, try json(g.aliases), g.basis.rawValue])
            for m in g.members {
                try db.run(sql: "INSERT INTO group_member (plan_id, group_id, unit_id) VALUES (?, ?, ?)",
                               arguments: [p, g.id, m])
            }
        }
        for t in plan.tasks {
            try db.run(sql: """
                INSERT INTO plan_task (plan_id, number, category_number, title, text, lead_json, responsible_json)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET category_number = excluded.category_number, title = excluded.title,
                    text = excluded.text, lead_json = excluded.lead_json, responsible_json = excluded.responsible_json,
                    retired_in_version = NULL
                """, arguments: [p, t.number, t.category, t.title, t.text, try json(t.lead), try json(t.responsible)])
            for (role, units) in Owing.unitsByRole(owing: t, in: plan) {
                for u in units {
                    try db.run(sql: "INSERT OR IGNORE INTO task_unit (plan_id, task_number, unit_id, role) VALUES (?, ?, ?, ?)",
                                   arguments: [p, t.number, u.id, role])
                }
            }
        }
        for (position, m) in plan.milestones.enumerated() {
            try db.run(sql: """
                INSERT INTO milestone (plan_id, id, task_number, position, title, owners_json, due_json, source, note)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT DO UPDATE SET task_number = excluded.task_number, position = excluded.position,
                    title = excluded.title, owners_json = excluded.owners_json, due_json = excluded.due_json,
                    source = excluded.source, note = excluded.note, retired_in_version = NULL
                """, arguments: [p, m.id, m.task, position, m.title, try json(m.owners), try json(m.due), m.source, m.note])
            for u in Owing.units(owing: m, in: plan) {
                try db.run(sql: "INSERT INTO milestone_owner (plan_id, milestone_id, unit_id) VALUES (?, ?, ?)",
                               arguments: [p, m.id, u.id])
            }
            for d in Set(m.dueDates) {
                try db.run(sql: "INSERT INTO milestone_due (plan_id, milestone_id, due_on) VALUES (?, ?, ?)",
                               arguments: [p, m.id, d.description])
            }
        }
    }

    /// The ids of the stored plans.
    public func planIDs() throws -> [String] {
        try database.read { db in try String.fetchAll(db, sql: "SELECT id FROM plan ORDER BY id") }
    }

    /// The number of a stored plan's current version (nil: no such plan): one row, nothing decoded.
    public func currentVersion(id: String) throws -> Int? {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT current_version FROM plan WHERE id = ?", arguments: [id]) }
    }

    /// The current version of a stored plan.
    public func plan(id: String) throws -> StoredPlan? {
        try database.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT v.version, v.loaded_at, v.source_dir, v.content_hash, v.plan_json FROM plan p
                JOIN plan_version v ON v.plan_id = p.id AND v.version = p.current_version WHERE p.id = ?
                """, arguments: [id]) else { return nil }
            let json: String = row["plan_json"]
            let plan = try JSONDecoder().decode(Plan.self, from: Data(json.utf8))
            return StoredPlan(plan: plan, version: row["version"], loadedAt: row["loaded_at"],
                              sourceDirectory: row["source_dir"], fingerprint: row["content_hash"],
                              planSHA256: OwedStates.sha256(json: json))
        }
    }

    /// Every version of a plan, oldest first.
    public func versions(planID: String) throws -> [PlanVersionInfo] {
        try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT version, loaded_at, source_dir, content_hash, changes_json FROM plan_version
                WHERE plan_id = ? ORDER BY version
                """, arguments: [planID]).map { row in
                let changes: String = row["changes_json"]
                return PlanVersionInfo(version: row["version"], loadedAt: row["loaded_at"], sourceDirectory: row["source_dir"],
                                       fingerprint: row["content_hash"],
                                       changes: try JSONDecoder().decode([PlanChange].self, from: Data(changes.utf8)))
            }
        }
    }
}

public struct StoredPlan: Sendable {
    public var plan: Plan
    public var version: Int
    public var loadedAt: String
    public var sourceDirectory: String
    public var fingerprint: String
    /// The SHA-256 of the plan's canonical JSON as stored (`plan_version.plan_json`), which
    /// `plan` was decoded from: what `owed_state` names the plan it was derived from by. Hashing
    /// the stored text spares a reader encoding the plan again to learn it.
    public var planSHA256: String
}

public struct PlanVersionInfo: Sendable, Codable, Equatable {
    public var version: Int
    public var loadedAt: String
    public var sourceDirectory: String
    public var fingerprint: String
    public var changes: [PlanChange]

    enum CodingKeys: String, CodingKey {
        case version, changes, fingerprint
        case loadedAt = "loaded_at"
        case sourceDirectory = "source_dir"
    }
}

public enum Timestamp {
    /// `2026-11-23T12:00:00Z`, UTC.
    public static func iso(_ date: Date) -> String {
        shared.lock.withLock { shared.formatter.string(from: date) }
    }

    /// `iso` of the start of `date`'s second (what the portal's request log writes), formatted
    /// once a second: the same second's text is reused.
    public static func isoSecond(_ date: Date) -> String {
        let second = date.timeIntervalSince1970.rounded(.down)
        return shared.lock.withLock {
            if let last = shared.last, last.second == second { return last.text }
            let text = shared.formatter.string(from: Date(timeIntervalSince1970: second))
            shared.last = (second, text)
            return text
        }
    }

    /// One formatter for every call, used under the lock (making one, with its time zone, cost
    /// more than using it: 4% of a portal submission was its request log line's timestamp).
    private final class Shared: @unchecked Sendable {
        let lock = NSLock()
        let formatter: ISO8601DateFormatter = {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime]
            f.timeZone = TimeZone(identifier: "UTC")
            return f
        }()
        var last: (second: TimeInterval, text: String)?
    }

    private static let shared = Shared()
}

extension Database {
    /// Runs one statement through GRDB's statement cache: prepared (and authorized) once per SQL
    /// text, not once per row: a plan of 3,000 units writes ~200,000 rows, and preparing each
    /// row's statement was most of a load (BENCHMARKS.md, "Figures the code's choices rest on").
    func run(sql: String, arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
