// End-to-end: `tasks rerun` and `tasks history` — a task that ended PayloadProcessingError
// re-run with a fixed program, the lineage shown in table and JSON; an unchanged re-run
// shares the definition and repeats the counts; and idempotent submits. Every test runs through
// both doors (local, and qsh as a client of `qsh serve`).
import Foundation
import Testing
import TestSupport

@Suite struct RerunHistoryTests {
    static let fixed = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nx q[0];\ncx q[0], q[1];\nmeasure q -> c;\n"
    static let badReason = "bad.qasm:4:1: 'cx' takes 2 quantum arguments, but got 1"

    @Test(arguments: Door.allCases) func aRerunWithAFixedProgramIsShownInHistory(door: Door) throws {
        let box = try TaskSandbox(door)
        let bad = try box.submit(["--shots", "50", "--seed", "4", "--name", "pair", "--tag", "team=q"],
                                 text: TaskSandbox.badArity, name: "bad.qasm")
        #expect(try box.run(["worker", "--once"]).status == 0)
        #expect(try box.status(bad) == "PayloadProcessingError")
        try box.program("fixed.qasm", Self.fixed)
        let rerun = try box.run(["tasks", "rerun", String(bad.prefix(8)), "--program", "fixed.qasm", "-o", "json"])
        #expect(rerun.status == 0)
        let fixed = try J.parse(rerun.stdout)
        let fixedID = fixed["id"].string ?? ""
        #expect(rerun.stderr == "submitted task \(fixedID), a re-run of \(bad)\n")
        #expect(fixed["rerun_of"].string == bad && fixed["task_status"].string == "Created")
        #expect(fixed["shots"].int == 50 && fixed["seed"].int == 4 && fixed["name"].string == "pair")
        #expect(fixed["tags"].text == #"{"team":"q"}"#)
        let earlier = try box.task(bad)
        #expect(fixed["definition_id"].string != earlier["definition_id"].string)
        // An unchanged re-run of the fix shares its definition and repeats its counts.
        let again = try box.run(["tasks", "rerun", fixedID, "-q"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let repeated = try box.task(again)
        #expect(repeated["definition_id"].string == fixed["definition_id"].string)
        #expect(try box.run(["worker", "--once"]).status == 0)

        let history = try box.run(["tasks", "history", String(again.prefix(8)), "-o", "json"])
        #expect(history.status == 0 && history.stderr == "")
        let doc = try J.parse(history.stdout)
        #expect(doc["lineage_id"].string == bad)
        let elements = doc["elements"].array
        #expect(elements.map { $0["id"].string ?? "" } == [bad, fixedID, again])
        #expect(elements.map { $0["task_status"].string ?? "" } == ["PayloadProcessingError", "Completed", "Completed"])
        #expect(elements[0]["data"].isNull && elements[0]["error_reasons"][0].string == Self.badReason)
        #expect(elements[1]["data"].text == #"{"c":{"11":50}}"#)
        #expect(elements[2]["data"].text == elements[1]["data"].text)
        #expect(elements.map { $0["rerun_of"].string ?? "-" } == ["-", bad, fixedID])

        let table = try box.run(["tasks", "history", bad, "-o", "table"])
        let definitions = elements.map { String(($0["definition_id"].string ?? "").prefix(8)) }
        #expect(table.stdout == """
            ID        STATUS                  QPU              SHOTS  SEED  PROGRAM   FROM      COUNTS    ERROR
            \(bad.prefix(8))  PayloadProcessingError  sim:statevector     50     4  \(definitions[0])  -         -         invalid_program: \(Self.badReason)
            \(fixedID.prefix(8))  Completed               sim:statevector     50     4  \(definitions[1])  \(bad.prefix(8))  c: 11=50  
            \(again.prefix(8))  Completed               sim:statevector     50     4  \(definitions[2])  \(fixedID.prefix(8))  c: 11=50  

            """)
        let csv = try box.run(["tasks", "history", bad, "-o", "csv"])
        #expect(csv.stdout.hasPrefix(
            "id,task_status,qpu_id,shots,seed,definition_id,rerun_of,created_date,data,error_class,error_reasons\n"))
        #expect(try ndjson(try box.run(["tasks", "history", fixedID, "-o", "ndjson"]).stdout).count == 3)
        let got = try box.run(["tasks", "get", fixedID, "-o", "table"])
        #expect(got.stdout.contains("\nrerun of: \(bad)\n"))
    }

    @Test(arguments: Door.allCases) func rerunOverridesAndTheirErrors(door: Door) throws {
        let box = try TaskSandbox(door)
        let id = try box.submit(["--shots", "10", "--seed", "2"])
        let changed = try J.parse(
            try box.run(["tasks", "rerun", id, "--shots", "20", "--seed", "5", "--qpu", "sim:statevector", "--json"]).stdout)
        #expect(changed["shots"].int == 20 && changed["seed"].int == 5 && changed["rerun_of"].string == id)
        let fresh = try J.parse(try box.run(["tasks", "rerun", id, "--new-seed", "--json"]).stdout)
        let original = try box.task(id)
        #expect(fresh["seed"].int != nil && fresh["definition_id"].string == original["definition_id"].string)
        let both = try box.run(["tasks", "rerun", id, "--seed", "1", "--new-seed"])
        #expect(both.status == 2)
        #expect(both.stderr.hasPrefix("qsh: options '--seed' and '--new-seed' cannot be used together\n"))
        let qpu = try box.run(["tasks", "rerun", id, "--qpu", "sim:statevectr"])
        #expect(qpu.status == 2)
        #expect(qpu.stderr.hasPrefix("qsh: unknown QPU 'sim:statevectr'; see 'qsh qpus list' (did you mean 'sim:statevector'?)\n"))
        let missing = try box.run(["tasks", "rerun", "ffffffff"])
        #expect(missing.status == 5 && missing.stderr == "qsh: task 'ffffffff' not found\n")
        let program = try box.run(["tasks", "rerun", id, "--program", "nope.qasm"])
        #expect(program.status == 1 && program.stderr == "qsh: cannot read 'nope.qasm': No such file or directory\n")
        let history = try box.run(["tasks", "history", "ffffffff"])
        #expect(history.status == 5 && history.stderr == "qsh: task 'ffffffff' not found\n")
        #expect(try J.parse(try box.run(["tasks", "history", id, "--json"]).stdout)["elements"].array.count == 3)
    }

    @Test(arguments: Door.allCases) func aSecondSubmitWithTheSameKeyReturnsTheFirstTask(door: Door) throws {
        let box = try TaskSandbox(door)
        try box.program("bell.qasm")
        let first = try box.run(["tasks", "submit", "bell.qasm", "--idempotency-key", "nightly-7", "-o", "json"])
        #expect(first.status == 0)
        let id = try J.parse(first.stdout)["id"].string ?? ""
        #expect(first.stderr == "submitted task \(id)\n")
        let second = try box.run(["tasks", "submit", "bell.qasm", "--idempotency-key", "nightly-7", "-o", "json"])
        #expect(second.status == 0)
        #expect(second.stdout == first.stdout)
        #expect(second.stderr == "task \(id) was submitted before with idempotency key 'nightly-7'\n")
        #expect(try box.run(["tasks", "submit", "bell.qasm", "--idempotency-key", "nightly-7", "-q"]).stdout == id + "\n")
        let other = try box.run(["tasks", "submit", "bell.qasm", "--shots", "5", "--idempotency-key", "nightly-7"])
        #expect(other.status == 1)
        #expect(other.stderr == "qsh: idempotency key 'nightly-7' was used for a different request; use a new key for a new request\n")
        let otherJSON = try box.run(["tasks", "submit", "bell.qasm", "--shots", "5", "--idempotency-key", "nightly-7", "--json"])
        #expect(otherJSON.stderr == #"{"error": {"code": "idempotency_conflict", "message": "idempotency key 'nightly-7' "#
            + #"was used for a different request; use a new key for a new request", "idempotency_key": "nightly-7"}}"# + "\n")
        let empty = try box.run(["tasks", "submit", "bell.qasm", "--idempotency-key", ""])
        #expect(empty.status == 2 && empty.stderr == "qsh: an idempotency key must be 1 to 255 bytes long\n")
        #expect(try J.parse(try box.run(["tasks", "list", "--json"]).stdout)["total"].int == 1)

        // A batch with a key: the retry returns the first batch.
        try box.program("one.qasm", BatchTests.one)
        let emptyBatch = try box.run(["tasks", "submit", "bell.qasm", "one.qasm", "--idempotency-key", ""])
        #expect(emptyBatch.status == 2 && emptyBatch.stderr == "qsh: an idempotency key must be 1 to 255 bytes long\n")
        let batch = try box.run(["tasks", "submit", "bell.qasm", "one.qasm", "--idempotency-key", "b-1", "-q"])
        let retry = try box.run(["tasks", "submit", "bell.qasm", "one.qasm", "--idempotency-key", "b-1", "-o", "table"])
        #expect(retry.status == 0)
        let batchID = batch.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(retry.stderr == "batch \(batchID) was submitted before with idempotency key 'b-1'\n")
        #expect(try J.parse(try box.run(["batches", "list", "--json"]).stdout)["total"].int == 1)
        #expect(try J.parse(try box.run(["tasks", "list", "--json"]).stdout)["total"].int == 3)
    }
}
