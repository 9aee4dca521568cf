/// The JSON line a batch writes for each input record: a patient's decisions, or the errors
/// that kept a record from being evaluated.
public enum BatchLine {
    /// `{"patient":…,"line":N,"as_of":…,"therapies":[{"therapy","tier","score","score_range",
    /// "provisional","missing","cautions","deciding"}]}`, compact, keys in this order, therapies
    /// ranked as in every report, and a line feed. Without a line number (a patient file),
    /// `"line"` gives way to `"file"`.
    public static func decisions(_ evaluation: PatientEvaluation, line: Int?) -> [UInt8] {
        var writer = JSONBytes()
        writeDecisions(evaluation, line: line, into: &writer)
        return writer.bytes
    }

    static func writeDecisions(_ evaluation: PatientEvaluation, line: Int?, into writer: inout JSONBytes) {
        // Punctuation and keys are written as whole runs: one append each.
        writer.raw("{\"patient\":")
        writer.string(evaluation.patient)
        if let line {
            writer.raw(",\"line\":")
            writer.int(line)
        } else {
            writer.raw(",\"file\":")
            writer.string(evaluation.file)
        }
        writer.raw(",\"as_of\":")
        if let date = evaluation.asOf { writer.string(date.description) } else { writer.raw("null") }
        writer.raw(",\"therapies\":[")
        // Each decision's fields are read in place (a loop variable would copy the whole decision).
        let decisions = evaluation.decisions
        for index in decisions.indices {
            writer.raw(index > 0 ? ",{\"therapy\":" : "{\"therapy\":")
            writer.string(decisions[index].therapy)
            writer.raw(",\"tier\":")
            writer.raw(decisions[index].tier.quotedJSON)
            writer.raw(",\"score\":")
            writer.int(decisions[index].score)
            writer.raw(",\"score_range\":[")
            writer.int(decisions[index].scoreRange.lowerBound)
            writer.byte(UInt8(ascii: ","))
            writer.int(decisions[index].scoreRange.upperBound)
            writer.raw(
                decisions[index].provisional ? "],\"provisional\":true,\"missing\":" : "],\"provisional\":false,\"missing\":")
            writer.strings(decisions[index].missing)
            writer.raw(",\"cautions\":")
            writer.strings(decisions[index].cautions)
            writer.raw(",\"deciding\":")
            writer.strings(decisions[index].deciding)
            writer.byte(UInt8(ascii: "}"))
        }
        writer.raw("]}\n")
    }

    /// `{"line":N,"error":{first},"errors":[every one]}` and a line feed; each error is
    /// `{"file","line","column","code","field","message"}`, `field` the dotted path of the
    /// patient field it is about or `null`.
    public static func error(_ failure: DiagnosticError, line: Int) -> [UInt8] {
        var writer = JSONBytes()
        writeError(failure, line: line, into: &writer)
        return writer.bytes
    }

    static func writeError(_ failure: DiagnosticError, line: Int, into writer: inout JSONBytes) {
        func diagnostic(_ diagnostic: Diagnostic) {
            writer.raw("{")
            writer.key("file")
            writer.string(diagnostic.location.file)
            writer.raw(",")
            writer.key("line")
            writer.int(diagnostic.location.line)
            writer.raw(",")
            writer.key("column")
            writer.int(diagnostic.location.column)
            writer.raw(",")
            writer.key("code")
            writer.string(diagnostic.code)
            writer.raw(",")
            writer.key("field")
            if let field = diagnostic.subject { writer.string(field) } else { writer.raw("null") }
            writer.raw(",")
            writer.key("message")
            writer.string(diagnostic.message)
            writer.raw("}")
        }
        writer.raw("{")
        writer.key("line")
        writer.int(line)
        if let first = failure.diagnostics.first {
            writer.raw(",")
            writer.key("error")
            diagnostic(first)
        }
        writer.raw(",")
        writer.key("errors")
        writer.raw("[")
        for (index, item) in failure.diagnostics.enumerated() {
            if index > 0 { writer.raw(",") }
            diagnostic(item)
        }
        writer.raw("]}\n")
    }
}

extension Tier {
    /// ``quotedJSON`` and the `score` key after it (`"consider","score":`), one literal for a
    /// decisions line.
    var quotedJSONThenScoreKey: StaticString {
        switch self {
        case .recommended: "\"recommended\",\"score\":"
        case .consider: "\"consider\",\"score\":"
        case .needsData: "\"needs-data\",\"score\":"
        case .notRecommended: "\"not-recommended\",\"score\":"
        case .ineligible: "\"ineligible\",\"score\":"
        case .contraindicated: "\"contraindicated\",\"score\":"
        }
    }

    /// The tier's name as a JSON string, quotes included.
    var quotedJSON: StaticString {
        switch self {
        case .recommended: "\"recommended\""
        case .consider: "\"consider\""
        case .needsData: "\"needs-data\""
        case .notRecommended: "\"not-recommended\""
        case .ineligible: "\"ineligible\""
        case .contraindicated: "\"contraindicated\""
        }
    }
}
