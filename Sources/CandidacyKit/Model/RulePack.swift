/// A loaded rule pack: the profile schema and the therapies, with the files they came from.
public struct RulePack: Sendable, Hashable {
    /// The folder the pack was loaded from, as given.
    public var path: String
    /// The patient schema.
    public var profile: ProfileSchema
    /// The therapies, sorted by file name.
    public var therapies: [Therapy]
    /// The pack's files in digest order (`profile.yaml` first, then by name), with their bytes.
    public var files: [PackFile]

    public init(path: String, profile: ProfileSchema, therapies: [Therapy], files: [PackFile]) {
        self.path = path
        self.profile = profile
        self.therapies = therapies
        self.files = files
    }
}

/// One file of a rule pack: its path and its exact bytes.
public struct PackFile: Sendable, Hashable {
    /// The path, as the loader was given it.
    public var path: String
    /// The file's bytes.
    public var contents: [UInt8]
    /// The file's YAML node tree already parsed, in the compact form `scripts/embed-rules.py`
    /// writes for the pack the binary carries; `nil` (the default) parses `contents`. Only a
    /// form known to be what parsing `contents` gives may be passed (a test checks the carried
    /// pack's); one that is malformed is ignored.
    public var preparsed: [UInt8]?

    public init(path: String, contents: [UInt8], preparsed: [UInt8]? = nil) {
        self.path = path
        self.contents = contents
        self.preparsed = preparsed
    }
}

/// A patient file: the values present, and where each was written.
public struct Patient: Sendable, Hashable {
    /// The file it came from.
    public var file: String
    /// The values present; absent fields are unknown.
    public var record: Record
    /// Where each value was written, by dotted path (`labs.platelet_count`; list items as `conservative_care[0]`).
    public var locations: [String: SourceLocation]

    public init(file: String, record: Record, locations: [String: SourceLocation]) {
        self.file = file
        self.record = record
        self.locations = locations
    }

    /// The case identifier, from the `id` field, or the file name.
    public var id: String {
        if case .string(let id)? = record.field(Self.idField) { return id }
        return file
    }

    /// The as-of date, from the `as_of` field.
    public var asOf: CivilDate? {
        if case .date(let date)? = record.field(Self.asOfField) { return date }
        return nil
    }

    /// The field ``id`` comes from.
    static let idField = "id"
    /// The field ``asOf`` comes from.
    static let asOfField = "as_of"
}
