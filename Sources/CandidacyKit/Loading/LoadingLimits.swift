/// The limits the loaders enforce on every YAML or JSON input, so that a hostile or broken file
/// gives an error with its location instead of a crash, a hang or exhausted memory.
///
/// Each limit is far above what a rule pack or a patient file needs. Exceeding one is an
/// error of kind ``DiagnosticError/Kind/invalid`` (a file larger than ``maximumFileSize``
/// included), reported at the place where the limit was crossed.
public struct LoadingLimits: Sendable {
    /// The largest file accepted, in bytes: 16 MiB.
    public static let maximumFileSize = 16 * 1024 * 1024

    /// The most nodes (scalars, lists and mappings) one document may hold once its aliases
    /// are expanded: 1,000,000. This stops "billion laughs" alias bombs, whose expansion
    /// grows exponentially with the number of aliases.
    public static let maximumNodeCount = 1_000_000

    /// The deepest nesting of lists and mappings accepted: 100 levels. (libyaml itself stops
    /// at 1,000; this is checked again after alias expansion, where nesting can grow further.)
    public static let maximumNestingDepth = 100

    /// The longest scalar accepted, in Unicode scalars: 65,536.
    public static let maximumScalarLength = 65_536

    /// The error for a scalar of `count` Unicode scalars, the same in every input format; `nil`
    /// within the limit.
    static func scalarTooLong(_ count: Int) -> String? {
        count > maximumScalarLength ? "scalar is \(count) characters long: at most \(maximumScalarLength) are accepted" : nil
    }

    /// The most items one list, or the most keys one mapping, may hold: 100,000.
    public static let maximumCollectionCount = 100_000

    /// The most rules a rule pack may hold, in all its therapy files together: 10,000. A
    /// therapy file whose `rules` list is longer is rejected before its rules are read, and a
    /// pack is rejected at the first rule past the limit, before any condition is compiled.
    public static let maximumRuleCount = 10_000

    private init() {}
}
