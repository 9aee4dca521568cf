/// One difference between two versions of a rule pack, found by comparing ids: a therapy,
/// rule, parameter, reference, guideline position or profile field added, removed or changed.
///
/// Values are kept as the text a reviewer reads (`100`, `all: [a, b]`), so that every change
/// renders the same way in text, Markdown and JSON.
public struct PackChange: Sendable, Hashable {
    /// What changed. The raw values are the `change` names of the JSON report; `…-wording` and
    /// `…-detail` kinds change only what reports say, never a tier or score.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case profileFieldAdded = "profile-field-added"
        case profileFieldRemoved = "profile-field-removed"
        case profileFieldChanged = "profile-field-changed"
        case profileFieldWording = "profile-field-wording"
        case therapyAdded = "therapy-added"
        case therapyRemoved = "therapy-removed"
        case therapyVersion = "therapy-version"
        case therapyWording = "therapy-wording"
        case therapyReviewBy = "therapy-review-by"
        case tiers
        case parameterAdded = "parameter-added"
        case parameterRemoved = "parameter-removed"
        case parameterValue = "parameter-value"
        case parameterRange = "parameter-range"
        case parameterDetail = "parameter-detail"
        case ruleAdded = "rule-added"
        case ruleRemoved = "rule-removed"
        case ruleCondition = "rule-condition"
        case ruleKind = "rule-kind"
        case rulePoints = "rule-points"
        case ruleWording = "rule-wording"
        case ruleEvidence = "rule-evidence"
        case referenceAdded = "reference-added"
        case referenceRemoved = "reference-removed"
        case referenceChanged = "reference-changed"
        case positionAdded = "position-added"
        case positionRemoved = "position-removed"
        case positionChanged = "position-changed"

        /// Whether the change can alter a tier or a score (conditions, kinds, points, parameter
        /// values, thresholds, therapies, rules and profile fields) rather than only what the
        /// reports and the rule book say.
        public var affectsOutcomes: Bool {
            switch self {
            case .profileFieldAdded, .profileFieldRemoved, .profileFieldChanged, .therapyAdded, .therapyRemoved,
                .tiers, .parameterAdded, .parameterRemoved, .parameterValue, .ruleAdded, .ruleRemoved,
                .ruleCondition, .ruleKind, .rulePoints:
                true
            default:
                false
            }
        }
    }

    /// The therapy id, or `nil` for a change to `profile.yaml`.
    public var therapy: String?
    /// What changed.
    public var kind: Kind
    /// The id of what changed: a rule id, parameter name, reference id, profile field path,
    /// `diagnosis/source` of a guideline position, or the therapy id itself.
    public var subject: String
    /// The attribute that changed, where one kind covers several (`title`, `reason`, `consider`).
    public var field: String?
    /// The old text, or `nil` when the subject was added.
    public var before: String?
    /// The new text, or `nil` when the subject was removed.
    public var after: String?

    /// Creates a change.
    public init(
        therapy: String?, kind: Kind, subject: String, field: String? = nil, before: String? = nil,
        after: String? = nil
    ) {
        self.therapy = therapy
        self.kind = kind
        self.subject = subject
        self.field = field
        self.before = before
        self.after = after
    }

    /// A line for a person, without the therapy: `parameter min_platelet_count: 100 → 150`.
    public var summary: String {
        let named: String? = [.therapyVersion, .therapyWording, .therapyReviewBy, .tiers].contains(kind) ? nil : subject
        let what = [noun, named, field].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        switch (before, after) {
        case (let before?, let after?): return "\(what): \(before) → \(after)"
        case (nil, let after?): return "\(what) added: \(after)"
        case (let before?, nil): return "\(what) removed: \(before)"
        case (nil, nil): return what
        }
    }

    /// The kind of thing that changed, as a word: `rule`, `parameter`, …
    public var noun: String {
        switch kind {
        case .profileFieldAdded, .profileFieldRemoved, .profileFieldChanged, .profileFieldWording: "field"
        case .therapyAdded, .therapyRemoved: "therapy"
        case .therapyVersion: "version"
        case .therapyWording: "therapy"
        case .therapyReviewBy: "review_by"
        case .tiers: "tiers"
        case .parameterAdded, .parameterRemoved, .parameterValue, .parameterRange, .parameterDetail: "parameter"
        case .ruleAdded, .ruleRemoved, .ruleCondition, .ruleKind, .rulePoints, .ruleWording, .ruleEvidence: "rule"
        case .referenceAdded, .referenceRemoved, .referenceChanged: "reference"
        case .positionAdded, .positionRemoved, .positionChanged: "position"
        }
    }
}
