import Foundation

/// What went wrong with a file or folder duban writes, in words: the system's reason (Foundation's
/// own text is "The operation could not be completed. (NSCocoaErrorDomain error 512.)"), and
/// for "Not a directory" the part of the path that is a file.
enum FileErrorText {
    static func reason(_ error: Error, path: String) -> String {
        let ns = error as NSError
        guard let underlying = ns.userInfo[NSUnderlyingErrorKey] as? Error,
              case let posix = underlying as NSError, posix.domain == NSPOSIXErrorDomain else {
            return ns.localizedDescription
        }
        let text = String(cString: strerror(Int32(posix.code)))
        if posix.code == Int(ENOTDIR), let file = firstFile(on: path) {
            return "\(file) is a file, not a folder (\(text))"
        }
        return text
    }

    /// The first existing prefix of `path` that is not a folder.
    static func firstFile(on path: String) -> String? {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix = prefix.isEmpty ? "/" + part : prefix == "." ? String(part) : prefix + "/" + part
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: prefix, isDirectory: &isFolder) else { return nil }
            if !isFolder.boolValue { return prefix }
        }
        return nil
    }
}
