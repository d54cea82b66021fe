/// How a template is assembled for a unit and period: shared by `duban ledger template` and the
/// portal's download, so both give the same file.
extension LedgerTemplate {
    /// The period a template is for when none is named: the last one ended by `today`, else the
    /// first started, else the plan's first owed period.
    public static func defaultPeriod(plan: Plan, today: LocalDate) -> ReportingPeriod? {
        let started = LedgerCalendar.periods(plan, asOf: today)
        return started.last(where: { $0.end <= today }) ?? started.first ?? LedgerPeriods.owed(plan).first
    }

    /// The template for `unit` and `period`, prefilled with each owed task's and milestone's last
    /// record before the period, and the liaison of the unit's last ledger.
    public static func prefilled(store: LedgerStore, plan: Plan, unit: PlanUnit, period: ReportingPeriod,
                                 today: LocalDate) throws -> LedgerTemplate {
        let before = period.start.adding(days: -1)
        var tasks: [Int: ProgressRecord] = [:]
        var milestones: [String: ProgressRecord] = [:]
        for task in plan.tasksOwed(by: unit.id) {
            tasks[task.number] = try store.latest(plan: plan.id, unit: unit.id, task: task.number, milestone: nil, asOf: before)
            for m in task.milestones {
                milestones[m.id] = try store.latest(plan: plan.id, unit: unit.id, task: task.number, milestone: m.id, asOf: before)
            }
        }
        let liaison = try store.submissions(plan: plan.id).last { $0.unitID == unit.id }?.liaison ?? unit.liaison
        return LedgerTemplate(plan: plan, unit: unit, period: period, previousTasks: tasks, previousMilestones: milestones,
                              liaison: liaison, submitted: max(today, period.start))
    }
}
