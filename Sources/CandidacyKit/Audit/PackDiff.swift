/// What a change to a rule pack does: the changes to the pack itself, and the cases whose
/// outcome moves. Build one with ``PackDiffer``; render it with the `PackDiff…Renderer`s.
public struct PackDiff: Sendable, Hashable {
    /// One of the two packs compared.
    public struct PackIdentity: Sendable, Hashable {
        /// The pack's path as given, such as `Rules` or `main:Rules`.
        public var path: String
        /// `sha256:` and the pack's digest (see ``PackDigest``).
        public var digest: String
        /// The therapy files' versions, in pack order.
        public var versions: [TherapyVersion]

        /// Creates an identity.
        public init(path: String, digest: String, versions: [TherapyVersion]) {
            self.path = path
            self.digest = digest
            self.versions = versions
        }

        /// The identity of a compiled pack.
        public init(_ pack: CompiledPack) {
            self.init(
                path: pack.pack.path, digest: pack.digest,
                versions: pack.versions.map { TherapyVersion(therapy: $0.therapy, version: $0.version) })
        }
    }

    /// A therapy id and its file's version.
    public struct TherapyVersion: Sendable, Hashable {
        /// The therapy id.
        public var therapy: String
        /// The version.
        public var version: String

        /// Creates a therapy version.
        public init(therapy: String, version: String) {
            self.therapy = therapy
            self.version = version
        }
    }

    /// A case that is not a valid patient under one pack or both, so its outcomes cannot be
    /// compared: a profile change made it invalid (or valid), or it was never valid.
    public struct InvalidCase: Sendable, Hashable {
        /// The case id, when some pack could read it, else the file.
        public var caseID: String
        /// The case file.
        public var file: String
        /// The errors under the old pack, or `nil` when it is valid there.
        public var oldErrors: [String]?
        /// The errors under the new pack, or `nil` when it is valid there.
        public var newErrors: [String]?

        /// Creates an invalid case.
        public init(caseID: String, file: String, oldErrors: [String]?, newErrors: [String]?) {
            self.caseID = caseID
            self.file = file
            self.oldErrors = oldErrors
            self.newErrors = newErrors
        }

        /// Whether it is valid under exactly one of the packs: a change the diff reports.
        public var isChange: Bool { (oldErrors == nil) != (newErrors == nil) }
    }

    /// How many cases change, and how.
    public struct Summary: Sendable, Hashable {
        /// Every case read.
        public var cases: Int
        /// The cases with some change: an outcome, or valid under one pack only.
        public var changed: Int
        /// Cases where some therapy's tier changed, or a therapy is in one pack only.
        public var tier: Int
        /// Cases, not counted under ``tier``, where some therapy's score changed.
        public var score: Int
        /// Cases where only deciding rules changed.
        public var deciding: Int
        /// Cases valid under one pack only.
        public var validity: Int
        /// Cases valid under neither pack.
        public var invalidUnderBoth: Int

        /// `3 of 80 cases change: 2 tiers, 1 score`, or `none of 80 cases change`.
        public var line: String {
            let noun = cases == 1 ? "case" : "cases"
            guard changed > 0 else { return "none of \(cases) \(noun) change" }
            var parts: [String] = []
            if tier > 0 { parts.append("\(tier) \(tier == 1 ? "tier" : "tiers")") }
            if score > 0 { parts.append("\(score) \(score == 1 ? "score" : "scores")") }
            if deciding > 0 { parts.append("\(deciding) deciding rules only") }
            if validity > 0 { parts.append("\(validity) valid under one pack only") }
            let verb = changed == 1 ? "changes" : "change"
            return "\(changed) of \(cases) \(noun) \(verb): " + parts.joined(separator: ", ")
        }
    }

    /// The old pack.
    public var old: PackIdentity
    /// The new pack.
    public var new: PackIdentity
    /// The changes to the packs' files, by ids (``PackComparer``).
    public var packChanges: [PackChange]
    /// The outcomes that changed, by case in file order, then by therapy id.
    public var caseChanges: [CaseChange]
    /// The cases invalid under one pack or both, in file order.
    public var invalidCases: [InvalidCase]
    /// The number of case files read.
    public var caseCount: Int

    /// Creates a diff.
    public init(
        old: PackIdentity, new: PackIdentity, packChanges: [PackChange], caseChanges: [CaseChange],
        invalidCases: [InvalidCase], caseCount: Int
    ) {
        self.old = old
        self.new = new
        self.packChanges = packChanges
        self.caseChanges = caseChanges
        self.invalidCases = invalidCases
        self.caseCount = caseCount
    }

    /// The cases valid under both packs with the same outcome for every therapy.
    public var unchangedCases: Int {
        let moved = Set(caseChanges.map(\.file))
        return caseCount - moved.count - invalidCases.count
    }

    /// How many cases change, and how.
    public var summary: Summary {
        var files: [String: [CaseChange]] = [:]
        for change in caseChanges { files[change.file, default: []].append(change) }
        var summary = Summary(
            cases: caseCount, changed: 0, tier: 0, score: 0, deciding: 0, validity: 0, invalidUnderBoth: 0)
        for changes in files.values {
            let aspects = Set(changes.flatMap(\.aspects))
            if aspects.contains(.tier) || aspects.contains(.therapy) {
                summary.tier += 1
            } else if aspects.contains(.score) {
                summary.score += 1
            } else {
                summary.deciding += 1
            }
        }
        summary.validity = invalidCases.filter(\.isChange).count
        summary.invalidUnderBoth = invalidCases.count - summary.validity
        summary.changed = files.count + summary.validity
        return summary
    }
}
