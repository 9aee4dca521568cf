/// A regression case (DESIGN.md section 5): a patient and what the pack must decide for them.
///
/// A fixture file has exactly three keys: `description`, one line saying what the case is;
/// `patient`, a patient as in a patient file, which must record `as_of` so that the case never
/// depends on today's date; and `expect`, a mapping from therapy ids to ``Expectation``s.
///
/// ```yaml
/// description: 34-year-old runner, patellofemoral pain for six months
/// patient:
///   id: case-017
///   as_of: 2026-10-02
///   diagnosis: patellofemoral_pain
/// expect:
///   eswt: { tier: consider, score: 4, because: [eswt-chronic-symptoms] }
/// ```
///
/// Load one with ``FixtureLoader``; check one with ``FixtureRunner``.
public struct Fixture: Sendable, Hashable {
    /// The path of the file, as given to the loader.
    public var file: String
    /// What the case is, in one line.
    public var description: String
    /// The patient, checked against the pack's profile. Its `as_of` is always recorded.
    public var patient: Patient
    /// The expectations, in file order, at most one per therapy.
    public var expectations: [Expectation]

    /// Creates a fixture.
    public init(file: String, description: String, patient: Patient, expectations: [Expectation]) {
        self.file = file
        self.description = description
        self.patient = patient
        self.expectations = expectations
    }

    /// The date the case is evaluated at: the patient's `as_of`, the fixture's own clock.
    public var asOf: CivilDate? { patient.asOf }
}
