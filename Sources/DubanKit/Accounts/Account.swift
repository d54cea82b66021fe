import Foundation

/// What an account may do on the portal. A liaison (联络员) speaks for one unit; a coordinator
/// (the plan's 牵头抓总 unit, 市司法局 for Zhangye) sees and does everything; a leader reads everything.
public enum Role: String, CaseIterable, Codable, Sendable {
    case liaison, coordinator, leader

    public var label: String {
        switch self {
        case .liaison: "联络员"
        case .coordinator: "牵头单位"
        case .leader: "领导"
        }
    }
}

/// A portal account. Passwords and tokens are never held here: only their hashes live in the store.
public struct Account: Equatable, Sendable, Codable {
    public var id: Int64
    public var login: String
    public var name: String
    public var role: Role
    public var planID: String
    /// The unit a liaison speaks for; nil for coordinators and leaders.
    public var unitID: String?
    public var disabled: Bool
    public var createdAt: String

    public init(id: Int64, login: String, name: String, role: Role, planID: String, unitID: String?, disabled: Bool, createdAt: String) {
        self.id = id
        self.login = login
        self.name = name
        self.role = role
        self.planID = planID
        self.unitID = unitID
        self.disabled = disabled
        self.createdAt = createdAt
    }
}

/// The limits on what an account is made of; the schema's CHECKs say the same, and these give the
/// clear message before SQLite would refuse.
public enum AccountLimits {
    public static let loginLength = 3...64
    public static let nameLength = 1...64
    public static let passwordLength = 10...128

    /// A login is lower-case ASCII letters, digits, `.`, `_` and `-` (it ends up in logs and URLs).
    public static func loginProblem(_ login: String) -> String? {
        guard loginLength.contains(login.count) else {
            return "a login has \(loginLength.lowerBound) to \(loginLength.upperBound) characters (this one has \(login.count))"
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard login.allSatisfy({ allowed.contains($0) }) else {
            return "a login is made of a-z, 0-9, '.', '_' and '-' only"
        }
        return nil
    }

    public static func nameProblem(_ name: String) -> String? {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard nameLength.contains(trimmed.count), trimmed == name else {
            return "a name has \(nameLength.lowerBound) to \(nameLength.upperBound) characters, without leading or trailing spaces"
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            return "a name has no control characters"
        }
        return nil
    }

    public static func passwordProblem(_ password: String) -> String? {
        guard passwordLength.contains(password.count) else {
            return "a password has \(passwordLength.lowerBound) to \(passwordLength.upperBound) characters"
        }
        return nil
    }
}
