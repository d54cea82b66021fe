import DubanKit
import Foundation
import Hummingbird

/// Hummingbird's `PersistDriver` over the database's `web_session` table, so sessions survive a
/// restart. Keys are stored as their SHA-256: a copy of the database holds no usable cookie.
struct SessionDriver: PersistDriver {
    let store: AccountStore

    func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        try store.setSession(keyHash: Secrets.storedHash(key), value: try encode(value), expiresAt: date(expires), createOnly: true)
    }

    func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        try store.setSession(keyHash: Secrets.storedHash(key), value: try encode(value), expiresAt: date(expires))
    }

    func get<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: Object.self)?.object
    }

    func getWithTTL<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> (object: Object, ttl: Duration?)? {
        guard let (text, expires) = try store.sessionValue(keyHash: Secrets.storedHash(key)) else { return nil }
        guard let object = try? JSONDecoder().decode(Object.self, from: Data(text.utf8)) else { throw PersistError.invalidConversion }
        return (object, expires.map { .seconds(max(0, $0.timeIntervalSinceNow)) })
    }

    func remove(key: String) async throws {
        try store.removeSession(keyHash: Secrets.storedHash(key))
    }

    private func encode<Object: Encodable>(_ value: Object) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    private func date(_ expires: Duration?) -> Date? {
        expires.map { Date().addingTimeInterval(TimeInterval($0.components.seconds)) }
    }
}
