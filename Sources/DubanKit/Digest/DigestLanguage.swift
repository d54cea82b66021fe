import Foundation

/// The language of a digest's labels. Data (unit names, titles, reasons) stays as written.
public enum DigestLanguage: String, CaseIterable, Sendable {
    case zh, en

    public var labels: DigestLabels { self == .zh ? .chinese : .english }
}

/// Every fixed word a digest renderer writes, in one language.
public struct DigestLabels: Sendable {
    public var htmlLang: String
    public var title: String
    public var weekOf: String
    public var asOf: String
    public var period: String
    public var coordinator: String
    public var previousWeek: String
    public var headline: String
    public var figure: String
    public var thisWeek: String
    public var lastWeek: String
    public var change: String
    public var milestonesDone: String
    public var milestonesOnTrack: String
    public var milestonesBehind: String
    public var milestonesOverdue: String
    public var milestonesDue: String
    public var milestonesTotal: String
    public var ledgersReceived: String
    public var ledgersOnTime: String
    public var ledgersMissing: String
    public var ledgersOverdue: String
    public var unitsEscalated: String
    public var taskStatus: String
    public var done: String
    public var inProgress: String
    public var notStarted: String
    public var noRecord: String
    public var categories: String
    public var category: String
    public var obligations: String
    public var dueToDate: String
    public var doneOfDue: String
    public var overdue: String
    public var doneThisWeek: String
    public var changes: String
    public var newlyCompleted: String
    public var newlyOverdue: String
    public var ledgersReceivedThisWeek: String
    public var newEscalations: String
    public var actions: String
    public var none: String
    public var overdueList: String
    public var escalationList: String
    public var missingLedgers: String
    public var unitTable: String
    public var unit: String
    public var item: String
    public var due: String
    public var daysOverdue: String
    public var units: String
    public var level: String
    public var reason: String
    public var lastAction: String
    public var onTimeRate: String
    public var ledgersDue: String
    public var overdueItems: String
    public var milestones: String
    public var periods: String
    public var upcoming: String
    public var burnUp: String
    public var burnUpDue: String
    public var burnUpDone: String
    public var late: String
    public var ledger: String
    public var task: String
    public var andMore: String
    public var footer: String
    public var index: String
    public var week: String
    public var unitsCount: String
    // The supervision lists (`overdue`, `notify`, `escalate`) take their headers from here too.
    public var step: String
    public var lastStatus: String
    public var note: String
    public var liaison: String
    public var phone: String
    public var kind: String
    public var overdueNow: String
    public var dueSoon: String
    public var mostDaysOverdue: String
    public var taken: String
    public var schedule: String
    public var elapsed: String
    public var percentDone: String
    public var overdueHeading: String
    public var overdueTextHeading: String
    public var notifyHeading: String
    public var escalateHeading: String
    public var escalateTextHeading: String
    public var ownHeading: String
    public var ownText: String
    public var behindHeading: String
    public var red: String
    public var yellow: String
    public var node: String

    public func level(_ keyword: String) -> String {
        guard let l = EscalationLevel(keyword: keyword) else { return keyword }
        if self.htmlLang == "zh-CN" { return l.label }
        switch l {
        case .none: return "normal"
        case .remind: return "reminder"
        case .letter: return "reminder letter"
        case .circular: return "circular"
        case .referral: return "referral for accountability"
        }
    }

    /// A status keyword's label (推进中 / in progress).
    public func status(_ s: ProgressStatus) -> String {
        switch s {
        case .done: return done
        case .inProgress: return inProgress
        case .notStarted: return notStarted
        }
    }

