import Foundation

/// When repeated failed logins lock a login or an address out for a while: 5 failures for the same
/// login, or 20 from the same address, within 15 minutes, lock it until 15 minutes after the last.
public enum LoginThrottle {
    public static let window: TimeInterval = 15 * 60
    public static let perLogin = 5
    public static let perAddress = 20

    /// The moment the lock ends, or nil when a login may be tried now.
    public static func lockedUntil(failuresForLogin: [Date], failuresFromAddress: [Date], now: Date) -> Date? {
        func lock(_ failures: [Date], _ limit: Int) -> Date? {
            let recent = failures.filter { $0 > now.addingTimeInterval(-window) }
            guard recent.count >= limit, let last = recent.max() else { return nil }
            return last.addingTimeInterval(window)
        }
        return [lock(failuresForLogin, perLogin), lock(failuresFromAddress, perAddress)].compactMap { $0 }.max()
    }
}
