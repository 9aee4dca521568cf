/// One item of a therapy's `program:` — an ordered list of what to do, each with a purpose and a
/// dose. The engine shows a program without knowing what an exercise is.
///
/// ```yaml
/// program:
///   - name: Clamshells
///     purpose: Strengthen gluteus medius for hip stability.
///     dose: { sets: "2–3", repetitions: "12–15 per side" }
///     diagnoses: [patellofemoral_pain]
///     refs: [seed-article]
/// ```
public struct ProgramItem: Sendable, Hashable {
    /// What to do.
    public var name: String
    /// Why, in one sentence.
    public var purpose: String
    /// How much.
    public var dose: Dose
    /// The diagnoses it applies to (values of the profile's `diagnosis` field); empty for all.
    public var diagnoses: [String]
    /// The references it rests on.
    public var refs: [String]
    /// Where the item starts.
    public var location: SourceLocation

    public init(
        name: String, purpose: String, dose: Dose, diagnoses: [String], refs: [String], location: SourceLocation
    ) {
        self.name = name
        self.purpose = purpose
        self.dose = dose
        self.diagnoses = diagnoses
        self.refs = refs
        self.location = location
    }

    /// Whether the item applies to a patient with the given diagnosis (`nil`: not recorded, so
    /// only the items for every diagnosis apply).
    public func applies(to diagnosis: String?) -> Bool {
        diagnoses.isEmpty || diagnosis.map(diagnoses.contains) ?? false
    }
}

/// The dose of a program item, as the source words it: each part is text, such as `2–3` sets.
public struct Dose: Sendable, Hashable, CustomStringConvertible {
    /// The keys a dose may have, in the order they are printed.
    public static let keys = ["sets", "repetitions", "hold", "duration", "frequency", "note"]

    /// Its parts by key, such as `sets: 2–3`.
    public var parts: [(key: String, value: String)]

    public init(parts: [(key: String, value: String)]) {
        self.parts = parts
    }

    /// `sets 2–3 · repetitions 12–15 per side`.
    public var description: String {
        parts.map { "\($0.key) \($0.value)" }.joined(separator: " · ")
    }

    public static func == (lhs: Dose, rhs: Dose) -> Bool { lhs.description == rhs.description }

    public func hash(into hasher: inout Hasher) { hasher.combine(description) }
}
