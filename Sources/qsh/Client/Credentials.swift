// The credentials file, $XDG_CONFIG_HOME/qsh/credentials (else ~/.config/qsh/credentials):
// one `URL<TAB>TOKEN` a line, written by `qsh login` and `qsh logout` as a new file of
// mode 0600 renamed over the old one, so it is never seen half-written or readable by others.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

/// The tokens `qsh login` kept, by server URL.
struct Credentials: Equatable {
    var path: String
    var entries: [(url: String, token: String)] = []

    static func == (a: Credentials, b: Credentials) -> Bool {
        a.path == b.path && a.entries.map(\.url) == b.entries.map(\.url) && a.entries.map(\.token) == b.entries.map(\.token)
    }

    static func path(environment: [String: String], home: String) -> String {
        let config = ConfigFile.path(environment: environment, home: home)
        return String(config.dropLast("config".count)) + "credentials"
    }

    /// Reads the file; one that is not there holds no tokens.
    /// - Throws: `CommandFailure` when it cannot be read.
    static func load(environment: [String: String], home: String) throws -> Credentials {
        let path = path(environment: environment, home: home)
        var credentials = Credentials(path: path)
        guard let bytes = try ConfigFile.readBytes(path) else { return credentials }
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2 else { continue }
            credentials.entries.append((String(parts[0]), String(parts[1]).trimmingBlanks()))
        }
        return credentials
    }

    /// The token kept for `server` (its URL as given, without a trailing slash).
    func token(for server: ServerAddress) -> String? { entries.last { $0.url == server.url }?.token }

    /// The file with `server`'s token set (nil: removed), other lines kept.
    func setting(_ server: ServerAddress, token: String?) -> Credentials {
        var copy = self
        copy.entries.removeAll { $0.url == server.url }
        if let token { copy.entries.append((server.url, token)) }
        return copy
    }

    /// Writes the file: a new file of mode 0600 in the same folder, synced, renamed over it.
    /// - Throws: `CommandFailure` (io_error).
    func save() throws {
        let folder = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !folder.isEmpty { try ConfigFile.makeFolders(folder) }
        let temporary = path + ".tmp\(getpid())"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ConfigFile.failure("write", temporary) }
        let bytes = Array(entries.map { "\($0.url)\t\($0.token)\n" }.joined().utf8)
        var written = 0
        var ok = true
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                ok = false
                break
            }
            written += n
        }
        let error = errno
        if ok && fsync(fd) != 0 { ok = false }
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let reason = ok ? errno : error
            unlink(temporary)
            throw ConfigFile.failure("write", path, errno: reason)
        }
    }
}
