import Foundation
import XCTest

/// The temporary folders the library tests make (`TestPaths.tempDirectory`). A passing test's are
/// removed when it ends; a failing test's are kept, to be looked at; all are kept with
/// `DUBAN_KEEP_TEST_FILES=1`. A folder several tests share (a dataset in a `static let`) lives
/// until the run ends, and is removed then if no test failed. Without this every run of the
/// suite left thousands of folders, databases included, in the temporary directory.
final class TemporaryFolders: NSObject, XCTestObservation, @unchecked Sendable {
    /// How long a folder is needed: by the test that made it, or by the whole run.
    enum Lifetime { case test, run }

    /// The registry, watching the tests from the first folder made on.
    static let shared: TemporaryFolders = {
        let folders = TemporaryFolders()
        XCTestObservationCenter.shared.addTestObserver(folders)
        return folders
    }()

    static let keepAll = ProcessInfo.processInfo.environment["DUBAN_KEEP_TEST_FILES"] == "1"

    private let lock = NSLock()
    private var ofTest: [URL] = []
    private var ofRun: [URL] = []
    private var failed = false

    func add(_ folder: URL, _ lifetime: Lifetime) {
        lock.withLock {
            switch lifetime {
            case .test: ofTest.append(folder)
            case .run: ofRun.append(folder)
            }
        }
    }

    /// The folders of the test that ended (they were made during it).
    func take(passed: Bool) -> [URL] {
        lock.withLock {
            defer { ofTest = [] }
            if !passed { failed = true }
            return passed && !Self.keepAll ? ofTest : []
        }
    }

    /// The shared folders, when the run ends with no failure.
    func takeShared() -> [URL] {
        lock.withLock {
            defer { ofRun = [] }
            return failed || Self.keepAll ? [] : ofRun
        }
    }

    func testCaseDidFinish(_ testCase: XCTestCase) {
        Self.remove(take(passed: testCase.testRun.map { $0.totalFailureCount == 0 } ?? false))
    }

    func testBundleDidFinish(_ testBundle: Bundle) {
        Self.remove(takeShared())
    }

    private static func remove(_ folders: [URL]) {
        for folder in folders { try? FileManager.default.removeItem(at: folder) }
    }
}

/// The registry's decisions: what it removes after a passing and a failing test, and when shared
/// folders go.
final class TemporaryFoldersTests: XCTestCase {
    func testAPassingTestsFoldersAreRemovedAFailingTestsAreKept() throws {
        try XCTSkipIf(TemporaryFolders.keepAll, "DUBAN_KEEP_TEST_FILES=1 keeps every folder")
        let registry = TemporaryFolders()
        let a = URL(fileURLWithPath: "/tmp/a"), b = URL(fileURLWithPath: "/tmp/b"), shared = URL(fileURLWithPath: "/tmp/s")
        registry.add(a, .test)
        registry.add(shared, .run)
        XCTAssertEqual(registry.take(passed: true), [a])
        XCTAssertEqual(registry.take(passed: true), [])
        XCTAssertEqual(registry.takeShared(), [shared])
        registry.add(b, .test)
        registry.add(shared, .run)
        XCTAssertEqual(registry.take(passed: false), [])
        XCTAssertEqual(registry.takeShared(), [], "a run with a failure keeps its shared folders")
    }

    /// End to end: a folder this test makes is gone once the test has ended (checked by the
    /// next test in the same class, which XCTest runs in alphabetical order).
    static let madeByTheFirst = Locked<URL?>(nil)

    func testFolder1IsMade() throws {
        let folder = try TestPaths.tempDirectory()
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.path))
        Self.madeByTheFirst.set(folder)
    }

    func testFolder2OfThePassingTestIsGone() throws {
        try XCTSkipIf(TemporaryFolders.keepAll, "DUBAN_KEEP_TEST_FILES=1 keeps every folder")
        guard let folder = Self.madeByTheFirst.get() else { throw XCTSkip("runs after testFolder1IsMade") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path))
    }
}

/// A value behind a lock, for a `static let` tests write.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ new: Value) { lock.withLock { value = new } }
}
