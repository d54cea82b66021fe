import Crypto
import Foundation
import HummingbirdBcrypt

/// Passwords, tokens and session keys: how they are made and how they are stored.
public enum Secrets {
    /// bcrypt cost: 2^12 rounds, about a quarter of a second on this class of machine.
    public static let bcryptCost: UInt8 = 12

    public static func hashPassword(_ password: String) -> String {
        Bcrypt.hash(password, cost: bcryptCost)
    }

    public static func verifyPassword(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }

    /// `bytes` random bytes as URL-safe base64 without padding (from the system's CSPRNG).
    public static func randomToken(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let raw = (0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(raw).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// A one-time password a person can type: 16 characters without look-alikes (0/O, 1/l/I).
    public static func oneTimePassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// How a token or session key is stored: its SHA-256, in hex.
    public static func storedHash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares two strings in time that does not depend on where they differ.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
