import DubanKit

/// The ledger as an HTML form (`LedgerForm`'s fields): one block per entry of the template, each
/// field with its errors next to it, every error also listed at the top with a link to its field.
/// Works without JavaScript; one column on a phone.
enum LedgerFormPage {
    /// What a form shows: its values by field name (the template's, or as sent) and the findings.
    struct Filled {
        var values: [String: String]
        var findings: [Diagnostic] = []
        /// Files were sent: a browser cannot show them again, so they are to be chosen again.
        var filesToChooseAgain = false
    }

    static let style = """
        fieldset.entry{border:1px solid #ccc;margin:1rem 0;padding:.5rem .8rem}legend{font-weight:bold}
        .ledger-form input[type=text],.ledger-form input[type=tel],.ledger-form input[type=date],.ledger-form input[type=number],
        .ledger-form select,.ledger-form textarea{box-sizing:border-box;width:100%;max-width:40rem;padding:.4rem;font-size:1rem}
        .ledger-form textarea{min-height:4.5rem}.ledger-form .grid{display:flex;flex-wrap:wrap;gap:0 1rem}
        .ledger-form .grid label{flex:1 1 9rem}p.field-error{color:#b00;margin:.1rem 0 .4rem}
        [aria-invalid=true]{border:2px solid #b00}ul.errors a{color:#b00}
        """

