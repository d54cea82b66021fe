@testable import DubanKit
import Foundation
import XCTest

/// `trimmedLikeFoundation` answers without Foundation only where Foundation trims nothing.
final class ExactTrimTests: XCTestCase {
    func testTheShortcutAgreesWithFoundationOnEveryScalar() {
        var wrong: [String] = []
        for v in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(v), String.neverTrimmed(scalar) else { continue }
            let text = String(scalar)
            if text.trimmingCharacters(in: .whitespacesAndNewlines) != text { wrong.append(String(v, radix: 16)) }
        }
        XCTAssertEqual(wrong, [])
        for text in ["", " ", "\u{200B}a\u{200B}", "\u{3000}甲\u{3000}", "\t1 ", "a\n", "\u{85}x\u{2028}"] {
            XCTAssertEqual(text.trimmedLikeFoundation(), text.trimmingCharacters(in: .whitespacesAndNewlines))
            XCTAssertEqual(text.trimmedLikeFoundation(newlines: false), text.trimmingCharacters(in: .whitespaces))
            // The CSV reader's trim (on strings and substrings) takes the same shortcut.
            XCTAssertEqual(text.trimmedFast(), text.trimmingCharacters(in: .whitespacesAndNewlines))
            XCTAssertEqual(text[...].trimmedFast(newlines: false), text.trimmingCharacters(in: .whitespaces))
        }
    }
}
