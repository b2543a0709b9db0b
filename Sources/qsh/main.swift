// The qsh executable: builds the context, dispatches argv (which flushes stdout and
// reports a failed write), exits.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

// A binary built for AVX2 or AVX-512 says so on a CPU without them, before any of it runs.
if let problem = CPUCheck.problem() {
    let bytes = Array(problem.utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(ExitStatus.failure.rawValue)
}
// A closed pipe must not kill us with SIGPIPE; writes then fail with EPIPE instead.
signal(SIGPIPE, SIG_IGN)
// A standard descriptor that was closed (`qsh tasks list >&-`) is held by /dev/null opened
// read-only, so that no file qsh opens (the database) lands on it, and a write to it still
// fails with EBADF, which is then reported like any other failed write.
for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
    _ = open("/dev/null", O_RDONLY)
}
let context = CommandContext.fromProcess()
let status = Dispatcher.run(Array(CommandLine.arguments.dropFirst()), context: context)
context.stdout.flush()
context.stderr.flush()
exit(status.rawValue)
