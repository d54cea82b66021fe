import Foundation
import XCTest

/// `duban notify --send`, `--dry-run` and `notify log` on the built binary, against a webhook
/// sink of the test's own on loopback (`WebhookSink`).
final class NotificationTests: CLITestCase {
    static let dingToken = "dt-0123456789abcdef-TOKEN"
    static let dingSecret = "SECa1b2c3d4e5f6SIGNINGSECRET"
    static let wecomKey = "wk-fedcba9876543210-KEY"
    static let hookToken = "hook-bearer-777-TOKEN"
    static var secrets: [String] { [dingToken, dingSecret, wecomKey, hookToken] }

    /// The Zhangye plan copied, with `channels` as its notifications.yaml, loaded with every sample.
    func start(_ cli: inout CLIRunner, sink: WebhookSink?, channels: String, extra: String = "", reviewed: Bool = false) throws -> String {
        let plan = try reviewed
            ? cli.copyOfZhangye(editing: "plan.yaml") { $0.replacingOccurrences(of: "  liaison_phone: required", with: "  review: required\n  liaison_phone: required") }
            : cli.copyOfZhangye()
        let port = sink?.port ?? 9
        let yaml = """
            version: 1
            retry:
              attempts: 3
              backoff_seconds: 1
            timeout_seconds: 5
            \(extra)
            channels:
            \(channels.replacingOccurrences(of: "PORT", with: String(port)).replacingOccurrences(of: "PLANDIR", with: plan))
            """
        try yaml.write(toFile: plan + "/notifications.yaml", atomically: true, encoding: .utf8)
        cli.environment = ["DUBAN_TEST_DING_URL": "http://127.0.0.1:\(port)/ding/robot/send?access_token=\(Self.dingToken)",
                           "DUBAN_TEST_DING_SECRET": Self.dingSecret,
                           "DUBAN_TEST_WECOM_URL": "http://127.0.0.1:\(port)/wecom/cgi-bin/webhook/send?key=\(Self.wecomKey)",
                           "DUBAN_TEST_HOOK_TOKEN": Self.hookToken]
        XCTAssertEqual(try cli.run(["plan", "load", plan]).code, 0)
        let samples = CLIRunner.zhangye + "/samples"
        let files = try FileManager.default.contentsOfDirectory(atPath: samples).sorted().map { samples + "/" + $0 }
        XCTAssertEqual(try cli.run(["ledger", "submit"] + files).code, 0)
        return plan
    }

    static let robots = """
          - id: county-ding
            kind: dingtalk
            units: [市交通运输局]
            url: {env: DUBAN_TEST_DING_URL}
            secret: {env: DUBAN_TEST_DING_SECRET}
          - id: minle-wecom
            kind: wecom
            format: markdown
            units: [民乐县]
            url: {env: DUBAN_TEST_WECOM_URL}
          - id: ops-hook
            kind: webhook
            units: [民乐县]
            url: http://127.0.0.1:PORT/hook
            token: {env: DUBAN_TEST_HOOK_TOKEN}
        """

    func reminderText(_ cli: CLIRunner, unit: String, asOf: String) throws -> String {
        let r = try cli.run(["notify", "--as-of", asOf, "--format", "text", "--unit", unit])
        XCTAssertEqual(r.code, 0, r.stderr)
        return r.stdout
    }

