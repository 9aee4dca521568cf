/// Compares two rule packs by ids and lists what changed between them (``PackChange``).
///
/// Order: the profile's fields first, then the therapies by id; within a therapy, the therapy
/// itself (added, removed, version, title, summary, review date), its tiers, its parameters by
/// name, its rules in the new file's order followed by the removed ones in the old file's order,
/// its references by id and its guideline positions in file order. Whitespace inside a
/// condition does not count: a condition reflowed over several lines is the same condition.
public enum PackComparer {
    /// The changes from `old` to `new`.
    public static func changes(from old: RulePack, to new: RulePack) -> [PackChange] {
        var changes = profileChanges(from: old.profile, to: new.profile)
        let ids = Set(old.therapies.map(\.id)).union(new.therapies.map(\.id)).sorted()
        for id in ids {
            let before = old.therapies.first { $0.id == id }
            let after = new.therapies.first { $0.id == id }
            switch (before, after) {
            case (let before?, let after?):
                changes += therapyChanges(from: before, to: after)
            case (nil, let after?):
                changes.append(PackChange(therapy: id, kind: .therapyAdded, subject: id, after: after.title))
            case (let before?, nil):
                changes.append(PackChange(therapy: id, kind: .therapyRemoved, subject: id, before: before.title))
            case (nil, nil):
                break
            }
        }
        return changes
    }

    /// A condition as one line: the expression with its whitespace runs made single spaces,
    /// `all: [a, b]`, `any: [a, b]` or `not: a`.
    public static func text(of condition: Condition) -> String {
        switch condition {
        case .expression(let source):
            return source.text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        case .all(let items, _):
            return "all: [" + items.map(text(of:)).joined(separator: ", ") + "]"
        case .any(let items, _):
            return "any: [" + items.map(text(of:)).joined(separator: ", ") + "]"
        case .not(let item, _):
            return "not: " + text(of: item)
        }
    }

    /// A rule in one line: `score +2 when symptom_weeks >= 12`.
    public static func text(of rule: Rule) -> String {
        let points: String
        switch rule.kind {
        case .score, .caution: points = " " + signed(rule.points)
        case .exclude, .require: points = ""
        }
        return "\(rule.kind.rawValue)\(points) when \(text(of: rule.when))"
    }

    /// `+2`, `-1`, `0`.
    static func signed(_ points: Int) -> String {
        points > 0 ? "+\(points)" : String(points)
    }

    // MARK: - Profile

    private static func profileChanges(from old: ProfileSchema, to new: ProfileSchema) -> [PackChange] {
        let before = flatten(old.fields, prefix: nil)
        let after = flatten(new.fields, prefix: nil)
        var changes: [PackChange] = []
        var paths = after.map(\.path)
        for entry in before where !paths.contains(entry.path) { paths.append(entry.path) }
        for path in paths {
            let old = before.first { $0.path == path }
            let new = after.first { $0.path == path }
            switch (old, new) {
            case (let old?, let new?):
                if old.signature != new.signature {
                    changes.append(PackChange(
                        therapy: nil, kind: .profileFieldChanged, subject: path, before: old.signature, after: new.signature))
                }
                if old.description != new.description {
                    changes.append(PackChange(
                        therapy: nil, kind: .profileFieldWording, subject: path, field: "description",
                        before: old.description ?? "none", after: new.description ?? "none"))
                }
            case (nil, let new?):
                changes.append(PackChange(therapy: nil, kind: .profileFieldAdded, subject: path, after: new.signature))
            case (let old?, nil):
                changes.append(PackChange(therapy: nil, kind: .profileFieldRemoved, subject: path, before: old.signature))
            case (nil, nil):
                break
            }
        }
        return changes
    }

    private struct FlatField {
        var path: String
        var signature: String
        var description: String?
    }

    /// Every field as a dotted path (`labs.platelet_count`, list items as `list[].field`) with
    /// its type, values, unit and range in one line.
    private static func flatten(_ fields: [FieldSchema], prefix: String?) -> [FlatField] {
        var result: [FlatField] = []
        for field in fields {
            let path = prefix.map { "\($0).\(field.name)" } ?? field.name
            result.append(FlatField(path: path, signature: signature(field), description: field.description))
            switch field.type {
            case .object(let children):
                result += flatten(children, prefix: path)
            case .list(let item):
                result += flatten(item.fields, prefix: path + "[]")
            default:
                break
            }
        }
        return result
    }

