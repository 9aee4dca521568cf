import Foundation

/// One record of a batch input: a line of JSON Lines, or a CSV record (which may span lines
/// inside quoted cells), as a range of its batch's bytes.
public struct InputRecord: Sendable, Hashable {
    /// The record's bytes in ``InputBatch/bytes``, without its line break.
    public var range: Range<Int>
    /// The line the record starts on, from 1.
    public var line: Int
    /// The record's length when it exceeds the limit: its bytes were skipped, not kept.
    public var overlongLength: Int?
}

/// A run of consecutive records and the bytes they are cut from.
public struct InputBatch: Sendable {
    /// The batch's position in the input, from 0.
    public var index: Int
    /// The bytes the records' ranges point into.
    public var bytes: [UInt8]
    /// The records, in input order.
    public var records: [InputRecord]
}

/// Reads a file or standard input in chunks and cuts it into batches of records, so that an
/// input of any size is read with bounded memory.
///
/// A record ends at a line feed (a carriage return before it is left to the reader); in CSV
/// mode, only at a line feed outside a quoted cell (RFC 4180): a quote opens a quoted cell only
/// at the start of a cell, `""` inside one is a quote, and a quote anywhere else is left to the
/// reader, which reports that record alone. The last record needs no line break. A record longer
/// than `maximumLength` bytes is not kept: it comes out with its length in
/// ``InputRecord/overlongLength``, and reading goes on after it.
///
/// A quoted cell that is never closed (by the end of the input, or within `maximumLength`
/// bytes) would swallow every later record: instead, the record is cut at the end of its first
/// line, so that the reader reports the unterminated cell at its line and column, and reading
/// resumes on the next line with the right line numbers.
public final class RecordSource {
    /// How records end.
    public enum Kind: Sendable {
        /// One record per line.
        case lines
        /// CSV: line feeds inside double quotes belong to the record.
        case csv
    }

    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let kind: Kind
    private let maximumLength: Int
    private let recordsPerBatch: Int
    private let bytesPerBatch: Int
    private let chunkSize = 1 << 18
    /// Where each read lands before it is appended to the bytes being cut.
    private lazy var chunk = [UInt8](repeating: 0, count: chunkSize)
    /// Bytes read but not yet cut into records.
    private var carry: [UInt8] = []
    private var atEnd = false
    private var nextLine = 1
    private var nextIndex = 0
    /// Bytes handed out in records so far, for progress.
    public private(set) var bytesConsumed = 0
    /// The input's size when it is a regular file, for progress.
    public let totalBytes: Int?