    func testRobotsGetTheirFormatsSignedOnceADay() throws {
        var cli = try CLIRunner()
        let sink = try WebhookSink(in: cli.directory, dingSecret: Self.dingSecret)
        _ = try start(&cli, sink: sink, channels: Self.robots)
        let r = try cli.run(["notify", "--send", "--as-of", "2024-04-10"])
        XCTAssertEqual(r.code, 0, r.stdout + r.stderr)
        let calls = sink.calls
        XCTAssertEqual(calls.map(\.path).sorted(), ["/ding/robot/send", "/hook", "/wecom/cgi-bin/webhook/send"], r.stdout)

        // DingTalk: msgtype text, the reminder exactly as notify --format text writes it, signed.
        let ding = try XCTUnwrap(calls.first { $0.path.hasPrefix("/ding") })
        XCTAssertEqual(ding.json["msgtype"] as? String, "text")
        let content = try XCTUnwrap((ding.json["text"] as? [String: Any])?["content"] as? String)
        XCTAssertEqual(content, try reminderText(cli, unit: "市交通运输局", asOf: "2024-04-10"))
        XCTAssertEqual(Set(ding.json.keys), ["msgtype", "text"])
        XCTAssertTrue(ding.query.hasPrefix("access_token=\(Self.dingToken)&timestamp="), ding.query)
        XCTAssertEqual(ding.signOK, true, "the sink's HMAC-SHA256 of timestamp\\nsecret matches &sign=")
        XCTAssertTrue(ding.headers["Content-Type"]?.hasPrefix("application/json") ?? false)

        // WeCom: msgtype markdown, {markdown: {content}}, the reminder's lines escaped, under 4096 bytes.
        let wecom = try XCTUnwrap(calls.first { $0.path.hasPrefix("/wecom") })
        XCTAssertEqual(wecom.json["msgtype"] as? String, "markdown")
        XCTAssertEqual(wecom.query, "key=\(Self.wecomKey)")
        let md = try XCTUnwrap((wecom.json["markdown"] as? [String: Any])?["content"] as? String)
        XCTAssertTrue(md.hasPrefix("**【督办提醒】民乐县"), md)
        XCTAssertLessThanOrEqual(md.utf8.count, 4096)

        // The generic webhook: its documented schema, the bearer token.
        let hook = try XCTUnwrap(calls.first { $0.path == "/hook" })
        XCTAssertEqual(hook.headers["Authorization"], "Bearer \(Self.hookToken)")
        XCTAssertEqual(hook.json["schema"] as? String, "duban.notification/1")
        XCTAssertEqual(hook.json["unit"] as? String, "minle")
        XCTAssertEqual(hook.json["as_of"] as? String, "2024-04-10")
        XCTAssertEqual(hook.json["text"] as? String, try reminderText(cli, unit: "民乐县", asOf: "2024-04-10"))
        XCTAssertNotNil(hook.json["notice"] as? [String: Any])

        // The same day again: nothing new goes out.
        let again = try cli.run(["notify", "--send", "--as-of", "2024-04-10"])
        XCTAssertEqual(again.code, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("already sent earlier today 3"), again.stdout)
        XCTAssertEqual(sink.calls.count, 3)

        // The next working day sends again; the log lists both days.
        XCTAssertEqual(try cli.run(["notify", "--send", "--as-of", "2024-04-11"]).code, 0)
        XCTAssertEqual(sink.calls.count, 6)
        let log = try cli.run(["notify", "log", "--format", "json"])
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(entries.count, 6)
        XCTAssertEqual(Set(entries.compactMap { $0["state"] as? String }), ["sent"])
        XCTAssertEqual(entries.first?["day"] as? String, "2024-04-11")

        // No secret in any output, nor in the database.
        let dump = try cli.dump()
        for s in Self.secrets {
            for text in [r.stdout, r.stderr, again.stdout, log.stdout, dump] { XCTAssertFalse(text.contains(s), "\(s) leaked") }
        }
    }

