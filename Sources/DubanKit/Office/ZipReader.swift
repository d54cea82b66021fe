import Foundation
import ZIPFoundation

/// Reads the parts of an Office file (a zip) that might have been made to hurt: every entry
/// name is checked (no `..`, no absolute path), the number of entries is bounded, and a part is
/// inflated through a consumer that counts the bytes as they come, so a zip bomb stops at the
/// limit whatever its headers claim.
struct ZipReader {
    struct Limits {
        /// The file on disk.
        var fileBytes = 32 << 20
        var entries = 1_000
        /// One part, inflated.
        var partBytes = 64 << 20
        /// All parts read, inflated.
        var totalBytes = 128 << 20
        /// Inflated ÷ compressed, checked once a part passes 1 MB.
        var ratio = 200
    }

    let path: String
    let limits: Limits
    private let archive: Archive
    private let entries: [String: Entry]
    private var inflated = 0

    init(path: String, limits: Limits = Limits()) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= limits.fileBytes else {
            throw OfficeReadError("the file is \(size) bytes; an Office file is read up to \(limits.fileBytes >> 20) MB")
        }
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw OfficeReadError("not a zip file, so not an .xlsx (an old .xls, or another file renamed?)",
                                  hint: "open it in Excel, WPS or LibreOffice and save it as .xlsx (Excel 工作簿)")
        }
        try self.init(archive, path: path, limits: limits)
    }

    /// A zip held in memory (an uploaded file), named `name` in messages.
    init(data: Data, name: String, limits: Limits = Limits()) throws {
        guard data.count <= limits.fileBytes else {
            throw OfficeReadError("the file is \(data.count) bytes; an Office file is read up to \(limits.fileBytes >> 20) MB")
        }
        let archive: Archive
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw OfficeReadError("not a zip file")
        }
        try self.init(archive, path: name, limits: limits)
    }

    private init(_ archive: Archive, path: String, limits: Limits) throws {
        self.path = path
        self.limits = limits
        self.archive = archive
        var entries: [String: Entry] = [:]
        var count = 0
        for entry in archive {
            count += 1
            guard count <= limits.entries else {
                throw OfficeReadError("the zip holds more than \(limits.entries) entries; an Office file holds a few dozen")
            }
            let name = entry.path
            guard Self.isSafe(name) else {
                throw OfficeReadError("the zip holds an entry named \"\(QuotedLine(name, column: nil).text)\" (an absolute path or one climbing out with ..); refused, nothing read")
            }
            entries[name] = entry
        }
        self.entries = entries
    }

    /// A name that stays inside the package: relative, no `..` component, no drive or backslash.
    static func isSafe(_ name: String) -> Bool {
        if name.isEmpty || name.hasPrefix("/") || name.contains("\\") || name.contains("\0") { return false }
        if name.count >= 2, name.dropFirst().first == ":" { return false }
        return !name.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." }
    }

    func has(_ name: String) -> Bool { entries[name] != nil }

    var names: [String] { Array(entries.keys) }

    /// The inflated bytes of a part, or nil when there is no such part.
    mutating func part(_ name: String) throws -> Data? {
        var data = Data()
        return try stream(name) { data.append($0) } ? data : nil
    }

    /// Inflates a part chunk by chunk into `consume` (what it throws stops the reading), within
    /// the limits; false when there is no such part.
    mutating func stream(_ name: String, into consume: (Data) throws -> Void) throws -> Bool {
        guard let entry = entries[name] else { return false }
        let compressed = max(Int(clamping: entry.compressedSize), 1)
        let limits = self.limits
        let before = inflated
        var count = 0
        var consumerFailure: Error?
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                count += chunk.count
                guard count <= limits.partBytes else { throw OfficeReadError("the part \(name) inflates past \(limits.partBytes >> 20) MB (a zip bomb?); refused") }
                guard before + count <= limits.totalBytes else { throw OfficeReadError("the file inflates past \(limits.totalBytes >> 20) MB (a zip bomb?); refused") }
                if count > 1 << 20, count / compressed > limits.ratio {
                    throw OfficeReadError("the part \(name) inflates more than \(limits.ratio) times its compressed size (a zip bomb?); refused")
                }
                do { try consume(chunk) } catch { consumerFailure = error; throw error }
            }
        } catch let error as OfficeReadError {
            throw error
        } catch {
            if let consumerFailure { throw consumerFailure }
            throw OfficeReadError("the part \(name) cannot be read: the zip is damaged (\(error))")
        }
        inflated += count
        return true
    }
}

/// Why an Office file cannot be read at all; reported at the file (or a part) with a hint.
struct OfficeReadError: Error {
    var message: String
    var hint: String?
    /// The cell, when the problem is one cell's (`台账!F7`).
    var cell: String?

    init(_ message: String, hint: String? = nil, cell: String? = nil) {
        self.message = message
        self.hint = hint
        self.cell = cell
    }
}
