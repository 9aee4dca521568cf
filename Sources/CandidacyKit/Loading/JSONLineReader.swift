/// Reads one line of a JSON Lines cohort into a ``Patient``, as fast as a batch needs and with
/// the errors ``PatientLoader`` gives for the same text in a `.json` file.
///
/// The line is parsed by a hand-written JSON parser (strict RFC 8259: no comments, no YAML
/// forms) into the tree ``PatientValidator`` checks, the validator of ``PatientLoader``; so an
/// unknown field (with "did you mean"), a value of the wrong type, an enum value not listed, a
/// number out of range, an invalid date and `null` (absent) read exactly as in a patient file.
/// Locations are `file:LINE:COLUMN`, the column in Unicode scalars. A line that is not UTF-8
/// text, or holds control characters, gets ``PatientLoader``'s message for that byte.
public struct JSONLineReader: Sendable {
    /// The longest line accepted, in bytes, unless another limit is given: 1 MiB. A patient is
    /// a few hundred bytes; a longer line is an error line, never read into memory whole.
    public static let defaultMaximumLineLength = 1 << 20

    let validator: PatientValidator
    /// The one-pass reader for the common line, tried first by ``batchPatient(_:file:number:)``.
    let fastReader: FastPatientReader?
    /// The longest line accepted, in bytes.
    public let maximumLineLength: Int

    /// Creates a reader for patients of a profile.
    public init(profile: ProfileSchema, maximumLineLength: Int = JSONLineReader.defaultMaximumLineLength) {
        self.init(
            validator: PatientValidator(profile: profile), fastReader: FastPatientReader(profile: profile),
            maximumLineLength: maximumLineLength)
    }

    init(
        validator: PatientValidator, fastReader: FastPatientReader? = nil,
        maximumLineLength: Int = JSONLineReader.defaultMaximumLineLength
    ) {
        self.validator = validator
        self.fastReader = fastReader
        self.maximumLineLength = maximumLineLength
    }

    /// The same reader for `profile` (an equal profile, such as a batch worker's own copy of
    /// the pack's), with a fast path when this one has one.
    func rebound(to profile: ProfileSchema) -> JSONLineReader {
        JSONLineReader(
            validator: PatientValidator(profile: profile), fastReader: fastReader == nil ? nil : FastPatientReader(profile: profile),
            maximumLineLength: maximumLineLength)
    }

    /// The same reader, its fast path storing records in `shape` (a compiled pack's, so that
    /// its conditions read fields by position) when the shape is made for the reader's profile.
    func storing(in shape: RecordShape) -> JSONLineReader {
        guard let fastReader, shape.isMade(for: fastReader.profile.fields) else { return self }
        return JSONLineReader(
            validator: validator, fastReader: FastPatientReader(profile: fastReader.profile, shape: shape),
            maximumLineLength: maximumLineLength)
    }

    /// The same reader, its fast path keeping only the top-level fields named (and storing
    /// records in the same shape): for a batch whose output reads no other field.
    func keeping(_ names: Set<String>) -> JSONLineReader {
        guard let fastReader else { return self }
        return JSONLineReader(
            validator: validator, fastReader: FastPatientReader(profile: fastReader.profile, shape: fastReader.shape, keeping: names),
            maximumLineLength: maximumLineLength)
    }

    /// The same reader without its fast path: every line goes through the parser and validator.
    func withoutFastPath() -> JSONLineReader {
        JSONLineReader(validator: validator, fastReader: nil, maximumLineLength: maximumLineLength)
    }

    /// Reads the patient on one line of a batch, as fast as possible: the same record and the
    /// same errors as ``patient(line:file:number:)``, but the patient keeps no value locations
    /// (``Patient/locations`` is empty), which no batch output shows.
    ///
    /// - Throws: ``DiagnosticError`` of kind `.invalid` with every problem found.
    public func batchPatient(line: some Collection<UInt8>, file: String, number: Int) throws(DiagnosticError) -> Patient {
        try Self.withBuffer(line) { buffer throws(DiagnosticError) in try batchPatient(buffer, file: file, number: number) }
    }

    /// Reads the patient on one line of a batch: through ``FastPatientReader`` when it reads
    /// the line, else as ``patient(line:file:number:)`` does.
    func batchPatient(_ line: UnsafeBufferPointer<UInt8>, file: String, number: Int) throws(DiagnosticError) -> Patient {
        var unused: [Value?] = []
        return try batchPatient(line, file: file, number: number, values: &unused)
    }

