// End-to-end: a command's JSON shape does not depend on how many ids it was given, and
// csv and tsv carry the same values as each other and as JSON (no "MiB", no "k=v"). Through
// both doors (local, and qsh as a client of `qsh serve`) but the qasm ones, local-only commands.
import Foundation
import Testing
import TestSupport

@Suite struct JSONShapeTests {
    @Test(arguments: Door.allCases) func waitPrintsAnArrayForOneIdAndForTwo(door: Door) throws {
        let box = try TaskSandbox(door)
        let a = try box.submit(["--shots", "10"])
        let b = try box.submit(["--shots", "10"])
        #expect(try box.run(["worker", "--once"]).status == 0)
        for (ids, expected) in [([a], [a]), ([a, b], [a, b]), ([String(a.prefix(8)), a], [a])] {
            let run = try box.run(["tasks", "wait"] + ids + ["-o", "json"])
            #expect(run.status == 0)
            let tasks = try J.parse(run.stdout).array
            #expect(tasks.map { $0["id"].string ?? "" } == expected)
            #expect(tasks.allSatisfy { $0["task_status"].string == "Completed" })
            let lines = try box.run(["tasks", "wait"] + ids + ["-o", "ndjson"])
            // After the status events, one task per line.
            let finals = try ndjson(lines.stdout).filter { $0["event"].isNull }
            #expect(finals.map { $0["id"].string ?? "" } == expected)
        }
        // get --wait and submit --wait follow one task: one object.
        let get = try box.run(["tasks", "get", a, "--wait", "-o", "json"])
        #expect(try J.parse(get.stdout)["id"].string == a)
    }

    @Test(arguments: Door.allCases) func cancelPrintsAnArrayForOneIdAndForTwo(door: Door) throws {
        let box = try TaskSandbox(door)
        let a = try box.submit(), b = try box.submit(), c = try box.submit()
        let one = try box.run(["tasks", "cancel", a, "-o", "json"])
        #expect(one.status == 0)
        #expect(try J.parse(one.stdout).array.map { $0["id"].string } == [a])
        let two = try box.run(["tasks", "cancel", b, c, "-o", "json"])
        #expect(two.status == 0)
        #expect(try J.parse(two.stdout).array.map { $0["id"].string } == [b, c])
        // One that fails among others: the others still as an array, the failure on stderr.
        let missing = [a, b, c].contains { $0.hasPrefix("0000") } ? "ffffffff" : "00000000"
        let mixed = try box.run(["tasks", "cancel", missing, a, "-o", "json"])
        #expect(mixed.status == 5)
        #expect(try J.parse(mixed.stdout).array.map { $0["task_status"].string } == ["Cancelled"])
        #expect(mixed.stderr.hasSuffix("task \(a) already ended: it is Cancelled\n"))
        #expect(try J.parse(String(mixed.stderr.prefix { $0 != "\n" }))["error"]["code"].string == "not_found")
    }

    /// The cells of csv (after its header) and of tsv, split.
    func cells(csv: String, tsv: String) -> ([[String]], [[String]]) {
        func csvRows(_ text: String) -> [[String]] {
            var rows: [[String]] = [], row: [String] = [], cell = "", quoted = false
            var chars = Array(text)[...]
            while let c = chars.popFirst() {
                if quoted {
                    if c == "\"" {
                        if chars.first == "\"" { cell.append("\""); chars.removeFirst() } else { quoted = false }
                    } else { cell.append(c) }
                } else if c == "\"" { quoted = true }
                else if c == "," { row.append(cell); cell = "" }
                else if c == "\n" { row.append(cell); rows.append(row); row = []; cell = "" }
                else { cell.append(c) }
            }
            return rows
        }
        let tsvRows = tsv.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        return (Array(csvRows(csv).dropFirst()), tsvRows)
    }

