extension Fixture {
    /// What a fixture expects of one therapy: any of a tier, a score and rules that must be
    /// among the deciding ones (``TherapyDecision/deciding``). What is not given is not checked.
    public struct Expectation: Sendable, Hashable {
        /// The therapy's id, a therapy of the pack the fixture was loaded against.
        public var therapy: String
        /// The tier the therapy must reach, if given.
        public var tier: Tier?
        /// The score the therapy must have, if given.
        public var score: Int?
        /// Rules of the therapy that must all be among the deciding rules, in file order.
        public var because: [String]
        /// Where the therapy id is written, the location failures are reported at.
        public var location: SourceLocation
        /// Where the `tier` value is written, if given.
        public var tierLocation: SourceLocation?
        /// Where the `score` value is written, if given.
        public var scoreLocation: SourceLocation?
        /// Where each rule id of ``because`` is written, in the same order.
        public var becauseLocations: [SourceLocation]

        /// Creates an expectation.
        public init(
            therapy: String, tier: Tier? = nil, score: Int? = nil, because: [String] = [],
            location: SourceLocation, tierLocation: SourceLocation? = nil, scoreLocation: SourceLocation? = nil,
            becauseLocations: [SourceLocation] = []
        ) {
            self.therapy = therapy
            self.tier = tier
            self.score = score
            self.because = because
            self.location = location
            self.tierLocation = tierLocation
            self.scoreLocation = scoreLocation
            self.becauseLocations = becauseLocations
        }
    }
}
