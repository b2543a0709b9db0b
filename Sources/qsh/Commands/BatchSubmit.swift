// `qsh tasks submit a.qasm b.qasm ...` and `tasks submit --batch manifest.json`: reads
// every item first (a file that cannot be read stops the submit before anything is
// stored), then stores the batch in one call; with --wait follows it as `batches wait`.
import QshCore

enum BatchSubmit {
    static func run(
        _ invocation: Invocation, defaults: TaskSubmission, knownQPUs: [String], client: any TaskClient,
        format: OutputFormat
    ) throws -> ExitStatus {
        let args = invocation.arguments
        let context = invocation.context
        if args.has("--dry-run") {
            throw args.error(
                "option '--dry-run' checks one program; check a batch's files with '\(context.commandText("qasm check"))'",
                option: "--dry-run")
        }
        let items: [BatchManifestItem]
        if let manifest = args.value("--batch") {
            if let first = invocation.positionals.first {
                throw UsageError(
                    "unexpected argument '\(first.abbreviated())': with --batch the manifest names the programs",
                    argument: args.word(ofPositional: 0))
            }
            items = try BatchManifest.read(manifest)
        } else {
            let labels = try BatchManifest.labels(forFiles: invocation.positionals, args)
            items = zip(labels, invocation.positionals).map { BatchManifestItem(label: $0, program: .path($1)) }
        }
        var submissions: [(label: String, submission: TaskSubmission)] = []
        submissions.reserveCapacity(items.count)
        for item in items {
            var submission = defaults
            submission.name = item.label
            submission.idempotencyKey = nil
            if let shots = item.shots { submission.shots = shots }
            if let seed = item.seed { submission.seed = seed }
            if let qpu = item.qpuID {
                guard knownQPUs.contains(qpu) else {
                    var message = "item '\(item.label)' names the unknown QPU '\(qpu)'; see '\(context.commandText("qpus list"))'"
                    if let guess = closestMatch(qpu, in: knownQPUs.sorted()) { message += " (did you mean '\(guess)'?)" }
                    throw CommandFailure(code: .invalidArgument, message: message)
                }
                submission.qpuID = qpu
            }
            switch item.program {
            case .path(let path):
                submission.program = try TaskCLI.readProgram(path, invocation: invocation, format: format)
            case .source(let text, let name, let directory):
                submission.program = try TaskCLI.snapshot(
                    QasmInput(source: SourceFile(name: name, text: text), directory: directory),
                    invocation: invocation, format: format)
            }
            submissions.append((item.label, submission))
        }
        let receipt = try client.submitBatch(
            BatchSubmission(name: defaults.name, items: submissions, idempotencyKey: defaults.idempotencyKey))
        let batch = receipt.summary.batch
        let quiet = args.has("--quiet")
        if quiet {
            context.stdout.line(batch.id)
            context.stdout.flush()
        } else {
            if receipt.reused {
                context.stderr.line(
                    "batch \(batch.id) was submitted before with idempotency key '\(defaults.idempotencyKey ?? "")'")
            } else {
                context.stderr.line("submitted batch \(batch.id) (\(batch.size) task\(batch.size == 1 ? "" : "s"))")
            }
            if !args.has("--wait") {
                context.stdout.write(
                    BatchRenderer.detail(
                        try client.batchDetail(batch.id), format: format, color: context.terminal.colorStdout))
            }
        }
        for warning in receipt.warnings { context.stderr.line("qsh: warning: " + warning) }
        guard args.has("--wait") else { return .ok }
        context.stdout.flush()
        return try BatchFollow.run(batch.id, client: client, invocation: invocation, format: format, quiet: quiet)
    }
}