    func testAFlakySinkGetsExactlyOneMessageAndAFailureIsLogged() throws {
        var cli = try CLIRunner()
        let sink = try WebhookSink(in: cli.directory)
        _ = try start(&cli, sink: sink, channels: """
              - id: flaky
                kind: webhook
                units: [市交通运输局]
                url: http://127.0.0.1:PORT/flaky
              - id: down
                kind: webhook
                units: [市交通运输局]
                url: http://127.0.0.1:PORT/down
            """)
        let r = try cli.run(["notify", "--send", "--as-of", "2024-04-10"])
        XCTAssertEqual(r.code, 76, r.stdout + r.stderr)
        let flaky = sink.calls.filter { $0.path == "/flaky" }
        XCTAssertEqual(flaky.map(\.status), [500, 500, 200], "retried until it went through, then no more")
        XCTAssertEqual(Set(flaky.map(\.body)).count, 1, "the same message each time")
        XCTAssertEqual(sink.calls.filter { $0.path == "/down" }.count, 3, "three attempts, then it gives up")
        XCTAssertTrue(r.stdout.contains("giving up for today"), r.stdout)

        let log = try cli.run(["notify", "log", "--format", "json"])
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        let byChannel = Dictionary(uniqueKeysWithValues: entries.map { ($0["channel"] as? String ?? "", $0) })
        XCTAssertEqual(byChannel["flaky"]?["state"] as? String, "sent")
        XCTAssertEqual(byChannel["flaky"]?["attempts"] as? Int, 3)
        XCTAssertEqual(byChannel["down"]?["state"] as? String, "failed")
        XCTAssertTrue((byChannel["down"]?["last_error"] as? String)?.hasPrefix("HTTP 500") ?? false)
        let failed = try cli.run(["notify", "log", "--failed"])
        XCTAssertTrue(failed.stdout.contains("down") && !failed.stdout.contains("flaky"), failed.stdout)

        // The coordinator sees the failure on the portal's 发送记录 page, first.
        let password = try XCTUnwrap(try cli.run(["account", "add", "--login", "sfj-wang", "--role", "coordinator", "--name", "王某某"])
            .stdout.split(separator: "\n").last { $0.contains("one-time password") }?.split(separator: " ").last.map(String.init))
        let server = try PortalServerRunner(runner: cli, asOf: "2024-04-10")
        let browser = PortalClient(port: server.port)
        let form = try browser.get("/login")
        XCTAssertEqual(try browser.post("/login", [("csrf", try XCTUnwrap(PortalClient.csrf(in: form.body))), ("login", "sfj-wang"),
                                                   ("password", password)]).status, 303)
        let page = try browser.get("/notifications")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("失败 1 条"), page.body)
        let down = try XCTUnwrap(page.body.range(of: "webhook down")), flakyRow = try XCTUnwrap(page.body.range(of: "webhook flaky"))
        XCTAssertLessThan(down.lowerBound, flakyRow.lowerBound, "failures first")
        XCTAssertTrue(page.body.contains("HTTP 500"), page.body)
        server.stop()

