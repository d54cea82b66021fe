import Foundation
import XCTest

/// LibreOffice headless, the real client the Office-file tests open Duban's files with. Where it
/// is not installed, a test says so on its output and skips (CI installs it best effort).
enum Soffice {
    static let path: String? = ["/usr/bin/soffice", "/usr/local/bin/soffice", "/usr/lib/libreoffice/program/soffice"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The path of soffice, or an `XCTSkip` naming the check that could not run.
    static func require(_ check: String) throws -> String {
        guard let path else {
            print("SKIPPED (LibreOffice not installed): \(check)")
            throw XCTSkip("LibreOffice (soffice) is not installed: \(check) not run")
        }
        return path
    }

    /// Converts `files` with `soffice --headless --convert-to FILTER` into `outdir` in one start
    /// (its own profile, so parallel runs do not collide); the converted files' paths.
    @discardableResult
    static func convert(_ files: [URL], to filter: String, extension ext: String, outdir: URL) throws -> [URL] {
        let soffice = try require("convert to \(ext)")
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("duban-lo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: soffice)
        process.arguments = ["-env:UserInstallation=\(profile.absoluteString)", "--headless", "--convert-to", filter,
                             "--outdir", outdir.path] + files.map(\.path)
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        process.waitUntilExit()
        return files.map { outdir.appendingPathComponent($0.deletingPathExtension().lastPathComponent + "." + ext) }
    }

    /// Runs a command (pdfinfo, pdftotext, pdftoppm, unzip) and returns its standard output.
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
