import Testing
@testable import CandidacyKit

/// Records stored in a ``RecordShape``'s positions (as the batch reader stores them) are the
/// same records as those stored by name: the storage never shows in equality, hashing, lookups,
/// CEL equality, output or evaluation.
@Suite struct RecordShapeTests {
    static func field(_ name: String, _ type: FieldType) -> FieldSchema {
        CELFixture.field(name, type)
    }

    /// Two profiles with the same top-level fields whose `labs` declares its fields in opposite
    /// orders: a shape of one is not made for the other.
    static let forward = ProfileSchema(
        schemaVersion: 1,
        fields: [field("id", .string), field("labs", .object([field("platelet_count", .number), field("hemoglobin", .number)]))],
        file: "profile.yaml")
    static let backward = ProfileSchema(
        schemaVersion: 1,
        fields: [field("id", .string), field("labs", .object([field("hemoglobin", .number), field("platelet_count", .number)]))],
        file: "profile.yaml")

    static let labsLine = Array(#"{"id":"a","labs":{"platelet_count":150.0,"hemoglobin":13.5}}"#.utf8)

    static func read(_ reader: FastPatientReader, _ bytes: [UInt8]) -> Record? {
        bytes.withUnsafeBufferPointer { reader.record($0) }
    }

    static func json(_ record: Record) -> [UInt8] {
        var writer = JSONWriter(pretty: false, capacity: 1_024)
        writer.value(.record(record))
        return writer.takeBytes()
    }

    /// Every fixture read both ways: equal, with equal hashes, fields, counts, CEL equality,
    /// sorted fields, JSON and plain text; one changed field makes them differ.
    @Test func shapedAndNamedRecordsAreOneRecord() throws {
        let pack = try FixtureSuiteTests.pack.get()
        let fast = FastPatientReader(profile: pack.pack.profile, shape: pack.slots.shape)
        let slow = JSONLineReader(profile: pack.pack.profile).withoutFastPath()
        for line in FastPatientReaderTests.fixtureLines {
            let bytes = Array(line.utf8)
            let shaped = try #require(Self.read(fast, bytes), "\(line)")
            let named = try slow.patient(line: bytes, file: "c.jsonl", number: 1).record
            #expect(shaped == named && named == shaped, "\(line)")
            #expect(shaped.hashValue == named.hashValue, "\(line)")
            #expect(shaped.fields == named.fields && shaped.count == named.count, "\(line)")
            #expect(Value.record(shaped).celEquals(.record(named)) && Value.record(named).celEquals(.record(shaped)), "\(line)")
            var (shapedOrder, namedOrder): ([String], [String]) = ([], [])
            shaped.forEachFieldSortedByName { name, _ in shapedOrder.append(name) }
            named.forEachFieldSortedByName { name, _ in namedOrder.append(name) }
            #expect(shapedOrder == namedOrder && shapedOrder == shapedOrder.sorted(), "\(line)")
            #expect(Self.json(shaped) == Self.json(named), "\(line)")
            #expect(ValueFormatter.plain(.record(shaped)) == ValueFormatter.plain(.record(named)), "\(line)")

            var changed = named
            changed.fields["id"] = .string("someone else")
            #expect(shaped != changed && !Value.record(shaped).celEquals(.record(changed)), "\(line)")
        }
    }

    /// A shape is made only for its own fields, in order, at every depth; a reader told to
    /// store records in another profile's shape keeps its own, and reads each field right.
    @Test func aReaderKeepsItsOwnShapeForAnotherProfile() throws {
        let forwardShape = RecordShape(fields: Self.forward.fields)
        #expect(forwardShape.isMade(for: Self.forward.fields))
        #expect(!forwardShape.isMade(for: Self.backward.fields))
        #expect(!forwardShape.isMade(for: Array(Self.forward.fields.prefix(1))))

        let reader = JSONLineReader(profile: Self.backward).storing(in: forwardShape)
        let patient = try reader.batchPatient(line: Self.labsLine, file: "c.jsonl", number: 1)
        #expect(reader.fastReader?.shape !== forwardShape)
        #expect(patient.record.value(atPath: ["labs", "hemoglobin"]) == .double(13.5))
        #expect(patient.record.value(atPath: ["labs", "platelet_count"]) == .double(150))
        let bound = JSONLineReader(profile: Self.forward).storing(in: forwardShape)
        #expect(bound.fastReader?.shape === forwardShape)
    }

    /// A compiled selection reads a record at the position found when compiling only when the
    /// record is stored in that very shape; a record in any other shape, even one with the same
    /// names in another order, is read by name.
    @Test(arguments: ["labs.hemoglobin", "has(labs.hemoglobin) ? labs.hemoglobin : 0.0"])
    func selectionsReadOtherShapesByName(_ text: String) throws {
        let slots = FieldSlots(profile: Self.forward)
        let path = try #require(FastPath(try ExpressionParser.parse(text), slots: slots))
        let inOwnShape = try #require(Self.read(FastPatientReader(profile: Self.forward, shape: slots.shape), Self.labsLine))
        let inOtherShape = try #require(Self.read(FastPatientReader(profile: Self.backward), Self.labsLine))
        let byName = Record(["id": .string("a"), "labs": .record(Record(["platelet_count": .double(150), "hemoglobin": .double(13.5)]))])
        for record in [inOwnShape, inOtherShape, byName] {
            var activation = Activation()
            activation.record = record
            var frame = FastPath.Frame()
            #expect(path.evaluateSorted(activation, frame: &frame) == .value(.double(13.5)))
        }
    }

    /// A field read by position answers only for a record stored in that very shape: the value,
    /// or an absent one; a record in another shape, or by name, is not read so.
    @Test func aFieldByPositionIsReadOnlyInItsShape() throws {
        let slots = FieldSlots(profile: Self.forward)
        let labs = try #require(slots.positions(of: "hemoglobin").first)
        let own = try #require(Self.read(FastPatientReader(profile: Self.forward, shape: slots.shape), Self.labsLine))
        let other = try #require(Self.read(FastPatientReader(profile: Self.backward), Self.labsLine))
        let shape = ObjectIdentifier(labs.shape)
        guard case .record(let ownLabs)? = own.field("labs"), case .record(let otherLabs)? = other.field("labs") else {
            Issue.record("labs is not a record")
            return
        }
        #expect(ownLabs.field(at: labs.position, ifStoredIn: shape) == .some(.double(13.5)))
        #expect(otherLabs.field(at: labs.position, ifStoredIn: shape) == nil)
        #expect(Record(["hemoglobin": .double(13.5)]).field(at: labs.position, ifStoredIn: shape) == nil)
        let lacking = try #require(Self.read(
            FastPatientReader(profile: Self.forward, shape: slots.shape), Array(#"{"id":"a","labs":{"platelet_count":150.0}}"#.utf8)))
        guard case .record(let lackingLabs)? = lacking.field("labs") else {
            Issue.record("labs is not a record")
            return
        }
        #expect(lackingLabs.field(at: labs.position, ifStoredIn: shape) == .some(nil))
    }
}