    /// The form for `template`; `action` is where it posts (with the unit for a coordinator).
    static func render(_ template: LedgerTemplate, _ filled: Filled, csrf: String, action: String) -> String {
        var byField: [String: [Diagnostic]] = [:]
        for d in filled.findings where d.location.field != nil {
            byField[LedgerForm.name(d.location.field ?? "", entry: d.location.line), default: []].append(d)
        }
        let values = filled.values
        func value(_ name: String) -> String { values[name] ?? "" }
        func errors(_ name: String) -> (attributes: String, text: String) {
            guard let found = byField[name], !found.isEmpty else { return ("", "") }
            let text = found.map { d in
                "<p class=\"field-error\" role=\"alert\">\(d.severity == .error ? "错误" : "注意"):\(Pages.esc(d.message))"
                    + (d.hint.map { "<br><span class=\"note\">\(Pages.esc($0))</span>" } ?? "") + "</p>"
            }.joined()
            return (" aria-invalid=\"true\" aria-describedby=\"err-\(Pages.esc(name))\"", "<div id=\"err-\(Pages.esc(name))\">\(text)</div>")
        }
        func input(_ key: String, entry: Int?, type: String, extra: String = "") -> String {
            let name = LedgerForm.name(key, entry: entry)
            let (attributes, text) = errors(name)
            let limit = InputLimits.maxCharacters(forKey: key)
            return "<label>\(Pages.esc(LedgerForm.label(key)))<br><input type=\"\(type)\" id=\"f-\(Pages.esc(name))\" name=\"\(Pages.esc(name))\" "
                + "value=\"\(Pages.esc(value(name)))\" maxlength=\"\(limit)\"\(extra)\(attributes)></label>\(text)"
        }
        func area(_ key: String, entry: Int, placeholder: String = "") -> String {
            let name = LedgerForm.name(key, entry: entry)
            let (attributes, text) = errors(name)
            let limit = InputLimits.maxCharacters(forKey: key == "evidence" ? "figures" : key)
            let hint = placeholder.isEmpty ? "" : " placeholder=\"\(Pages.esc(placeholder))\""
            return "<label>\(Pages.esc(LedgerForm.label(key)))<br><textarea id=\"f-\(Pages.esc(name))\" name=\"\(Pages.esc(name))\" rows=\"3\" "
                + "maxlength=\"\(limit)\"\(hint)\(attributes)>\(Pages.esc(value(name)))</textarea></label>\(text)"
        }
        func hidden(_ name: String) -> String {
            "<input type=\"hidden\" name=\"\(Pages.esc(name))\" value=\"\(Pages.esc(value(name)))\">"
        }
        func status(_ entry: Int) -> String {
            let name = LedgerForm.name("status", entry: entry)
            let (attributes, text) = errors(name)
            let current = value(name)
            var labels = ProgressStatus.allCases.map(\.label)
            // A value sent that is none of them is kept, so the error next to it shows what was sent.
            if !current.isEmpty, !labels.contains(current), ProgressStatus(written: current).map({ labels.contains($0.label) }) != true {
                labels.append(current)
            }
            let selected = ProgressStatus(written: current)?.label ?? current
            let options = labels.map { "<option\($0 == selected ? " selected" : "")>\(Pages.esc($0))</option>" }.joined()
            return "<label>\(Pages.esc(LedgerForm.label("status")))<br><select id=\"f-\(Pages.esc(name))\" name=\"\(Pages.esc(name))\"\(attributes)>"
                + "\(options)</select></label>\(text)"
        }

        func files(_ entry: Int) -> String {
            let name = LedgerForm.name(LedgerForm.filesKey, entry: entry)
            let (attributes, text) = errors(name)
            return "<label>\(Pages.esc(LedgerForm.label(LedgerForm.filesKey)))(PDF、PNG、JPEG、Word、Excel,每个不超过 5 MB)<br>"
                + "<input type=\"file\" id=\"f-\(Pages.esc(name))\" name=\"\(Pages.esc(name))\" multiple "
                + "accept=\".pdf,.png,.jpg,.jpeg,.docx,.xlsx,application/pdf,image/png,image/jpeg\"\(attributes)></label>\(text)"
        }

        var out = ""
        if !filled.findings.isEmpty {
            let errorCount = filled.findings.filter { $0.severity == .error }.count
            out += "<div class=\"error\" role=\"alert\"><p>台账有 \(errorCount) 处错误,未报送(nothing recorded)。请改正后再报送:</p><ul class=\"errors\">"
            for d in filled.findings {
                let place = d.location.field.map { key -> String in
                    let name = LedgerForm.name(key, entry: d.location.line)
                    let target = values[name] == nil && key != "unit" && key != LedgerForm.filesKey ? "" : "#f-\(name)"
                    return target.isEmpty ? Pages.esc(d.location.description) : "<a href=\"\(Pages.esc(target))\">\(Pages.esc(d.location.description))</a>"
                } ?? Pages.esc(d.location.description)
                out += "<li>\(place):\(Pages.esc(d.message))</li>"
            }
            out += "</ul>"
            if filled.filesToChooseAgain { out += "<p>附件未保存,请改正后重新选择佐证材料文件。Choose the evidence files again.</p>" }
            out += "</div>"
        }
        out += """
            <form class="ledger-form" method="post" action="\(Pages.esc(action))" enctype="multipart/form-data">
            <input type="hidden" name="csrf" value="\(Pages.esc(csrf))"><input type="hidden" name="kind" value="form">
            \(hidden("plan"))\(hidden("unit"))\(hidden("period"))
            <div class="grid">\(input("liaison", entry: nil, type: "text", extra: " required autocomplete=\"name\""))
            \(input("phone", entry: nil, type: "tel", extra: " required autocomplete=\"tel\""))
            \(input("submitted", entry: nil, type: "date", extra: " required"))</div>
            """
        for (i, p) in template.prefills.enumerated() {
            let n = i + 1
            var legend = "\(n). 任务\(p.task.number) \(p.task.title)"
            if let m = p.milestone {
                legend += " · 节点 \(m.id) \(m.title)" + (p.due.map { "(到期 \($0)\($0 < template.period.start ? ",已逾期" : ""))" } ?? "")
            }
            let prior = p.previous.map { "上期(截至 \($0.reportedOn)):\($0.state)" } ?? "上期无记录"
            out += """
                <fieldset class="entry" id="entry-\(n)"><legend>\(Pages.esc(legend))</legend>
                <p class="note">\(Pages.esc(prior))</p>
                \(hidden(LedgerForm.name("task", entry: n)))\(hidden(LedgerForm.name("milestone", entry: n)))
                \(errors(LedgerForm.name("task", entry: n)).text)\(errors(LedgerForm.name("milestone", entry: n)).text)
                <div class="grid">\(status(n))
                \(input("percent", entry: n, type: "number", extra: " min=\"0\" max=\"100\" step=\"1\" inputmode=\"numeric\""))
                \(input("completed", entry: n, type: "date"))</div>
                \(area("progress", entry: n))\(area("problems", entry: n))\(area("next_steps", entry: n))
                \(area("figures", entry: n, placeholder: "名称=数值单位,如 培训学时=60学时;一行一项"))
                \(area("evidence", entry: n, placeholder: "文号、文件名或链接,一行一项"))
                \(files(n))
                </fieldset>
                """
        }
        out += "<button class=\"primary\" type=\"submit\">报送台账 Submit</button></form>"
        return out
    }
}
