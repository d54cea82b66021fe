import DubanKit
import Foundation
import Hummingbird

/// HTML written on the server: every piece of data goes through `esc`, nothing needs JavaScript,
/// and one stylesheet serves a 390-px phone, a desktop and A4 paper.
enum Pages {
    static func esc(_ text: String) -> String { HTMLEscape.text(text) }

    static let style = """
        body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#222;line-height:1.5}
        header{background:#8b1a1a;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
        header a,header button{color:#fff}header nav{display:flex;flex-wrap:wrap;gap:.75rem}
        header form{margin:0 0 0 auto}header button{background:none;border:1px solid #fff;border-radius:3px;padding:.1rem .5rem}
        main{padding:1rem;max-width:72rem}h1{font-size:1.3rem}
        table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.3rem .4rem;text-align:left;vertical-align:top}
        th{background:#f4f4f4}td.n{text-align:right}
        textarea{width:100%;font-family:inherit;font-size:.95rem}.level-red{color:#b00;font-weight:bold}.level-orange{color:#c60}.level-yellow{color:#a80}.level-blue{color:#06c}
        .late{color:#b00}.note{color:#555}.error{color:#b00;font-weight:bold}
        label{display:block;margin:.5rem 0}input[type=text],input[type=password]{width:100%;max-width:20rem;padding:.4rem;font-size:1rem}
        button.primary{padding:.4rem 1.2rem;font-size:1rem}
        @media (max-width:600px){table,thead,tbody,tr,th,td{display:block}thead{display:none}
          td{border:none;border-bottom:1px solid #eee}tr{border:1px solid #ccc;margin:.5rem 0}
          td[data-label]::before{content:attr(data-label) ":";font-weight:bold;margin-right:.3rem}}
        \(Navigation.style)
        @media print{header nav,header details.menu,header form{display:none}header{background:none;color:#000}@page{size:A4}}
        """

    /// A whole page: the header shows who is signed in and what they may open (`Navigation`).
    static func page(title: String, account: Account?, csrf: String?, body: String) -> Response {
        var nav = ""
        if let account {
            nav = Navigation.html(Permissions(account))
            nav += "<span>\(esc(account.name))(\(esc(account.role.label)))</span>"
            if let csrf {
                nav += "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf\" value=\"\(esc(csrf))\"><button>退出</button></form>"
            }
        }
        let text = """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
            <title>\(esc(title)) · 督办</title><style>\(style)\(LedgerFormPage.style)</style></head>
            <body><header><strong>督办 Duban</strong>\(nav)</header><main><h1>\(esc(title))</h1>
            \(body)
            </main></body></html>
            """
        return html(text)
    }

    /// `2026-12-06 23:14:27(北京时间)`: China Standard Time, UTC+8 all year (no daylight
    /// saving), so a fixed offset needs no time-zone database.
    static func beijingTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date) + "(北京时间)"
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A table of owed items (the same fields as `duban overdue`), labelled for phones.
    static func itemsTable(_ items: [SupervisionJSON.Item], showUnit: Bool) -> String {
        guard !items.isEmpty else { return "<p>无。</p>" }
        var heads = ["任务", "事项", "期限", "逾期天数", "状态"]
        if showUnit { heads.insert("单位", at: 0) }
        var out = "<table><thead><tr>" + heads.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>"
        for i in items {
            var cells: [(String, String, String)] = [
                ("任务", i.task.map(String.init) ?? "—", ""),
                ("事项", (i.milestone.map { "[\($0)] " } ?? "") + i.title, ""),
                ("期限", i.due, ""),
                ("逾期天数", i.days_overdue > 0 ? String(i.days_overdue) : "—", i.days_overdue > 0 ? "n late" : "n"),
                ("状态", i.reason, "note"),
            ]
            if showUnit { cells.insert(("单位", i.unit_name, ""), at: 0) }
            out += "<tr>" + cells.map { "<td data-label=\"\($0.0)\" class=\"\($0.2)\">\(esc($0.1))</td>" }.joined() + "</tr>"
        }
        return out + "</tbody></table>"
    }
}