        // Again the same day: the sent one is not sent again, the failed one has used its attempts.
        let again = try cli.run(["notify", "--send", "--as-of", "2024-04-10"])
        XCTAssertEqual(again.code, 76)
        XCTAssertTrue(again.stdout.contains("gave up"), again.stdout)
        XCTAssertEqual(sink.calls.count, 6)
    }

    func testNothingIsSentOnAHolidayOrWeekendAndDryRunWritesNothing() throws {
        var cli = try CLIRunner()
        let sink = try WebhookSink(in: cli.directory, dingSecret: Self.dingSecret)
        _ = try start(&cli, sink: sink, channels: Self.robots)
        let before = try cli.dump()
        let holiday = try cli.run(["notify", "--send", "--as-of", "2024-10-01"])
        XCTAssertEqual(holiday.code, 0, holiday.stderr)
        XCTAssertTrue(holiday.stdout.contains("holiday (国庆节)"), holiday.stdout)
        let weekend = try cli.run(["notify", "--send", "--as-of", "2024-04-13"])
        XCTAssertTrue(weekend.stdout.contains("weekend"), weekend.stdout)
        // A make-up working day (调休) is a working day: 2024-04-07 is a Sunday worked for 清明.
        let dry = try cli.run(["notify", "--send", "--dry-run", "--as-of", "2024-04-07"])
        XCTAssertEqual(dry.code, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("would send: 市交通运输局 → dingtalk county-ding via http://127.0.0.1:\(sink.port)/ding/robot/send, signed"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("\"msgtype\" : \"markdown\""), dry.stdout)
        for s in Self.secrets { XCTAssertFalse(dry.stdout.contains(s) || dry.stderr.contains(s), "\(s) shown") }
        XCTAssertEqual(sink.calls.count, 0)
        XCTAssertEqual(try cli.dump(), before, "neither a rest day nor a dry run writes")
    }

    func testABadChannelsFileIsReportedAtItsPlacesAndAMissingSecretStopsEverything() throws {
        var cli = try CLIRunner()
        let plan = try start(&cli, sink: nil, channels: """
              - id: a
                kind: dingtalk
                url: https://oapi.dingtalk.com/robot/send?access_token=abc
              - id: b
                kind: wecom
                units: [甘州县]
                kinds: [reminders]
                url: {env: DUBAN_TEST_WECOM_URL}
              - id: c
                kind: webhook
                url: {file: PLANDIR/secret.txt}
                tokn: x
            """)
        let r = try cli.run(["notify", "--send", "--as-of", "2024-04-10"])
        XCTAssertEqual(r.code, 65, r.stderr)
        let path = plan + "/notifications.yaml"
        XCTAssertTrue(r.stderr.contains("\(path):10:10: error: the URL of a dingtalk robot holds its token"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(path):13:13: error: unknown unit or group \"甘州县\""), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(path):14:13: error: `kinds` must be one of reminder, extension_decision, ledger_return, escalation_step, found \"reminders\""), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(path):18:17: error: the secret file \(plan)/secret.txt is inside the plan's folder"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(path):19:5: error: unknown key `tokn`"), r.stderr)
        XCTAssertFalse(r.stderr.contains("access_token=abc\n") && r.stdout.contains("abc"))
        let check = try cli.run(["plan", "check", plan])
        XCTAssertEqual(check.code, 65, "plan check reads the plan folder's notifications.yaml too")
        XCTAssertTrue(check.stderr.contains("\(path):13:13: error: unknown unit or group \"甘州县\""), check.stderr)

        try """
            version: 1
            channels:
              - id: a
                kind: dingtalk
                url: {env: DUBAN_NOT_SET_ANYWHERE}
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let missing = try cli.run(["notify", "--send", "--as-of", "2024-04-10"])
        XCTAssertEqual(missing.code, 78, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("$DUBAN_NOT_SET_ANYWHERE"), missing.stderr)
    }

    func testTheServerSendsAtItsTimeThroughTheSameLog() throws {
        var cli = try CLIRunner()
        let sink = try WebhookSink(in: cli.directory, dingSecret: Self.dingSecret)
        _ = try start(&cli, sink: sink, channels: Self.robots)
        // 00:00 has always passed: the server sends at start (a restart after the hour), then daily.
        let server = try PortalServerRunner(runner: cli, asOf: "2024-04-10", extra: ["--notify-at", "00:00"])
        let deadline = Date().addingTimeInterval(30)
        while sink.calls.count < 3, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertEqual(server.stop(), 0)
        XCTAssertEqual(sink.calls.count, 3, server.stderr)
        XCTAssertEqual(sink.calls.first { $0.path.hasPrefix("/ding") }?.signOK, true)
        XCTAssertTrue(server.stderr.contains("notify: sent: 民乐县 → wecom minle-wecom (attempt 1)"), server.stderr)
        for s in Self.secrets { XCTAssertFalse(server.stderr.contains(s), "\(s) in the server's log") }
        // The command line finds them in the same log.
        let again = try cli.run(["notify", "--send", "--as-of", "2024-04-10"])
        XCTAssertTrue(again.stdout.contains("already sent earlier today 3"), again.stdout)
        XCTAssertEqual(sink.calls.count, 3)
        XCTAssertEqual(try cli.run(["serve", "--notify-at", "9:00"]).code, 64)
    }

    func testEmailGoesOverSTARTTLSWithAuthToEachAddressOnceADay() throws {
        var cli = try CLIRunner()
        let password = "smtp-PASSWORD-4242"
        let sink = try SMTPSink(in: cli.directory, user: "duban", password: password)
        _ = try start(&cli, sink: nil, channels: """
              - id: mail
                kind: email
                units: [民乐县, 市交通运输局]
                smtp:
                  host: localhost
                  port: \(sink.port)
                  security: starttls
                  user: duban
                  password: {env: DUBAN_TEST_SMTP_PASSWORD}
                  from: duban@example.gov.cn
                  ca_file: \(sink.certificate)
                to:
                  民乐县: [li@minle.example.cn, wang@minle.example.cn]
            """)
        cli.environment["DUBAN_TEST_SMTP_PASSWORD"] = password
        let r = try cli.run(["notify", "--send", "--as-of", "2024-04-10"])
        XCTAssertEqual(r.code, 0, r.stdout + r.stderr)
        let mails = sink.mails
        XCTAssertEqual(mails.map(\.to), [["li@minle.example.cn"], ["wang@minle.example.cn"]], "one per address; 市交通运输局 has none")
        let text = try reminderText(cli, unit: "民乐县", asOf: "2024-04-10")
        for m in mails {
            XCTAssertEqual(m.from, "duban@example.gov.cn")
            XCTAssertEqual(m.subject, "【督办提醒】民乐县 2024-04-10")
            XCTAssertEqual(m.contentType, "text/plain")
            XCTAssertEqual(m.text.replacingOccurrences(of: "\r\n", with: "\n"), text)
            XCTAssertTrue(m.tls, "STARTTLS before the message")
            XCTAssertTrue(m.auth, "authenticated")
        }
        let again = try cli.run(["notify", "--send", "--as-of", "2024-04-10"])
        XCTAssertTrue(again.stdout.contains("already sent earlier today 2"), again.stdout)
        XCTAssertEqual(sink.mails.count, 2)
        let log = try cli.run(["notify", "log"])
        XCTAssertTrue(log.stdout.contains("li@minle.example.cn"), log.stdout)
        let dump = try cli.dump()
        for t in [r.stdout, r.stderr, again.stdout, log.stdout, dump] { XCTAssertFalse(t.contains(password), "the SMTP password leaked") }

        // A wrong password: refused by the server, logged, retried, exit 76, never shown.
        cli.environment["DUBAN_TEST_SMTP_PASSWORD"] = "wrong-PASSWORD-1717"
        let wrong = try cli.run(["notify", "--send", "--as-of", "2024-04-11"])
        XCTAssertEqual(wrong.code, 76, wrong.stdout + wrong.stderr)
        XCTAssertTrue(wrong.stdout.contains("AUTH PLAIN ****: 535"), wrong.stdout)
        XCTAssertFalse(wrong.stdout.contains("wrong-PASSWORD-1717"))
        XCTAssertFalse(try cli.dump().contains("wrong-PASSWORD-1717"))
    }

    func testExtensionDecisionsGoOutWithTheNextWorkingDaysRun() throws {
        var cli = try CLIRunner()
        let sink = try WebhookSink(in: cli.directory)
        _ = try start(&cli, sink: sink, channels: """
              - id: hook
                kind: webhook
                units: [临泽县, 民乐县]
                url: http://127.0.0.1:PORT/hook
              - id: minle-wecom
                kind: wecom
                format: markdown
                units: [民乐县]
                url: {env: DUBAN_TEST_WECOM_URL}
            """)
        for args in [["request", "--unit", "临泽县", "--task", "15", "--new-due", "2025-03-31", "--reason", "评估范围扩大", "--date", "2024-12-01"],
                     ["request", "--unit", "民乐县", "--task", "15", "--new-due", "2025-03-31", "--reason", "人手不足", "--date", "2024-12-02"],
                     ["decide", "1", "approve", "--date", "2024-12-07"],
                     ["decide", "2", "refuse", "--reason", "理由不充分 <b>*再议*</b>", "--date", "2024-12-09"]] {
            let r = try cli.run(["extension"] + args)
            XCTAssertEqual(r.code, 0, r.stderr)
        }
        // Friday 2024-12-06: no decision yet, reminders only.
        XCTAssertEqual(try cli.run(["notify", "--send", "--as-of", "2024-12-06"]).code, 0)
        XCTAssertTrue(sink.calls.allSatisfy { $0.json["kind"] as? String != "extension_decision" && !$0.body.contains("延期申请审批结果") })
        let before = sink.calls.count
        // Monday 2024-12-09: Saturday's approval and Monday's refusal.
        let r = try cli.run(["notify", "--send", "--as-of", "2024-12-09"])
        XCTAssertEqual(r.code, 0, r.stdout + r.stderr)
        let decisions = sink.calls.dropFirst(before).filter { $0.body.contains("延期申请审批结果") }
        XCTAssertEqual(decisions.count, 3, "临泽县 and 民乐县 on the webhook, 民乐县 on WeCom")
        let linze = try XCTUnwrap(decisions.first { $0.path == "/hook" && $0.json["unit"] as? String == "linze" })
        XCTAssertEqual(linze.json["kind"] as? String, "extension_decision")
        XCTAssertTrue((linze.json["text"] as? String)?.contains("申请延期至 2025-03-31:已批准,新期限 2025-03-31。") ?? false, linze.body)
        let items = try XCTUnwrap(linze.json["decisions"] as? [[String: Any]])
        XCTAssertEqual(items.first?["decision"] as? String, "approved")
        XCTAssertEqual(items.first?["decided_on"] as? String, "2024-12-07")
        let wecom = try XCTUnwrap(decisions.first { $0.path.hasPrefix("/wecom") })
        let md = try XCTUnwrap((wecom.json["markdown"] as? [String: Any])?["content"] as? String)
        XCTAssertTrue(md.contains("未予批准(理由不充分 &lt;b&gt;\\*再议\\*&lt;/b&gt;)"), md)
        // The next day: nothing about those decisions again.
        let count = sink.calls.count
        XCTAssertEqual(try cli.run(["notify", "--send", "--as-of", "2024-12-10"]).code, 0)
        XCTAssertFalse(sink.calls.dropFirst(count).contains { $0.body.contains("延期申请审批结果") })
        let log = try cli.run(["notify", "log", "--format", "json"])
        XCTAssertTrue(log.stdout.contains("\"kind\" : \"extension_decision\""), log.stdout)
    }

    func testReturnedLedgersAndStepsOfTheLadderReachTheirUnitsOnce() throws {
        var cli = try CLIRunner()
        let sink = try WebhookSink(in: cli.directory)
        _ = try start(&cli, sink: sink, channels: """
              - id: hook
                kind: webhook
                units: [甘州区, 临泽县, 民乐县]
                url: http://127.0.0.1:PORT/hook
              - id: leaders
                kind: webhook
                units: [临泽县]
                kinds: [escalation_step]
                url: http://127.0.0.1:PORT/leaders
            """, reviewed: true)
        let review = try cli.run(["ledger", "review", "--unit", "甘州区", "--period", "2024-03", "return",
                                  "--reason", "缺少佐证材料 <b>*", "--date", "2024-04-08", "--by", "市司法局 王某"])
        XCTAssertEqual(review.code, 0, review.stderr)
        for unit in ["甘州区", "临泽县", "民乐县"] {
            let r = try cli.run(["action", "record", "--unit", unit, "--level", "circular", "--date", "2024-04-08",
                                 "--ref", "张司通〔2024〕3号", "--task", "15"])
            XCTAssertEqual(r.code, 0, r.stderr)
        }
        // Friday 2024-04-03 (before both): no notice. Monday 2024-04-08 (Sunday 04-07 a make-up working day): both.
        XCTAssertEqual(try cli.run(["notify", "--send", "--as-of", "2024-04-03"]).code, 0)
        XCTAssertFalse(sink.calls.contains { ["ledger_return", "escalation_step"].contains($0.json["kind"] as? String ?? "") })
        let dry = try cli.run(["notify", "--send", "--dry-run", "--as-of", "2024-04-08"])
        XCTAssertTrue(dry.stdout.contains("would send: ledger_return 甘州区 → webhook hook"), dry.stdout)
        let r = try cli.run(["notify", "--send", "--as-of", "2024-04-08"])
        XCTAssertEqual(r.code, 0, r.stdout + r.stderr)
        let returns = sink.calls.filter { $0.json["kind"] as? String == "ledger_return" }
        XCTAssertEqual(returns.map { $0.json["unit"] as? String }, ["ganzhou"], "only the unit whose ledger was returned")
        let ret = try XCTUnwrap(returns.first)
        let text = try XCTUnwrap(ret.json["text"] as? String)
        XCTAssertTrue(text.hasPrefix("【台账退回】甘州区:"), text)
        XCTAssertTrue(text.contains("2024-03 期台账(第 6 号,2024-04-02 报送)于 2024-04-08 退回,原因:缺少佐证材料 <b>*;报送期限 2024-04-05,已逾期 3 天。"), text)
        let item = try XCTUnwrap((ret.json["returns"] as? [[String: Any]])?.first)
        XCTAssertEqual(item["reason"] as? String, "缺少佐证材料 <b>*")
        XCTAssertEqual(item["due"] as? String, "2024-04-05")
        XCTAssertEqual(item["decided_by"] as? String, "市司法局 王某")
        XCTAssertTrue(item["resubmitted_as"] is NSNull)

        let steps = sink.calls.filter { $0.path == "/hook" && $0.json["kind"] as? String == "escalation_step" }
        XCTAssertEqual(Set(steps.compactMap { $0.json["unit"] as? String }), ["ganzhou", "linze", "minle"])
        XCTAssertEqual(steps.count, 3)
        let linze = try XCTUnwrap(steps.first { $0.json["unit"] as? String == "linze" })
        let step = try XCTUnwrap((linze.json["steps"] as? [[String: Any]])?.first)
        XCTAssertEqual(step["level"] as? String, "circular")
        XCTAssertEqual(step["reference"] as? String, "张司通〔2024〕3号")
        XCTAssertEqual(step["task"] as? Int, 15)
        XCTAssertEqual(step["reply_by"] as? String, "2024-04-18")
        XCTAssertEqual(step["also_named"] as? [String], ["ganzhou", "minle"])
        XCTAssertTrue((linze.json["text"] as? String)?.contains("2024-04-08 通报(张司通〔2024〕3号),涉及任务15,同时被通报的还有甘州区、民乐县。请于 2024-04-18 前将落实情况书面反馈市司法局。") ?? false,
                      linze.body)

        // The leaders' channel takes only the steps (kinds:), and only 临泽县's.
        XCTAssertEqual(sink.calls.filter { $0.path == "/leaders" }.map { $0.json["kind"] as? String }, ["escalation_step"])
        XCTAssertEqual(sink.calls.filter { $0.path == "/leaders" }.map { $0.json["unit"] as? String }, ["linze"])

        // The same day again, and the next day: neither notice again.
        let count = sink.calls.count
        XCTAssertEqual(try cli.run(["notify", "--send", "--as-of", "2024-04-08"]).code, 0)
        XCTAssertEqual(try cli.run(["notify", "--send", "--as-of", "2024-04-09"]).code, 0)
        XCTAssertFalse(sink.calls.dropFirst(count).contains { ["ledger_return", "escalation_step"].contains($0.json["kind"] as? String ?? "") })
    }

    /// Two sending runs at once (the server's schedule and a command) against a slow webhook: the
    /// second waits for the first and sends nothing again; each message arrives once.
    func testTwoRunsAtOnceDeliverEachMessageOnce() throws {
        var cli = try CLIRunner()
        let sink = try WebhookSink(in: cli.directory)
        _ = try start(&cli, sink: sink, channels: """
              - id: slow
                kind: webhook
                url: http://127.0.0.1:PORT/slow-hook
            """)
        let r = try cli.run(["notify", "--send", "--as-of", "2024-04-10"], shell: """
            "$@" >a.out 2>&1 & a=$!
            "$@" >b.out 2>&1; rb=$?
            wait $a; ra=$?
            cat a.out; echo ---; cat b.out; echo "rc $ra $rb"
            """)
        XCTAssertTrue(r.stdout.hasSuffix("rc 0 0\n"), r.stdout)
        let sent = try XCTUnwrap(r.stdout.firstMatch(of: /sent (\d+), failed 0, already sent earlier today 0/)?.1).description
        let n = try XCTUnwrap(Int(sent))
        XCTAssertGreaterThan(n, 1, r.stdout)
        XCTAssertTrue(r.stdout.contains("sent 0, failed 0, already sent earlier today \(n)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("is under way"), "one run waited for the other: \(r.stdout)")
        XCTAssertEqual(sink.calls.count, n, r.stdout)
        XCTAssertEqual(Set(sink.calls.map { $0.json["unit"] as? String ?? "" }).count, n, "each unit once")
    }
}
