// Buffered writers for stdout and stderr. A closed pipe (EPIPE) is not an error:
// `qsh tasks list | head -1` must exit quietly, as git does. Any other failed write
// (a full disk, a closed descriptor) is remembered for the dispatcher to report.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A buffered byte sink over a file descriptor, or an in-memory buffer for tests.
final class OutputStream {
    let fd: Int32
    private var buffer: [UInt8] = []
    /// Everything written, when capturing (tests); nil for a real descriptor.
    private(set) var captured: [UInt8]?
    /// Set once a write failed because the reader went away; later output is dropped.
    private(set) var brokenPipe = false
    /// The errno of the first failed write other than EPIPE since the last `takeFailure()`;
    /// output is dropped while it is set.
    private(set) var failure: Int32?
    /// Tests: every write fails with this errno.
    private var injectedFailure: Int32?
    /// Asked before each write(2) and when a blocked one is interrupted by a signal: true
    /// gives up and drops the rest of the output, so that Ctrl-C stops a command whose
    /// output is being written, even to a reader that does not read.
    var giveUpOnInterrupt: (() -> Bool)?
    /// Set when a flush gave up that way; output is dropped until `takeInterruption()`.
    private var interrupted = false

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    /// An in-memory stream whose text can be read back with `text`.
    static func capturing() -> OutputStream {
        let stream = OutputStream(fd: -1)
        stream.captured = []
        return stream
    }

    /// A stream whose every write fails with `errno` (tests of the failure paths).
    static func failing(_ code: Int32) -> OutputStream {
        let stream = OutputStream(fd: -1)
        stream.injectedFailure = code
        return stream
    }

    /// The captured text (tests only).
    var text: String { String(decoding: captured ?? [], as: UTF8.self) }

    /// True once output cannot reach its reader (a closed pipe, a failed write, a write
    /// given up at Ctrl-C): a
    /// command that streams stops instead of going on.
    var isDead: Bool { brokenPipe || failure != nil || interrupted }

    func write(_ string: String) {
        if isDead { return }
        if let injectedFailure {
            failure = injectedFailure
            return
        }
        if captured != nil {
            captured!.append(contentsOf: string.utf8)
            return
        }
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes `string` and a newline.
    func line(_ string: String = "") {
        write(string)
        write("\n")
    }

    /// Writes out the buffer. EPIPE marks the stream as a broken pipe; any other error is
    /// kept in `failure`; either way the rest of the buffer is dropped.
    func flush() {
        guard fd >= 0, !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        if isDead { return }
        var offset = 0
        buffer.withUnsafeBytes { raw in
            while offset < raw.count {
                // A signal during a blocked write ends it early (EINTR, or the bytes written
                // so far), and the next write would block again: ask before each one.
                if giveUpOnInterrupt?() == true {
                    interrupted = true
                    return
                }
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n >= 0 {
                    offset += n
                    continue
                }
                switch errno {
                case EINTR:
                    continue
                case EAGAIN:
                    // A non-blocking descriptor we inherited: wait until it takes more.
                    var ready = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    if poll(&ready, 1, -1) >= 0 || errno == EINTR { continue }
                    failure = errno
                    return
                case EPIPE:
                    brokenPipe = true
                    return
                default:
                    failure = errno
                    return
                }
            }
        }
    }

    /// The errno of the failed write, if any, clearing it so that the next command (in the
    /// shell) writes again. A broken pipe stays broken.
    func takeFailure() -> Int32? {
        defer { failure = nil }
        return failure
    }

    /// True when a flush gave up at an interrupt since the last call (which clears it).
    func takeInterruption() -> Bool {
        defer { interrupted = false }
        return interrupted
    }

    deinit { flush() }
}
