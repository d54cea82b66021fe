/// Which of one key's records counts as its latest known one, defined once. `ItemStates` and
/// `TaskStatuses` apply it to facts in record order; the store's `current_fact` fold applies it to
/// stored rows, to keep exactly the records these two can pick (it orders, it does not restate).
///
/// Record order is the order facts come in: (unit, task, milestone, reported on, record id).
/// Dates may be `LocalDate`s or their `YYYY-MM-DD` text, which orders alike.
public enum LatestRecord {
    /// What `ItemState` shows as the last report (`lastStatus`, `lastPercent`, `lastReportedOn`):
    /// the later known; then the later completed; on a tie the earlier in record order.
    public static func beatsForItem<Day: Comparable, Order: Comparable>(
        knownOn: Day, completedOn: Day, order: Order, over other: (knownOn: Day, completedOn: Day, order: Order)
    ) -> Bool {
        if knownOn != other.knownOn { return knownOn > other.knownOn }
        if completedOn != other.completedOn { return completedOn > other.completedOn }
        return order < other.order
    }

    /// What `TaskStatus` shows for a task: the later known; on a tie the later in record order.
    public static func beatsForTask<Day: Comparable, Order: Comparable>(
        knownOn: Day, order: Order, over other: (knownOn: Day, order: Order)
    ) -> Bool {
        if knownOn != other.knownOn { return knownOn > other.knownOn }
        return order > other.order
    }
}
