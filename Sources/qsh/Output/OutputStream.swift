// Buffered writers for stdout and stderr. A closed pipe (EPIPE) on stdout is not an
// error: `qsh tasks list | head -1` must exit quietly, as git does.
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
    /// Set once a write failed because the reader went away.
    private(set) var brokenPipe = false

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

    /// The captured text (tests only).
    var text: String { String(decoding: captured ?? [], as: UTF8.self) }

    func write(_ string: String) {
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

    /// Writes out the buffer; stops quietly on EPIPE.
    func flush() {
        guard fd >= 0, !buffer.isEmpty else { return }
        if brokenPipe {
            buffer.removeAll(keepingCapacity: true)
            return
        }
        var offset = 0
        buffer.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    brokenPipe = true
                    return
                }
                offset += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}
