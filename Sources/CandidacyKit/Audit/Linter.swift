/// Runs the lint catalogue on a rule pack: the load and type errors, then every check, then the
/// pack's own `lint:` switch-offs.
public struct Linter: Sendable {
    /// The checks to run.
    public var checks: [any LintCheck]

    /// A linter running the whole catalogue.
    public init(checks: [any LintCheck] = LintCatalogue.checks) {
        self.checks = checks
    }

    /// Lints the pack in a folder.
    ///
    /// - Throws: ``DiagnosticError`` of kind ``DiagnosticError/Kind/unreadable`` only, when the folder
    ///   or a file in it cannot be read; every other problem is a finding.
    public func lint(directory: String, asOf: CivilDate) throws(DiagnosticError) -> LintReport {
        do {
            return lint(try RulePackLoader.load(directory: directory), asOf: asOf)
        } catch where error.kind == .unreadable {
            throw error
        } catch {
            return LintReport(path: directory, asOf: asOf, findings: error.diagnostics.map(Linter.loadFinding))
        }
    }

    /// Lints a pack given as files, as ``RulePackLoader/load(files:path:)`` takes them.
    public func lint(files: [PackFile], path: String, asOf: CivilDate) throws(DiagnosticError) -> LintReport {
        do {
            return lint(try RulePackLoader.load(files: files, path: path), asOf: asOf)
        } catch where error.kind == .unreadable {
            throw error
        } catch {
            return LintReport(path: path, asOf: asOf, findings: error.diagnostics.map(Linter.loadFinding))
        }
    }

    /// Lints a loaded pack: its type errors, or else every check's findings less those it switches off.
    public func lint(_ pack: RulePack, asOf: CivilDate) -> LintReport {
        let compiled: CompiledPack
        do {
            compiled = try CompiledPack(pack)
        } catch {
            return LintReport(
                path: pack.path, asOf: asOf,
                findings: error.diagnostics.map { Diagnostic(.error, at: $0.location, code: "type-error", $0.message) },
                disabled: pack.profile.lint.disabled)
        }
        let context = LintContext(asOf: asOf)
        var findings: [Diagnostic] = []
        var suppressed: [SuppressedFinding] = []
        for check in checks {
            for finding in check.findings(in: compiled, context: context) {
                if let entry = pack.profile.lint.exemption(forCheck: finding.code, subject: finding.subject) {
                    suppressed.append(SuppressedFinding(finding: finding, entry: entry))
                } else {
                    findings.append(finding)
                }
            }
        }
        return LintReport(
            path: pack.path, asOf: asOf, findings: findings, suppressed: suppressed, disabled: pack.profile.lint.disabled)
    }

    /// A loader diagnostic as a finding: under its own check id when a check of the catalogue
    /// covers it (such as `tier-order`), else `load-error`.
    static func loadFinding(_ diagnostic: Diagnostic) -> Diagnostic {
        let code = LintCatalogue.loadEnforcedIDs.contains(diagnostic.code) ? diagnostic.code : "load-error"
        return Diagnostic(.error, at: diagnostic.location, code: code, diagnostic.message)
    }
}
