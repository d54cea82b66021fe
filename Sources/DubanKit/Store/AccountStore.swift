import Foundation
import GRDB

/// What can go wrong with an account, worded once.
public enum AccountError: Error, Equatable, CustomStringConvertible {
    case loginTaken(String)
    case noSuchLogin(String)
    case invalid(field: String, problem: String)

    public var description: String {
        switch self {
        case .loginTaken(let login): "an account with the login \"\(login)\" exists already"
        case .noSuchLogin(let login): "no account with the login \"\(login)\""
        case .invalid(let field, let problem): "\(field): \(problem)"
        }
    }
}

/// One line of the audit log.
public struct AuditEvent: Equatable, Sendable, Codable {
    public var id: Int64
    public var at: String
    public var actor: String
    public var address: String
    public var action: String
    public var detail: String
}

/// Accounts, API tokens, browser sessions, login attempts and the audit log. It stores and returns
/// facts; who may do what is `Access`, how many failures lock a login is `LoginThrottle`.
public struct AccountStore: Sendable {
    public let database: DubanDatabase

    public init(_ database: DubanDatabase) {
        self.database = database
    }

    // MARK: accounts

    /// Adds an account (and its audit line) in one transaction.
    public func add(planID: String, login: String, name: String, role: Role, unitID: String?, passwordHash: String,
                    actor: String, address: String, now: Date = Date()) throws -> Account {
        if let p = AccountLimits.loginProblem(login) { throw AccountError.invalid(field: "--login", problem: p) }
        if let p = AccountLimits.nameProblem(name) { throw AccountError.invalid(field: "--name", problem: p) }
        return try database.writer.write { db in
            if try Row.fetchOne(db, sql: "SELECT 1 FROM account WHERE login = ?", arguments: [login]) != nil {
                throw AccountError.loginTaken(login)
            }
            let at = Timestamp.iso(now)
            try db.execute(sql: """
                INSERT INTO account (login, name, role, plan_id, unit_id, password_hash, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [login, name, role.rawValue, planID, unitID, passwordHash, at])
            let id = db.lastInsertedRowID
            try Self.audit(db, accountID: nil, actor: actor, address: address, action: "account.add",
                           detail: "\(login) \(role.rawValue)\(unitID.map { " " + $0 } ?? "")", at: at)
            return Account(id: id, login: login, name: name, role: role, planID: planID, unitID: unitID, disabled: false, createdAt: at)
        }
    }

    public func accounts(planID: String) throws -> [Account] {
        try database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM account WHERE plan_id = ? ORDER BY login", arguments: [planID]).map(Self.account)
        }
    }

    public func account(login: String) throws -> Account? {
        try database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE login = ?", arguments: [login]).map(Self.account)
        }
    }

    public func account(id: Int64) throws -> Account? {
        try database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE id = ?", arguments: [id]).map(Self.account)
        }
    }

    /// The account and its password hash, for checking a login.
    public func credentials(login: String) throws -> (account: Account, passwordHash: String)? {
        try database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE login = ?", arguments: [login]).map {
                (Self.account($0), $0["password_hash"] as String)
            }
        }
    }

    /// Disables an account: its sessions and tokens stop working at once.
    public func disable(login: String, actor: String, address: String, now: Date = Date()) throws {
        try database.writer.write { db in
            let id = try Self.accountID(db, login)
            let at = Timestamp.iso(now)
            try db.execute(sql: "UPDATE account SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL", arguments: [at, id])
            try db.execute(sql: "UPDATE api_token SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL", arguments: [at, id])
            try Self.endSessions(db, accountID: id)
            try Self.audit(db, accountID: nil, actor: actor, address: address, action: "account.disable", detail: login, at: at)
        }
    }

    /// Sets a new password hash and ends the account's sessions.
    public func setPassword(login: String, passwordHash: String, actor: String, address: String, now: Date = Date()) throws {
        try database.writer.write { db in
            let id = try Self.accountID(db, login)
            try db.execute(sql: "UPDATE account SET password_hash = ? WHERE id = ?", arguments: [passwordHash, id])
            try Self.endSessions(db, accountID: id)
            try Self.audit(db, accountID: nil, actor: actor, address: address, action: "account.reset-password", detail: login,
                           at: Timestamp.iso(now))
        }
    }

    // MARK: API tokens

    /// Stores a new token (by its hash) and revokes the account's earlier ones.
    public func replaceToken(login: String, tokenHash: String, actor: String, address: String, now: Date = Date()) throws {
        try database.writer.write { db in
            let id = try Self.accountID(db, login)
            let at = Timestamp.iso(now)
            try db.execute(sql: "UPDATE api_token SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL", arguments: [at, id])
            try db.execute(sql: "INSERT INTO api_token (token_hash, account_id, created_at) VALUES (?, ?, ?)",
                           arguments: [tokenHash, id, at])
            try Self.audit(db, accountID: nil, actor: actor, address: address, action: "account.token", detail: login, at: at)
        }
    }

    /// The account a live token belongs to.
    public func account(tokenHash: String) throws -> Account? {
        try database.writer.read { db in
            try Row.fetchOne(db, sql: """
                SELECT account.* FROM api_token JOIN account ON account.id = api_token.account_id
                WHERE api_token.token_hash = ? AND api_token.revoked_at IS NULL
                """, arguments: [tokenHash]).map(Self.account)
        }
    }

    // MARK: login attempts

    public func recordLoginAttempt(login: String, address: String, succeeded: Bool, now: Date = Date()) throws {
        try database.writer.write { db in
            try db.execute(sql: "INSERT INTO login_attempt (login, address, at, succeeded) VALUES (?, ?, ?, ?)",
                           arguments: [login, address, now.timeIntervalSince1970, succeeded])
        }
    }

    /// The times of the failed attempts since `since`, for this login and for this address.
    public func failedAttempts(login: String, address: String, since: Date) throws -> (login: [Date], address: [Date]) {
        try database.writer.read { db in
            let t = since.timeIntervalSince1970
            let byLogin = try Double.fetchAll(db, sql: "SELECT at FROM login_attempt WHERE login = ? AND at >= ? AND succeeded = 0",
                                              arguments: [login, t])
            let byAddress = try Double.fetchAll(db, sql: "SELECT at FROM login_attempt WHERE address = ? AND at >= ? AND succeeded = 0",
                                                arguments: [address, t])
            return (byLogin.map { Date(timeIntervalSince1970: $0) }, byAddress.map { Date(timeIntervalSince1970: $0) })
        }
    }

    // MARK: sessions (a key-value store for the server's session middleware)

    public func sessionValue(keyHash: String, now: Date = Date()) throws -> (value: String, expiresAt: Date?)? {
        try database.writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT value, expires_at FROM web_session WHERE key_hash = ?", arguments: [keyHash])
            else { return nil }
            let expires = (row["expires_at"] as Double?).map { Date(timeIntervalSince1970: $0) }
            if let expires, expires <= now { return nil }
            return (row["value"], expires)
        }
    }

    public func setSession(keyHash: String, value: String, expiresAt: Date?, createOnly: Bool = false) throws {
        try database.writer.write { db in
            let verb = createOnly ? "INSERT" : "INSERT OR REPLACE"
            try db.execute(sql: "\(verb) INTO web_session (key_hash, value, expires_at) VALUES (?, ?, ?)",
                           arguments: [keyHash, value, expiresAt?.timeIntervalSince1970])
        }
    }

    public func removeSession(keyHash: String) throws {
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM web_session WHERE key_hash = ?", arguments: [keyHash])
        }
    }

    // MARK: audit

    public func audit(account: Account?, actor: String, address: String, action: String, detail: String, now: Date = Date()) throws {
        try database.writer.write { db in
            try Self.audit(db, accountID: account?.id, actor: actor, address: address, action: action, detail: detail,
                           at: Timestamp.iso(now))
        }
    }

    /// The newest events first.
    public func auditLog(limit: Int) throws -> [AuditEvent] {
        try database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_event ORDER BY id DESC LIMIT ?", arguments: [limit]).map {
                AuditEvent(id: $0["id"], at: $0["at"], actor: $0["actor"], address: $0["address"], action: $0["action"],
                           detail: $0["detail"])
            }
        }
    }

    static func audit(_ db: Database, accountID: Int64?, actor: String, address: String, action: String, detail: String,
                      at: String) throws {
        try db.execute(sql: """
            INSERT INTO audit_event (at, account_id, actor, address, action, detail) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [at, accountID, actor, address, action, detail])
    }

    // MARK: rows

    static func account(_ row: Row) -> Account {
        Account(id: row["id"], login: row["login"], name: row["name"], role: Role(rawValue: row["role"]) ?? .leader,
                planID: row["plan_id"], unitID: row["unit_id"], disabled: (row["disabled_at"] as String?) != nil,
                createdAt: row["created_at"])
    }

    static func accountID(_ db: Database, _ login: String) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM account WHERE login = ?", arguments: [login]) else {
            throw AccountError.noSuchLogin(login)
        }
        return id
    }

    /// Sessions hold the account id in their JSON (`accountID`).
    static func endSessions(_ db: Database, accountID: Int64) throws {
        try db.execute(sql: "DELETE FROM web_session WHERE json_extract(value, '$.accountID') = ?", arguments: [accountID])
    }
}
