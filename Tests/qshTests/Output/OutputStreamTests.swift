// OutputStream: a failed write is remembered (EPIPE apart), later output is dropped, and
// the dispatcher turns the failure into one io_error and status 1.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Testing
@testable import qsh

@Suite struct OutputStreamTests {
    @Test func aClosedPipeIsABrokenPipeNotAFailure() {
        // As in main.swift: a closed pipe must fail the write with EPIPE, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        close(fds[0])
        defer { close(fds[1]) }
        let stream = OutputStream(fd: fds[1])
        stream.line("hello")
        stream.flush()
        #expect(stream.brokenPipe)
        #expect(stream.isDead)
        #expect(stream.takeFailure() == nil)
    }

    @Test func aDescriptorThatCannotBeWrittenIsAFailureUntilTaken() {
        let fd = open("/dev/null", O_RDONLY)
        defer { close(fd) }
        let stream = OutputStream(fd: fd)
        stream.line("hello")
        stream.flush()
        #expect(stream.isDead)
        #expect(!stream.brokenPipe)
        #expect(stream.takeFailure() == EBADF)
        #expect(stream.takeFailure() == nil)
        #expect(!stream.isDead)
    }

    @Test func aFullDiskIsAFailure() {
        let fd = open("/dev/full", O_WRONLY)
        defer { close(fd) }
        let stream = OutputStream(fd: fd)
        stream.write(String(repeating: "x", count: 100_000))
        #expect(stream.isDead)
        stream.write("more")
        stream.flush()
        #expect(stream.takeFailure() == ENOSPC)
    }

    @Test func theDispatcherReportsAFailedWriteOnceWithStatus1() {
        let context = CommandContext(
            environment: [:], stdout: .failing(ENOSPC), stderr: .capturing(),
            terminal: Terminal(stdinIsTTY: false, stdoutIsTTY: false, stderrIsTTY: false, colorStdout: false, colorStderr: false),
            executablePath: "qsh")
        #expect(Dispatcher.run(["help"], context: context) == .failure)
        #expect(context.stderr.text == "qsh: cannot write to standard output: No space left on device\n")
        #expect(Dispatcher.run(["qpus", "list", "--json"], context: context) == .failure)
        #expect(context.stderr.text.hasSuffix(
            #"{"error": {"code": "io_error", "message": "cannot write to standard output: No space left on device"}}"# + "\n"))
        // A command that writes nothing to stdout keeps its own status and message.
        #expect(Dispatcher.run(["help", "nothing"], context: context) == .usage)
        #expect(context.stderr.text.hasSuffix("qsh: no help for 'nothing'\nusage: qsh help [<command> [<subcommand>]]\n   or: qsh help exit-codes\n"))
    }

    @Test func inTheShellTheStatusOfTheFailingCommandIs1() {
        let context = CommandContext(
            environment: [:], stdout: .failing(EIO), stderr: .capturing(),
            terminal: Terminal(stdinIsTTY: true, stdoutIsTTY: true, stderrIsTTY: true, colorStdout: false, colorStderr: false),
            executablePath: "qsh")
        var repl = Repl(
            context: context, editor: PlainLineEditor(lines: ["version", ".help", ".status"]), mode: .interactive,
            history: History(path: nil))
        #expect(repl.run() == .ok)
        #expect(repl.lastStatus == .failure)
        // Interactive: no line numbers; each command says it once.
        #expect(context.stderr.text.components(separatedBy: "qsh: cannot write to standard output: Input/output error\n").count == 4)
    }
}
