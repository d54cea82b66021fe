/// A unit's due dates as an iCalendar feed (RFC 5545), for the calendar apps people already use:
/// one all-day event per open owed item (milestone occurrence or ledger) on its due date, with
/// an alarm the plan's `remind_before_days` before it. Deterministic: the same facts and as-of
/// date give the same bytes (DTSTAMP is the as-of date; UIDs are made of the item's identity).
public enum ICalendar {
    /// The feed of `items` (open items of one unit or group, as `SupervisionSnapshot.owed` gives them).
    public static func feed(plan: Plan, name: String, items: [SupervisionJSON.Item], asOf: LocalDate,
                            remindBeforeDays: Int) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Duban//督办//ZH", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + text("督办 · \(name)"), "X-WR-TIMEZONE:Asia/Shanghai",
        ]
        let stamp = compact(asOf) + "T000000Z"
        for item in items {
            guard let due = LocalDate(iso: item.due) else { continue }
            let what = (item.task.map { "任务\($0) " } ?? "") + (item.milestone.map { "[\($0)] " } ?? "") + item.title
            let identity = [plan.id, item.unit, item.kind, item.task.map(String.init) ?? "-", item.milestone ?? "-",
                            item.period ?? item.original_due].joined(separator: "/")
            lines += [
                "BEGIN:VEVENT",
                "UID:" + text(uid(identity)),
                "DTSTAMP:" + stamp,
                "DTSTART;VALUE=DATE:" + compact(due),
                "DTEND;VALUE=DATE:" + compact(due.adding(days: 1)),
                "SUMMARY:" + text("【\(item.unit_name)】\(what) 截止"),
                "DESCRIPTION:" + text("\(item.reason)\n期限 \(item.due)" + (item.extended ? "(已延期,原期限 \(item.original_due))" : "")
                                      + "\n\(plan.title)"),
                "CATEGORIES:" + text(item.kind == "ledger" ? "工作台账" : "任务节点"),
                "TRANSP:TRANSPARENT",
            ]
            if remindBeforeDays > 0 {
                lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:" + text("\(what) 将于 \(item.due) 到期"),
                          "TRIGGER:-P\(remindBeforeDays)D", "END:VALARM"]
            }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `20240410`.
    static func compact(_ date: LocalDate) -> String {
        date.description.replacingOccurrences(of: "-", with: "")
    }

    /// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, line breaks as
    /// `\n`, other control characters dropped.
    static func text(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\r": continue
            default:
                if ch.value < 0x20 || ch.value == 0x7F { continue }
                out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// A UID that stays the same for the same item, from its identity (FNV-1a, 64 bits).
    static func uid(_ identity: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in identity.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + "@duban"
    }

    /// A content line folded at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var out = "", octets = 0
        for ch in line.unicodeScalars {
            let size = String(ch).utf8.count
            if octets + size > 75 {
                out += "\r\n "
                octets = 1
            }
            out.unicodeScalars.append(ch)
            octets += size
        }
        return out
    }
}
