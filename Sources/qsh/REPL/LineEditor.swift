// Reading lines: the `LineEditor` protocol, `ReadlineEditor` (GNU readline on a terminal:
// keys, history recall, completion) and `PlainLineEditor` (scripts, pipes and tests).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CReadline

/// What one read produced.
enum LineInput: Equatable {
    /// A line, without its newline.
    case line(String)
    /// Ctrl-C while typing: the line was dropped.
    case interrupted
    /// End of input (Ctrl-D on an empty line, or the end of a script).
    case end
}

/// Reads lines for the shell; swapping readline for libedit stays a change behind this.
protocol LineEditor: AnyObject {
    /// Shows `prompt` (if this editor shows prompts) and reads one line.
    func readLine(prompt: String) -> LineInput
    /// Offers a line for recall with Up (the shell decides what is worth keeping).
    func remember(_ line: String)
}

/// Lines from a file descriptor or a fixed list, with an optional prompt; no editing.
///
/// From a descriptor it never reads past the line it returns (a regular file is read in
/// blocks and then repositioned; a pipe is read a byte at a time, as sh does), so a command
/// in a script that reads standard input sees exactly the lines after its own.
final class PlainLineEditor: LineEditor {
    private var scripted: [String]?
    private let fd: Int32
    private let prompts: OutputStream?
    private let seekable: Bool
    private(set) var remembered: [String] = []

    /// Reads `fd`; writes prompts to `prompts` when given (a terminal without readline).
    init(fd: Int32 = 0, prompts: OutputStream? = nil) {
        self.fd = fd
        self.prompts = prompts
        self.seekable = lseek(fd, 0, SEEK_CUR) >= 0
    }

    /// Returns `lines` in order, then `.end` (tests).
    init(lines: [String], prompts: OutputStream? = nil) {
        self.scripted = lines
        self.fd = -1
        self.prompts = prompts
        self.seekable = false
    }

    func readLine(prompt: String) -> LineInput {
        if let prompts {
            prompts.write(prompt)
            prompts.flush()
        }
        if scripted != nil {
            guard let first = scripted?.first else { return .end }
            scripted?.removeFirst()
            return .line(first)
        }
        return seekable ? readBlock() : readBytes()
    }

    func remember(_ line: String) { remembered.append(line) }

    /// A byte at a time, so nothing after the newline is consumed.
    private func readBytes() -> LineInput {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = read(fd, &byte, 1)
            if n == 1 {
                if byte == UInt8(ascii: "\n") { return .line(Self.text(line)) }
                line.append(byte)
            } else if n == 0 {
                return line.isEmpty ? .end : .line(Self.text(line))
            } else if errno == EINTR {
                if Interrupts.take() { return .interrupted }
            } else {
                return line.isEmpty ? .end : .line(Self.text(line))
            }
        }
    }

    /// Blocks from a regular file, then a seek back to just after the newline.
    private func readBlock() -> LineInput {
        var line: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let start = lseek(fd, 0, SEEK_CUR)
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                if let newline = chunk[0..<n].firstIndex(of: UInt8(ascii: "\n")) {
                    line.append(contentsOf: chunk[0..<newline])
                    lseek(fd, start + off_t(newline + 1), SEEK_SET)
                    return .line(Self.text(line))
                }
                line.append(contentsOf: chunk[0..<n])
            } else if n == 0 {
                return line.isEmpty ? .end : .line(Self.text(line))
            } else if errno == EINTR {
                if Interrupts.take() { return .interrupted }
            } else {
                return line.isEmpty ? .end : .line(Self.text(line))
            }
        }
    }

    /// The text of a line; a Windows line end loses its carriage return.
    private static func text(_ bytes: [UInt8]) -> String {
        var bytes = bytes[...]
        if bytes.last == UInt8(ascii: "\r") { bytes = bytes.dropLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// GNU readline on the terminal: emacs keys (or the user's ~/.inputrc, under `$if qsh`),
/// Up/Down and Ctrl-R over the history, Tab completion from a `Completer`.
///
/// Signals: readline's own handlers are off (`rl_catch_signals = 0`); the shell's SIGINT
/// handler only counts (InterruptCounter.swift). Keys are read by `readlineReadKey`, which sees
/// the count when read(2) returns EINTR and turns Ctrl-C into "show ^C, drop the line".
final class ReadlineEditor: LineEditor {
    private let bridge: ReadlineBridge
    private let output: UnsafeMutablePointer<FILE>?

    /// Sets readline up; `history` is the recall list to start with (oldest first).
    init(completer: Completer, history: [String], cap: Int) {
        bridge = ReadlineBridge(completer: completer)
        activeReadlineBridge = bridge
        // Prompts and editing go to stderr, so stdout carries only the commands' data.
        output = fdopen(dup(2), "w")
        qsh_rl_setup(output, readlineReadKey)
        qsh_rl_set_attempted_completion(readlineComplete)
        using_history()
        stifle_history(Int32(cap))
        for line in history { add_history(line) }
    }

    func readLine(prompt: String) -> LineInput {
        using_history()
        bridge.abortsSent = 0
        bridge.cancelled = false
        Interrupts.take()
        let raw = readline(prompt)
        defer { free(raw) }
        if bridge.cancelled { return .interrupted }
        guard let raw else { return .end }
        return .line(String(cString: raw))
    }

    func remember(_ line: String) { add_history(line) }

    deinit {
        activeReadlineBridge = nil
        clear_history()
        qsh_rl_reset_output()
        if let output { fclose(output) }
    }
}

/// readline's key reader (`rl_getc_function`): one byte from the terminal, except after
/// Ctrl-C. Then, inside a search, a completion listing or a half-typed key sequence, it
/// first sends Ctrl-G (readline's abort); otherwise it shows `^C` after the text, empties
/// the line and sends Enter, so readline returns an empty line and the prompt comes back.
private func readlineReadKey(_ stream: UnsafeMutablePointer<FILE>?) -> Int32 {
    let fd = stream.map { fileno($0) } ?? 0
    while true {
        if Interrupts.pending, let bridge = activeReadlineBridge {
            let busy = RL_STATE_MOREINPUT | RL_STATE_ISEARCH | RL_STATE_NSEARCH | RL_STATE_MULTIKEY | RL_STATE_NUMERICARG
                | RL_STATE_COMPLETING | RL_STATE_VIMOTION | RL_STATE_CHARSEARCH
            if qsh_rl_state() & UInt(busy) != 0 && bridge.abortsSent < 3 {
                bridge.abortsSent += 1
                return 7
            }
            Interrupts.take()
            bridge.cancelled = true
            qsh_rl_point_to_end()
            rl_redisplay()
            fputs("^C", qsh_rl_output())
            fflush(qsh_rl_output())
            rl_free_line_state()
            rl_replace_line("", 0)
            return 10
        }
        var byte: UInt8 = 0
        let n = read(fd, &byte, 1)
        if n == 1 { return Int32(byte) }
        if n == 0 { return EOF }
        if errno != EINTR { return EOF }
        rl_check_signals()
    }
}

