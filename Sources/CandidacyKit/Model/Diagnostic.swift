/// One finding about an input file: where it is, how serious it is and what is wrong.
///
/// A diagnostic prints as `file:line:column: severity: message`, the form that editors
/// and CI systems annotate.
public struct Diagnostic: Error, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// How serious a finding is.
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error
        case warning

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .error && rhs == .warning
        }
    }

    /// Where the problem is.
    public var location: SourceLocation
    /// How serious it is.
    public var severity: Severity
    /// What was found and what was expected, in one sentence.
    public var message: String
    /// A short, stable identifier of the kind of problem, such as `unknown-key`; for a lint
    /// finding, the id of the check that found it.
    public var code: String
    /// The name of the thing the finding is about (a rule, therapy, parameter, reference or
    /// profile field), which a pack's `lint:` block may name to switch a check off for it alone;
    /// for an error in a patient, the dotted path of the field (`labs.platelet_count`,
    /// `conservative_care[0].weeks`).
    public var subject: String?

    /// Creates a diagnostic.
    public init(
        _ severity: Severity = .error, at location: SourceLocation, code: String, _ message: String,
        subject: String? = nil
    ) {
        self.location = location
        self.severity = severity
        self.message = message
        self.code = code
        self.subject = subject
    }

    /// Creates an error.
    public static func error(at location: SourceLocation, code: String, _ message: String) -> Diagnostic {
        Diagnostic(.error, at: location, code: code, message)
    }

    /// The diagnostic as one line, control characters from the input made visible (`\u{1B}`).
    public var description: String { ControlCharacters.escaped("\(location): \(severity.rawValue): \(message)") }

    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        (lhs.location, lhs.severity, lhs.message) < (rhs.location, rhs.severity, rhs.message)
    }
}

/// The error thrown when an input cannot be used: every problem found, in source order.
public struct DiagnosticError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure, which decides the exit status.
    public enum Kind: Sendable {
        /// The file could not be read at all (exit 66).
        case unreadable
        /// The file was read but its content is invalid (exit 65).
        case invalid
        /// The system refused a resource the run needs, such as a thread (exit 71, `EX_OSERR`).
        case system
    }

    /// Why the input was rejected.
    public var kind: Kind
    /// The problems, sorted by location.
    public var diagnostics: [Diagnostic]

    /// Creates an error from one or more diagnostics, sorted by location.
    public init(_ diagnostics: [Diagnostic], kind: Kind = .invalid) {
        self.kind = kind
        self.diagnostics = diagnostics.sorted()
    }

    /// Creates an error from one diagnostic.
    public init(_ diagnostic: Diagnostic, kind: Kind = .invalid) {
        self.init([diagnostic], kind: kind)
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
