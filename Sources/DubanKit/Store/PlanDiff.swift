import Foundation

/// One difference between two versions of a plan.
public struct PlanChange: Codable, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Codable, Sendable { case added, removed, changed }
    public enum Entity: String, Codable, Sendable { case plan, category, unit, group, task, milestone }

    public var kind: Kind
    public var entity: Entity
    public var id: String
    /// For `changed`: the fields that differ.
    public var fields: [String]

    public var description: String {
        let verb = ["added": "新增", "removed": "删除", "changed": "修改"][kind.rawValue] ?? kind.rawValue
        let detail = fields.isEmpty ? "" : " (\(fields.joined(separator: ", ")))"
        return "\(verb) \(entity.rawValue) \(id)\(detail)"
    }
}

/// Compares two plans entity by entity.
enum PlanDiff {
    static func changes(from old: Plan?, to new: Plan) -> [PlanChange] {
        guard let old else { return [] }
        var out: [PlanChange] = []
        let header = changedFields(strip(old), strip(new))
        if !header.isEmpty { out.append(PlanChange(kind: .changed, entity: .plan, id: new.id, fields: header)) }
        out += compare(old.categories, new.categories, entity: .category) { String($0.number) }
        out += compare(old.units, new.units, entity: .unit) { $0.id }
        out += compare(old.groups, new.groups, entity: .group) { $0.id }
        out += compare(old.tasks.map(withoutMilestones), new.tasks.map(withoutMilestones), entity: .task) { String($0.number) }
        out += compare(old.milestones, new.milestones, entity: .milestone) { $0.id }
        return out
    }

    private static func strip(_ plan: Plan) -> Plan {
        var p = plan
        p.categories = []; p.units = []; p.groups = []; p.tasks = []; p.obligations = []
        return p
    }

    private static func withoutMilestones(_ task: PlanTask) -> PlanTask {
        var t = task
        t.milestones = []
        return t
    }

    private static func compare<T: Codable & Equatable>(_ old: [T], _ new: [T], entity: PlanChange.Entity,
                                                        key: (T) -> String) -> [PlanChange] {
        var out: [PlanChange] = []
        let oldByKey = Dictionary(old.map { (key($0), $0) }, uniquingKeysWith: { a, _ in a })
        let newKeys = Set(new.map(key))
        for item in new {
            let k = key(item)
            if let before = oldByKey[k] {
                if before != item {
                    out.append(PlanChange(kind: .changed, entity: entity, id: k, fields: changedFields(before, item)))
                }
            } else {
                out.append(PlanChange(kind: .added, entity: entity, id: k, fields: []))
            }
        }
        for item in old where !newKeys.contains(key(item)) {
            out.append(PlanChange(kind: .removed, entity: entity, id: key(item), fields: []))
        }
        return out
    }

    /// Top-level JSON keys whose values differ.
    private static func changedFields<T: Encodable>(_ a: T, _ b: T) -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let da = try? encoder.encode(a), let db = try? encoder.encode(b),
              let oa = try? JSONSerialization.jsonObject(with: da) as? [String: Any],
              let ob = try? JSONSerialization.jsonObject(with: db) as? [String: Any] else { return [] }
        return Set(oa.keys).union(ob.keys).sorted().filter { key in
            let va = oa[key].flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .fragmentsAllowed]) }
            let vb = ob[key].flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .fragmentsAllowed]) }
            return va != vb
        }
    }
}
