// Following a batch until every item has ended, for `batches wait` and `tasks submit
// --wait` of a batch: one progress line on a terminal (items done of all, counts per
// state), the batch as it ended on stdout, and the exit status of `tasks wait`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import QshCore

enum BatchFollow {
    /// `batch 1a2b3c4d: 3/10 done (Created 5, ExecutionStarted 2, Completed 3)`.
    static func progressText(_ s: BatchSummary) -> String {
        "batch \(TaskRenderer.shortID(s.batch.id)): \(s.done)/\(s.total) done (\(BatchRenderer.countsText(s)))"
    }

    /// Follows the batch `id` (full) until every item has ended.
    /// - Returns: 0 when every item Completed, 3 when one ended Failed or
    ///   PayloadProcessingError, 6 when one was Cancelled.
    /// - Throws: `CommandFailure` `timeout` (124) or `interrupted` (130).
    static func run(
        _ id: String, client: any TaskClient, invocation: Invocation, format: OutputFormat, quiet: Bool
    ) throws -> ExitStatus {
        let context = invocation.context
        let timeout = try TaskCLI.timeout(invocation)
        let terminal = context.terminal.stderrIsTTY
        var drawn = false
        func clear() {
            if drawn {
                context.stderr.write("\r\u{1B}[K")
                context.stderr.flush()
                drawn = false
            }
        }
        var unattended = false
        let watch = SignalWatch([SIGINT])
        defer { watch.restore() }
        let outcome = try client.followBatch(
            id, timeout: timeout, pause: { seconds in !context.stdout.isDead && watch.sleep(seconds) == nil },
            receive: { summary in
                if terminal && !quiet {
                    context.stderr.write("\r\u{1B}[K" + progressText(summary))
                    context.stderr.flush()
                    drawn = true
                }
                if format == .ndjson && !quiet && !context.stdout.isDead {
                    context.stdout.write(summary.wireJSON.serialized() + "\n")
                    context.stdout.flush()
                }
            },
            unattended: { summary in
                unattended = true
                guard terminal else { return }
                clear()
                context.stderr.line(
                    "qsh: no worker is running: the queued items of batch \(TaskRenderer.shortID(summary.batch.id)) "
                        + "stay Created until one starts ('qsh worker', or autostart on submit)")
                context.stderr.flush()
            })
        clear()
        if context.stdout.isDead { return .ok }
        let summary = outcome.summary
        switch outcome {
        case .finished:
            if !quiet && format != .ndjson {
                context.stdout.write(BatchRenderer.summary(summary, format: format, color: context.terminal.colorStdout))
            }
            return ExitStatus(endOf: summary.itemStatuses)
        case .timedOut:
            var message = "timed out after \(TaskRenderer.formatSeconds(timeout)): batch '\(id)' has "
                + "\(summary.done) of \(summary.total) items done (\(BatchRenderer.countsText(summary)))"
            if unattended && summary.counts[.created] != nil {
                message += ", and no worker is running: " + TaskCLI.startWorkerAdvice
            }
            throw CommandFailure(code: .timeout, message: message, details: [("batch_id", .string(id))])
        case .interrupted:
            watch.restore()
            if invocation.arguments.has("--cancel-on-interrupt") {
                let cancelled = try client.cancelBatch(id)
                throw CommandFailure(
                    code: .interrupted,
                    message: "stopped waiting and cancelled \(cancelled.cancelled.count) item"
                        + "\(cancelled.cancelled.count == 1 ? "" : "s") of batch '\(id)' "
                        + "(\(cancelled.refused.count) executing, left to end)",
                    details: [("batch_id", .string(id))])
            }
            throw CommandFailure(
                code: .interrupted,
                message: "stopped waiting (\(summary.done) of \(summary.total) items done); the batch keeps running. "
                    + "Follow it with: \(context.commandText("batches wait \(TaskRenderer.shortID(id))"))",
                details: [("batch_id", .string(id))])
        }
    }
}
