// The qsh executable: builds the context, dispatches argv, flushes, exits.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// A closed pipe must not kill us with SIGPIPE; writes then fail with EPIPE instead.
signal(SIGPIPE, SIG_IGN)
let context = CommandContext.fromProcess()
let status = Dispatcher.run(Array(CommandLine.arguments.dropFirst()), context: context)
context.stdout.flush()
context.stderr.flush()
exit(status.rawValue)
