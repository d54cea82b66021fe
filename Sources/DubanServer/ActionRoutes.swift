import DubanKit
import Foundation
import Hummingbird

/// The coordinator records a step of the ladder (函告提醒, 通报, 提请追责问责) from the 督办等级
/// page, for one unit or several at once (a 通报 names several), with its 文号 (or the next of the
/// plan's counter) and date: checked by `ActionRule`, recorded by `SupervisionStore.recordActions`
/// (the code path of `duban action record`), all or nothing, audited.
extension PortalRoutes {
    func registerActionRoutes(on router: Router<PortalContext>) {
        router.post("/escalate/actions") { request, context in try await recordActionFromPage(request, context) }
    }

    /// What the step form was sent with, and what was wrong, by field.
    struct ActionFormState {
        var values: [String: String]
        var problems: [ActionRule.Problem]
    }

    /// The step form (coordinator only), filled in as sent when it comes back with errors.
    func actionForm(plan: Plan, csrf: String, today: LocalDate, filled: ActionFormState?) -> String {
        let value = { (name: String, fallback: String) in Pages.esc(filled?.values[name] ?? fallback) }
        let errors = { (field: ActionRule.Problem.Field) -> String in
            (filled?.problems ?? []).filter { $0.field == field }
                .map { "<span class=\"error\" role=\"alert\">\(Pages.esc($0.message))</span>" }.joined()
        }
        let level = filled?.values["level"] ?? "letter"
        let options = [EscalationLevel.letter, .circular, .referral].map {
            "<option value=\"\($0.keyword)\"\($0.keyword == level ? " selected" : "")>\(Pages.esc($0.label))</option>"
        }.joined()
        let next = plan.letters?.code.map { code in
            "<label><input type=\"checkbox\" name=\"ref_next\" value=\"1\"\(filled?.values["ref_next"] == "1" ? " checked" : "")> 取下一个文号(\(Pages.esc(code))〔年〕N号)</label>"
        } ?? ""
        return """
            <h2>记录督办措施 Record a step</h2>
            <form method="post" action="/escalate/actions" id="record-action">
            <input type="hidden" name="csrf" value="\(Pages.esc(csrf))">
            <label>措施 Step <select name="level">\(options)</select> \(errors(.level))</label>
            <label>单位 Units(可填多个,以顿号、逗号或空格分隔;可填单位组)<br>
            <input type="text" name="units" required maxlength="4000" value="\(value("units", ""))"> \(errors(.units))</label>
            <label>日期 Date <input type="date" name="date" required value="\(value("date", today.description))"> \(errors(.date))</label>
            <label>任务序号 Task(选填)<input type="text" name="task" inputmode="numeric" maxlength="6" value="\(value("task", ""))"> \(errors(.task))</label>
            <label>文号 Document number(选填)<input type="text" name="ref" maxlength="64" value="\(value("ref", ""))"> \(errors(.ref))</label>
            \(next)
            <label>说明 Note(选填)<br><textarea name="note" rows="2" maxlength="500">\(value("note", ""))</textarea></label>
            <button class="primary" type="submit">记录</button>
            </form>
            """
    }

    func recordActionFromPage(_ request: Request, _ context: PortalContext) async throws -> Response {
        let (account, access, _) = try signedIn(context)
        guard access.mayCoordinate else { throw HTTPError(.forbidden, message: "the coordinator records the ladder's steps") }
        var request = request
        let form = try await FormFields.read(&request, context: context)
        let plan = try storedPlan()
        var problems: [ActionRule.Problem] = []
        let names = (form["units"] ?? "").split { "、,，;; \t\r\n".contains($0) }.map(String.init)
        let (units, unitProblems) = ActionRule.units(names, in: plan)
        problems += unitProblems
        let level = EscalationLevel(keyword: form["level"] ?? "")
        if level == nil { problems.append(.init(field: .level, message: "the step is letter, circular or referral", hint: nil, usage: true)) }
        let date = (form["date"]).flatMap { LocalDate(iso: $0) }.flatMap { (1900...2999).contains($0.year) ? $0 : nil }
        if date == nil { problems.append(.init(field: .date, message: "expected a date YYYY-MM-DD", hint: nil, usage: true)) }
        var task: Int?
        if let text = form["task"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            task = Int(text)
            if task == nil { problems.append(.init(field: .task, message: "expected a task number", hint: nil, usage: true)) }
        }
        let typed = form["ref"]?.trimmingCharacters(in: .whitespaces).nilIfEmpty
        let ref = form["ref_next"] == "1" ? "next" : typed
        if form["ref_next"] == "1", typed != nil {
            problems.append(.init(field: .ref, message: "give a 文号 or take the next one, not both", hint: nil, usage: true))
        }
        let note = form["note"]?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty.map { String($0.prefix(500)) }
        if let date { problems += ActionRule.problems(plan: plan, level: level, date: date, task: task, ref: ref) }
        func again(_ problems: [ActionRule.Problem]) throws -> Response {
            let list = problems.map { "<li>\(Pages.esc($0.message))</li>" }.joined()
            return try escalatePage(request, context, notice: "<div class=\"error\" role=\"alert\">未记录(nothing recorded):<ul>\(list)</ul></div>",
                                    status: .unprocessableContent, filled: ActionFormState(values: form.values, problems: problems))
        }
        guard let level, let date, problems.isEmpty else { return try again(problems) }
        let code = plan.letters?.code
        let recorded: (ids: [Int64], reference: String?)
        do {
            recorded = try SupervisionStore(configuration.database).recordActions(
                planID: plan.id, unitIDs: units.map(\.id), level: level, takenOn: date, task: task,
                reference: ref == "next" ? nil : ref, nextNumberCode: ref == "next" ? code : nil, planCode: code, note: note,
                actor: AuditActor(account, address: context.remoteAddress))
        } catch let taken as DocumentNumberTaken {
            return try again([.init(field: .ref, message: "\(taken.reference) was already taken by action #\(taken.actionID)",
                                    hint: "take the next one", usage: false)])
        }
        let names2 = units.map(\.name).joined(separator: "、")
        let notice = "<p class=\"note\" role=\"status\">已记录 \(Pages.esc(level.label)) → \(Pages.esc(names2))(\(date)"
            + (recorded.reference.map { ",\(Pages.esc($0))" } ?? "") + "),措施 " + recorded.ids.map { "#\($0)" }.joined(separator: "、") + "。</p>"
        return try escalatePage(request, context, notice: notice)
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
