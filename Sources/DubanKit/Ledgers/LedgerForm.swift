/// The ledger as a form filled in on the portal: its field names, their labels, the values a
/// template prefills, and the reading of a submitted form into a `LedgerFileSpec`, which is then
/// checked and recorded exactly as a file is (`LedgerLoader.load(specs:)`). A field is named
/// `KEY` for the header (`liaison`, `phone`, `submitted`, and the hidden `plan`, `unit`,
/// `period`) and `eN.KEY` for entry N (from 1); its errors are located at it
/// (`SourceLocation.field`), shown as `entry 3 · 状态`.
///
/// The form holds what the CSV layout holds, in the same words: figures as `名称=数值单位`
/// separated by `;` or line breaks, evidence one item a line (or `;`); so a form ledger is
/// recorded with format `csv`.
public enum LedgerForm {
    /// The header fields, in order.
    public static let headerKeys = ["plan", "unit", "period", "liaison", "phone", "submitted"]
    /// The fields of an entry, in order.
    public static let entryKeys = ["task", "milestone", "status", "percent", "completed", "progress", "problems", "next_steps",
                                   "figures", "evidence"]
    /// The file input of an entry (`eN.files`): evidence files, several at once (`EvidenceFile`).
    public static let filesKey = "files"
    /// A form has at most this many entries (a unit owes a few dozen).
    public static let maxEntries = 500

    /// The field's name in the form: `status` of entry 3 is `e3.status`.
    public static func name(_ key: String, entry: Int?) -> String {
        entry.map { "e\($0).\(key)" } ?? key
    }

    /// The label of a field: the CSV layout's Chinese column or header name.
    public static func label(_ key: String) -> String {
        if key == filesKey { return "佐证材料文件" }
        return LedgerCSVReader.columns.first { $0.field == key }?.names[0]
            ?? LedgerCSVReader.headerKeys.first { $0.field == key }?.names[0] ?? key
    }

    /// `entry 3 · 状态`, or the label alone for a header field.
    public static func fieldDescription(key: String, entry: Int?) -> String {
        entry.map { "entry \($0) · \(label(key))" } ?? label(key)
    }

    /// Where a field is, for its findings.
    public static func location(_ key: String, entry: Int?, file: String) -> SourceLocation {
        let column = (entry == nil ? headerKeys : entryKeys).firstIndex(of: key).map { $0 + 1 }
        return SourceLocation(file: file, line: entry, column: column, field: key)
    }

    /// The values a form for `template` starts with, by field name: exactly what the YAML
    /// template writes (`LedgerTemplate.yaml`), figures and evidence as the CSV template writes them.
    public static func values(_ template: LedgerTemplate) -> [String: String] {
        var values = ["plan": template.plan.id, "unit": template.unit.id, "period": template.period.description,
                      "liaison": template.liaison?.name ?? "", "phone": template.liaison?.phone ?? "",
                      "submitted": template.submitted.description]
        for (i, p) in template.prefills.enumerated() {
            let n = i + 1
            values[name("task", entry: n)] = String(p.task.number)
            values[name("milestone", entry: n)] = p.milestone?.id ?? ""
            values[name("status", entry: n)] = p.status.label
            values[name("percent", entry: n)] = String(p.percent)
            values[name("completed", entry: n)] = p.status == .done ? (p.completed ?? template.submitted).description : ""
            values[name("progress", entry: n)] = p.progress
            values[name("problems", entry: n)] = p.problems
            values[name("next_steps", entry: n)] = p.nextSteps
            values[name("figures", entry: n)] = LedgerTemplate.figuresText(p.figures)
            values[name("evidence", entry: n)] = p.evidence.joined(separator: "\n")
        }
        return values
    }
}
