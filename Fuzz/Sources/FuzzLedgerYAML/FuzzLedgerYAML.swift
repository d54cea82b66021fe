import DubanKit
import FuzzSupport

/// A YAML ledger: read, decoded, parsed and checked against the Zhangye plan.
@_cdecl("FuzzLedgerYAML_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    _ = zhangye
    return runFuzzer(argc, argv) { data, size in
        checkLedger(bytes(data, size), named: "ledger.yaml")
        return 0
    }
}
