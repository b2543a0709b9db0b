// The qsh executable: builds the context, dispatches argv, flushes, exits.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// A binary built for AVX2 or AVX-512 says so on a CPU without them, before any of it runs.
if let problem = CPUCheck.problem() {
    let bytes = Array(problem.utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(ExitStatus.failure.rawValue)
}
// A closed pipe must not kill us with SIGPIPE; writes then fail with EPIPE instead.
signal(SIGPIPE, SIG_IGN)
let context = CommandContext.fromProcess()
let status = Dispatcher.run(Array(CommandLine.arguments.dropFirst()), context: context)
context.stdout.flush()
context.stderr.flush()
exit(status.rawValue)
