import Foundation

extension Ledger {
    /// `canonicalJSON` written by hand: the same bytes as `JSONEncoder` with `.sortedKeys,
    /// .withoutEscapingSlashes` gives for `Content` (keys sorted, nil optionals left out), at a
    /// fraction of the cost; computed once per submitted file. `canonicalJSONEncoded` is the
    /// reference it is tested against.
    var canonicalJSONWritten: String {
        var out = "{\"entries\":["
        for (i, e) in entries.enumerated() {
            if i > 0 { out += "," }
            out += "{"
            if let c = e.completed { out += "\"completed\":\"\(c.description)\"," }
            out += "\"evidence\":" + JSONText.strings(e.evidence)
            out += ",\"figures\":" + JSONText.figures(e.figures)
            if let m = e.milestone {
                out += ",\"milestone\":"
                JSONText.string(m, into: &out)
            }
            out += ",\"next_steps\":"
            JSONText.string(e.nextSteps, into: &out)
            if let p = e.percent { out += ",\"percent\":\(p)" }
            out += ",\"problems\":"
            JSONText.string(e.problems, into: &out)
            out += ",\"progress\":"
            JSONText.string(e.progress, into: &out)
            out += ",\"status\":"
            JSONText.string(e.status.rawValue, into: &out)
            if let t = e.task { out += ",\"task\":\(t)" }
            out += "}"
        }
        out += "],\"liaison\":{\"name\":"
        JSONText.string(liaison.name, into: &out)
        if let phone = liaison.phone {
            out += ",\"phone\":"
            JSONText.string(phone, into: &out)
        }
        out += "},\"period\":"
        JSONText.string(period.description, into: &out)
        out += ",\"plan\":"
        JSONText.string(planID, into: &out)
        out += ",\"submitted\":\"\(submitted.description)\",\"unit\":"
        JSONText.string(unitID, into: &out)
        return out + "}"
    }
}
