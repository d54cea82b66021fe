import Foundation

/// Where the files a plan names (`text:`, `calendar:` in plan.yaml) may be: inside the plan's
/// folder, or inside the folder of plans it sits in (its parent, `Plans/`, which holds
/// `calendars/`). Paths are compared by components after resolving `..` and symlinks on both
/// sides, so neither `../../etc/passwd` nor a symlink pointing out of the folder is read.
enum PlanPaths {
    enum Resolution: Equatable {
        /// The real path of a regular file inside the allowed folders.
        case file(String)
        /// Outside the plan's folder and its parent (lexically or through a symlink).
        case outside
        /// Inside, but no such file.
        case missing
        /// Inside, but a folder, FIFO or device rather than a regular file.
        case notAFile
    }

    /// Resolves `written` (relative to `planDirectory`, or absolute).
    static func resolve(_ written: String, planDirectory: String) -> Resolution {
        guard !written.isEmpty, !written.contains("\0"), let planReal = realPath(planDirectory) else { return .missing }
        let roots = allowedRoots(planReal: planReal)
        let joined = written.hasPrefix("/") ? written : (planReal as NSString).appendingPathComponent(written)
        // The written path itself first: a path that points outside is refused whether or not
        // the file exists, so the answer says nothing about files outside.
        guard isInside(components(lexical: joined), roots) else { return .outside }
        guard let real = realPath(joined) else { return .missing }
        guard isInside(components(lexical: real), roots) else { return .outside }
        var info = stat()
        guard stat(real, &info) == 0 else { return .missing }
        guard info.st_mode & S_IFMT == S_IFREG else { return .notAFile }
        return .file(real)
    }

    /// What the error hint says about where a path may point.
    static let rule = "a path in plan.yaml must point inside the plan's folder or the folder holding it (e.g. ../calendars/china-2023-2026.yaml)"

    static func allowedRoots(planReal: String) -> [[String]] {
        let plan = components(lexical: planReal)
        // The parent of a plan at the file system's root would be every file: not a root then.
        return plan.count >= 2 ? [plan, Array(plan.dropLast())] : [plan]
    }

    static func isInside(_ path: [String], _ roots: [[String]]) -> Bool {
        roots.contains { root in path.count >= root.count && Array(path.prefix(root.count)) == root }
    }

    /// The components of an absolute path with `.` and `..` applied (`..` at the root stays there).
    static func components(lexical path: String) -> [String] {
        var out: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !out.isEmpty { out.removeLast() }
            default: out.append(String(part))
            }
        }
        return out
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