    public static let chinese = DigestLabels(
        htmlLang: "zh-CN", title: "工作周报", weekOf: "第 %@ 周", asOf: "截至", period: "统计周期", coordinator: "编制单位",
        previousWeek: "上周", headline: "一、总体情况", figure: "指标", thisWeek: "本周", lastWeek: "上周", change: "变化",
        milestonesDone: "节点已完成", milestonesOnTrack: "节点按序推进", milestonesBehind: "节点滞后序时进度",
        milestonesOverdue: "节点逾期", milestonesDue: "节点已到期", milestonesTotal: "节点总数",
        ledgersReceived: "台账已收", ledgersOnTime: "按时报送", ledgersMissing: "台账未报", ledgersOverdue: "逾期未报台账(累计)",
        unitsEscalated: "督办单位", taskStatus: "任务进展(单位×任务)", done: "已完成", inProgress: "推进中", notStarted: "未启动",
        noRecord: "无记录", categories: "二、分类进展", category: "类别", obligations: "全方案性报送义务",
        dueToDate: "应完成", doneOfDue: "已完成", overdue: "逾期", doneThisWeek: "本周完成",
        changes: "三、本周变化", newlyCompleted: "新完成", newlyOverdue: "新增逾期", ledgersReceivedThisWeek: "本周收到台账",
        newEscalations: "督办升级", actions: "本周督办措施", none: "无",
        overdueList: "四、逾期事项", escalationList: "五、督办名单", missingLedgers: "六、未报送台账单位",
        unitTable: "七、各单位情况", unit: "单位", item: "事项", due: "期限", daysOverdue: "逾期天数", units: "单位",
        level: "督办等级", reason: "原因", lastAction: "已采取措施", onTimeRate: "台账按时率", ledgersDue: "应报台账",
        overdueItems: "逾期事项", milestones: "节点完成", periods: "未报期间", upcoming: "八、未来 %@ 天到期事项",
        burnUp: "节点累计完成与到期(方案全期)", burnUpDue: "累计到期", burnUpDone: "累计完成", late: "迟报", ledger: "工作台账",
        task: "任务", andMore: "等 %@ 项", footer: "本周报由 duban 根据已报送台账和督办记录自动生成。", index: "工作周报目录",
        week: "周次", unitsCount: "%@ 个单位",
        step: "等级", lastStatus: "最近状态", note: "说明", liaison: "联络员", phone: "电话", kind: "类别", overdueNow: "已逾期",
        dueSoon: "即将到期", mostDaysOverdue: "最长逾期天数", taken: "已采取", schedule: "序时进度", elapsed: "已过时间",
        percentDone: "完成", overdueHeading: "截至 %@,逾期事项 %@ 项", overdueTextHeading: "截至 %@,逾期事项 %@ 项:",
        notifyHeading: "截至 %@,提醒 %@ 个单位(窗口 %@,至 %@)", escalateHeading: "截至 %@,督办单位 %@ 个",
        escalateTextHeading: "截至 %@ 督办等级:", ownHeading: "牵头单位自身待办(不列入督办):%@,逾期 %@ 项,即将到期 %@ 项",
        ownText: "【自身待办】%@(牵头单位,不列入督办):逾期 %@ 项,即将到期 %@ 项", behindHeading: "序时进度滞后 %@ 项",
        red: "红", yellow: "黄", node: "节点")

    public static let english = DigestLabels(
        htmlLang: "en", title: "Weekly digest", weekOf: "week %@", asOf: "As of", period: "Week", coordinator: "Prepared by",
        previousWeek: "Previous week", headline: "1. Headline figures", figure: "Figure", thisWeek: "This week",
        lastWeek: "Last week", change: "Change",
        milestonesDone: "Milestones done", milestonesOnTrack: "Milestones on track", milestonesBehind: "Milestones behind schedule",
        milestonesOverdue: "Milestones overdue", milestonesDue: "Milestones due to date", milestonesTotal: "Milestones in the plan",
        ledgersReceived: "Ledgers received", ledgersOnTime: "On time", ledgersMissing: "Ledgers missing",
        ledgersOverdue: "Ledgers overdue (all periods)", unitsEscalated: "Units escalated",
        taskStatus: "Task progress (units × tasks)", done: "done", inProgress: "in progress", notStarted: "not started",
        noRecord: "no record", categories: "2. Progress by category", category: "Category", obligations: "Plan-wide obligations",
        dueToDate: "Due", doneOfDue: "Done", overdue: "Overdue", doneThisWeek: "Done this week",
        changes: "3. This week", newlyCompleted: "Newly completed", newlyOverdue: "Newly overdue",
        ledgersReceivedThisWeek: "Ledgers received this week", newEscalations: "Escalated", actions: "Steps taken this week",
        none: "none", overdueList: "4. Overdue", escalationList: "5. Escalation list", missingLedgers: "6. Ledgers not submitted",
        unitTable: "7. Units", unit: "Unit", item: "Item", due: "Due", daysOverdue: "Days overdue", units: "Units",
        level: "Level", reason: "Reason", lastAction: "Last step", onTimeRate: "On-time ledgers", ledgersDue: "Ledgers due",
        overdueItems: "Overdue items", milestones: "Milestones done", periods: "Missing periods",
        upcoming: "8. Due in the next %@ days", burnUp: "Milestones done and due, over the plan",
        burnUpDue: "due (cumulative)", burnUpDone: "done (cumulative)", late: "late", ledger: "ledger", task: "task",
        andMore: "%@ items", footer: "Generated by duban from the ledgers submitted and the steps recorded.",
        index: "Weekly digests", week: "Week", unitsCount: "%@ units",
        step: "Level", lastStatus: "Last status", note: "Note", liaison: "Liaison", phone: "Phone", kind: "Kind",
        overdueNow: "overdue", dueSoon: "due soon", mostDaysOverdue: "Most days overdue", taken: "Step taken", schedule: "Schedule",
        elapsed: "Time elapsed", percentDone: "Done", overdueHeading: "As of %@, %@ overdue items",
        overdueTextHeading: "As of %@, %@ overdue items:", notifyHeading: "As of %@, reminders to %@ units (window %@, until %@)",
        escalateHeading: "As of %@, %@ units escalated", escalateTextHeading: "Escalation as of %@:",
        ownHeading: "The coordinator's own follow-ups (not escalated): %@, %@ overdue, %@ due soon",
        ownText: "[own follow-ups] %@ (coordinator, not escalated): %@ overdue, %@ due soon",
        behindHeading: "%@ milestones behind schedule", red: "red", yellow: "yellow", node: "milestone")
}

extension String {
    /// Replaces the first `%@` with `value`.
    public func filling(_ value: some CustomStringConvertible) -> String {
        guard let r = range(of: "%@") else { return self }
        return replacingCharacters(in: r, with: value.description)
    }
}
