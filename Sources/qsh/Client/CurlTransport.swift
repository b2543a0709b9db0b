// The HTTP transport of client mode: libcurl's easy interface, loaded with dlopen on the
// first request (Sources/CCurl), so a local command never loads it. One handle per
// transport, kept for its connection between the requests of a command.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CCurl

/// An `HTTPTransport` over libcurl.
final class CurlTransport: HTTPTransport {
    /// `qsh/<version>`.
    let userAgent: String
    /// How long connecting may take, in milliseconds.
    var connectTimeout = 10_000
    /// How long a whole (non-streaming) exchange may take, in milliseconds.
    var requestTimeout = 300_000
    private var handle: UnsafeMutableRawPointer?

    init(userAgent: String) { self.userAgent = userAgent }

    deinit { if let handle { ccurl_easy_cleanup(handle) } }

    /// Loads libcurl, once per process.
    /// - Throws: `TransportError` `.unavailable` with the loader's reason.
    static func load() throws {
        var buffer = [CChar](repeating: 0, count: 512)
        if ccurl_load(&buffer, buffer.count) != 0 {
            throw TransportError(kind: .unavailable, detail: cString(buffer))
        }
    }

    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let exchange = CurlExchange(streaming: nil, keepGoing: nil)
        try perform(request, exchange: exchange, timeout: requestTimeout)
        return HTTPResponse(status: exchange.status, headers: exchange.headers, body: exchange.body)
    }

    func stream(_ request: HTTPRequest, keepGoing: () -> Bool, line: (String) -> Bool) throws -> HTTPResponse {
        try withoutActuallyEscaping(keepGoing) { keepGoing in
            try withoutActuallyEscaping(line) { line in
                let exchange = CurlExchange(streaming: line, keepGoing: keepGoing)
                try perform(request, exchange: exchange, timeout: 0)
                if exchange.status == 200, !exchange.pending.isEmpty {
                    _ = line(String(decoding: exchange.pending, as: UTF8.self))
                }
                return HTTPResponse(
                    status: exchange.status, headers: exchange.headers, body: exchange.status == 200 ? [] : exchange.body)
            }
        }
    }

    private func perform(_ request: HTTPRequest, exchange: CurlExchange, timeout: Int) throws {
        try Self.load()
        if handle == nil { handle = ccurl_easy_init() }
        guard let handle else { throw TransportError(kind: .unavailable, detail: "curl_easy_init failed") }
        var headerList: UnsafeMutableRawPointer?
        defer { if let headerList { ccurl_slist_free_all(headerList) } }
        for (name, value) in request.headers { headerList = ccurl_slist_append(headerList, "\(name): \(value)") }
        // Without this, libcurl waits a second for "100 Continue" before sending a large body.
        headerList = ccurl_slist_append(headerList, "Expect:")
        var errorBuffer = [CChar](repeating: 0, count: Int(CCURL_ERROR_SIZE) + 1)
        let context = Unmanaged.passUnretained(exchange).toOpaque()
        let code: Int32 = request.url.withCString { url in
            request.method.withCString { method in
                userAgent.withCString { agent in
                    errorBuffer.withUnsafeMutableBufferPointer { errors in
                        let body = request.body ?? []
                        return body.withUnsafeBufferPointer { bodyBytes in
                            var ok: Int32 = 0
                            func set(_ result: Int32) { if ok == 0 { ok = result } }
                            set(ccurl_setopt_pointer(handle, Int32(CCURLOPT_URL), url))
                            set(ccurl_setopt_pointer(handle, Int32(CCURLOPT_ERRORBUFFER), errors.baseAddress))
                            set(ccurl_setopt_pointer(handle, Int32(CCURLOPT_USERAGENT), agent))
                            set(ccurl_setopt_pointer(handle, Int32(CCURLOPT_HTTPHEADER), headerList))
                            set(ccurl_setopt_long(handle, Int32(CCURLOPT_NOSIGNAL), 1))
                            set(ccurl_setopt_long(handle, Int32(CCURLOPT_TCP_NODELAY), 1))
                            set(ccurl_setopt_long(handle, Int32(CCURLOPT_HTTP_VERSION), 2))  // 1.1
                            set(ccurl_setopt_long(handle, Int32(CCURLOPT_CONNECTTIMEOUT_MS), connectTimeout))
                            set(ccurl_setopt_long(handle, Int32(CCURLOPT_TIMEOUT_MS), timeout))
                            set(ccurl_setopt_pointer(handle, Int32(CCURLOPT_CUSTOMREQUEST), method))
                            if request.body != nil || request.method == "POST" {
                                set(ccurl_setopt_pointer(
                                    handle, Int32(CCURLOPT_POSTFIELDS), bodyBytes.baseAddress ?? UnsafePointer(bitPattern: 1)))
                                set(ccurl_setopt_offset(handle, Int32(CCURLOPT_POSTFIELDSIZE_LARGE), Int64(bodyBytes.count)))
                            } else {
                                // A GET after a POST on the same handle: no body, no POST.
                                set(ccurl_setopt_pointer(handle, Int32(CCURLOPT_POSTFIELDS), nil))
                                set(ccurl_setopt_long(handle, 80 /* CURLOPT_HTTPGET */, 1))
                                set(ccurl_setopt_pointer(handle, Int32(CCURLOPT_CUSTOMREQUEST), method))
                            }
                            set(ccurl_setopt_data_callback(handle, Int32(CCURLOPT_WRITEFUNCTION), curlWrite))
                            set(ccurl_setopt_pointer(handle, Int32(CCURLOPT_WRITEDATA), context))
                            set(ccurl_setopt_data_callback(handle, Int32(CCURLOPT_HEADERFUNCTION), curlHeader))
                            set(ccurl_setopt_pointer(handle, Int32(CCURLOPT_HEADERDATA), context))
                            let watch = exchange.keepGoing != nil
                            set(ccurl_setopt_long(handle, Int32(CCURLOPT_NOPROGRESS), watch ? 0 : 1))
                            if watch {
                                set(ccurl_setopt_progress_callback(handle, Int32(CCURLOPT_XFERINFOFUNCTION), curlProgress))
                                set(ccurl_setopt_pointer(handle, Int32(CCURLOPT_XFERINFODATA), context))
                            }
                            if ok != 0 { return ok }
                            return ccurl_easy_perform(handle)
                        }
                    }
                }
            }
        }
        guard Int(code) != CCURLE_OK else { return }
        if exchange.stoppedByCaller, exchange.status == 200 { return }
        var detail = errorBuffer[0] != 0 ? cString(errorBuffer) : String(cString: ccurl_easy_strerror(code))
        let osError = Int32(truncatingIfNeeded: ccurl_os_errno(handle))
        if osError != 0 { detail = String(cString: strerror(osError)) }
        throw TransportError(kind: Self.kind(of: code, stopped: exchange.stoppedByCaller), detail: detail)
    }

    /// The kind of a failed transfer's CURLcode.
    static func kind(of code: Int32, stopped: Bool) -> TransportError.Kind {
        if stopped { return .stopped }
        switch Int(code) {
        case CCURLE_COULDNT_CONNECT: return .connect
        case CCURLE_COULDNT_RESOLVE_HOST: return .resolve
        case CCURLE_OPERATION_TIMEDOUT: return .timeout
        case CCURLE_SSL_CONNECT_ERROR, CCURLE_PEER_FAILED_VERIFICATION: return .tls
        case CCURLE_UNSUPPORTED_PROTOCOL, CCURLE_URL_MALFORMAT: return .badURL
        case CCURLE_ABORTED_BY_CALLBACK, CCURLE_WRITE_ERROR: return .stopped
        default: return .broken
        }
    }
}

