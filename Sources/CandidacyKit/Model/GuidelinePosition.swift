/// What one guideline says about a therapy for one diagnosis, kept beside the others so that
/// disagreement between guidelines stays visible instead of being merged into one rule.
///
/// Written under `positions:` in a therapy file:
///
/// ```yaml
/// positions:
///   - diagnosis: knee_osteoarthritis
///     source: AAOS 2021
///     stance: for
///     position: may be used (limited)
///     grade: limited
///     ref: aaos-2021
/// ```
public struct GuidelinePosition: Sendable, Hashable {
    /// The name of the profile field whose values positions name and whose value in a patient
    /// selects them: like `id` and `as_of`, a field name the engine reads by convention.
    public static let diagnosisField = "diagnosis"

    /// The diagnosis it applies to: a value of the profile's `diagnosis` enum field.
    public var diagnosis: String
    /// The short name of the source, such as `AAOS 2021`.
    public var source: String
    /// Whether the source is for, against or uncertain about the therapy.
    public var stance: EvidenceDirection
    /// What the source says, in a few words.
    public var position: String
    /// The source's own grade, verbatim.
    public var grade: String?
    /// The id of the reference of the same therapy file that records the source.
    public var ref: String
    /// Where the entry starts.
    public var location: SourceLocation

    /// Creates a position.
    public init(
        diagnosis: String, source: String, stance: EvidenceDirection, position: String, grade: String?,
        ref: String, location: SourceLocation
    ) {
        self.diagnosis = diagnosis
        self.source = source
        self.stance = stance
        self.position = position
        self.grade = grade
        self.ref = ref
        self.location = location
    }
}
