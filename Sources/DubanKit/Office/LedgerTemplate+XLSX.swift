extension LedgerTemplate {
    /// The name of the ledger sheet, and of the hidden sheet holding the status choices.
    public static let xlsxSheetName = "台账"
    static let xlsxListsSheetName = "选项"

    /// The template as a workbook: the CSV template's rows and columns on a sheet 台账, typed
    /// (numbers, real dates), 状态 a drop-down from a hidden sheet, 完成比例 limited to 0–100,
    /// 完成日期 a date; the identifying columns and the header protected (no password: the
    /// protection keeps a liaison from editing them by mistake, it is not security); the table's
    /// header frozen and repeated on every printed A4 landscape page.
    public func xlsx() -> XLSXWorkbook {
        let columns = Self.spreadsheetColumns
        func index(_ name: String) -> Int { columns.firstIndex(of: name) ?? 0 }
        var preamble: [[XLSXSheet.Cell]] = [[.text(spreadsheetTitle)], [.text(Self.spreadsheetInstructions)]]
        var unlockedPreamble: Set<[Int]> = []
        for field in spreadsheetHeaderFields {
            if ["联络员", "联系电话", "报送日期"].contains(field.key) { unlockedPreamble.insert([preamble.count, 1]) }
            let value: XLSXSheet.Cell = field.key == "报送日期" ? .date(submitted) : field.value.isEmpty ? .empty : .text(field.value)
            preamble.append([.text(field.key), value])
        }
        preamble.append([])
        func text(_ s: String) -> XLSXSheet.Cell { s.isEmpty ? .empty : .text(s) }
        let rows = spreadsheetRows.map { r -> [XLSXSheet.Cell] in
            [.number(Double(r.number)), .number(Double(r.task.number)), .text(r.task.title), text(r.milestone?.id ?? ""),
             text(r.milestone?.title ?? ""), r.due.map { .date($0) } ?? .empty, .text(r.previous), .text(r.status.label),
             .number(Double(r.percent)), r.completed.map { .date($0) } ?? .empty,
             text(r.progress), text(r.problems), text(r.nextSteps), text(r.figures), text(r.evidence)]
        }
        var sheet = XLSXSheet(name: Self.xlsxSheetName, header: columns, rows: rows)
        sheet.preamble = preamble
        sheet.unlockedPreamble = unlockedPreamble
        let inputs = ["状态", "完成比例", "完成日期", "进展情况", "存在问题", "下步打算", "数据指标", "佐证材料"].map(index)
        sheet.unlockedColumns = Set(inputs)
        sheet.dateColumns = [index("完成日期")]
        sheet.wrapColumns = Set(["任务名称", "节点名称", "进展情况", "存在问题", "下步打算", "数据指标", "佐证材料"].map(index))
        sheet.widths = columns.map { name in
            switch name {
            case "序号", "任务": return 6
            case "任务名称", "节点名称": return 24
            case "节点": return 14
            case "到期日", "完成日期": return 12
            case "上期状态": return 22
            case "状态", "完成比例": return 10
            case "进展情况", "存在问题", "下步打算": return 36
            default: return 24
            }
        }
        let statuses = ProgressStatus.allCases.map(\.label)
        sheet.validations = [
            index("状态"): .list(range: "状态选项", prompt: "请从下拉列表选择:" + statuses.joined(separator: "/")),
            index("完成比例"): .wholeNumber(min: 0, max: 100, prompt: "完成比例:0–100 的整数"),
            index("完成日期"): .date(min: plan.start.adding(days: -366), max: plan.end.adding(days: 366),
                                 prompt: "完成日期:状态为已完成时必填,日期格式"),
        ]
        sheet.printLandscape = true
        var lists = XLSXSheet(name: Self.xlsxListsSheetName, header: [statuses[0]], rows: statuses.dropFirst().map { [.text($0)] })
        lists.freezeHeader = false
        lists.hidden = true
        var workbook = XLSXWorkbook(sheets: [sheet, lists])
        workbook.definedNames = [.init(name: "状态选项", sheet: nil,
                                       reference: "\(XLSXWriter.quotedSheet(Self.xlsxListsSheetName))!$A$1:$A$\(statuses.count)")]
        return workbook
    }
}