    /// ``batchPatient(_:file:number:)``; when the fast path read the line, `values` holds the
    /// record's top-level values in the order of ``fieldNames`` (else it is left empty).
    func batchPatient(
        _ line: UnsafeBufferPointer<UInt8>, file: String, number: Int, values: inout [Value?]
    ) throws(DiagnosticError) -> Patient {
        // Called through the optional: binding the reader would copy it (a dozen references).
        var unused: [SlotCode] = []
        return try batchPatient(line, file: file, number: number, values: &values, codes: &unused)
    }

    /// ``batchPatient(_:file:number:values:)``, with the values' codes in `codes` when the fast
    /// path read the line (``FastPatientReader/record(_:values:codes:)``).
    func batchPatient(
        _ line: UnsafeBufferPointer<UInt8>, file: String, number: Int, values: inout [Value?], codes: inout [SlotCode]
    ) throws(DiagnosticError) -> Patient {
        if line.count <= maximumLineLength, let record = fastReader?.record(line, values: &values, codes: &codes) {
            return Patient(file: file, record: record, locations: [:])
        }
        values = []
        codes = []
        return try patient(line, file: file, number: number)
    }

    /// The profile's field names in the order ``batchPatient(_:file:number:values:)`` gives
    /// values in, or `nil` without the fast path.
    var fieldNames: [String]? { fastReader?.fieldNames }

    /// Reads the patient on one line.
    ///
    /// - Parameters:
    ///   - line: The line's bytes, without its line break (a final carriage return is ignored).
    ///   - file: The path to name in locations and as the patient's file.
    ///   - number: The line's number in the file, from 1.
    /// - Throws: ``DiagnosticError`` of kind `.invalid` with every problem found.
    public func patient(line: some Collection<UInt8>, file: String, number: Int) throws(DiagnosticError) -> Patient {
        try Self.withBuffer(line) { buffer throws(DiagnosticError) in try patient(buffer, file: file, number: number) }
    }

    /// Runs `body` on the line's bytes in one buffer: in place when they are contiguous, else copied.
    private static func withBuffer(
        _ line: some Collection<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) throws(DiagnosticError) -> Patient
    ) throws(DiagnosticError) -> Patient {
        let result = line.withContiguousStorageIfAvailable { buffer in
            Result { () throws(DiagnosticError) in try body(buffer) }
        }
        if let result { return try result.get() }
        let copy = Array(line)
        return try copy.withUnsafeBufferPointer { buffer throws(DiagnosticError) in try body(buffer) }
    }

    /// Reads the patient on one line held in a buffer.
    func patient(_ line: UnsafeBufferPointer<UInt8>, file: String, number: Int) throws(DiagnosticError) -> Patient {
        var bytes = line
        if let last = bytes.last, last == 0x0D { bytes = UnsafeBufferPointer(rebasing: bytes.dropLast()) }
        let start = SourceLocation(file: file, line: number, column: 1)
        guard bytes.count <= maximumLineLength else {
            throw DiagnosticError(Self.tooLong(bytes.count, limit: maximumLineLength, at: start))
        }
        let root = try Self.parse(bytes, file: file, line: number, column: 1)
        return try validator.patient(from: root, file: file, start: start)
    }

    /// The error for a line longer than the limit.
    static func tooLong(_ count: Int, limit: Int, at location: SourceLocation) -> Diagnostic {
        .error(at: location, code: "limit-exceeded", "line is \(count) bytes long: at most \(limit) bytes are accepted")
    }

    /// Parses one JSON text that starts at `line`:`column` into a node tree: `nil` for white
    /// space alone. Text outside printable ASCII is checked as ``TextCheck`` checks a file first.
    static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, file: String, line: Int, column: Int
    ) throws(DiagnosticError) -> YAMLNode? {
        var isASCII = true
        for byte in bytes where byte >= 0x7F || (byte < 0x20 && byte != 0x09) {
            isASCII = false
            break
        }
        var origin = 0
        if !isASCII {
            do {
                try TextCheck.check(Array(bytes), file: file)
            } catch {
                throw DiagnosticError(error.diagnostics.map { diagnostic in
                    var moved = diagnostic
                    moved.location.line += line - 1
                    if diagnostic.location.line == 1 { moved.location.column += column - 1 }
                    return moved
                })
            }
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { origin = 3 }
        }
        let locator = OffsetLocator(file: file, line: line, column: column, origin: origin, isASCII: isASCII)
        return try parse(bytes, start: origin, locator: locator)
    }

    /// Parses one JSON text with a locator of the caller's choice.
    static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>, start: Int, locator: OffsetLocator
    ) throws(DiagnosticError) -> YAMLNode? {
        var parser = JSONNodeParser(bytes: bytes, start: start, locator: locator)
        do {
            return try parser.parseDocument()
        } catch {
            throw DiagnosticError(error.diagnostic)
        }
    }
}
