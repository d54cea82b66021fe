import DubanKit
import Foundation

/// E-mail over SMTP.
enum MailTransport {
    struct Failure: Error { var message: String }

    struct Message: Sendable {
        var from: String
        var to: String
        var subject: String
        var text: String
    }

    static func send(_ message: Message, via smtp: SMTPSettings, password: String?, timeoutSeconds: Int) async throws {
        throw Failure(message: "e-mail is not built yet")
    }
}
