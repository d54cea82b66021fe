/// The inline SVG charts of the HTML digest. Drawn in user units on a narrow view box (so text
/// stays legible when a phone scales it down) and stretched to the page width by CSS.
enum DigestCharts {
    private static func n(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// Milestone items due and done, cumulative, from the plan's start to its end, with the as-of date marked.
    static func burnUp(_ d: Digest, _ l: DigestLabels) -> String {
        let w = 400.0, h = 230.0, left = 40.0, right = 12.0, top = 28.0, bottom = 26.0
        let start = Double(d.planStart.dayNumber), end = Double(max(d.planEnd.dayNumber, d.planStart.dayNumber + 1))
        let maxY = Double(max(d.burnUp.map(\.due).max() ?? 1, 1))
        func x(_ date: LocalDate) -> Double { left + (Double(date.dayNumber) - start) / (end - start) * (w - left - right) }
        func y(_ v: Int) -> Double { top + (1 - Double(v) / maxY) * (h - top - bottom) }
        var svg = "<svg class=\"chart burnup\" viewBox=\"0 0 \(n(w)) \(n(h))\" role=\"img\" aria-labelledby=\"burnup-title\">"
        svg += "<title id=\"burnup-title\">\(HTMLEscape.text(l.burnUp))</title>"
        // Grid: horizontal at 0, ½, max; vertical at each 1 January.
        for v in [0, Int(maxY) / 2, Int(maxY)] {
            svg += "<line class=\"grid\" x1=\"\(n(left))\" x2=\"\(n(w - right))\" y1=\"\(n(y(v)))\" y2=\"\(n(y(v)))\"/>"
            svg += "<text class=\"tick\" x=\"\(n(left - 4))\" y=\"\(n(y(v) + 4))\" text-anchor=\"end\">\(v)</text>"
        }
        for year in (d.planStart.year + 1)...max(d.planEnd.year, d.planStart.year + 1) {
            guard let jan1 = LocalDate(year: year, month: 1, day: 1), jan1 <= d.planEnd else { continue }
            svg += "<line class=\"grid\" x1=\"\(n(x(jan1)))\" x2=\"\(n(x(jan1)))\" y1=\"\(n(top))\" y2=\"\(n(h - bottom))\"/>"
            svg += "<text class=\"tick\" x=\"\(n(x(jan1)))\" y=\"\(n(h - bottom + 14))\" text-anchor=\"middle\">\(year)</text>"
        }
        func path(_ points: [(LocalDate, Int)]) -> String {
            // Steps: a count holds until the next date.
            var out = ""
            var last: Double?
            for (date, v) in points {
                let px = x(date), py = y(v)
                if let ly = last { out += " L\(n(px)) \(n(ly))" + " L\(n(px)) \(n(py))" } else { out += "M\(n(px)) \(n(py))" }
                last = py
            }
            return out
        }
        let due = d.burnUp.map { ($0.date, $0.due) }
        let done = d.burnUp.compactMap { p in p.done.map { (p.date, $0) } }
        svg += "<path class=\"due\" d=\"\(path(due))\"/>"
        if !done.isEmpty { svg += "<path class=\"done\" d=\"\(path(done))\"/>" }
        if d.asOf >= d.planStart && d.asOf <= d.planEnd {
            let ax = x(d.asOf)
            svg += "<line class=\"asof\" x1=\"\(n(ax))\" x2=\"\(n(ax))\" y1=\"\(n(top - 4))\" y2=\"\(n(h - bottom))\"/>"
            let anchor = ax > w * 0.7 ? "end" : "start"
            svg += "<text class=\"asof-label\" x=\"\(n(ax + (anchor == "end" ? -3 : 3)))\" y=\"\(n(top + 6))\" text-anchor=\"\(anchor)\">\(HTMLEscape.text(d.asOf.description))</text>"
        }
        // Legend.
        svg += "<rect class=\"due-key\" x=\"\(n(left))\" y=\"6\" width=\"14\" height=\"4\"/>"
        svg += "<text class=\"legend\" x=\"\(n(left + 18))\" y=\"12\">\(HTMLEscape.text(l.burnUpDue)) \(d.headline.milestonesDue)</text>"
        svg += "<rect class=\"done-key\" x=\"\(n(left + 170))\" y=\"6\" width=\"14\" height=\"4\"/>"
        svg += "<text class=\"legend\" x=\"\(n(left + 188))\" y=\"12\">\(HTMLEscape.text(l.burnUpDone)) \(d.headline.milestonesDone)</text>"
        return svg + "</svg>"
    }

    /// Per category: a track for the items due to date, green for those done, red for those overdue.
    static func categories(_ d: Digest, _ l: DigestLabels) -> String {
        let w = 400.0, rowH = 38.0, left = 4.0, right = 70.0
        let h = rowH * Double(d.categories.count) + 6
        let maxDue = Double(max(d.categories.map(\.due).max() ?? 1, 1))
        var svg = "<svg class=\"chart categories\" viewBox=\"0 0 \(n(w)) \(n(h))\" role=\"img\" aria-labelledby=\"cat-title\">"
        svg += "<title id=\"cat-title\">\(HTMLEscape.text(l.categories))</title>"
        for (i, c) in d.categories.enumerated() {
            let y0 = Double(i) * rowH + 4
            let name = c.number == 0 ? l.obligations : "(\(c.numeral))\(c.title)"
            svg += "<text class=\"bar-label\" x=\"\(n(left))\" y=\"\(n(y0 + 11))\">\(HTMLEscape.text(DisplayWidth.truncate(name, to: 44)))</text>"
            let full = (w - left - right)
            let track = full * Double(c.due) / maxDue
            let doneW = c.due == 0 ? 0 : track * Double(c.doneOfDue) / Double(c.due)
            let overW = c.due == 0 ? 0 : track * Double(min(c.overdue, c.due - c.doneOfDue)) / Double(c.due)
            svg += "<rect class=\"track\" x=\"\(n(left))\" y=\"\(n(y0 + 16))\" width=\"\(n(max(track, 1)))\" height=\"14\" rx=\"2\"/>"
            if doneW > 0 { svg += "<rect class=\"bar-done\" x=\"\(n(left))\" y=\"\(n(y0 + 16))\" width=\"\(n(doneW))\" height=\"14\" rx=\"2\"/>" }
            if overW > 0 { svg += "<rect class=\"bar-overdue\" x=\"\(n(left + track - overW))\" y=\"\(n(y0 + 16))\" width=\"\(n(overW))\" height=\"14\"/>" }
            let figure = c.due == 0 ? "—" : "\(c.doneOfDue)/\(c.due)"
            svg += "<text class=\"bar-value\" x=\"\(n(left + max(track, 1) + 4))\" y=\"\(n(y0 + 27))\">\(HTMLEscape.text(figure))</text>"
        }
        return svg + "</svg>"
    }
}
