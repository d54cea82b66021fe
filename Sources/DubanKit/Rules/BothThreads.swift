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

/// A pure computation started on another thread, while the caller goes on with other work (such
/// as reading the database for the next one); `result` waits for it.
final class InBackground<T>: @unchecked Sendable {
    private let work: @Sendable () -> T
    private let done = DispatchSemaphore(value: 0)
    private var value: T?
    private var waited = false

    init(_ work: @escaping @Sendable () -> T) {
        self.work = work
        DispatchQueue.global().async { [self] in
            value = work()
            done.signal()
        }
    }

    /// The computation's result, once it is done (call from one thread).
    func result() -> T {
        if !waited {
            done.wait()
            waited = true
        }
        // The background write happened before `signal`; the fallback never runs.
        if let value { return value }
        let computed = work()
        value = computed
        return computed
    }
}
