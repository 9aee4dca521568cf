/// Loads a patient file (DESIGN.md 2.2), YAML or JSON, and checks it against the profile
/// with ``PatientValidator``, which the batch readers (``JSONLineReader``, ``CSVPatientReader``) share.
///
/// Every key must be a declared field; values must have the field's type, enum values must be
/// listed, numbers must lie in the field's range, dates must be real days. An explicit `null`
/// means the same as an absent field and is not stored. `int` fields give `.int`, `number`
/// fields `.double` (a plain int included), `enum` and `string` fields `.string`, `date`
/// fields `.date`, `list` fields `.list` and `object` fields `.record`.
public enum PatientLoader {
    /// Loads the patient in a file.
    ///
    /// - Throws: ``DiagnosticError``: `.unreadable` when the file cannot be read, `.invalid`
    ///   with every problem found in it otherwise.
    public static func load(file: String, profile: ProfileSchema) throws(DiagnosticError) -> Patient {
        let contents = try YAMLFrontEnd.readFile(atPath: file)
        return try load(contents: contents, file: file, profile: profile)
    }

    /// Loads a patient from a file's bytes.
    ///
    /// - Parameters:
    ///   - contents: The file's bytes, YAML or JSON in UTF-8.
    ///   - file: The path to name in locations.
    ///   - profile: The schema the patient must follow.
    /// - Throws: ``DiagnosticError`` of kind `.invalid` with every problem found.
    public static func load(contents: [UInt8], file: String, profile: ProfileSchema) throws(DiagnosticError) -> Patient {
        try load(contents: contents, file: file, validator: PatientValidator(profile: profile))
    }

    /// Loads a patient from a file's bytes with a validator built once for many files.
    static func load(contents: [UInt8], file: String, validator: PatientValidator) throws(DiagnosticError) -> Patient {
        let document = try YAMLFrontEnd.parse(contents, file: file)
        return try validator.patient(from: document.root, file: file, start: document.start)
    }
}
