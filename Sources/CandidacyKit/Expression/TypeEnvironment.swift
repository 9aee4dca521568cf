/// The variables an expression may use and their types: every top-level field of the
/// patient profile, and `params`, an object with one field per therapy parameter.
public struct TypeEnvironment: Sendable, Hashable {
    /// The variables by name.
    public private(set) var variables: [String: CELType]
    /// The variable names in declaration order (for "did you mean" suggestions).
    public private(set) var variableNames: [String]

    /// An environment declaring the given variables, in order.
    public init(variables: [(name: String, type: CELType)]) {
        self.variables = [:]
        self.variableNames = []
        for (name, type) in variables where self.variables[name] == nil {
            self.variables[name] = type
            self.variableNames.append(name)
        }
    }

    /// The environment of a therapy's conditions: the profile's fields plus `params`.
    public init(profile: ProfileSchema, parameters: [Parameter]) {
        var declared = profile.fields.map { (name: $0.name, type: CELType($0)) }
        let parameterFields = parameters.map { CELField(name: $0.name, type: CELType(of: $0.value)) }
        declared.append((name: "params", type: .object(name: "params", fields: parameterFields)))
        self.init(variables: declared)
    }

    /// The type of a variable, or `nil` when it is not declared.
    public func type(of name: String) -> CELType? {
        variables[name]
    }
}
