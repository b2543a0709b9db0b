// `qsh doctor`: the task database's health — path, engine and version, schema version,
// size, integrity check, workers and their leases, tasks per state and per QPU queue, tasks
// stranded past their lease. Exit 0 when healthy; 1 when not, with the reason on one line
// on stderr (for monitors).
import QshCore

enum DoctorCommand {
    static let command = Command(
        name: "doctor",
        summary: "Check the task database and find stranded tasks",
        synopsis: ["doctor"],
        details: """
            Reports the database path, its engine and version (the SQLite library's, or the PostgreSQL
            server's), the schema version, size, an integrity check (SQLite's PRAGMA integrity_check;
            on PostgreSQL, qsh's own bookkeeping), the workers and their leases, the tasks per state, the
            tasks queued per QPU and the tasks stranded past their lease (their worker is gone and no sweep
            has settled them yet; any 'qsh tasks list' or worker does). It changes nothing. Exits 0 when
            healthy; otherwise 1, with 'qsh: unhealthy: <reason>' as one line on stderr.
            """,
        examples: ["qsh doctor", "qsh doctor --json | jq .stranded", "qsh doctor >/dev/null 2>&1 || alert"],
        options: [CommonOptions.database] + CommonOptions.output,
        arguments: 0...0,
        run: { invocation in
            let format = try OutputFormat.resolve(invocation)
            let health = try invocation.taskClient().health()
            invocation.stdout.write(
                DoctorRenderer.render(health, format: format, color: invocation.context.terminal.colorStdout))
            guard health.healthy else {
                throw CommandFailure(
                    code: .unhealthy, message: health.verdict,
                    details: [("problems", .array(health.problems.map { .string($0) }))])
            }
            return .ok
        })
}