/// What one exchange collects; the callbacks reach it through their context pointer.
fileprivate final class CurlExchange {
    var status = 0
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    /// The start of a line not ended yet (streaming).
    var pending: [UInt8] = []
    let streaming: ((String) -> Bool)?
    let keepGoing: (() -> Bool)?
    var stoppedByCaller = false

    init(streaming: ((String) -> Bool)?, keepGoing: (() -> Bool)?) {
        self.streaming = streaming
        self.keepGoing = keepGoing
    }

    /// A header line: the status line starts a new response (after a 100 Continue, say).
    func header(_ line: String) {
        let text = line.trimmingTrailingLineBreak()
        if text.hasPrefix("HTTP/") {
            let parts = text.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = []
        } else if let colon = text.firstIndex(of: ":") {
            let name = String(text[..<colon])
            let value = text[text.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            headers.append((name, String(value)))
        }
    }

    /// Body bytes: kept, or cut into lines for the stream; false stops the transfer.
    func data(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let streaming, status == 200 else {
            body.append(contentsOf: bytes)
            return true
        }
        pending.append(contentsOf: bytes)
        while let newline = pending.firstIndex(of: 10) {
            var end = newline
            if end > 0, pending[end - 1] == 13 { end -= 1 }
            let text = String(decoding: pending[..<end], as: UTF8.self)
            pending.removeSubrange(...newline)
            if !streaming(text) {
                stoppedByCaller = true
                return false
            }
        }
        return true
    }
}


private func curlWrite(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let context else { return 0 }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue()
    let total = size * count
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: total)
    return exchange.data(bytes) ? total : 0
}

private func curlHeader(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let context else { return 0 }
    let total = size * count
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: total)
    Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue().header(String(decoding: bytes, as: UTF8.self))
    return total
}

private func curlProgress(_ context: UnsafeMutableRawPointer?, _: Int64, _: Int64, _: Int64, _: Int64) -> Int32 {
    guard let context else { return 0 }
    let exchange = Unmanaged<CurlExchange>.fromOpaque(context).takeUnretainedValue()
    guard let keepGoing = exchange.keepGoing, !keepGoing() else { return 0 }
    exchange.stoppedByCaller = true
    return 1
}

extension String {
    /// The text without its final CR LF or LF.
    func trimmingTrailingLineBreak() -> String {
        var text = Substring(self)
        while let last = text.last, last == "\n" || last == "\r" || last == "\r\n" { text = text.dropLast() }
        return String(text)
    }
}