    private static func signature(_ field: FieldSchema) -> String {
        var text = field.type.keyword
        switch field.type {
        case .enumeration(let values): text += " [" + values.joined(separator: ", ") + "]"
        case .list(let item): text += " of " + signature(item)
        default: break
        }
        if let unit = field.unit { text += ", unit " + unit }
        if field.minimum != nil || field.maximum != nil {
            text += ", " + (field.minimum.map(number) ?? "…") + "–" + (field.maximum.map(number) ?? "…")
        }
        return text
    }

    // MARK: - Therapies

    private static func therapyChanges(from old: Therapy, to new: Therapy) -> [PackChange] {
        let id = new.id
        var changes: [PackChange] = []
        if old.version != new.version {
            changes.append(PackChange(therapy: id, kind: .therapyVersion, subject: id, before: old.version, after: new.version))
        }
        if old.title != new.title {
            changes.append(PackChange(
                therapy: id, kind: .therapyWording, subject: id, field: "title", before: old.title, after: new.title))
        }
        if old.summary != new.summary {
            changes.append(PackChange(
                therapy: id, kind: .therapyWording, subject: id, field: "summary", before: old.summary ?? "none",
                after: new.summary ?? "none"))
        }
        if old.reviewBy != new.reviewBy {
            changes.append(PackChange(
                therapy: id, kind: .therapyReviewBy, subject: id, before: old.reviewBy?.description ?? "none",
                after: new.reviewBy?.description ?? "none"))
        }
        for (field, before, after) in [
            ("recommended", old.tiers.recommended, new.tiers.recommended),
            ("consider", old.tiers.consider, new.tiers.consider),
        ] where before != after {
            changes.append(PackChange(
                therapy: id, kind: .tiers, subject: id, field: field, before: String(before), after: String(after)))
        }
        changes += parameterChanges(from: old, to: new)
        changes += ruleChanges(from: old, to: new)
        changes += referenceChanges(from: old, to: new)
        changes += positionChanges(from: old, to: new)
        return changes
    }

    private static func parameterChanges(from old: Therapy, to new: Therapy) -> [PackChange] {
        let id = new.id
        var changes: [PackChange] = []
        let names = Set(old.parameters.map(\.name)).union(new.parameters.map(\.name)).sorted()
        for name in names {
            let before = old.parameters.first { $0.name == name }
            let after = new.parameters.first { $0.name == name }
            switch (before, after) {
            case (let before?, let after?):
                if before.value != after.value {
                    changes.append(PackChange(
                        therapy: id, kind: .parameterValue, subject: name, before: ValueFormatter.plain(before.value),
                        after: ValueFormatter.plain(after.value)))
                }
                if before.range != after.range {
                    changes.append(PackChange(
                        therapy: id, kind: .parameterRange, subject: name, field: "range", before: range(before.range),
                        after: range(after.range)))
                }
                for (field, old, new) in [
                    ("unit", before.unit ?? "none", after.unit ?? "none"),
                    ("description", before.description ?? "none", after.description ?? "none"),
                    ("refs", list(before.refs), list(after.refs)),
                ] where old != new {
                    changes.append(PackChange(
                        therapy: id, kind: .parameterDetail, subject: name, field: field, before: old, after: new))
                }
            case (nil, let after?):
                changes.append(PackChange(
                    therapy: id, kind: .parameterAdded, subject: name, after: ValueFormatter.plain(after.value)))
            case (let before?, nil):
                changes.append(PackChange(
                    therapy: id, kind: .parameterRemoved, subject: name, before: ValueFormatter.plain(before.value)))
            case (nil, nil):
                break
            }
        }
        return changes
    }

