/// A pack's `lint:` block in `profile.yaml`: the lint checks it switches off.
///
/// ```yaml
/// lint:
///   disable:
///     - check: unreachable-tier
///       for: [stem-cell]          # optional: only findings about these names
///       reason: No cell therapy is approved for the knee (FDA 2021), so it is never recommended.
/// ```
public struct LintSettings: Sendable, Hashable {
    /// The checks switched off, in file order.
    public var disabled: [DisabledCheck]

    /// Creates settings; by default every check is on.
    public init(disabled: [DisabledCheck] = []) {
        self.disabled = disabled
    }

    /// The entry that switches off a finding of check `code` about `subject`, if any.
    public func exemption(forCheck code: String, subject: String?) -> DisabledCheck? {
        disabled.first { entry in
            guard entry.check == code else { return false }
            guard !entry.subjects.isEmpty else { return true }
            return subject.map(entry.subjects.contains) ?? false
        }
    }
}

/// One entry of `lint.disable`: a check switched off for the whole pack or for some names only.
public struct DisabledCheck: Sendable, Hashable {
    /// The id of the check, such as `unreachable-tier`.
    public var check: String
    /// The names (therapy, rule, parameter, reference or field) it is switched off for; empty for all.
    public var subjects: [String]
    /// Why, in words a reviewer accepts; required.
    public var reason: String
    /// Where the entry is written.
    public var location: SourceLocation

    /// Creates an entry.
    public init(check: String, subjects: [String] = [], reason: String, location: SourceLocation) {
        self.check = check
        self.subjects = subjects
        self.reason = reason
        self.location = location
    }
}
