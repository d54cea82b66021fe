import Foundation
import ZIPFoundation

/// An OOXML package (a zip of XML parts) built in memory and written to disk in one step, so a
/// failed or interrupted run leaves no half-written workbook or letter behind.
struct ZipWriter {
    /// Fixed time stamp for every entry: the same input gives the same bytes.
    private static let stamp = Date(timeIntervalSince1970: 315_532_800) // 1980-01-01

    private var parts: [(path: String, data: Data)] = []

    mutating func add(_ path: String, _ text: String) {
        parts.append((path, Data(text.utf8)))
    }

    /// The package's bytes, every part deflated.
    func data() throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for part in parts {
            let bytes = part.data
            try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(bytes.count),
                                 modificationDate: Self.stamp, compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw OfficeError.cannotWrite("the zip container could not be built") }
        return data
    }
}

/// What can go wrong writing or reading an Office file, worded for the person running duban.
public enum OfficeError: Error, Equatable, CustomStringConvertible {
    case cannotWrite(String)
    case tooLarge(String)

    public var description: String {
        switch self {
        case .cannotWrite(let m), .tooLarge(let m): return m
        }
    }
}
