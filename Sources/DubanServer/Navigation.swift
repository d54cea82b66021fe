import DubanKit

/// The header's links: only the pages the account may open (`Permissions`), shown two ways by
/// one stylesheet and no JavaScript: on a desktop a row of links (as before), on a phone (up to
/// 600 px) a `<details>` menu, closed by default, its links grouped by what they are for. Neither
/// is printed.
enum Navigation {
    /// What a link is for: the phone menu's groups.
    enum Group: String, CaseIterable {
        case home = ""
        case ledgers = "台账"
        case supervision = "督办"
        case summaries = "汇总"
        case other = "其他"
    }

    /// The menu's groups for `role`, what it comes for first: a liaison its ledger, the
    /// coordinator the chasing, a leader the summaries.
    static func groups(_ role: DubanKit.Role) -> [Group] {
        switch role {
        case .liaison: [.home, .ledgers, .supervision, .summaries, .other]
        case .coordinator: [.home, .supervision, .ledgers, .summaries, .other]
        case .leader: [.home, .summaries, .supervision, .ledgers, .other]
        }
    }

    struct Link: Equatable {
        var href: String
        var label: String
        var group: Group
    }

    /// The links `access` may open, in the desktop row's order.
    static func links(_ access: Permissions) -> [Link] {
        var links = [Link(href: "/", label: "首页", group: .home)]
        links.append(Link(href: "/overdue", label: "逾期事项", group: .supervision))
        links.append(Link(href: "/notices", label: "提醒", group: .supervision))
        links.append(Link(href: "/escalate", label: "督办等级", group: .supervision))
        if access.maySubmitLedgers { links.append(Link(href: "/ledger", label: "工作台账", group: .ledgers)) }
        links.append(Link(href: "/ledgers", label: "报送情况", group: .ledgers))
        links.append(Link(href: "/extensions", label: "延期申请", group: .supervision))
        links.append(Link(href: "/reviews", label: "台账审核", group: .ledgers))
        if access.account.role != .leader { links.append(Link(href: "/calendar", label: "日历订阅", group: .other)) }
        if access.mayReadEverything {
            links.append(Link(href: "/digest", label: "周报", group: .summaries))
            links.append(Link(href: "/scoreboard", label: "各单位情况", group: .summaries))
        }
        if access.mayCoordinate { links.append(Link(href: "/notifications", label: "发送记录", group: .other)) }
        if access.mayReadAudit { links.append(Link(href: "/audit", label: "操作日志", group: .other)) }
        return links
    }

    /// The desktop row and the phone menu (each group titled, in the role's order, an empty
    /// group left out).
    static func html(_ access: Permissions) -> String {
        let links = links(access)
        func anchor(_ link: Link) -> String { "<a href=\"\(link.href)\">\(Pages.esc(link.label))</a>" }
        var menu = ""
        for group in groups(access.account.role) {
            let mine = links.filter { $0.group == group }
            guard !mine.isEmpty else { continue }
            let title = group.rawValue.isEmpty ? "" : "<span>\(Pages.esc(group.rawValue))</span>"
            menu += "<div class=\"group\">\(title)\(mine.map(anchor).joined())</div>"
        }
        return "<nav class=\"wide\">" + links.map(anchor).joined() + "</nav>"
            + "<details class=\"menu\"><summary>☰ 菜单</summary><nav aria-label=\"菜单\">\(menu)</nav></details>"
    }

    /// The rules for the two, in `Pages.style` (before its print rules, which hide both).
    static let style = """
        header details.menu{display:none}
        @media (max-width:600px){header{position:relative}header nav.wide{display:none}header details.menu{display:block}
          header summary{cursor:pointer;list-style:none;border:1px solid #fff;border-radius:3px;padding:.1rem .6rem}
          header summary::-webkit-details-marker{display:none}
          header details.menu[open]>nav{display:block;position:absolute;left:0;right:0;top:100%;z-index:10;background:#8b1a1a;padding:.25rem 1rem .75rem;box-shadow:0 4px 8px rgba(0,0,0,.3)}
          header details.menu .group{display:flex;flex-wrap:wrap;gap:0 1rem;padding:.3rem 0;border-top:1px solid rgba(255,255,255,.35)}
          header details.menu .group:first-child{border-top:none}
          header details.menu .group>span{flex-basis:100%;font-size:.8rem;opacity:.85}
          header details.menu a{display:inline-block;padding:.35rem 0;min-width:5.5rem}}
        """
}
