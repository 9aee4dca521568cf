/// One therapy file of a rule pack (DESIGN.md 2.3): its parameters, references, rules and tiers.
public struct Therapy: Sendable, Hashable {
    /// The therapy's id, unique in the pack, such as `eswt`.
    public var id: String
    /// Its full name.
    public var title: String
    /// The file's version, such as `1.0.0`.
    public var version: String
    /// The date by which the file must be reviewed again.
    public var reviewBy: CivilDate?
    /// Where the `review_by` value is written, when it is.
    public var reviewByLocation: SourceLocation?
    /// One paragraph for the rule book.
    public var summary: String?
    /// Thresholds a site may adjust, used in conditions as `params.NAME`.
    public var parameters: [Parameter]
    /// The sources the rules cite, by id.
    public var references: [Reference]
    /// The rules, in file order.
    public var rules: [Rule]
    /// The minimum score of each scored tier.
    public var tiers: Tiers
    /// What each guideline says about the therapy, by diagnosis, in file order.
    public var positions: [GuidelinePosition]
    /// What to do, in order, when the therapy is recommended or considered (`program:`).
    public var program: [ProgramItem] = []
    /// The path of the file.
    public var file: String
    /// Where the `therapy:` key is.
    public var location: SourceLocation

    public init(
        id: String, title: String, version: String, reviewBy: CivilDate?, summary: String?,
        parameters: [Parameter], references: [Reference], rules: [Rule], tiers: Tiers,
        positions: [GuidelinePosition] = [], file: String, location: SourceLocation,
        reviewByLocation: SourceLocation? = nil
    ) {
        self.reviewByLocation = reviewByLocation
        self.id = id
        self.title = title
        self.version = version
        self.reviewBy = reviewBy
        self.summary = summary
        self.parameters = parameters
        self.references = references
        self.rules = rules
        self.tiers = tiers
        self.positions = positions
        self.file = file
        self.location = location
    }

    /// The reference with the given id.
    public func reference(_ id: String) -> Reference? {
        references.first { $0.id == id }
    }
}

/// A threshold a site may adjust, with the range the sources report.
public struct Parameter: Sendable, Hashable {
    /// Its name, used as `params.NAME`.
    public var name: String
    /// Its value: an int, a double, a bool or a string.
    public var value: Value
    /// The unit, such as `days`.
    public var unit: String?
    /// The lowest and highest values the sources report.
    public var range: ClosedRange<Double>?
    /// What it means.
    public var description: String?
    /// The references that report it.
    public var refs: [String]
    /// Where it is declared.
    public var location: SourceLocation

    public init(
        name: String, value: Value, unit: String?, range: ClosedRange<Double>?,
        description: String?, refs: [String], location: SourceLocation
    ) {
        self.name = name
        self.value = value
        self.unit = unit
        self.range = range
        self.description = description
        self.refs = refs
        self.location = location
    }
}

/// A published source a rule cites.
public struct Reference: Sendable, Hashable {
    /// Its id, used in `refs`.
    public var id: String
    /// The full citation.
    public var citation: String?
    /// A URL, PMID or DOI link.
    public var url: String?
    /// The source's own grade, verbatim.
    public var grade: String?
    /// Where it is declared.
    public var location: SourceLocation

    public init(id: String, citation: String?, url: String?, grade: String?, location: SourceLocation) {
        self.id = id
        self.citation = citation
        self.url = url
        self.grade = grade
        self.location = location
    }
}

/// The minimum score of each scored tier (DESIGN.md 2.4).
public struct Tiers: Sendable, Hashable {
    /// The minimum score for `recommended`.
    public var recommended: Int
    /// The minimum score for `consider`.
    public var consider: Int
    /// Where the `tiers:` block is.
    public var location: SourceLocation
    /// Where the `recommended` threshold is written.
    public var recommendedLocation: SourceLocation
    /// Where the `consider` threshold is written.
    public var considerLocation: SourceLocation

    public init(
        recommended: Int, consider: Int, location: SourceLocation, recommendedLocation: SourceLocation? = nil,
        considerLocation: SourceLocation? = nil
    ) {
        self.recommended = recommended
        self.consider = consider
        self.location = location
        self.recommendedLocation = recommendedLocation ?? location
        self.considerLocation = considerLocation ?? location
    }
}
