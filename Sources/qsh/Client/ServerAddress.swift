// The qsh server a client talks to: its base URL as the user gave it (without a trailing
// slash), checked once, with the host and port for the cache's file name and the prompt.
import QshCore

/// A server's base URL, e.g. `http://127.0.0.1:8080`.
struct ServerAddress: Sendable, Hashable {
    /// The URL without a trailing slash.
    let url: String
    /// The host as written (brackets kept around an IPv6 address).
    let host: String
    /// The port, explicit or the scheme's.
    let port: Int

    /// - Throws: `CommandFailure` (usage) for text that is not an http(s) URL of a host.
    init(_ text: String) throws {
        var url = text
        while url.hasSuffix("/") { url.removeLast() }
        let lower = url.lowercased()
        let scheme: String
        if lower.hasPrefix("http://") {
            scheme = "http"
        } else if lower.hasPrefix("https://") {
            scheme = "https"
        } else {
            throw CommandFailure(
                code: .usage,
                message: "'\(text.terminalSafe())' is not a qsh server URL; give http://HOST:PORT or https://HOST")
        }
        let rest = url.dropFirst(scheme.count + 3)
        guard !rest.isEmpty, !rest.contains("/") || rest.firstIndex(of: "/") != rest.startIndex else {
            throw CommandFailure(code: .usage, message: "'\(text.terminalSafe())' names no host; give http://HOST:PORT")
        }
        let authority = rest.prefix { $0 != "/" }
        var host = String(authority)
        var port = scheme == "https" ? 443 : 80
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            host = String(authority[..<colon])
            guard let number = Int(authority[authority.index(after: colon)...]), (1...65535).contains(number) else {
                throw CommandFailure(code: .usage, message: "'\(text.terminalSafe())' has no valid port")
            }
            port = number
        }
        guard !host.isEmpty, !url.contains(where: { $0 == " " || $0 == "?" || $0 == "#" }) else {
            throw CommandFailure(code: .usage, message: "'\(text.terminalSafe())' is not a qsh server URL")
        }
        self.url = url
        self.host = host
        self.port = port
    }

    /// `127.0.0.1:8080`, as the REPL's prompt names the server.
    var hostAndPort: String { "\(host):\(port)" }
}

/// Percent-encoding for the parts of a URL qsh builds (RFC 3986: unreserved characters stay).
enum URLText {
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
            }
        }
        return out
    }

    /// `?a=1&b=2` of the pairs in order (empty for none), each part encoded.
    static func query(_ pairs: [(String, String)]) -> String {
        pairs.isEmpty ? "" : "?" + pairs.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}
