import Foundation
import Testing
@testable import CandidacyKit

/// The streaming JSON writer, the tree builder, eight-byte quoting and the batch's pre-escaped
/// report parts: each must write exactly what the plain, one-value-at-a-time code writes.
@Suite struct JSONWriterTests {
    /// The escape one byte needs, byte by byte: the reference the eight-byte test must agree with.
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte == 0x22 || byte == 0x5C || byte < 0x20
    }

    /// Calls `body` with every byte value at every position of an eight-byte word whose other
    /// bytes are `filler`: the word, the byte and its position.
    static func forEveryByteAtEveryPosition(filler: UInt8, _ body: (UInt64, UInt8, Int) -> Void) {
        for position in 0..<8 {
            for byte in UInt8.min...UInt8.max {
                var bytes = [UInt8](repeating: filler, count: 8)
                bytes[position] = byte
                body(bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }, byte, position)
            }
        }
    }

    /// Every byte value at every position of a word of plain bytes: found exactly when it needs an escape.
    @Test func eightByteTestFindsEveryEscapeAtEveryPosition() {
        Self.forEveryByteAtEveryPosition(filler: UInt8(ascii: "a")) { word, byte, position in
            #expect(JSONValue.needsEscape(word) == Self.needsEscape(byte), "byte \(byte) at \(position)")
        }
    }

    /// Random words, including bytes above 0x7F (UTF-8) beside the escapes: the same answer as byte by byte.
    @Test func eightByteTestAgreesOnRandomWords() {
        var random = SplitMix64(seed: 11)
        for _ in 0..<20_000 {
            // Bytes drawn mostly near the escapes' boundaries, where a borrow could mislead.
            let bytes = (0..<8).map { _ -> UInt8 in
                let pick = [0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0xA2, 0xDC, 0xFF, 0x00]
                return Bool.random(using: &random) ? UInt8(pick[Int.random(in: 0..<pick.count, using: &random)])
                    : UInt8.random(in: 0...255, using: &random)
            }
            let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            #expect(JSONValue.needsEscape(word) == bytes.contains(where: Self.needsEscape), "\(bytes)")
        }
    }

    /// Quoting agrees with a byte-by-byte reference on strings with escapes at every offset.
    @Test func quotingAgreesWithByteByByteEscaping() {
        var random = SplitMix64(seed: 5)
        let pieces = ["a", "é", "🦵", "\"", "\\", "\n", "\t", "\r", "\u{01}", "\u{1F}", " ", "≥", "x_y"]
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0..<40, using: &random)).map { _ in
                pieces[Int.random(in: 0..<pieces.count, using: &random)]
            }.joined()
            var output: [UInt8] = []
            JSONValue.quote(text, into: &output)
            #expect(output == Self.reference(text), "\(text.debugDescription)")
        }
    }

    /// Strings without an escape (written in one piece) and with one escape at every offset
    /// (the clean run before it is copied at once): the same as byte by byte, lengths 0 to 40.
    @Test func quotingCleanStringsAndOneEscapeAgreesWithByteByByteEscaping() {
        let clean = ["a", "é", "🦵", " ", "≥", "x_y", "0123456789"]
        var random = SplitMix64(seed: 9)
        for length in 0...40 {
            let text = (0..<length).map { _ in clean[Int(random.next() % UInt64(clean.count))] }.joined()
            var output: [UInt8] = []
            JSONValue.quote(text, into: &output)
            #expect(output == Self.reference(text), "\(text.debugDescription)")
            let scalars = Array(text.unicodeScalars)
            for offset in 0...scalars.count {
                for escape in ["\"", "\\", "\n", "\u{01}"] {
                    var view = String.UnicodeScalarView()
                    view.append(contentsOf: scalars[..<offset])
                    view.append(contentsOf: escape.unicodeScalars)
                    view.append(contentsOf: scalars[offset...])
                    let escaped = String(view)
                    var quoted: [UInt8] = []
                    JSONValue.quote(escaped, into: &quoted)
                    #expect(quoted == Self.reference(escaped), "\(escaped.debugDescription)")
                }
            }
        }
    }

    static func reference(_ text: String) -> [UInt8] {
        var output: [UInt8] = [0x22]
        for byte in text.utf8 {
            switch byte {
            case 0x22: output += Array("\\\"".utf8)
            case 0x5C: output += Array("\\\\".utf8)
            case 0x0A: output += Array("\\n".utf8)
            case 0x0D: output += Array("\\r".utf8)
            case 0x09: output += Array("\\t".utf8)
            case ..<0x20: output += Array(String(format: "\\u%04x", Int(byte)).utf8)
            default: output.append(byte)
            }
        }
        return output + [0x22]
    }

    /// The byte buffer: a copy keeps its bytes when the other writes (copy on write), growth
    /// keeps every byte, and integers are written as `String` writes them.
    @Test func byteBufferKeepsValueSemantics() {
        var first = JSONBytes(capacity: 4)
        first.raw("abc")
        var second = first
        second.raw("def")
        first.byte(UInt8(ascii: "!"))
        #expect(first.bytes == Array("abc!".utf8))
        #expect(second.bytes == Array("abcdef".utf8))
        var random = SplitMix64(seed: 9)
        var buffer = JSONBytes(capacity: 1)
        var expected: [UInt8] = []
        for _ in 0..<5_000 {
            let piece = (0..<Int.random(in: 0..<40, using: &random)).map { _ in UInt8.random(in: 0x20...0x7E, using: &random) }
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                buffer.append(piece)
                expected += piece
            case 1:
                let value = Int64.random(in: Int64.min...Int64.max, using: &random) >> Int64.random(in: 0...63, using: &random)
                buffer.int(value)
                expected += Array(String(value).utf8)
            case 2:
                buffer.append(UInt8(ascii: " "), count: piece.count)
                expected += Array(repeating: UInt8(ascii: " "), count: piece.count)
            default:
                let text = String(decoding: piece, as: UTF8.self)
                buffer.string(text)
                expected += Self.reference(text)
            }
        }
        #expect(buffer.bytes == expected)
        #expect(buffer.count == expected.count)
        for value: Int64 in [.min, .max, -1, 0, 9, 10, -10] {
            var one = JSONBytes()
            one.int(value)
            #expect(one.bytes == Array(String(value).utf8))
        }
        #expect(buffer.takeBytes() == expected)
        #expect(buffer.count == 0)
    }

    /// Pretty output: two spaces a level, `": "` after keys, empty containers on one line.
    @Test func prettyLayout() {
        let value = JSONValue.object([
            ("a", .array([])), ("b", .object([])), ("c", .array([.int(1), .object([("d", .null)])])), ("e", .string("x")),
        ])
        #expect(value.rendered(pretty: true) == """
            {
              "a": [],
              "b": {},
              "c": [
                1,
                {
                  "d": null
                }
              ],
              "e": "x"
            }
            """)
        #expect(value.rendered(pretty: false) == #"{"a":[],"b":{},"c":[1,{"d":null}],"e":"x"}"#)
        #expect(JSONValue.array([]).rendered(pretty: true) == "[]")
        #expect(JSONValue.int(-9_223_372_036_854_775_808).rendered(pretty: false) == "-9223372036854775808")
        #expect(JSONValue.int(1_234_567).rendered(pretty: false) == "1234567")
        #expect(JSONValue.double(2.5).rendered(pretty: false) == "2.5")
    }

    /// A random tree: the tree builder rebuilds it, and its compact and pretty texts are JSON
    /// that parses to the same document.
    @Test func treesRoundTrip() throws {
        var random = SplitMix64(seed: 3)
        for _ in 0..<300 {
            let tree = Self.tree(depth: 3, using: &random)
            #expect(JSONTreeBuilder.build { $0.value(tree) } == tree)
            let compact = try JSONSerialization.jsonObject(with: Data(tree.renderedBytes(pretty: false)), options: .fragmentsAllowed)
            let pretty = try JSONSerialization.jsonObject(with: Data(tree.renderedBytes(pretty: true)), options: .fragmentsAllowed)
            #expect(Self.canonical(compact) == Self.canonical(pretty), "\(tree.rendered(pretty: false))")
            #expect(Self.canonical(compact).count > 0)
        }
    }

    /// A parsed document as text, keys sorted: equal for equal documents.
    static func canonical(_ object: Any) -> String {
        switch object {
        case let array as [Any]: return "[" + array.map(canonical).joined(separator: ",") + "]"
        case let object as [String: Any]:
            return "{" + object.keys.sorted().map { "\($0.debugDescription):\(canonical(object[$0] as Any))" }.joined(separator: ",") + "}"
        case let string as String: return string.debugDescription
        case is NSNull: return "null"
        default: return "\(object)"
        }
    }

    static func tree(depth: Int, using random: inout SplitMix64) -> JSONValue {
        switch Int.random(in: 0..<(depth > 0 ? 7 : 5), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .int(Int64.random(in: -1_000_000...1_000_000, using: &random))
        case 3: return .string(["", "a\"b", "line\nnext", "é🦵", "\\", "plain words here"][Int.random(in: 0..<6, using: &random)])
        case 4: return .int(Int64.random(in: 0...9, using: &random))
        case 5: return .array((0..<Int.random(in: 0..<4, using: &random)).map { _ in tree(depth: depth - 1, using: &random) })
        default:
            return .object((0..<Int.random(in: 0..<4, using: &random)).map { index in
                ("k\(index)", tree(depth: depth - 1, using: &random))
            })
        }
    }

    static func shipped() throws -> (CompiledPack, [Patient]) {
        let pack = try CompiledPack(RulePackLoader.load(directory: CommandLineTests.root.appendingPathComponent("Rules").path))
        return (pack, try BatchCommandLineTests.fixturePatients().map(\.patient))
    }

    /// A list or object written again as a member's value is copied from its earlier bytes, which
    /// are those writing it gives: in documents one after another, as array elements (never
    /// copied), for shaped and named records, and after the bytes are taken mid-document.
    @Test func repeatedValuesWriteWhatWritingThemGives() {
        var (copying, writing) = (JSONWriter(pretty: false), JSONWriter(pretty: false))
        let shape = RecordShape(fields: [CELFixture.field("a", .int), CELFixture.field("b", .string)])
        for round in 0..<100 {
            let values: [Value] = [
                .list([.int(Int64(round)), .string("x\(round)")]),
                .record(Record(["a": .int(Int64(round))])),
                .record(Record(shape: shape, values: [.int(Int64(round)), nil])),
                .list([]),
            ]
            for (writer, repeats) in [(0, true), (1, false)] {
                var sink = writer == 0 ? copying : writing
                sink.beginObject()
                for (index, value) in (values + values).enumerated() {
                    sink.key(named: "k\(index)")
                    if repeats { sink.repeatedValue(value) } else { sink.value(value) }
                }
                sink.key("items")
                sink.beginArray()
                for value in values + values {
                    if repeats { sink.repeatedValue(value) } else { sink.value(value) }
                }
                sink.endArray()
                sink.endObject()
                if writer == 0 { copying = sink } else { writing = sink }
            }
        }
        #expect(copying.bytes == writing.bytes)
        // Bytes taken in the middle of a document: what was written before is gone.
        let list = Value.list([.int(1)])
        var writer = JSONWriter(pretty: false)
        writer.beginObject()
        writer.key("a")
        writer.repeatedValue(list)
        _ = writer.takeBytes()
        writer.key("b")
        writer.repeatedValue(list)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #","b":[1]"#)
    }

    /// Every fixture's report is the same, byte for byte, with the batch's pre-escaped parts as
    /// without them, compact and pretty, and as a tree; and so is a report whose `because`
    /// sentences and guideline positions the parts do not know (written from their own fields).
    @Test func preEscapedPartsChangeNoByte() throws {
        let (pack, patients) = try Self.shipped()
        let context = ReportContext(pack: pack)
        let fragments = ReportFragments(pack: pack)
        var used = 0
        var (becauses, steps, positions, known, programs) = (0, 0, 0, 0, 0)
        for patient in patients {
            let evaluation = Evaluator(pack: pack).evaluate(patient)
            for pretty in [false, true] {
                let plain = JSONReporter(pretty: pretty).render(evaluation, context: context)
                let batch = JSONReporter(pretty: pretty, fragments: fragments).render(evaluation, context: context)
                #expect(batch == plain, "\(patient.id)")
            }
            let tree = JSONReporter(pretty: false).document(evaluation, context: context)
            #expect(JSONReporter(pretty: false, fragments: fragments).document(evaluation, context: context) == tree)
            used += evaluation.decisions.filter { decision in
                let parts = fragments.therapies[decision.therapy]?.steps ?? []
                return zip(decision.steps, parts).allSatisfy { $1.describes($0, isItem: false) }
            }.count
            var changed = evaluation
            for decision in evaluation.decisions.indices {
                let parts = try #require(fragments.therapies[evaluation.decisions[decision].therapy])
                for (step, stepParts) in zip(evaluation.decisions[decision].steps, parts.steps) where stepParts.because(step.because, outcome: step.outcome) != nil {
                    becauses += 1
                }
                steps += evaluation.decisions[decision].steps.count
                positions += evaluation.decisions[decision].positions.count
                if parts.member(positions: evaluation.decisions[decision].positions) != nil {
                    known += evaluation.decisions[decision].positions.count
                }
                if parts.member(program: evaluation.decisions[decision].program) != nil { programs += 1 }
                for item in changed.decisions[decision].program.indices { changed.decisions[decision].program[item].name += "!" }
                for step in changed.decisions[decision].steps.indices { changed.decisions[decision].steps[step].because += "!" }
                for position in changed.decisions[decision].positions.indices {
                    changed.decisions[decision].positions[position].position += " (changed)"
                }
            }
            #expect(JSONReporter(pretty: false, fragments: fragments).render(changed, context: context)
                    == JSONReporter(pretty: false).render(changed, context: context), "\(patient.id)")
        }
        // The parts describe every step the evaluator writes: the fast path is the one taken;
        // so do the sentences of most steps, and every decision's positions and program.
        #expect(used == patients.count * pack.therapies.count)
        #expect(becauses * 2 > steps && positions > 0 && known == positions)
        #expect(programs == patients.count * pack.therapies.count)
    }

    /// A step the parts do not describe (another title, place, condition or item) is written
    /// from its own fields.
    @Test func partsThatDoNotDescribeAStepAreNotUsed() throws {
        let (pack, patients) = try Self.shipped()
        let context = ReportContext(pack: pack)
        let fragments = ReportFragments(pack: pack)
        // A patient and therapy with a compound condition among the first steps' rules.
        var found: (PatientEvaluation, Int, Int)?
        for patient in patients where found == nil {
            let evaluation = Evaluator(pack: pack).evaluate(patient)
            for (index, decision) in evaluation.decisions.enumerated() where found == nil && decision.steps.count > 3 {
                if let compound = decision.steps.firstIndex(where: { !$0.items.isEmpty }), compound > 2 {
                    found = (evaluation, index, compound)
                }
            }
        }
        var (evaluation, decision, compound) = try #require(found)
        evaluation.decisions.swapAt(0, decision)
        evaluation.decisions[0].steps[0].title = "Another \"title\""
        evaluation.decisions[0].steps[1].location.line += 1
        evaluation.decisions[0].steps[2].condition = "age >= 18"
        evaluation.decisions[0].steps[compound].items[0].condition = "changed"
        evaluation.decisions[0].title = "Another therapy title"
        let plain = JSONReporter(pretty: false).render(evaluation, context: context)
        #expect(JSONReporter(pretty: false, fragments: fragments).render(evaluation, context: context) == plain)
        for text in [#"Another \"title\""#, "\"age >= 18\"", "\"changed\"", "Another therapy title"] {
            #expect(plain.contains(text))
        }
    }
}
