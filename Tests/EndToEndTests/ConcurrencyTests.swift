// End-to-end: four processes submitting 250 tasks each at once lose none and
// never report "database is locked".
import Foundation
import Testing
import TestSupport

@Suite struct ConcurrencyTests {
    @Test func fourProcessesSubmit250EachAndLoseNone() throws {
        let box = try TaskSandbox()
        let path = try box.program()
        // Create the database first so the four start from the same file.
        _ = try box.run(["tasks", "list"])
        let script = """
            i=0; while [ $i -lt 250 ]; do "$QSH" tasks submit "$PROGRAM" -q --tag "p=$P" || echo "FAILED $?" >&2; i=$((i+1)); done
            """
        let results = ResultsBox()
        DispatchQueue.concurrentPerform(iterations: 4) { p in
            var env = box.environment
            env["QSH"] = Qsh.binary
            env["PROGRAM"] = path
            env["P"] = String(p)
            env["PATH"] = "/usr/bin:/bin"
            let run = try? Subprocess.run("/bin/sh", ["-c", script], environment: env, timeout: 600)
            results.append(run)
        }
        for run in results.runs {
            let run = try #require(run)
            #expect(run.status == 0)
            #expect(run.stderr == "")
            #expect(!run.stderr.contains("locked"))
            let ids = run.stdout.split(separator: "\n")
            #expect(ids.count == 250)
            #expect(Set(ids).count == 250)
        }
        let all = try J.parse(try box.run(["tasks", "list", "--limit", "1"]).stdout)
        #expect(all["total"].int == 1000)
        for p in 0..<4 {
            let page = try J.parse(try box.run(["tasks", "list", "--tag", "p=\(p)", "--limit", "1"]).stdout)
            #expect(page["total"].int == 250)
        }
    }
}

final class ResultsBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var runs: [QshRun?] = []
    func append(_ run: QshRun?) { lock.withLock { runs.append(run) } }
}
