import CandidacyKit
import Foundation

/// Unbuffered writes of whole byte runs to a file descriptor; the batch hands over large runs.
enum Output {
    /// Writes every byte, retrying after interruptions; stops quietly when the reader is gone.
    static func write(_ bytes: borrowing [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

/// The progress line of a cohort run on a terminal: patients, rate and, when the input's size
/// is known, the time left. Never shown when standard error is not a terminal.
final class ProgressMeter {
    private let total: Int?
    private let start = Date()
    private var last = Date.distantPast
    private var shown = false

    /// A meter, or `nil` when standard error is not a terminal.
    init?(total: Int?) {
        guard isatty(STDERR_FILENO) != 0 else { return nil }
        self.total = total
    }

    func update(_ progress: BatchRunner.Progress) {
        let now = Date()
        guard now.timeIntervalSince(last) >= 0.25 else { return }
        last = now
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let rate = Double(progress.records) / elapsed
        var line = "\r\u{1B}[K\(progress.records) patients · \(Int(rate))/s"
        if let total, total > 0, progress.bytes > 0 {
            let left = elapsed * Double(total - progress.bytes) / Double(progress.bytes)
            let seconds = max(0, Int(left.rounded()))
            line += " · \(progress.bytes * 100 / total)% · ETA \(seconds / 60):\(String(format: "%02d", seconds % 60))"
        }
        Output.write(Array(line.utf8), to: STDERR_FILENO)
        shown = true
    }

    /// Erases the line.
    func clear() {
        if shown { Output.write(Array("\r\u{1B}[K".utf8), to: STDERR_FILENO) }
    }
}
