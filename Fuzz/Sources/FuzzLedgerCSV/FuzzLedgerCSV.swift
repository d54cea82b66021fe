import DubanKit
import FuzzSupport

/// A CSV ledger: read, decoded (UTF-8 or GB18030), parsed and checked against the Zhangye plan.
@_cdecl("FuzzLedgerCSV_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    _ = zhangye
    return runFuzzer(argc, argv) { data, size in
        checkLedger(bytes(data, size), named: "ledger.csv")
        return 0
    }
}
