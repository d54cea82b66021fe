import Dispatch

/// Runs two pure computations at once, one per thread, and returns both results: the machine
/// Duban is measured on has 2 cores, and at country size each half walks millions of owed items.
func onTwoThreads<A, B>(_ first: @Sendable () -> A, _ second: @Sendable () -> B) -> (A, B) {
    let slots = Slots<A, B>()
    DispatchQueue.concurrentPerform(iterations: 2) { i in
        if i == 0 { slots.first = first() } else { slots.second = second() }
    }
    // `concurrentPerform` returns after both iterations; the fallbacks never run.
    return (slots.first ?? first(), slots.second ?? second())
}

/// Each iteration writes its own property (not one shared array), so no access overlaps.
private final class Slots<A, B>: @unchecked Sendable {
    var first: A?
    var second: B?
}
