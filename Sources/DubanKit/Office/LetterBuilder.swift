/// Writes a letter's text from the escalation rows of its units (the facts `escalate` shows).
public enum LetterBuilder {
    /// The issuing office's settings from plan.yaml `letters:`, or the coordinator's name.
    public static func office(_ plan: Plan) -> (name: String, code: String?, contact: String?) {
        let coordinator = plan.unit(id: plan.coordinator)
        let name = plan.letters?.office ?? coordinator?.name ?? plan.coordinator
        let person = plan.letters?.contact ?? coordinator?.liaison?.name
        let phone = plan.letters?.phone ?? coordinator?.liaison?.phone
        var contact: String?
        if let person { contact = "联系人:\(person)" + (phone.map { ",联系电话:\($0)" } ?? "") }
        return (name, plan.letters?.code, contact)
    }

    /// - Parameters:
    ///   - rows: one per unit named, in the order given, each with its items (`items: true`).
    ///   - replyBy: the day by which a written reply is asked for.
    public static func build(level: Letter.Level, rows: [SupervisionJSON.Escalation], plan: Plan, asOf: LocalDate,
                             reference: String?, replyBy: LocalDate) -> Letter {
        let office = office(plan)
        let names = rows.map(\.unit_name)
        let planName = "《\(plan.title)》"
        let when = Letter.chineseDate(asOf)
        let reply = Letter.chineseDate(replyBy)
        func overdue(_ r: SupervisionJSON.Escalation) -> [SupervisionJSON.Item] {
            r.items.filter { LocalDate(iso: $0.due).map { $0 < asOf } ?? false }
        }
        func soon(_ r: SupervisionJSON.Escalation) -> [SupervisionJSON.Item] {
            r.items.filter { LocalDate(iso: $0.due).map { $0 >= asOf } ?? false }
        }
        func line(_ n: Int, _ i: SupervisionJSON.Item, late: Bool) -> Letter.Block {
            let what = (i.task.map { "任务\($0)" } ?? "") + (i.milestone.map { "(节点\($0))" } ?? "") + "“\(i.title)”"
            let due = LocalDate(iso: i.due).map(Letter.chineseDate) ?? i.due
            return .paragraph(late ? "\(n).\(what),完成时限\(due),已逾期\(i.days_overdue)天;"
                                   : "\(n).\(what),完成时限\(due),尚未报送完成情况;")
        }
        func items(_ r: SupervisionJSON.Escalation, includeSoon: Bool) -> [Letter.Block] {
            let late = overdue(r)
            var out = late.enumerated().map { line($0 + 1, $1, late: true) }
            if includeSoon { out += soon(r).enumerated().map { line(late.count + $0 + 1, $1, late: false) } }
            return out
        }
        var body: [Letter.Block] = []
        let title: String
        var addressees = names
        switch level {
        case .reminder, .letter:
            let unit = names.joined(separator: "、")
            title = level == .reminder ? "关于\(unit)落实\(planName)有关事项的督办提醒函" : "关于\(unit)落实\(planName)逾期事项的督办函"
            for r in rows {
                let late = overdue(r), upcoming = soon(r)
                var opening = "根据\(planName)关于跟踪督办的要求,\(office.name)对各单位重点任务落实情况进行了跟踪调度。截至\(when),"
                if level == .letter {
                    opening += "你单位有\(late.count)项工作逾期未完成,存在组织实施不力的情况,现予函告提醒:"
                } else {
                    opening += "你单位有\(late.count)项工作已逾期" + (upcoming.isEmpty ? "" : "、\(upcoming.count)项工作即将到期") + ",具体如下:"
                }
                body.append(.paragraph(opening))
                body += items(r, includeSoon: level == .reminder)
            }
            body.append(.paragraph(level == .letter
                ? "请你单位高度重视,认真分析原因,明确责任人和完成时限,采取有效措施抓紧整改,并于\(reply)前将整改落实情况书面反馈\(office.name)。"
                : "请你单位抓紧推进,按期完成并报送工作台账,于\(reply)前将落实情况书面反馈\(office.name)。如有困难,请及时联系。"))
        case .circular:
            title = "关于\(names.joined(separator: "、"))落实\(planName)工作滞后情况的通报"
            let groups = plan.groups.filter { g in rows.contains { r in g.members.contains(r.unit) } }.map(\.name)
            addressees = groups.isEmpty ? names : groups
            body.append(.paragraph("根据\(planName)关于跟踪督办的要求,\(office.name)对各单位重点任务落实情况进行了跟踪调度。截至\(when),\(names.joined(separator: "、"))等\(names.count)个单位工作推进滞后,经函告提醒后仍未按期整改。现将有关情况通报如下:"))
            for (n, r) in rows.enumerated() {
                body.append(.heading("\(chineseNumeral(n + 1))、\(r.unit_name)(逾期\(overdue(r).count)项)"))
                body += items(r, includeSoon: false)
            }
            body.append(.paragraph("请被通报单位认真查找问题,切实担负起主体责任,于\(reply)前将整改落实情况书面反馈\(office.name)。各单位要引以为戒,对照方案要求逐项抓好落实。"))
        case .referral:
            title = "关于提请对\(names.joined(separator: "、"))落实\(planName)不力问题追责问责的函"
            addressees = [plan.issuer]
            body.append(.paragraph("根据\(planName)“对整改不力、工作严重滞后、责任不落实的县区、部门及人员,提请有管理权限的机关依规依纪依法追责问责”的要求,现将有关情况报告如下。截至\(when),以下单位工作严重滞后,经函告提醒、通报后仍未整改:"))
            for (n, r) in rows.enumerated() {
                body.append(.heading("\(chineseNumeral(n + 1))、\(r.unit_name)(逾期\(overdue(r).count)项)"))
                body += items(r, includeSoon: false)
            }
            body.append(.paragraph("特提请依规依纪依法追责问责,并请于\(reply)前将处理意见书面反馈\(office.name)。"))
        }
        return Letter(level: level, office: office.name, reference: reference, title: title, addressees: addressees,
                      body: body, date: asOf, contact: office.contact)
    }

    /// 一 … 九十九, for the 一、 headings.
    static func chineseNumeral(_ n: Int) -> String {
        let digits = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        guard n > 0, n < 100 else { return String(n) }
        if n < 10 { return digits[n] }
        return (n / 10 == 1 ? "" : digits[n / 10]) + "十" + digits[n % 10]
    }
}
