import ArgumentParser
import CandidacyKit
import Foundation

/// Unbuffered writes of whole byte runs to a file descriptor; the batch hands over large runs.
///
/// Every write is checked, as `sort` and `jq` check theirs. A reader that has gone (`EPIPE`:
/// `candidacy … | head`) ends the process at once, quietly, with the status the shell gives a
/// process killed by `SIGPIPE`; any other failure (a full disk, a closed descriptor) is a
/// ``WriteFailure`` that the command reports and turns into exit status 74 (`EX_IOERR`).
enum Output {
    /// Writes every byte, retrying after interruptions.
    static func write(_ bytes: borrowing [UInt8], to descriptor: Int32) throws(WriteFailure) {
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        guard failure != 0 else { return }
        if failure == EPIPE { endQuietlyForClosedPipe() }
        throw WriteFailure(descriptor: descriptor, code: failure)
    }

    /// Writes a string.
    static func write(_ text: String, to descriptor: Int32) throws(WriteFailure) {
        try write(Array(text.utf8), to: descriptor)
    }

    /// Writes a command's output to standard output; a failure is reported and becomes exit 74.
    static func standardOutput(_ text: String) throws(ExitCode) {
        do { try write(text, to: STDOUT_FILENO) } catch { throw error.exit }
    }

    /// Writes to standard error what a user must see (a summary, not a diagnostic of the
    /// failure itself); a failure is reported as far as it can be and becomes exit 74.
    static func standardError(_ text: String) throws(ExitCode) {
        do { try write(text, to: STDERR_FILENO) } catch { throw error.exit }
    }

    /// Ends the process as a closed pipe ends `cat` or `sort`: by `SIGPIPE` with its default
    /// action (the shell reports status 141), or, should the signal be blocked, with 141 itself.
    static func endQuietlyForClosedPipe() -> Never {
        signal(SIGPIPE, SIG_DFL)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGPIPE)
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
        raise(SIGPIPE)
        _exit(128 + SIGPIPE)
    }
}

/// A write to standard output or standard error that failed for a reason other than a closed
/// pipe: reported as `candidacy: error: cannot write to standard output: <cause>`, exit 74.
struct WriteFailure: Error, CustomStringConvertible {
    /// The descriptor written to.
    var descriptor: Int32
    /// The `errno` of the failed write.
    var code: Int32

    /// The output's name, as a user knows it.
    var output: String {
        switch descriptor {
        case STDOUT_FILENO: "standard output"
        case STDERR_FILENO: "standard error"
        default: "file descriptor \(descriptor)"
        }
    }

    var description: String {
        "candidacy: error: cannot write to \(output): \(String(cString: strerror(code)))"
    }

    /// The exit status for a failed write (sysexits `EX_IOERR`).
    static let exitStatus: Int32 = 74

    /// Reports the failure on standard error (as far as that still works) and gives exit 74.
    var exit: ExitCode {
        // Best effort: when standard error itself has failed, the status still tells.
        try? Output.write(description + "\n", to: STDERR_FILENO)
        return ExitCode(Self.exitStatus)
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
        // The meter is a courtesy: a failed write of it must not stop the run (the report's own writes are checked).
        try? Output.write(Array(line.utf8), to: STDERR_FILENO)
        shown = true
    }

    /// Erases the line.
    func clear() {
        if shown { try? Output.write(Array("\r\u{1B}[K".utf8), to: STDERR_FILENO) }
    }
}
