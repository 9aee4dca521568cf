import CandidacyKit
import FuzzSupport

/// Two parameters, an int and a double, as a therapy declares them.
private let parameters = [
    Parameter(
        name: "washout_days", value: .int(30), unit: "days", range: 30...90, description: nil, refs: [],
        location: SourceLocation(file: "t.yaml", line: 1, column: 1)),
    Parameter(
        name: "min_platelets", value: .double(150), unit: nil, range: nil, description: nil, refs: [],
        location: SourceLocation(file: "t.yaml", line: 2, column: 1)),
]

private let environment = TypeEnvironment(profile: FuzzSupport.pack.pack.profile, parameters: parameters)

/// A CEL expression: the input is its text (as UTF-8, invalid bytes replaced), parsed and
/// checked against the shipped profile and two parameters with any result type, then
/// evaluated for the example patient and an empty one; it is also parsed without a check
/// and evaluated with no variables, as CEL evaluates unchecked expressions.
///
/// Differential: every evaluation (whose closure-compiled fast path answers values and the
/// unknowns it can name) must equal the tree walker's on the same expression
/// (`evaluate(root, activation)`); a difference stops the fuzzer with a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: FuzzSupport.bytes(start, count), as: UTF8.self)
    if let compiled = try? CompiledExpression(text, environment: environment, expecting: nil) {
        let patient = FuzzSupport.patient
        agree(compiled, Activation(patient: patient.record, parameters: parameters, asOf: patient.asOf))
        agree(compiled, Activation(patient: Record(), parameters: parameters, asOf: nil))
    }
    if let unchecked = try? CompiledExpression(parsingOnly: text) {
        agree(unchecked, Activation(variables: ["x": .int(1), "s": .string("a")], asOf: nil))
    }
    return 0
}

/// Evaluates `expression` and stops with a crash when the result differs from the tree walker's.
private func agree(_ expression: CompiledExpression, _ activation: Activation) {
    let result = expression.evaluate(activation)
    let walker = expression.evaluate(expression.root, activation)
    // NaN is not equal to itself: results that print the same are the same.
    if result != walker, String(reflecting: result) != String(reflecting: walker) {
        fatalError("fast path \(result) != tree walker \(walker) for \(expression.text)")
    }
}
