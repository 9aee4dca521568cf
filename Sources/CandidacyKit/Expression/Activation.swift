/// The variables an evaluation sees: the fields present in a patient record, `params`, and
/// the as-of date that `days_since` and `weeks_since` count from.
///
/// A variable the environment declares but the activation lacks is *unknown*.
public struct Activation: Sendable {
    /// The patient's fields, by name.
    public var record: Record {
        didSet { slotLayout = nil }
    }
    /// The record's top-level fields by slot, when the evaluator filled them for a compiled
    /// pack's layout (``slotLayout``); cleared whenever `record` changes.
    var slots: SlotValues? {
        get { slotLayout.map { SlotValues(layout: $0, values: slotValues, codes: slotCodes) } }
        set {
            slotLayout = newValue?.layout
            slotValues = newValue?.values ?? []
            slotCodes = newValue?.codes ?? []
        }
    }
    /// The layout ``slotValues`` were filled for, if any. Kept apart from the values so that
    /// reading a slot compares one reference and copies nothing else.
    private var slotLayout: FieldSlots?
    /// The record's top-level values in ``slotLayout``'s slots.
    private var slotValues: [Value?] = []
    /// The codes of ``slotValues``.
    private var slotCodes: [SlotCode] = []
    /// Further variables, looked up before the record's fields (such as `params`).
    public var variables: [String: Value] {
        didSet { parameterSource = nil }
    }
    /// The compiled therapy parameters that ``variables`` holds as `params`, when the evaluator
    /// set them from a compiled therapy: the fast path then reads `params.NAME` as the value it
    /// folded when compiling. Cleared whenever `variables` changes.
    var parameterSource: ParameterSource?
    /// The date `days_since` and `weeks_since` count to; `nil` makes them an error.
    public var asOf: CivilDate?

    /// An activation with the given variables.
    public init(variables: [String: Value] = [:], asOf: CivilDate? = nil) {
        self.record = Record()
        self.variables = variables
        self.asOf = asOf
    }

    /// An activation for a patient and a therapy's parameters, which become `params`.
    public init(patient record: Record, parameters: [Parameter] = [], asOf: CivilDate?) {
        self.record = record
        var values: [String: Value] = [:]
        for parameter in parameters { values[parameter.name] = parameter.value }
        self.variables = ["params": .record(Record(values))]
        self.asOf = asOf
    }

    /// The value of a variable, or `nil` when it is absent.
    public func value(of name: String) -> Value? {
        variables[name] ?? field(name)
    }

    /// A top-level patient field by name: from the record, else from the slots when they are
    /// filled (they hold the record's top-level values; a caller may fill them alone).
    private func field(_ name: String) -> Value? {
        if let value = record.field(name) { return value }
        if let layout = slotLayout, let slot = layout.index[name] { return slotValues[slot] }
        return nil
    }

    /// The top-level field `name`, read from `slot` when the activation's slots were filled for
    /// `layout`, else by name (``variable(_:)``).
    func variable(_ name: String, slot: Int, of layout: FieldSlots) -> Value? {
        if slotLayout === layout { return slotValues[slot] }
        return variable(name)
    }

    /// Whether the slots were filled for `layout` (checked by identity).
    @inline(__always)
    func isFilled(for layout: FieldSlots) -> Bool {
        slotLayout === layout
    }

    /// The value in `slot`, once ``isFilled(for:)`` holds for the layout the slot is of.
    @inline(__always)
    func slotValue(_ slot: Int) -> Value? {
        slotValues[slot]
    }

    /// The code of the value in `slot`, once ``isFilled(for:)`` holds for the layout the slot is of.
    @inline(__always)
    func slotCode(_ slot: Int) -> SlotCode {
        slotCodes[slot]
    }

    /// ``value(of:)``, with a fast path for the common activations: no variables, or only
    /// `params`, where one length check usually avoids hashing the name twice.
    func variable(_ name: String) -> Value? {
        if variables.isEmpty { return field(name) }
        if variables.count == 1, let only = variables.first {
            if only.key.utf8.count == name.utf8.count, only.key == name { return only.value }
            return field(name)
        }
        return value(of: name)
    }
}
