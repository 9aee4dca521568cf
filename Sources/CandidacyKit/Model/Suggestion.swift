/// Finds the near misses behind "did you mean …" in error messages.
public enum Suggestion {
    /// The candidate closest to `word` by edit distance (insertions, deletions, substitutions and
    /// swaps of neighbours), if it is close enough to be a likely typo: at most 1 edit for words of
    /// up to 4 characters, 2 up to 8, and 3 beyond. Ties go to the candidate listed first.
    ///
    /// Only the first ``maximumCandidates`` candidates are considered, and only those whose
    /// length is within the limit are compared, so that a hostile file with many long unknown
    /// names, or a schema with many names, cannot make the error messages take quadratic time.
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let length = word.unicodeScalars.count
        let limit = word.count <= 4 ? 1 : (word.count <= 8 ? 2 : 3)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates.prefix(maximumCandidates) where candidate != word {
            guard abs(candidate.unicodeScalars.count - length) <= limit else { continue }
            let distance = editDistance(word, candidate)
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// The most candidates ``closest(to:in:)`` considers: 1,000.
    public static let maximumCandidates = 1_000

    /// `"; did you mean 'x'?"`, or an empty string when nothing is close.
    public static func didYouMean(_ word: String, in candidates: some Sequence<String>) -> String {
        guard let match = closest(to: word, in: candidates) else { return "" }
        return "; did you mean '\(match)'?"
    }

    /// The optimal-string-alignment distance between two strings, compared by Unicode scalar.
    public static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.unicodeScalars)
        let b = Array(rhs.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
