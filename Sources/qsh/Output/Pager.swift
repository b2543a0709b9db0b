// Long tables through a pager, as git does: only when stdout is a terminal and the output
// is not JSON; $QSH_PAGER, else $PAGER, else `less -FRX` (which exits at once when the
// text fits the screen); `--no-pager`, or a pager of "" or "cat", writes directly.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

enum Pager {
    /// The pager command for this output, or nil to write to stdout directly.
    static func command(
        environment: [String: String], stdoutIsTTY: Bool, format: OutputFormat, noPager: Bool
    ) -> String? {
        guard stdoutIsTTY, !format.isJSON, !noPager else { return nil }
        let chosen = environment["QSH_PAGER"] ?? environment["PAGER"] ?? "less -FRX"
        let trimmed = chosen.trimmingBlanks()
        return trimmed.isEmpty || trimmed == "cat" ? nil : trimmed
    }

    /// Writes `text` to the command's stdout, through the pager when `command` picks one.
    /// A pager that cannot be started leaves the text to stdout.
    static func write(_ text: String, invocation: Invocation, format: OutputFormat) {
        let context = invocation.context
        guard context.stdout.fd == 1,
            let pager = command(
                environment: context.environment, stdoutIsTTY: context.terminal.stdoutIsTTY, format: format,
                noPager: invocation.arguments.has("--no-pager"))
        else {
            invocation.stdout.write(text)
            return
        }
        context.stdout.flush()
        if !run(pager, text: text, environment: context.environment) { invocation.stdout.write(text) }
    }

    /// Runs `sh -c pager` with `text` on its stdin and waits for it. Ctrl-C belongs to the
    /// pager meanwhile (qsh blocks it, as git ignores it). False when it could not start.
    static func run(_ pager: String, text: String, environment: [String: String]) -> Bool {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return false }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_adddup2(&actions, readEnd, 0)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGPIPE, SIGTERM, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(Int32(POSIX_SPAWN_SETSIGMASK) | Int32(POSIX_SPAWN_SETSIGDEF)))
        // less reads LESS when it has no flags of its own; git sets FRX the same way.
        var env = environment
        if env["LESS"] == nil { env["LESS"] = "FRX" }
        if env["LV"] == nil { env["LV"] = "-c" }
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        let words: [String] = ["/bin/sh", "-c", pager]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for p in argv + envp { free(p) } }
        let watch = SignalWatch([SIGINT, SIGQUIT])
        defer { watch.restore() }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        close(readEnd)
        guard rc == 0 else {
            close(writeEnd)
            return false
        }
        // A pager that quits early closes the pipe: EPIPE (SIGPIPE is ignored) ends the writing.
        let bytes = Array(text.utf8)
        var offset = 0
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = Glibc.write(writeEnd, raw.baseAddress! + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
        }
        close(writeEnd)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // Whatever Ctrl-C was pressed went to the pager; qsh drops its own copy.
        while watch.pending() != nil {}
        return true
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    fileprivate func trimmingBlanks() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