    /// Opens a file, or standard input for `-`.
    ///
    /// - Throws: ``DiagnosticError`` of kind `.unreadable` naming the file when it cannot be read.
    public init(
        path: String, kind: Kind, maximumLength: Int = JSONLineReader.defaultMaximumLineLength,
        recordsPerBatch: Int = 1_024, bytesPerBatch: Int = 1 << 20
    ) throws(DiagnosticError) {
        func unreadable(_ reason: String) -> DiagnosticError {
            DiagnosticError(
                .error(at: SourceLocation(file: path, line: 1, column: 1), code: "unreadable-file", "cannot read the file: \(reason)"),
                kind: .unreadable)
        }
        if path == "-" {
            descriptor = STDIN_FILENO
            ownsDescriptor = false
        } else {
            let opened = open(path, O_RDONLY)
            guard opened >= 0 else {
                throw unreadable(errno == ENOENT ? "no such file" : errno == EACCES ? "permission denied" : String(cString: strerror(errno)))
            }
            descriptor = opened
            ownsDescriptor = true
        }
        var status = stat()
        if fstat(descriptor, &status) == 0 {
            if (status.st_mode & S_IFMT) == S_IFDIR {
                if ownsDescriptor { close(descriptor) }
                throw unreadable("it is a folder")
            }
            totalBytes = (status.st_mode & S_IFMT) == S_IFREG ? Int(status.st_size) : nil
        } else {
            totalBytes = nil
        }
        self.kind = kind
        self.maximumLength = maximumLength
        self.recordsPerBatch = recordsPerBatch
        self.bytesPerBatch = bytesPerBatch
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Reads more bytes onto the end of `buffer`; false at the end of the input. Bytes are read
    /// into one chunk kept for the source's life and copied on, rather than zero-filling room in
    /// `buffer` for every read.
    private func fill(_ buffer: inout [UInt8]) throws(DiagnosticError) -> Bool {
        var readCount = 0
        var failure: Int32 = 0
        chunk.withUnsafeMutableBytes { raw in
            while true {
                let result = read(descriptor, raw.baseAddress, raw.count)
                if result < 0, errno == EINTR { continue }
                if result < 0 { failure = errno }
                readCount = max(result, 0)
                return
            }
        }
        if failure != 0 {
            throw DiagnosticError(
                .error(at: SourceLocation(file: "-", line: nextLine, column: 1), code: "unreadable-file",
                       "cannot read the input: \(String(cString: strerror(failure)))"),
                kind: .unreadable)
        }
        buffer.append(contentsOf: chunk[0..<readCount])
        return readCount > 0
    }

    /// The next batch of at most `limit` records (the batch size when `nil`), or `nil` at the end.
    /// The index of the first line feed in `data` at or after `start`, if any.
    private static func lineBreak(in data: [UInt8], from start: Int) -> Int? {
        data.withUnsafeBufferPointer { buffer in
            guard start < buffer.count, let base = buffer.baseAddress,
                  let hit = memchr(base + start, 0x0A, buffer.count - start)
            else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
    }

    public func nextBatch(limit: Int? = nil) throws(DiagnosticError) -> InputBatch? {
        let limit = limit ?? recordsPerBatch
        var data = carry
        carry = []
        var records: [InputRecord] = []
        var start = 0
        var scan = 0
        var cells = CSVScanner()
        var breaks = 0
        /// Hands out the record from `start` to the line feed at `end`, `lines` lines long (its
        /// bytes left out when it is over the limit, however late that was found), and moves on
        /// after it.
        func emit(upTo end: Int, lines: Int) {
            let overlong = end - start > maximumLength
            records.append(InputRecord(range: overlong ? start..<start : start..<end, line: nextLine, overlongLength: overlong ? end - start : nil))
            nextLine += lines
            bytesConsumed += end + 1 - start
            start = end + 1
            scan = start
            breaks = 0
            cells = CSVScanner()
        }
        /// Cuts a CSV record whose quoted cell is not closed at the end of its first line, if it
        /// has one; true when it did.
        func cutUnterminated() -> Bool {
            guard kind == .csv, cells.isUnterminated, breaks > 0, let end = Self.lineBreak(in: data, from: start) else { return false }
            emit(upTo: end, lines: 1)
            return true
        }
        while records.count < limit, start < bytesPerBatch || records.isEmpty {
            // Look for the end of the record that starts at `start`.
            var end: Int?
            if kind != .csv {
                // JSON Lines: no line break inside a record, so the C library's scan finds it.
                end = Self.lineBreak(in: data, from: scan)
                scan = end ?? data.count
            }
            while kind == .csv, scan < data.count {
                let byte = data[scan]
                scan += 1
                switch cells.consume(byte) {
                case .recordEnd: end = scan - 1
                case .quotedLineBreak: breaks += 1
                case .other: continue
                }
                if end != nil { break }
            }
            if let end {
                emit(upTo: end, lines: 1 + breaks)
                continue
            }
            if data.count - start > maximumLength {
                if cutUnterminated() { continue }
                records.append(try skipOverlong(from: start, data: &data))
                data.append(contentsOf: carry)
                carry = []
                scan = start
                cells = CSVScanner()
                breaks = 0
                continue
            }
            var more = false
            if !atEnd { more = try fill(&data) }
            if !more {
                atEnd = true
                if cutUnterminated() { continue }
                if start < data.count {
                    records.append(InputRecord(range: start..<data.count, line: nextLine))
                    nextLine += 1 + breaks
                    bytesConsumed += data.count - start
                    start = data.count
                }
                break
            }
        }
        if start < data.count { carry = Array(data[start...]) }
        guard !records.isEmpty else { return nil }
        if start < data.count { data.removeSubrange(start...) }
        defer { nextIndex += 1 }
        return InputBatch(index: nextIndex, bytes: data, records: records)
    }

    /// Skips a record longer than the limit, reading on to the end of its line without keeping
    /// its bytes (in CSV too: a quote in an overlong record is not trusted to span lines).
    private func skipOverlong(from start: Int, data: inout [UInt8]) throws(DiagnosticError) -> InputRecord {
        var length = 0
        var buffer = Array(data[start...])
        data.removeSubrange(start...)
        let line = nextLine
        while true {
            if let index = Self.lineBreak(in: buffer, from: 0) {
                carry = Array(buffer[(index + 1)...])
                nextLine += 1
                bytesConsumed += length + index + 1
                return InputRecord(range: start..<start, line: line, overlongLength: length + index)
            }
            length += buffer.count
            buffer.removeAll(keepingCapacity: true)
            var more = false
            if !atEnd { more = try fill(&buffer) }
            if !more {
                atEnd = true
                nextLine += 1
                bytesConsumed += length
                return InputRecord(range: start..<start, line: line, overlongLength: length)
            }
        }
    }
}

/// Where a CSV record ends (RFC 4180), one byte at a time: a quote opens a quoted cell only at
/// the start of a cell; inside one, `""` is a quote and a single `"` closes it; a line feed ends
/// the record only outside a quoted cell. A stray quote changes nothing here: the reader reports
/// it for its record alone.
struct CSVScanner {
    /// What a byte was.
    enum Step {
        /// The line feed that ends the record.
        case recordEnd
        /// A line feed inside a quoted cell.
        case quotedLineBreak
        /// Anything else.
        case other
    }

    private var atCellStart = true
    private var inQuotedCell = false
    /// Inside a quoted cell, just after a quote: the next byte says whether it was `""`.
    private var afterQuote = false

    /// Inside a quoted cell that has not been closed (a quote just read may close it).
    var isUnterminated: Bool { inQuotedCell && !afterQuote }

    mutating func consume(_ byte: UInt8) -> Step {
        if inQuotedCell {
            if afterQuote {
                afterQuote = false
                if byte == 0x22 { return .other }  // "" is a quote
                inQuotedCell = false  // the cell closed at the previous quote
            } else {
                if byte == 0x22 { afterQuote = true }
                return byte == 0x0A ? .quotedLineBreak : .other
            }
        }
        switch byte {
        case 0x0A:
            atCellStart = true
            return .recordEnd
        case 0x2C:
            atCellStart = true
        case 0x22 where atCellStart:
            inQuotedCell = true
            atCellStart = false
        default:
            atCellStart = false
        }
        return .other
    }
}