    private static func ruleChanges(from old: Therapy, to new: Therapy) -> [PackChange] {
        let id = new.id
        var changes: [PackChange] = []
        for rule in new.rules {
            guard let before = old.rules.first(where: { $0.id == rule.id }) else {
                changes.append(PackChange(therapy: id, kind: .ruleAdded, subject: rule.id, after: text(of: rule)))
                continue
            }
            if before.kind != rule.kind {
                changes.append(PackChange(
                    therapy: id, kind: .ruleKind, subject: rule.id, field: "kind", before: before.kind.rawValue,
                    after: rule.kind.rawValue))
            }
            if before.points != rule.points {
                changes.append(PackChange(
                    therapy: id, kind: .rulePoints, subject: rule.id, field: "points", before: signed(before.points),
                    after: signed(rule.points)))
            }
            let (oldCondition, newCondition) = (text(of: before.when), text(of: rule.when))
            if oldCondition != newCondition {
                changes.append(PackChange(
                    therapy: id, kind: .ruleCondition, subject: rule.id, field: "condition", before: oldCondition,
                    after: newCondition))
            }
            if before.title != rule.title {
                changes.append(PackChange(
                    therapy: id, kind: .ruleWording, subject: rule.id, field: "title", before: before.title, after: rule.title))
            }
            if before.reason != rule.reason {
                changes.append(PackChange(
                    therapy: id, kind: .ruleWording, subject: rule.id, field: "reason", before: before.reason ?? "none",
                    after: rule.reason ?? "none"))
            }
            let (oldEvidence, newEvidence) = (evidence(before.evidence), evidence(rule.evidence))
            if oldEvidence != newEvidence {
                changes.append(PackChange(
                    therapy: id, kind: .ruleEvidence, subject: rule.id, field: "evidence", before: oldEvidence,
                    after: newEvidence))
            }
        }
        for rule in old.rules where !new.rules.contains(where: { $0.id == rule.id }) {
            changes.append(PackChange(therapy: id, kind: .ruleRemoved, subject: rule.id, before: text(of: rule)))
        }
        return changes
    }

    private static func referenceChanges(from old: Therapy, to new: Therapy) -> [PackChange] {
        let id = new.id
        var changes: [PackChange] = []
        let ids = Set(old.references.map(\.id)).union(new.references.map(\.id)).sorted()
        for reference in ids {
            let before = old.reference(reference)
            let after = new.reference(reference)
            switch (before, after) {
            case (let before?, let after?):
                for (field, old, new) in [
                    ("citation", before.citation, after.citation), ("url", before.url, after.url),
                    ("grade", before.grade, after.grade),
                ] where old != new {
                    changes.append(PackChange(
                        therapy: id, kind: .referenceChanged, subject: reference, field: field, before: old ?? "none",
                        after: new ?? "none"))
                }
            case (nil, let after?):
                changes.append(PackChange(
                    therapy: id, kind: .referenceAdded, subject: reference, after: after.citation ?? "no citation"))
            case (let before?, nil):
                changes.append(PackChange(
                    therapy: id, kind: .referenceRemoved, subject: reference, before: before.citation ?? "no citation"))
            case (nil, nil):
                break
            }
        }
        return changes
    }

    /// Positions have no id: one is known by its diagnosis and source.
    private static func positionChanges(from old: Therapy, to new: Therapy) -> [PackChange] {
        let id = new.id
        func key(_ position: GuidelinePosition) -> String { "\(position.diagnosis)/\(position.source)" }
        func line(_ position: GuidelinePosition) -> String {
            var text = "\(position.stance.rawValue): \(position.position)"
            if let grade = position.grade { text += " [grade: \(grade)]" }
            return text + " (\(position.ref))"
        }
        var changes: [PackChange] = []
        for position in new.positions {
            let subject = key(position)
            guard let before = old.positions.first(where: { key($0) == subject }) else {
                changes.append(PackChange(therapy: id, kind: .positionAdded, subject: subject, after: line(position)))
                continue
            }
            if line(before) != line(position) {
                changes.append(PackChange(
                    therapy: id, kind: .positionChanged, subject: subject, before: line(before), after: line(position)))
            }
        }
        for position in old.positions where !new.positions.contains(where: { key($0) == key(position) }) {
            changes.append(PackChange(therapy: id, kind: .positionRemoved, subject: key(position), before: line(position)))
        }
        return changes
    }

    // MARK: - Text

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    private static func range(_ range: ClosedRange<Double>?) -> String {
        guard let range else { return "none" }
        return "[\(number(range.lowerBound)), \(number(range.upperBound))]"
    }

    private static func list(_ items: [String]) -> String {
        "[" + items.joined(separator: ", ") + "]"
    }

    private static func evidence(_ evidence: Evidence?) -> String {
        guard let evidence else { return "none" }
        return "level \(evidence.level), \(evidence.direction.rawValue), refs \(list(evidence.refs))"
    }
}
