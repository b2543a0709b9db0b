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

    @Test func processesCreatingTheDatabaseTogetherAllSucceed() throws {
        // The first use is often parallel (xargs -P, or a submit and the worker it starts).
        // Each round, four processes open a database that does not exist yet: none may see
        // "database is locked" or call the half-made file "not a qsh task database".
        let box = try TaskSandbox()
        let path = try box.program()
        for round in 0..<50 {
            let db = box.dir.file("round\(round)/tasks.sqlite")
            let results = ResultsBox()
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                results.append(try? Qsh.run(["tasks", "submit", path, "-q"], environment: ["QSH_DB": db]))
            }
            for run in results.runs {
                let run = try #require(run)
                #expect(run.status == 0, "round \(round)")
                #expect(run.stderr == "", "round \(round)")
            }
            let list = try Qsh.run(["tasks", "list", "-o", "tsv"], environment: ["QSH_DB": db])
            #expect(list.stdout.split(separator: "\n").count == 4, "round \(round)")
        }
    }
}

final class ResultsBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var runs: [QshRun?] = []
    func append(_ run: QshRun?) { lock.withLock { runs.append(run) } }
}
