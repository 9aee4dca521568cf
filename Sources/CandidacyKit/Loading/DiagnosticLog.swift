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

    /// Records diagnostics found elsewhere.
    mutating func append(contentsOf other: [Diagnostic]) {
        diagnostics.append(contentsOf: other)
    }
}
