/// The sentences that explain a decision's tier, shared by the text and Markdown reports.
enum TierExplanation {
    /// Why the therapy got its tier, in one sentence.
    static func sentence(for decision: TherapyDecision) -> String {
        sentence(for: decision, highestScore: highestScore(of: decision)) {
            var fields: [String] = []
            for step in decision.steps where decision.deciding.contains(step.rule) {
                FastPath.appendNew(step.missing, to: &fields)
            }
            return fields
        }
    }

    /// Why the therapy got its tier, given what the sentence reads of its steps: the highest
    /// score its rules allow, and (for `needs-data`) the missing fields of its deciding rules'
    /// steps, in step order, each once.
    static func sentence(for decision: TherapyDecision, highestScore: Int, neededFields: () -> [String]) -> String {
        // Joined only for the tiers that name the rules.
        var rules: String { decision.deciding.joined(separator: ", ") }
        let tiers = decision.tiers
        switch decision.tier {
        case .contraindicated:
            return "contraindicated: \(rules) holds, an absolute contraindication; the score does not count."
        case .ineligible:
            let subject = decision.deciding.count == 1 ? "the requirement \(rules) is" : "the requirements \(rules) are"
            return "ineligible: \(subject) not met; the score does not count."
        case .needsData:
            let fields = neededFields()
            if fields.isEmpty { return "needs-data: \(rules) cannot be decided (see the errors above)." }
            let verb = fields.count == 1 ? "is" : "are"
            return "needs-data: \(rules) cannot be decided until \(fields.joined(separator: ", ")) \(verb) recorded."
        case .recommended:
            return "score \(decision.score) reaches recommended (\(tiers.recommended))."
        case .consider:
            let ceiling = highestScore
            if ceiling < tiers.recommended {
                return "score \(decision.score) reaches consider (\(tiers.consider)); recommended (\(tiers.recommended)) is beyond the highest score these rules allow (\(ceiling))."
            }
            return "score \(decision.score) reaches consider (\(tiers.consider)), not recommended (\(tiers.recommended))."
        case .notRecommended:
            return "score \(decision.score) is below consider (\(tiers.consider)): not-recommended."
        }
    }

    /// The heading of the "what would change" list, which says it is the rules' reading, not advice.
    static func whatWouldChangeHeading(for decision: TherapyDecision) -> String {
        let target: String
        switch decision.tier {
        case .ineligible: target = "meet the requirements"
        case .needsData: target = "settle the open rules"
        case .consider: target = "reach recommended (\(decision.tiers.recommended))"
        default: target = "reach consider (\(decision.tiers.consider))"
        }
        return "What would change (what the rules say, not advice): to \(target)"
    }

    /// The highest score any patient could reach: the sum of the positive points of the
    /// score and caution rules.
    static func highestScore(of decision: TherapyDecision) -> Int {
        decision.steps.reduce(0) { $0 + max(0, $1.potentialPoints) }
    }

    /// The deciding steps, each with why it decided: `rule-id: because`.
    static func reasons(for decision: TherapyDecision) -> [String] {
        decision.steps.filter { decision.deciding.contains($0.rule) }.map { "\($0.rule): \($0.because)" }
    }

    /// `score 4 (4–6, provisional)`, or `score 4` when the range is a single value.
    static func score(of decision: TherapyDecision) -> String {
        var text = "score \(decision.score)"
        let range = decision.scoreRange
        if range.lowerBound != range.upperBound || decision.provisional {
            text += " (\(range.lowerBound)–\(range.upperBound)\(decision.provisional ? ", provisional" : ""))"
        }
        return text
    }

    /// What each missing field would settle: `visa_p could raise the score by 2`.
    static func missing(for decision: TherapyDecision) -> [String] {
        var lines: [String] = []
        for step in decision.steps where step.outcome == .unknown {
            let fields = step.missing.isEmpty ? "(an evaluation error)" : step.missing.joined(separator: ", ")
            switch step.kind {
            case .exclude, .require:
                lines.append("\(fields) would settle \(step.rule) (\(step.kind.rawValue))")
            case .score, .caution:
                let points = step.potentialPoints
                if points == 0 { continue }
                let verb = points > 0 ? "raise" : "lower"
                lines.append("\(fields) could \(verb) the score by \(abs(points)) (\(step.rule))")
            }
        }
        return lines
    }

    static func stepPoints(_ step: Step) -> String {
        step.points >= 0 ? "+\(step.points)" : String(step.points)
    }
}

/// A therapy's tier sentences (``TierExplanation/sentence(for:highestScore:neededFields:)``),
/// kept for the last few decisions they were made for: a batch writes the same sentence for
/// many patients. A sentence is reused only for a decision with what it reads the same: the
/// score for a scored tier, the deciding rules for `contraindicated` and `ineligible`;
/// `needs-data` reads its steps' missing fields too, and is made each time.
struct TierSentenceCache {
    private var recent: [(tier: Tier, score: Int, deciding: [String], text: String)] = []
    /// How many sentences are kept.
    private static let kept = 8

    /// The sentence for a decision of one therapy (the cache's), whose highest score is `highestScore`.
    mutating func sentence(for decision: TherapyDecision, highestScore: Int, neededFields: () -> [String]) -> String {
        let scored: Bool
        switch decision.tier {
        case .needsData:
            return TierExplanation.sentence(for: decision, highestScore: highestScore, neededFields: neededFields)
        case .contraindicated, .ineligible: scored = false
        case .recommended, .consider, .notRecommended: scored = true
        }
        for known in recent where known.tier == decision.tier
            && (scored ? known.score == decision.score : known.deciding == decision.deciding)
        {
            return known.text
        }
        let text = TierExplanation.sentence(for: decision, highestScore: highestScore, neededFields: neededFields)
        if recent.count == Self.kept { recent.removeFirst() }
        recent.append((decision.tier, decision.score, decision.deciding, text))
        return text
    }
}
