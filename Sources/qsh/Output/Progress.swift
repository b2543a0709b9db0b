// A one-line progress display on stderr, redrawn in place; it exists only when
// stderr is a terminal (on a pipe nothing extra is printed).
import QshCore

/// Draws `task 1a2b3c4d: ExecutionStarted 300/1000 shots` and clears it when done.
final class Progress {
    private let stream: OutputStream
    private let enabled: Bool
    private var drawn = false

    init(stream: OutputStream, enabled: Bool) {
        self.stream = stream
        self.enabled = enabled
    }

    /// Redraws the line for `task`.
    func update(_ task: QuantumTask) {
        guard enabled else { return }
        var text = "task \(TaskRenderer.shortID(task.id)): \(task.status.rawValue)"
        if task.status == .executionStarted { text += " \(task.shotsDone)/\(task.shots) shots" }
        stream.write("\r\u{1B}[K" + text)
        stream.flush()
        drawn = true
    }

    /// Removes the line.
    func clear() {
        guard enabled, drawn else { return }
        stream.write("\r\u{1B}[K")
        stream.flush()
        drawn = false
    }
}
