/// The digest's JSON written through `JSONValue`, without `JSONEncoder`'s reflection: the keys
/// are those `JSONEncoder` with `.convertToSnakeCase` writes, and every optional is present (null
/// when empty), as docs/digest.md documents. `ScaleTests.testDigestJSONIsJSONEncoders` holds the two equal, byte for byte.
extension LocalDate {
    var jsonValue: JSONValue { .string(description) }
}

extension Optional where Wrapped == LocalDate {
    var jsonValue: JSONValue { map(\.jsonValue) ?? .null }
}

extension Digest: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("plan_id", .string(planID)), ("plan_title", .string(planTitle)), ("coordinator", .string(coordinator)),
                 ("plan_start", planStart.jsonValue), ("plan_end", planEnd.jsonValue), ("as_of", asOf.jsonValue),
                 ("week", .string(week)), ("week_start", weekStart.jsonValue), ("previous_as_of", previousAsOf.jsonValue),
                 ("headline", headline.jsonValue), ("previous", previous.jsonValue), ("task_status", taskStatus.jsonValue),
                 ("categories", categories.jsonValue), ("changes", changes.jsonValue), ("overdue", overdue.jsonValue),
                 ("escalations", escalations.jsonValue), ("behind_schedule", .int(behindSchedule)),
                 ("missing_ledgers", missingLedgers.jsonValue), ("units", units.jsonValue), ("upcoming_days", .int(upcomingDays)),
                 ("upcoming", upcoming.jsonValue), ("burn_up", burnUp.jsonValue)])
    }
}

extension DigestHeadline: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("milestones_total", .int(milestonesTotal)), ("milestones_due", .int(milestonesDue)),
                 ("milestones_done", .int(milestonesDone)), ("milestones_on_track", .int(milestonesOnTrack)),
                 ("milestones_behind", .int(milestonesBehind)), ("milestones_overdue", .int(milestonesOverdue)),
                 ("ledgers_overdue", .int(ledgersOverdue)), ("ledger_period", .string(ledgerPeriod)),
                 ("ledger_period_due", ledgerPeriodDue.jsonValue), ("ledgers_owed", .int(ledgersOwed)),
                 ("ledgers_received", .int(ledgersReceived)), ("ledgers_on_time", .int(ledgersOnTime)),
                 ("ledgers_late", .int(ledgersLate)), ("ledgers_missing", .int(ledgersMissing)),
                 ("ledgers_pending", .int(ledgersPending)), ("units_escalated", .int(unitsEscalated)),
                 ("units_at_referral", .int(unitsAtReferral))])
    }
}

extension DigestTaskStatus: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("cells", .int(cells)), ("done", .int(done)), ("in_progress", .int(inProgress)),
                 ("not_started", .int(notStarted)), ("no_record", .int(noRecord))])
    }
}

extension DigestCategory: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("number", .int(number)), ("numeral", .string(numeral)), ("title", .string(title)), ("total", .int(total)),
                 ("due", .int(due)), ("done_of_due", .int(doneOfDue)), ("done", .int(done)), ("overdue", .int(overdue)),
                 ("done_this_week", .int(doneThisWeek))])
    }
}

extension DigestUnitRef: JSONValueConvertible {
    public var jsonValue: JSONValue { .object([("id", .string(id)), ("name", .string(name))]) }
}

extension DigestItem: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("unit", unit.jsonValue), ("kind", .string(kind)), ("task", .int(task)), ("milestone", .string(milestone)),
                 ("title", .string(title)), ("period", .string(period)), ("due", due.jsonValue),
                 ("days_overdue", .int(daysOverdue)), ("done_on", doneOn.jsonValue)])
    }
}

extension DigestItemGroup: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("kind", .string(kind)), ("task", .int(task)), ("milestone", .string(milestone)), ("title", .string(title)),
                 ("period", .string(period)), ("due", due.jsonValue), ("days_overdue", .int(daysOverdue)),
                 ("units", units.jsonValue)])
    }
}

extension DigestChanges: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("newly_completed", newlyCompleted.jsonValue), ("newly_overdue", newlyOverdue.jsonValue),
                 ("ledgers_received", ledgersReceived.jsonValue), ("new_escalations", newEscalations.jsonValue),
                 ("actions", actions.jsonValue)])
    }
}

extension DigestLedgerReceipt: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("unit", unit.jsonValue), ("period", .string(period)), ("submitted_on", submittedOn.jsonValue),
                 ("late", .bool(late))])
    }
}

extension DigestLevelChange: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("unit", unit.jsonValue), ("from", .string(from)), ("to", .string(to)), ("reason", .string(reason))])
    }
}

extension DigestAction: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("unit", unit.jsonValue), ("level", .string(level)), ("date", date.jsonValue), ("task", .int(task))])
    }
}

extension DigestEscalation: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("unit", unit.jsonValue), ("level", .string(level)), ("overdue_items", .int(overdueItems)),
                 ("days_overdue", .int(daysOverdue)), ("reason", .string(reason)), ("last_action", .string(lastAction)),
                 ("last_action_on", lastActionOn.jsonValue)])
    }
}

extension DigestMissingLedgers: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("unit", unit.jsonValue), ("periods", .array(periods.map(JSONValue.string)))])
    }
}

extension DigestUnitRow: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("unit", unit.jsonValue), ("ledgers_due", .int(ledgersDue)), ("ledgers_on_time", .int(ledgersOnTime)),
                 ("ledgers_late", .int(ledgersLate)), ("ledgers_missing", .int(ledgersMissing)),
                 ("on_time_rate", .int(onTimeRate)), ("milestones_due", .int(milestonesDue)),
                 ("milestones_done", .int(milestonesDone)), ("overdue_items", .int(overdueItems)), ("level", .string(level))])
    }
}

extension DigestBurnPoint: JSONValueConvertible {
    public var jsonValue: JSONValue {
        .object([("date", date.jsonValue), ("due", .int(due)), ("done", .int(done))])
    }
}
