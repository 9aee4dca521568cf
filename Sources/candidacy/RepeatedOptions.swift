import ArgumentParser

/// Repeated options, folded before the argument parser sees them: swift-argument-parser spends
/// time quadratic in the number of times an option is given (8,000 `--therapy prp` took 4 s), so
/// a repeated value is dropped (it adds nothing) and too many different values are a usage error.
enum RepeatedOptions {
    /// The repeatable options that take a value, whose repeats are folded.
    static let folded: Set<String> = ["--therapy"]

    /// The most different values one such option may be given.
    static let maximumDistinctValues = 1_000

    /// `arguments` with each later occurrence of a folded option whose value was already given
    /// removed (in either form, `--therapy prp` or `--therapy=prp`); everything after `--` is kept.
    static func fold(_ arguments: [String]) throws(ValidationError) -> [String] {
        var kept: [String] = []
        kept.reserveCapacity(arguments.count)
        var seen: [String: Set<String>] = [:]
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                kept.append(contentsOf: arguments[index...])
                break
            }
            let option: String
            let value: String?
            let width: Int
            if let equals = argument.firstIndex(of: "="), folded.contains(String(argument[..<equals])) {
                (option, value, width) = (String(argument[..<equals]), String(argument[argument.index(after: equals)...]), 1)
            } else if folded.contains(argument), index + 1 < arguments.count {
                (option, value, width) = (argument, arguments[index + 1], 2)
            } else {
                (option, value, width) = (argument, nil, 1)
            }
            if let value {
                let inserted = seen[option, default: []].insert(value).inserted
                if inserted, seen[option, default: []].count > maximumDistinctValues {
                    throw ValidationError("\(option) is given more than \(maximumDistinctValues) different values.")
                }
                if inserted { kept.append(contentsOf: arguments[index..<(index + width)]) }
            } else {
                kept.append(argument)
            }
            index += width
        }
        return kept
    }
}
