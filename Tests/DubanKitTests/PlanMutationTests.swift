@testable import DubanKit
import Foundation
import XCTest

/// Broken copies of real plan files: the loader must reject or accept each one without
/// crashing, and every error about a file must name a place in it.
final class PlanMutationTests: XCTestCase {
    /// A small deterministic generator (SplitMix64), so a failure can be replayed.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(max(bound, 1)))
        }
    }

    static func mutate(_ bytes: [UInt8], _ g: inout Generator) -> [UInt8] {
        var b = bytes
        guard !b.isEmpty else { return b }
        let lines = b.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        switch g.next(8) {
        case 0: b = Array(b.prefix(g.next(b.count)))                                   // truncated
        case 1: b[g.next(b.count)] = UInt8(g.next(256))                                 // one byte changed
        case 2: b.insert(contentsOf: Array("\t: [{\"'-&*!|>%@`".utf8).shuffled(using: &g), at: g.next(b.count))
        case 3:                                                                          // a line dropped
            var l = lines; l.remove(at: g.next(l.count)); b = Array(l.joined(separator: [0x0A]))
        case 4:                                                                          // a line repeated
            var l = lines; let i = g.next(l.count); l.insert(l[i], at: i); b = Array(l.joined(separator: [0x0A]))
        case 5:                                                                          // indentation shifted
            var l = lines; let i = g.next(l.count); l[i] = Array("  ".utf8) + l[i]; b = Array(l.joined(separator: [0x0A]))
        case 6: b.removeSubrange(g.next(b.count)..<b.count).self; b += [0xE4, 0xB8]         // cut inside a character
        default:                                                                         // a value replaced
            let values = ["~", "[]", "{}", "-1", "99999999999999999999", "2024-02-30", "null", "\"\"", "*x", "&a b", "!!binary AAAA"]
            var l = lines; let i = g.next(l.count)
            if let colon = l[i].firstIndex(of: UInt8(ascii: ":")) {
                l[i] = Array(l[i][...colon]) + Array(" \(values[g.next(values.count)])".utf8)
            }
            b = Array(l.joined(separator: [0x0A]))
        }
        return b
    }

    func testMutatedPlansNeverCrashAndErrorsHavePlaces() throws {
        var g = Generator(state: 20_231_218)
        for (source, rounds) in [(TestPaths.fixture("plans/mini"), 240), (TestPaths.zhangye, 60)] {
            let dir = try TestPaths.copyPlan(source)
            for file in PlanFileReader.files {
                let path = dir + "/" + file
                let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
                for round in 0..<rounds {
                    let mutated = Self.mutate(original, &g)
                    try Data(mutated).write(to: URL(fileURLWithPath: path))
                    let (plan, diagnostics) = loadPlan(dir)
                    XCTAssertEqual(plan == nil, diagnostics.hasErrors, "\(file) round \(round)")
                    for e in diagnostics.errors where e.location.file.hasSuffix(file) && !e.message.contains("cannot read the file") {
                        XCTAssertNotNil(e.location.line, "\(file) round \(round): \(e.message) has a line")
                    }
                    _ = diagnostics.renderAll()
                }
                try Data(original).write(to: URL(fileURLWithPath: path))
            }
        }
    }
}

extension PlanMutationTests.Generator: RandomNumberGenerator {
    mutating func next() -> UInt64 { UInt64(next(Int.max)) }
}
