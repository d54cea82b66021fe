import ArgumentParser
import DubanKit
import Foundation

/// The bounds of every date, week and window given on the command line (documented in the
/// README, "Limits"). Inside them no date arithmetic can overflow and no count runs for long; a
/// value outside is a usage error (exit 64) saying the bound.
enum ArgumentBounds {
    /// Dates (`--as-of`, `--date`, `--since`, `--new-due`, `--submitted`) and ISO weeks lie in
    /// these years: far wider than any plan, narrow enough that a window added stays a date.
    static let years = 1900...2999
    /// A look-ahead window (`--within`) is at most this many days or working days: ten years.
    static let maxWindow = 3660
    /// A digest series (`digest --out --from --to`) spans at most this many weeks: ten years.
    static let maxWeeks = 522
}

/// Parses a `YYYY-MM-DD` option value.
func parseDate(_ text: String) throws -> LocalDate {
    guard let date = LocalDate(iso: text) else {
        throw ValidationError("\"\(text)\" is not a date YYYY-MM-DD (e.g. 2024-02-05)")
    }
    guard ArgumentBounds.years.contains(date.year) else {
        throw ValidationError("\(text) is out of range: dates lie in the years \(ArgumentBounds.years.lowerBound)–\(ArgumentBounds.years.upperBound)")
    }
    return date
}

/// Parses an ISO week option value (`2024-W15`).
func parseISOWeek(_ text: String) throws -> ISOWeek {
    guard let week = ISOWeek(text) else {
        throw ValidationError("\"\(text)\" is not an ISO week: write YYYY-Www, e.g. 2024-W15 (weeks 01–52, or 53 in a long year)")
    }
    guard ArgumentBounds.years.contains(week.year) else {
        throw ValidationError("\(text) is out of range: weeks lie in the years \(ArgumentBounds.years.lowerBound)–\(ArgumentBounds.years.upperBound)")
    }
    return week
}

/// Parses a `--within` value: `7`, `7d` or `5wd`, at most `ArgumentBounds.maxWindow`.
func parseWindow(_ text: String) throws -> Window {
    let t = text.trimmingCharacters(in: .whitespaces).lowercased()
    let digits = t.hasSuffix("wd") ? t.dropLast(2) : t.hasSuffix("d") ? t.dropLast() : Substring(t)
    let max = ArgumentBounds.maxWindow
    // All digits but too many for Int (99999999999999999999) is too long, not malformed.
    if !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), Int(digits).map({ $0 > max }) ?? true {
        throw ValidationError("\"\(text)\" is too long a window: at most \(max) days or working days (about ten years)")
    }
    guard let w = Window(text) else { throw ValidationError("\"\(text)\" is not a window: write 7 (days), 7d or 5wd (working days)") }
    guard (0...max).contains(w.count) else {
        throw ValidationError("\"\(text)\" is too long a window: at most \(max) days or working days (about ten years)")
    }
    return w
}
