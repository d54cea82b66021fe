/// Reads a holiday calendar file (see `Plans/calendars/`), reporting every problem with its place:
/// bad dates, a range that ends before it starts, a holiday outside its year, a make-up working
/// day that is not a weekend day. A finding quotes the file only as a short escaped window of
/// its line: the path comes from a plan, and the file may be anything.
public enum CalendarReader {
    public static func read(path: String, diagnostics: DiagnosticCollector) -> WorkCalendar? {
        guard let doc = FlatYAML.read(path: path, bounded: true, into: diagnostics),
              let top = FlatMappingReader(doc.root, in: doc, path: path, what: "the calendar", diagnostics: diagnostics) else { return nil }
        if let v = top.int("version"), v.value != 1 {
            diagnostics.error(v.location, "unsupported calendar version \(v.value)", hint: "this duban reads version 1")
        }
        let id = top.string("id")
        let name = top.string("name")
        var years = Set<Int>()
        var holidays: [WorkCalendar.Holiday] = []
        for node in top.list("years") ?? [] {
            guard let y = top.reader(node, what: "a year") else { continue }
            let year = y.int("year", range: 1900...9999)
            _ = y.string("notice", required: false)
            _ = y.date("issued", required: false)
            if let year {
                if years.contains(year.value) {
                    diagnostics.error(year.location, "year \(year.value) is listed twice")
                }
                years.insert(year.value)
            }
            for hNode in y.list("holidays") ?? [] {
                guard let h = y.reader(hNode, what: "a holiday") else { continue }
                let hname = h.string("name")
                let from = h.date("from"), to = h.date("to")
                let workdays = (h.list("workdays", required: false) ?? []).compactMap {
                    h.date($0, what: "a make-up working day")
                }
                h.finish()
                for w in workdays where w.value.weekday <= 5 {
                    diagnostics.error(w.location, "make-up working day \(w.value) is a weekday, already a working day",
                                      hint: "`workdays` lists the Saturdays and Sundays worked (调休上班)")
                }
                guard let hname, let from, let to else { continue }
                if to.value < from.value {
                    diagnostics.error(to.location, "holiday \(hname.value) ends (\(to.value)) before it starts (\(from.value))")
                    continue
                }
                if let year, from.value.year != year.value && to.value.year != year.value {
                    diagnostics.error(from.location, "holiday \(hname.value) (\(from.value) … \(to.value)) is not in year \(year.value)")
                }
                holidays.append(.init(name: hname.value, from: from.value, to: to.value, workdays: workdays.map(\.value)))
            }
            y.finish()
        }
        top.finish()
        guard !diagnostics.hasErrors, let id, let name else { return nil }
        return WorkCalendar(id: id.value, name: name.value, years: years, holidays: holidays)
    }
}
