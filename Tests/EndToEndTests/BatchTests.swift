// End-to-end: batches. Several files or a manifest make one batch, stored whole or not at
// all; `batches get|list|wait|results|cancel` in table and JSON; a batch with an invalid
// item still returns the other items' results and says why that one has none. Through both
// doors (local, and qsh as a client of `qsh serve`) but batchIDsCompleteFromTheDatabase:
// `completion --complete` is a local command that reads the local database.
import Foundation
import Testing
import TestSupport

@Suite struct BatchTests {
    /// `x` then measure: every shot reads 1.
    static let one = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ncreg c[1];\nx q[0];\nmeasure q -> c;\n"
    static let badReason = "bad.qasm:4:1: 'cx' takes 2 quantum arguments, but got 1"

    /// A sandbox with bell.qasm, one.qasm and bad.qasm, and a batch of the three run to its end.
    static func finishedBatch(_ door: Door = .local) throws -> (TaskSandbox, String) {
        let box = try TaskSandbox(door)
        try box.program("bell.qasm")
        try box.program("one.qasm", one)
        try box.program("bad.qasm", TaskSandbox.badArity)
        let submit = try box.run(["tasks", "submit", "bell.qasm", "one.qasm", "bad.qasm", "--shots", "64", "--seed", "3", "-q"])
        #expect(submit.status == 0 && submit.stderr == "")
        let id = submit.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.count == 36)
        #expect(try box.run(["worker", "--once"]).status == 0)
        return (box, id)
    }

    @Test(arguments: Door.allCases) func aBatchWithAnInvalidItemStillReturnsTheOtherItemsResults(door: Door) throws {
        let (box, id) = try Self.finishedBatch(door)
        let detail = try J.parse(try box.run(["batches", "get", id, "-o", "json"]).stdout)
        let items = detail["elements"].array
        #expect(items.map { $0["label"].string ?? "" } == ["bell", "one", "bad"])
        let bellID = items[0]["task_id"].string ?? ""
        let bell = try J.parse(try box.run(["tasks", "results", bellID, "-o", "json"]).stdout)["data"]

        let json = try box.run(["batches", "results", String(id.prefix(8)), "-o", "json"])
        #expect(json.status == 3)
        #expect(json.stderr == "")
        let results = try J.parse(json.stdout)
        #expect(results["batch_id"].string == id)
        #expect(results["batch_status"].string == "PayloadProcessingError")
        #expect(results["results"].keys == ["bell", "one"])
        #expect(results["results"]["one"].text == #"{"c":{"1":64}}"#)
        #expect(results["results"]["bell"].text == bell.text)
        #expect(results["missing"].text == J(value: [
            "bad": [
                "task_id": items[2]["task_id"].string ?? "", "task_status": "PayloadProcessingError",
                "error_class": "invalid_program", "error_reasons": [Self.badReason],
            ] as [String: Any]
        ]).text)

        let table = try box.run(["batches", "results", id, "-o", "table"])
        #expect(table.status == 3)
        let zeros = bell["c"]["00"].int ?? 0, ones = bell["c"]["11"].int ?? 0
        // As qsh rounds: to 4 places, halves away from zero.
        func share(_ n: Int) -> String {
            let scaled = Int((Double(n) / 64 * 10000).rounded())
            let fraction = String(scaled % 10000)
            return "\(scaled / 10000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
        }
        func padded(_ n: Int) -> String { String(repeating: " ", count: 5 - String(n).count) + String(n) }
        #expect(table.stdout == """
            LABEL  REGISTER  BITS  COUNT   SHARE
            bell   c         00    \(padded(zeros))  \(share(zeros))
            bell   c         11    \(padded(ones))  \(share(ones))
            one    c         1        64  1.0000

            """)
        #expect(table.stderr == """
            qsh: 1 of 3 items has no results:
              'bad' (\(items[2]["task_id"].string?.prefix(8) ?? "")) ended PayloadProcessingError (invalid_program): \(Self.badReason)

            """)
        let csv = try box.run(["batches", "results", id, "-o", "csv"])
        #expect(csv.stdout.hasPrefix("label,register,bits,count,share\nbell,c,00,"))
        #expect(csv.stdout.hasSuffix("one,c,1,64,1.0000\n"))
        let lines = try ndjson(try box.run(["batches", "results", id, "-o", "ndjson"]).stdout)
        #expect(lines.map { $0["label"].string ?? "" } == ["bell", "one", "bad"])
        #expect(lines[2]["data"].isNull && lines[2]["error_class"].string == "invalid_program")
    }

    @Test(arguments: Door.allCases) func getListAndWaitShowTheAggregateInTableAndJSON(door: Door) throws {
        let (box, id) = try Self.finishedBatch(door)
        let doc = try J.parse(try box.run(["batches", "get", id, "-o", "json"]).stdout)
        #expect(doc.keys == ["batch_status", "counts", "created_by", "created_date", "done", "elements", "id", "items",
                             "name", "size"])
        #expect(doc["batch_status"].string == "PayloadProcessingError")
        #expect(doc["counts"].text == #"{"Completed":2,"PayloadProcessingError":1}"#)
        #expect(doc["size"].int == 3 && doc["items"].int == 3 && doc["done"].int == 3 && doc["name"].isNull)
        let items = doc["elements"].array
        let created = doc["created_date"].string ?? ""
        let by = doc["created_by"].string ?? ""
        let short = items.map { String(($0["task_id"].string ?? "").prefix(8)) }
        let table = try box.run(["batches", "get", String(id.prefix(5)), "-o", "table"])
        #expect(table.status == 0 && table.stderr == "")
        #expect(table.stdout == """
            id:      \(id)
            status:  PayloadProcessingError
            items:   3/3 done
            counts:  Completed 2, PayloadProcessingError 1
            created: \(created) by \(by)

            LABEL  TASK      STATUS                  SHOTS  ERROR
            bell   \(short[0])  Completed                  64  
            one    \(short[1])  Completed                  64  
            bad    \(short[2])  PayloadProcessingError     64  invalid_program: \(Self.badReason)

            """)
        let list = try box.run(["batches", "list", "-o", "table"])
        #expect(list.stdout == """
            ID        STATUS                  DONE  CREATED               NAME
            \(id.prefix(8))  PayloadProcessingError   3/3  \(created)  

            """)
        let listJSON = try J.parse(try box.run(["batches", "list", "--json"]).stdout)
        #expect(listJSON["total"].int == 1 && listJSON["size"].int == 1 && listJSON["page"].int == 0)
        #expect(listJSON["elements"][0]["id"].string == id && listJSON["elements"][0]["elements"].isNull)
        #expect(try box.run(["batches", "list", "-o", "csv"]).stdout.hasPrefix(
            "id,batch_status,name,created_by,created_date,size,items,done,counts\n\(id),PayloadProcessingError,,"))

        // wait: the exit status of `tasks wait` (3: an item failed), the batch as it ended.
        let wait = try box.run(["batches", "wait", id, "-o", "json"])
        #expect(wait.status == 3 && wait.stderr == "")
        #expect(try J.parse(wait.stdout)["batch_status"].string == "PayloadProcessingError")
        let quiet = try box.run(["batches", "wait", id, "-q"])
        #expect(quiet.status == 3 && quiet.stdout == "" && quiet.stderr == "")

        // Every item is a task of its own, and knows its batch.
        let item = try box.task(items[1]["task_id"].string ?? "")
        #expect(item["batch_id"].string == id && item["batch_label"].string == "one" && item["name"].string == "one")
        let listed = try box.run(["tasks", "list", "--batch", String(id.prefix(6)), "-o", "json"])
        #expect(try J.parse(listed.stdout)["total"].int == 3)
        let itemTable = try box.run(["tasks", "get", items[1]["task_id"].string ?? "", "-o", "table"])
        #expect(itemTable.stdout.contains("\nbatch:   \(id) (one)\n"))
    }

    @Test(arguments: Door.allCases) func aBatchOfCompletedItemsWaitsToZero(door: Door) throws {
        let box = try TaskSandbox(door)
        try box.program("a.qasm", Self.one)
        try box.program("b.qasm", Self.one)
        let id = try box.run(["tasks", "submit", "a.qasm", "b.qasm", "--name", "pair", "-q"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let pending = try box.run(["batches", "wait", id, "--timeout", "0.3", "-o", "table"])
        #expect(pending.status == 124)
        #expect(pending.stdout == "")
        #expect(pending.stderr == "qsh: timed out after 300ms: batch '\(id)' has 0 of 2 items done (Created 2), and no "
            + "worker is running: start one with 'qsh worker' ('tasks submit' starts one unless --no-autostart or "
            + "QSH_NO_AUTOSTART=1)\n")
        #expect(try box.run(["worker", "--once"]).status == 0)
        let wait = try box.run(["batches", "wait", id, "-o", "table"])
        #expect(wait.status == 0)
        #expect(wait.stdout.hasPrefix("id:      \(id)\nstatus:  Completed\nname:    pair\nitems:   2/2 done\n"))
        let results = try box.run(["batches", "results", id, "--json"])
        #expect(results.status == 0)
        #expect(try J.parse(results.stdout)["results"].text == #"{"a":{"c":{"1":1000}},"b":{"c":{"1":1000}}}"#)
        #expect(try J.parse(results.stdout)["missing"].text == "{}")
    }

    @Test(arguments: Door.allCases) func cancelStopsTheQueuedItemsAndWaitThenExitsSix(door: Door) throws {
        let box = try TaskSandbox(door)
        try box.program("a.qasm", Self.one)
        try box.program("b.qasm")
        let id = try box.run(["tasks", "submit", "a.qasm", "b.qasm", "-q"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let cancel = try box.run(["batches", "cancel", id, "-o", "json"])
        #expect(cancel.status == 0)
        #expect(cancel.stderr == "")
        let doc = try J.parse(cancel.stdout)
        #expect(doc["batch_status"].string == "Cancelled" && doc["counts"].text == #"{"Cancelled":2}"#)
        let again = try box.run(["batches", "cancel", id, "-o", "table"])
        #expect(again.status == 0)
        #expect(again.stderr == "batch \(id): cancelled 0, already ended 2, executing 0\n")
        #expect(try box.run(["batches", "wait", id]).status == 6)
        let results = try box.run(["batches", "results", id, "-o", "table"])
        #expect(results.status == 6)
        #expect(results.stdout == "LABEL  REGISTER  BITS  COUNT  SHARE\n")
    }

    @Test(arguments: Door.allCases) func aManifestGivesLabelsPathsSourcesAndSettingsPerItem(door: Door) throws {
        let box = try TaskSandbox(door)
        try FileManager.default.createDirectory(atPath: box.dir.file("jobs/progs"), withIntermediateDirectories: true)
        try box.program("jobs/progs/one.qasm", Self.one)
        try box.program("jobs/progs/bell.qasm")
        try box.program("jobs/flip.inc", "gate flip a { x a; }\n")
        let manifest = #"""
            {"first": "progs/one.qasm",
             "inline": {"source": "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ninclude \"flip.inc\";\nqreg q[1];\ncreg c[1];\nflip q[0];\nmeasure q -> c;\n", "shots": 5},
             "seeded": {"path": "progs/bell.qasm", "seed": 9, "qpu": "sim:statevector"}}
            """#
        try box.program("jobs/sweep.json", manifest)
        let submit = try box.run(["tasks", "submit", "--batch", "jobs/sweep.json", "--shots", "20", "-o", "json"])
        #expect(submit.status == 0)
        let doc = try J.parse(submit.stdout)
        #expect(submit.stderr == "submitted batch \(doc["id"].string ?? "") (3 tasks)\n")
        let items = doc["elements"].array
        #expect(items.map { $0["label"].string ?? "" } == ["first", "inline", "seeded"])
        #expect(items.map { $0["shots"].int ?? 0 } == [20, 5, 20])
        #expect(try box.task(items[2]["task_id"].string ?? "")["seed"].int == 9)
        #expect(try box.run(["worker", "--once"]).status == 0)
        let results = try J.parse(try box.run(["batches", "results", doc["id"].string ?? "", "--json"]).stdout)
        #expect(results["results"]["first"].text == #"{"c":{"1":20}}"#)
        #expect(results["results"]["inline"].text == #"{"c":{"1":5}}"#)
        #expect(results["missing"].text == "{}")

        // A manifest on standard input: paths and includes relative to the current folder.
        let stdin = try box.run(
            ["tasks", "submit", "--batch", "-", "--json"], stdin: #"{"x": "jobs/progs/one.qasm", "y": {"source": "OPENQASM 2.0;"}}"#)
        #expect(stdin.status == 0)
        #expect(try J.parse(stdin.stdout)["elements"].array.map { $0["label"].string ?? "" } == ["x", "y"])
        // --wait follows the batch as `batches wait` does (no worker here: a timeout).
        let wait = try box.run(["tasks", "submit", "--batch", "jobs/sweep.json", "--wait", "--timeout", "0.2", "-q"])
        #expect(wait.status == 124)
        let waited = wait.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(wait.stderr == "qsh: timed out after 200ms: batch '\(waited)' has 0 of 3 items done (Created 3), and no "
            + "worker is running: start one with 'qsh worker' ('tasks submit' starts one unless --no-autostart or "
            + "QSH_NO_AUTOSTART=1)\n")
    }

    @Test(arguments: Door.allCases) func aBadManifestOrAnUnreadableFileStoresNothing(door: Door) throws {
        let box = try TaskSandbox(door)
        try box.program("one.qasm", Self.one)
        _ = try box.submit(text: Self.one, name: "one.qasm")
        let cases: [(String, String)] = [
            ("{\"a\": ", "qsh: the manifest 'm.json' is not valid JSON: "),
            ("[\"one.qasm\"]", #"qsh: the manifest 'm.json' must be a JSON object of labels, e.g. {"bell": "bell.qasm", "ghz": {"path": "ghz.qasm", "shots": 100}}"#),
            ("{}", "qsh: the manifest 'm.json' has no items"),
            (#"{"a": {"path": "one.qasm", "shot": 5}}"#, "qsh: the manifest 'm.json' gives item 'a' the unknown key 'shot'; use 'source', 'path', 'shots', 'seed', 'qpu' (did you mean 'shots'?)"),
            (#"{"a": {"path": "one.qasm", "source": "x"}}"#, #"qsh: the manifest 'm.json' must give item 'a' one of "source" (the program's text) or "path" (a file)"#),
            (#"{"a": {"path": "one.qasm", "shots": 0}}"#, "qsh: the manifest 'm.json' gives item 'a' shots that are not a whole number from 1 to "),
            (#"{"a": "one.qasm", "a": "one.qasm"}"#, "qsh: the manifest 'm.json' has the label 'a' twice"),
            (#"{"a": "one.qasm", "b": "missing.qasm"}"#, "qsh: cannot read 'missing.qasm': No such file or directory"),
            (#"{"a": {"path": "one.qasm", "qpu": "sim:nope"}}"#, "qsh: item 'a' names the unknown QPU 'sim:nope'"),
        ]
        for (text, message) in cases {
            try box.program("m.json", text)
            let run = try box.run(["tasks", "submit", "--batch", "m.json", "-o", "table"])
            // Contents that are not a manifest's are a bad request (2); a file qsh cannot read or parse, 1.
            #expect(run.status == (message.contains("valid JSON") || message.contains("cannot read") ? 1 : 2), "\(text)")
            #expect(run.stdout == "")
            #expect(run.stderr.hasPrefix(message), "\(text): \(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
        }
        let missing = try box.run(["tasks", "submit", "--batch", "nope.json"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "qsh: cannot read 'nope.json': No such file or directory\n")
        let files = try box.run(["tasks", "submit", "one.qasm", "gone.qasm"])
        #expect(files.status == 1)
        #expect(files.stderr == "qsh: cannot read 'gone.qasm': No such file or directory\n")
        #expect(try J.parse(try box.run(["tasks", "list", "--json"]).stdout)["total"].int == 1)
        #expect(try J.parse(try box.run(["batches", "list", "--json"]).stdout)["total"].int == 0)
    }

    @Test(arguments: Door.allCases) func filesAreLabelledByTheirNamesAndPathsWhereNamesClash(door: Door) throws {
        let box = try TaskSandbox(door)
        for dir in ["x", "y"] {
            try FileManager.default.createDirectory(atPath: box.dir.file(dir), withIntermediateDirectories: true)
            try box.program("\(dir)/a.qasm", Self.one)
        }
        try box.program("b.qasm", Self.one)
        try box.program("c.txt", Self.one)
        let submit = try box.run(["tasks", "submit", "x/a.qasm", "y/a.qasm", "b.qasm", "c.txt", "--json"])
        #expect(submit.status == 0)
        #expect(try J.parse(submit.stdout)["elements"].array.map { $0["label"].string ?? "" }
            == ["x/a.qasm", "y/a.qasm", "b", "c.txt"])
        let twice = try box.run(["tasks", "submit", "b.qasm", "x/a.qasm", "b.qasm"])
        #expect(twice.status == 2)
        #expect(twice.stderr.hasPrefix("qsh: the file 'b.qasm' is given twice\n"))
        let stdin = try box.run(["tasks", "submit", "b.qasm", "-"], stdin: Self.one)
        #expect(stdin.status == 2)
        #expect(stdin.stderr.hasPrefix(
            "qsh: standard input ('-') can only be submitted alone; put its program in a file, or use --batch\n"))
        let both = try box.run(["tasks", "submit", "b.qasm", "--batch", "m.json"])
        #expect(both.status == 2)
        #expect(both.stderr.hasPrefix("qsh: unexpected argument 'b.qasm': with --batch the manifest names the programs\n"))
        let dry = try box.run(["tasks", "submit", "b.qasm", "x/a.qasm", "--dry-run"])
        #expect(dry.status == 2)
        #expect(dry.stderr.hasPrefix("qsh: option '--dry-run' checks one program; check a batch's files with 'qsh qasm check'\n"))
        let none = try box.run(["tasks", "submit"])
        #expect(none.status == 2)
        #expect(none.stderr.hasPrefix("qsh: 'qsh tasks submit' needs a file, '-' for standard input, or --batch\n"))
    }

    @Test(arguments: Door.allCases) func badAndUnknownBatchIDsAreUsageAndNotFound(door: Door) throws {
        let box = try TaskSandbox(door)
        try box.program("one.qasm", Self.one)
        _ = try box.run(["tasks", "submit", "one.qasm", "-q"])
        for command in ["get", "wait", "results", "cancel"] {
            let missing = try box.run(["batches", command, "ffffffff"])
            #expect(missing.status == 5, "\(command)")
            #expect(missing.stderr == "qsh: batch 'ffffffff' not found\n")
            let bad = try box.run(["batches", command, "xyz"])
            #expect(bad.status == 2)
            #expect(bad.stderr.hasPrefix(
                "qsh: 'xyz' is not a batch id; give a batch id or a unique prefix of at least 4 hexadecimal digits\n"))
        }
        let json = try box.run(["batches", "get", "ffffffff", "--json"])
        #expect(json.stderr
            == #"{"error": {"code": "not_found", "message": "batch 'ffffffff' not found", "batch_id": "ffffffff"}}"# + "\n")
        let list = try box.run(["tasks", "list", "--batch", "ffffffff"])
        #expect(list.status == 5 && list.stderr == "qsh: batch 'ffffffff' not found\n")
    }

    /// The shells' scripts and the interactive shell's Tab ask `completion --complete`,
    /// which reads batch ids from the database.
    @Test func batchIDsCompleteFromTheDatabase() throws {
        let (box, id) = try Self.finishedBatch()
        let complete = try box.run(["completion", "--complete", "--", "batches results \(id.prefix(3))"])
        #expect(complete.status == 0 && complete.stderr == "")
        #expect(complete.stdout == id + "\n")
        let list = try box.run(["completion", "--complete", "--", "tasks list --batch "])
        #expect(list.stdout == id + "\n")
        let options = try box.run(["completion", "--complete", "--", "tasks submit --b"])
        #expect(options.stdout == "--batch\n")
    }
}
