/// The fixtures of one `candidacy test` run: every fixture file under some folders, loaded
/// against a compiled pack, narrowed by an optional filter.
///
/// Every file found is loaded and checked, whether or not the filter selects it, so that an
/// invalid fixture always fails the run; the filter then keeps the fixtures whose file path or
/// case id (`patient.id`) contains the pattern. Fixtures the filter leaves out are not run and
/// not counted: they are not "skipped".
public struct FixtureSuite: Sendable {
    /// The selected fixtures, in the order ``FixtureLoader/files(under:)`` finds them.
    public var fixtures: [Fixture]
    /// How many valid fixtures the filter left out.
    public var excludedCount: Int

    /// Creates a suite from fixtures already loaded.
    public init(fixtures: [Fixture], excludedCount: Int = 0) {
        self.fixtures = fixtures
        self.excludedCount = excludedCount
    }

    /// Finds and loads every fixture under `paths` and keeps those the filter selects.
    ///
    /// - Parameters:
    ///   - paths: Folders searched recursively, or fixture files, as ``FixtureLoader/files(under:)`` takes them.
    ///   - filter: A substring of the file path or of the case id; `nil` or empty keeps every fixture.
    ///   - pack: The compiled pack the fixtures must use.
    /// - Throws: ``DiagnosticError`` with every problem of every file: `.unreadable` when a path
    ///   or a file cannot be read, `.invalid` when only the content is wrong.
    public static func load(paths: [String], filter: String? = nil, pack: CompiledPack) throws(DiagnosticError) -> FixtureSuite {
        let files = try FixtureLoader.files(under: paths)
        var fixtures: [Fixture] = []
        var diagnostics: [Diagnostic] = []
        var unreadable = false
        for file in files {
            do {
                fixtures.append(try FixtureLoader.load(file: file, pack: pack))
            } catch {
                diagnostics.append(contentsOf: error.diagnostics)
                if error.kind == .unreadable { unreadable = true }
            }
        }
        guard diagnostics.isEmpty else {
            throw DiagnosticError(diagnostics, kind: unreadable ? .unreadable : .invalid)
        }
        return FixtureSuite(fixtures: fixtures).filtered(by: filter)
    }

    /// The fixtures whose file path or case id contains `pattern` (case-sensitive); all of
    /// them when `pattern` is `nil` or empty.
    public func filtered(by pattern: String?) -> FixtureSuite {
        guard let pattern, !pattern.isEmpty else { return self }
        let kept = fixtures.filter { $0.file.contains(pattern) || $0.patient.id.contains(pattern) }
        return FixtureSuite(fixtures: kept, excludedCount: excludedCount + fixtures.count - kept.count)
    }
}
