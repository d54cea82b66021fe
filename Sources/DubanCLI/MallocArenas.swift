#if canImport(Glibc)
import Glibc
#endif

/// The C library's allocator, tuned for a command that runs a few threads at once on millions of
/// values (`duban digest` at country size).
enum MallocArenas {
    /// Has every thread allocate from one malloc arena, as the process's first thread does
    /// (glibc's `mallopt(M_ARENA_MAX, 1)`; elsewhere nothing). By default glibc gives a thread
    /// that allocates while another does an arena of its own, and memory freed in one arena is
    /// not reused by the others, which raises a country digest's peak memory by about a sixth
    /// (measured: BENCHMARKS.md, "`digest` at country, session 33"). Call before the threads
    /// start; the setting holds for the rest of the process.
    static func one() {
        #if canImport(Glibc)
        // `mallopt` and `M_ARENA_MAX` (-8 in glibc's <malloc.h>) are not in Swift's Glibc module:
        // looked up by name, called through its C signature. Nothing done if it is not there.
        guard let symbol = dlsym(nil, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        _ = mallopt(-8, 1)
        #endif
    }
}
