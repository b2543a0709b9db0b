// The renderers of a follow (`tasks wait`, `get --wait`, `submit --wait`): each consumes
// the events a client reports and the tasks as they ended, and shows them in one form —
// the progress line on a terminal, the NDJSON stream, or the final document.
import QshCore

/// Shows what following tasks reports, in one output form.
protocol FollowRenderer: AnyObject {
    /// An event, as it happens.
    func show(_ event: FollowEvent)
    /// Following stopped, however it ended (before any error is reported).
    func stop()
    /// The tasks as they ended, in the order asked for, and the results of the one task
    /// followed when the command shows them (`submit --wait`).
    func showEnd(_ tasks: [QuantumTask], result: TaskResult?)
}

extension FollowRenderer {
    func show(_ event: FollowEvent) {}
    func stop() {}
    func showEnd(_ tasks: [QuantumTask], result: TaskResult?) {}
}

/// On a terminal's stderr: the progress line of a single task (redrawn in place, gone at
/// the end), and once, a note that no worker runs a queued task.
final class TerminalFollowRenderer: FollowRenderer {
    private let stderr: OutputStream
    private let progress: Progress
    /// Only a single task gets a progress line.
    private let single: Bool

    /// - Parameter showProgress: false with `-q`, which keeps only the note.
    init(stderr: OutputStream, showProgress: Bool, single: Bool) {
        self.stderr = stderr
        self.progress = Progress(stream: stderr, enabled: showProgress)
        self.single = single
    }

    func show(_ event: FollowEvent) {
        if case .unattended(let task) = event {
            progress.clear()
            stderr.line("qsh: " + TaskCLI.unattendedNote(task))
            stderr.flush()
        }
        if single { progress.update(event.task) }
    }

    func stop() { progress.clear() }
}

/// `-o ndjson`: one line per event as it happens (`{"event": "status"|"progress", ...}`),
/// then one line per task as it ended, and its results.
final class StreamFollowRenderer: FollowRenderer {
    private let stdout: OutputStream

    init(stdout: OutputStream) { self.stdout = stdout }

    func show(_ event: FollowEvent) {
        guard !stdout.isDead else { return }
        switch event {
        case .status(let task):
            stdout.write(TaskRenderer.streamEvent(task, kind: "status", observed: task.updatedDate))
        case .progress(let task, let observed):
            stdout.write(TaskRenderer.streamEvent(task, kind: "progress", observed: observed))
        case .unattended:
            return
        }
        stdout.flush()
    }

    func showEnd(_ tasks: [QuantumTask], result: TaskResult?) {
        for task in tasks { stdout.write(task.wireJSON.serialized() + "\n") }
        if let result { stdout.write(result.wireJSON.serialized() + "\n") }
    }
}

/// Every other form: nothing while following, then the tasks as they ended — for json one
/// object (with its `results`), or an array when the command takes a list of ids; for
/// table and wide a task's fields (and its counts), or a table of several; csv and tsv rows.
final class DocumentFollowRenderer: FollowRenderer {
    private let stdout: OutputStream
    private let format: OutputFormat
    /// The command takes a list of ids (`tasks wait`): its JSON is an array however many.
    private let list: Bool
    private let color: Bool

    init(stdout: OutputStream, format: OutputFormat, list: Bool, color: Bool) {
        self.stdout = stdout
        self.format = format
        self.list = list
        self.color = color
    }

    func showEnd(_ tasks: [QuantumTask], result: TaskResult?) {
        switch format {
        case .json where !list:
            var object = tasks[0].wireJSON
            if let result, case .object(var members) = object {
                members.append(("results", result.wireJSON))
                object = .object(members)
            }
            stdout.write(object.prettySerialized() + "\n")
        case .table where tasks.count == 1, .wide where tasks.count == 1:
            stdout.write(TaskRenderer.task(tasks[0], format: format, color: color))
            if let result {
                stdout.write("\n")
                stdout.write(TaskRenderer.result(result, format: format, color: color))
            }
        default:
            stdout.write(TaskRenderer.tasks(tasks, page: nil, format: format, color: color))
        }
    }
}
