import DubanKit
import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// E-mail over SMTP (RFC 5321) on SwiftNIO: STARTTLS (RFC 3207) or TLS from the first byte
/// through swift-nio-ssl, AUTH PLAIN or LOGIN (RFC 4954) only over TLS (or to this machine),
/// one message per session: a UTF-8 text/plain body in base64, the subject as an RFC 2047
/// encoded word. The whole session is bounded by `timeoutSeconds`.
enum MailTransport {
    struct Failure: Error { var message: String }

    struct Message: Sendable {
        var from: String
        var to: String
        var subject: String
        var text: String
    }

    /// The most a server's reply may hold, and a line of it.
    static let maxReplyBytes = 65_536

    static func send(_ message: Message, via smtp: SMTPSettings, password: String?, timeoutSeconds: Int,
                     now: Date = Date()) async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let replies = ReplyHandler()
        let tls: NIOSSLContext?
        do {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let ca = smtp.caFile { configuration.trustRoots = .file(ca) }
            tls = smtp.security == .none ? nil : try NIOSSLContext(configuration: configuration)
        } catch {
            throw Failure(message: "TLS setup: \(error)")
        }
        let serverName = isIPAddress(smtp.host) ? nil : smtp.host
        let channel: Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.seconds(Int64(timeoutSeconds)))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if smtp.security == .tls, let tls {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName))
                        }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder()))
                        try channel.pipeline.syncOperations.addHandler(replies)
                    }
                }
                .connect(host: smtp.host, port: smtp.port).get()
        } catch {
            throw Failure(message: "cannot connect to \(smtp.host):\(smtp.port): \(error)")
        }
        let deadline = channel.eventLoop.scheduleTask(in: .seconds(Int64(timeoutSeconds))) {
            replies.timedOut = true
            channel.close(promise: nil)
        }
        defer {
            deadline.cancel()
            channel.close(promise: nil)
        }
        let session = Session(channel: channel, replies: replies)
        do {
            try await session.expect(220, after: nil)
            var features = try await session.ehlo()
            if smtp.security == .starttls {
                guard features.contains("STARTTLS") else { throw Failure(message: "the server does not offer STARTTLS") }
                try await session.expect(220, after: "STARTTLS")
                guard let tls else { throw Failure(message: "no TLS context") }
                try await channel.eventLoop.submit {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: serverName), position: .first)
                }.get()
                features = try await session.ehlo()
            }
            if let user = smtp.user {
                guard let password else { throw Failure(message: "no password") }
                let auth = features.first { $0.hasPrefix("AUTH ") || $0.hasPrefix("AUTH=") }?.dropFirst(5).split(separator: " ").map { $0.uppercased() } ?? []
                if auth.contains("PLAIN") {
                    let token = Data("\0\(user)\0\(password)".utf8).base64EncodedString()
                    try await session.expect(235, after: "AUTH PLAIN \(token)", shown: "AUTH PLAIN ****")
                } else if auth.contains("LOGIN") {
                    try await session.expect(334, after: "AUTH LOGIN")
                    try await session.expect(334, after: Data(user.utf8).base64EncodedString(), shown: "(user)")
                    try await session.expect(235, after: Data(password.utf8).base64EncodedString(), shown: "(password)")
                } else {
                    throw Failure(message: "the server offers neither AUTH PLAIN nor AUTH LOGIN (\(auth.joined(separator: " ")))")
                }
            }
            try await session.expect(250, after: "MAIL FROM:<\(message.from)>")
            try await session.expect([250, 251], after: "RCPT TO:<\(message.to)>")
            try await session.expect(354, after: "DATA")
            try await session.expect(250, after: rfc5322(message, host: smtp.host, now: now) + ".", shown: "(message)")
            try? await session.expect(221, after: "QUIT")
        } catch let failure as Failure {
            throw replies.timedOut ? Failure(message: "no answer within \(timeoutSeconds) s (\(failure.message))") : failure
        } catch {
            throw Failure(message: replies.timedOut ? "no answer within \(timeoutSeconds) s" : "\(error)")
        }
    }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }

    /// The message as sent after DATA: headers, a blank line, the body in base64 lines of 76,
    /// CRLF throughout (base64 never starts a line with a dot, so nothing needs stuffing).
    static func rfc5322(_ m: Message, host: String, now: Date) -> String {
        let date: String = {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(secondsFromGMT: BeijingTime.offsetSeconds)
            f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
            return f.string(from: now)
        }()
        let domain = m.from.split(separator: "@").last.map(String.init) ?? "duban.invalid"
        let id = RobotMessage.digest("\(m.to)\n\(m.subject)\n\(now.timeIntervalSince1970)").prefix(32)
        let body = Data(m.text.utf8).base64EncodedString()
        var lines = ["From: <\(m.from)>", "To: <\(m.to)>", "Subject: \(encodedWord(m.subject))", "Date: \(date)",
                     "Message-ID: <\(id)@\(domain)>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
                     "Content-Transfer-Encoding: base64", "Auto-Submitted: auto-generated", ""]
        var i = body.startIndex
        while i < body.endIndex {
            let j = body.index(i, offsetBy: 76, limitedBy: body.endIndex) ?? body.endIndex
            lines.append(String(body[i..<j]))
            i = j
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 2047: `=?UTF-8?B?…?=` words of at most 75 characters, split between characters.
    static func encodedWord(_ text: String) -> String {
        var words: [String] = []
        var chunk = ""
        for ch in text {
            if Data((chunk + String(ch)).utf8).base64EncodedString().count > 60 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(ch)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    /// One session's commands and replies; a reply other than the expected code is a failure
    /// quoting the server (at most 300 bytes).
    struct Session {
        var channel: Channel
        var replies: ReplyHandler

        func expect(_ codes: Set<Int>, after command: String?, shown: String? = nil) async throws {
            let reply = try await exchange(command)
            guard codes.contains(reply.code) else {
                let what = shown ?? command.map { String($0.prefix(40)) } ?? "the greeting"
                throw Failure(message: "\(what): \(reply.code) \(reply.lines.joined(separator: " ").prefix(300))")
            }
        }

        func expect(_ code: Int, after command: String?, shown: String? = nil) async throws {
            try await expect([code], after: command, shown: shown)
        }

        /// EHLO; the extensions the server lists, upper-cased.
        func ehlo() async throws -> [String] {
            let reply = try await exchange("EHLO duban")
            guard reply.code == 250 else { throw Failure(message: "EHLO: \(reply.code) \(reply.lines.joined(separator: " ").prefix(300))") }
            return reply.lines.dropFirst().map { $0.uppercased() }
        }

        func exchange(_ command: String?) async throws -> Reply {
            if let command {
                var buffer = channel.allocator.buffer(capacity: command.utf8.count + 2)
                buffer.writeString(command + "\r\n")
                try await channel.writeAndFlush(buffer).get()
            }
            let replies = self.replies
            return try await channel.eventLoop.flatSubmit { replies.next(on: self.channel.eventLoop) }.get()
        }
    }

    struct Reply: Sendable {
        var code: Int
        var lines: [String]
    }

    /// Lines ending in LF (CR dropped), each at most 4,096 bytes.
    struct LineDecoder: ByteToMessageDecoder {
        typealias InboundOut = ByteBuffer

        mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
            guard let lf = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
                if buffer.readableBytes > 4096 { throw Failure(message: "a reply line over 4096 bytes") }
                return .needMoreData
            }
            let length = lf - buffer.readerIndex
            guard var line = buffer.readSlice(length: length) else { return .needMoreData }
            buffer.moveReaderIndex(forwardBy: 1)
            if line.readableBytesView.last == UInt8(ascii: "\r") { line = line.getSlice(at: line.readerIndex, length: line.readableBytes - 1) ?? line }
            context.fireChannelRead(wrapInboundOut(line))
            return .continue
        }
    }

    /// Gathers multi-line replies (`250-…` … `250 …`) and hands each to whoever waits for it.
    /// Touched only on its channel's event loop.
    final class ReplyHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer

        private var lines: [String] = []
        private var bytes = 0
        private var ready: [Reply] = []
        private var waiting: EventLoopPromise<Reply>?
        private var closed: Error?
        var timedOut = false

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            let line = buffer.readString(length: buffer.readableBytes) ?? ""
            bytes += line.utf8.count
            let chars = Array(line.utf8)
            guard bytes <= MailTransport.maxReplyBytes, chars.count >= 3, let code = Int(String(decoding: chars[0..<3], as: UTF8.self)) else {
                fail(Failure(message: "not an SMTP reply: \(line.prefix(80))"), context: context)
                return
            }
            lines.append(chars.count > 4 ? String(decoding: chars[4...], as: UTF8.self) : "")
            if chars.count == 3 || chars[3] == UInt8(ascii: " ") {
                let reply = Reply(code: code, lines: lines)
                lines = []
                bytes = 0
                if let w = waiting {
                    waiting = nil
                    w.succeed(reply)
                } else {
                    ready.append(reply)
                }
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            fail(Failure(message: "the server closed the connection"), context: nil)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: Error) {
            fail(Failure(message: "\(error)"), context: context)
        }

        private func fail(_ error: Error, context: ChannelHandlerContext?) {
            if closed == nil { closed = error }
            waiting?.fail(error)
            waiting = nil
            context?.close(promise: nil)
        }

        func next(on loop: EventLoop) -> EventLoopFuture<Reply> {
            if !ready.isEmpty { return loop.makeSucceededFuture(ready.removeFirst()) }
            if let closed { return loop.makeFailedFuture(closed) }
            let p = loop.makePromise(of: Reply.self)
            waiting = p
            return p.futureResult
        }
    }
}
