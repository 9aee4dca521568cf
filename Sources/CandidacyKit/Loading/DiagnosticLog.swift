/// The errors found so far while loading, so that one pass reports as many as it can.
struct DiagnosticLog: Sendable {
    /// The diagnostics, in the order found.
    private(set) var diagnostics: [Diagnostic] = []

    /// Whether nothing has been reported.
    var isEmpty: Bool { diagnostics.isEmpty }

    /// Records an error.
    mutating func error(at location: SourceLocation, code: String, _ message: String) {
        diagnostics.append(.error(at: location, code: code, message))
    }

    /// Records an error about a patient field, named by its dotted path as its subject.
    mutating func error(at location: SourceLocation, code: String, _ message: String, field: String?) {
        diagnostics.append(Diagnostic(.error, at: location, code: code, message, subject: field))
    }

    /// Records diagnostics found elsewhere, naming `field` as the subject of those without one.
    mutating func append(contentsOf other: [Diagnostic], field: String) {
        for var diagnostic in other {
            if diagnostic.subject == nil { diagnostic.subject = field }
            diagnostics.append(diagnostic)
        }
    }

    /// Records diagnostics found elsewhere.
    mutating func append(contentsOf other: [Diagnostic]) {
        diagnostics.append(contentsOf: other)
    }
}