    @Test(arguments: Door.allCases) func qpusGiveTheSameValuesInCsvTsvAndJSON(door: Door) throws {
        let box = try TaskSandbox(door)
        let csv = try box.run(["qpus", "list", "-o", "csv"]), tsv = try box.run(["qpus", "list", "-o", "tsv"])
        let json = try box.run(["qpus", "list", "-o", "json"])
        #expect(csv.stdout.hasPrefix(
            "id,status,queued,max_qubits,max_shots,memory_limit,mid_circuit_measurement,precisions,native_gates,summary\n"))
        let (c, t) = cells(csv: csv.stdout, tsv: tsv.stdout)
        #expect(c == t)
        let first = try J.parse(json.stdout)["elements"][0]
        #expect(c.first?[0] == first["id"].string)
        #expect(c.first?[1] == first["status"].string)
        #expect(c.first?[2] == first["queued"].int.map(String.init))
        #expect(c.first?[5] == first["memory_limit"].int.map(String.init))
        #expect(c.first?[6] == first["mid_circuit_measurement"].bool.map(String.init))
        #expect(c.first?[7] == first["precisions"].array.compactMap(\.string).joined(separator: " "))
        #expect(c[2][8] == "CX cx rz sx x")
        #expect(!tsv.stdout.contains("MiB"))
        let table = try box.run(["qpus", "list", "-o", "table"])
        #expect(table.stdout.contains(" MiB"))
    }

    @Test(arguments: Door.allCases) func tasksEventsAndResultsGiveTheSameValuesInCsvTsvAndJSON(door: Door) throws {
        let box = try TaskSandbox(door)
        let id = try box.submit(["--shots", "100", "--seed", "3", "--name", "n, \"m\"", "--tag", "a,b=\"c\"=d", "--tag", "k=v"])
        #expect(try box.run(["worker", "--once"]).status == 0)
        for command in [["tasks", "list"], ["tasks", "get", id], ["tasks", "events", id], ["tasks", "results", id]] {
            let (c, t) = cells(csv: try box.run(command + ["-o", "csv"]).stdout, tsv: try box.run(command + ["-o", "tsv"]).stdout)
            #expect(!c.isEmpty, "\(command)")
            #expect(c == t, "\(command)")
        }
        let (rows, _) = cells(csv: try box.run(["tasks", "list", "-o", "csv"]).stdout, tsv: "")
        let task = try box.task(id)
        // Tags as their JSON object, the name exact, a null error_class as an empty cell.
        #expect(try J.parse(rows[0][9]).text == task["tags"].text)
        #expect(rows[0][8] == "n, \"m\"")
        #expect(rows[0][10] == "")
        let (events, _) = cells(csv: try box.run(["tasks", "events", id, "-o", "csv"]).stdout, tsv: "")
        #expect(events.first?[2] == "")
        #expect(events.first?[3] == "Created")
        #expect(try box.run(["tasks", "events", id, "-o", "table"]).stdout.contains("  -  "))
    }

    @Test func qasmRunGivesRowsInCsvAndTsv() throws {
        let dir = try TempDirectory()
        _ = try dir.write("bell.qasm", TaskSandbox.bell)
        let json = try J.parse(try Qsh.run(["qasm", "run", "bell.qasm", "--seed", "5", "-o", "json"], directory: dir.path).stdout)
        let csv = try Qsh.run(["qasm", "run", "bell.qasm", "--seed", "5", "-o", "csv"], directory: dir.path)
        #expect(csv.status == 0)
        let zeros = json["data"]["c"]["00"].int ?? 0, ones = json["data"]["c"]["11"].int ?? 0
        // Shares of 1000 shots, to four places as in `tasks results`.
        func share(_ n: Int) -> String { "0." + String(n * 10).leftPadded(4) }
        #expect(csv.stdout == "register,bits,count,share\nc,00,\(zeros),\(share(zeros))\nc,11,\(ones),\(share(ones))\n")
        let tsv = try Qsh.run(["qasm", "run", "bell.qasm", "--seed", "5", "-o", "tsv"], directory: dir.path)
        #expect(tsv.stdout == "c\t00\t\(zeros)\t\(share(zeros))\nc\t11\t\(ones)\t\(share(ones))\n")
        let probabilities = try Qsh.run(["qasm", "run", "bell.qasm", "--probabilities", "-o", "csv"], directory: dir.path)
        #expect(probabilities.stdout == "register,bits,probability\nc,00,0.5\nc,11,0.5\n")
    }

    @Test func qasmCheckAndTheDryRunGiveTheirJSONValuesAsRows() throws {
        let box = try TaskSandbox()
        try box.program()
        try box.program("bad.qasm", "OPENQASM 2.0;\nqreg q[1];\nh q[0];\nfoo q;\n")
        let good = try box.run(["qasm", "check", "bell.qasm", "-o", "csv"])
        #expect(good.status == 0)
        #expect(good.stdout == "file,line,column,code,message\n")
        let bad = try box.run(["qasm", "check", "bad.qasm", "-o", "csv"])
        #expect(bad.status == 1)
        #expect(bad.stderr == "")
        #expect(bad.stdout == """
            file,line,column,code,message
            ,3,1,unknown_gate,'h' is not defined in this scope
            ,4,1,unknown_gate,'foo' is not defined in this scope

            """)
        let tsv = try box.run(["qasm", "check", "bad.qasm", "-o", "tsv"])
        #expect(tsv.stdout == "\t3\t1\tunknown_gate\t'h' is not defined in this scope\n\t4\t1\tunknown_gate\t'foo' is not defined in this scope\n")
        let dry = try box.run(["tasks", "submit", "bell.qasm", "--dry-run", "-o", "csv"])
        #expect(dry.status == 0)
        #expect(dry.stdout == """
            ok,qpu_id,shots,error_class,error_reasons,qubits,clbits,operations
            true,sim:statevector,1000,,[],2,2,4

            """)
        let wrong = try box.run(["tasks", "submit", "bad.qasm", "--dry-run", "-o", "tsv"])
        #expect(wrong.status == 1)
        #expect(wrong.stdout.hasPrefix("false\tsim:statevector\t1000\tinvalid_program\t[\"bad.qasm:3:1: "))
        #expect(wrong.stderr.hasSuffix("qsh: 2 errors in 'bad.qasm'\n"))
    }

}

extension String {
    /// The string with zeros in front up to `width` characters.
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
