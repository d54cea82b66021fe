import Foundation

/// When evidence files may be attached to a ledger: the API's
/// `POST /api/v1/ledgers/ID/entries/N/evidence` and the portal's form (to the ledger it records,
/// or to the current one when the form is resubmitted unchanged) both attach through
/// `EvidenceStore.attach`, which asks this rule: to the current ledger of its period only (a
/// corrected one no longer counts, a returned one is to be resubmitted), to one of its entries,
/// and up to `EvidenceFile.maxPerLedger` files a ledger. Who may attach is
/// `Permissions.maySubmitLedger(for:)`'s.
public enum EvidenceRule {
    /// Why `adding` more files may not be attached to entry `entry` of `submission`, which has
    /// `attached` files already (nil: they may).
    public static func refusal(submission: LedgerSubmission, entry: Int, attached: Int, adding: Int) -> Refusal? {
        if let newer = submission.supersededBy {
            return Refusal(field: "ledger", message: "ledger #\(submission.id) was corrected by #\(newer) and no longer counts",
                           hint: "attach the file to ledger #\(newer)", entry: entry)
        }
        if let returned = LedgerReviewRule.returnedOn(submission.review) {
            return Refusal(field: "ledger", message: "ledger #\(submission.id) was returned on \(returned)",
                           hint: "resubmit the ledger, then attach the file to the resubmission", entry: entry)
        }
        guard entry >= 1, entry <= submission.entryCount else {
            return Refusal(field: "entry", message: "ledger #\(submission.id) has no entry \(entry); its entries are 1 to \(submission.entryCount)",
                           hint: "number the entries as the ledger file lists them, from 1", entry: entry)
        }
        if tooMany(attached: attached, adding: adding) {
            return Refusal(field: "body", message: "ledger #\(submission.id) has \(attached) evidence files; a ledger takes at most \(EvidenceFile.maxPerLedger)",
                           hint: "list the rest under 佐证材料 by document number", entry: entry)
        }
        return nil
    }

    /// Whether a ledger with `attached` files may not take `adding` more (a form checks the files
    /// it sends with this before anything is recorded, so the error comes with its others).
    public static func tooMany(attached: Int, adding: Int) -> Bool {
        attached + adding > EvidenceFile.maxPerLedger
    }

    /// A refusal of entry `entry`'s files, at the part of the request it is about (`ledger`, `entry` or `body`).
    public struct Refusal: Error, Equatable, Sendable {
        public var field: String
        public var message: String
        public var hint: String
        /// The entry whose files were refused.
        public var entry: Int
    }
}
