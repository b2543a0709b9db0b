// End-to-end: `tasks list` output forms, filters applied before paging, sorting,
// and its usage errors; every test runs through both doors (local, and qsh as a client of
// `qsh serve`).
import Testing
import TestSupport

@Suite struct ListTests {
    @Test(arguments: Door.allCases) func emptyListIsASuccess(door: Door) throws {
        let box = try TaskSandbox(door)
        // A worker creates the database (reads never do) and finds nothing to run.
        #expect(try box.run(["worker", "--once"]).status == 0)
        let run = try box.run(["tasks", "list", "-o", "json"])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        #expect(try J.parse(run.stdout).text == #"{"elements":[],"page":0,"size":0,"total":0}"#)
    }

    @Test(arguments: Door.allCases) func pagesFiltersAndSorts(door: Door) throws {
        let box = try TaskSandbox(door)
        var ids: [String] = []
        for i in 0..<5 {
            ids.append(try box.submit(["--shots", String(10 + i), "--tag", "k=\(i % 2)", "--name", "t\(i)"]))
        }
        _ = try box.run(["tasks", "cancel", ids[1]])

        let page = try J.parse(try box.run(["tasks", "list", "--limit", "2", "--page", "1", "--sort", "shots,asc"]).stdout)
        #expect(page["total"].int == 5)
        #expect(page["size"].int == 2)
        #expect(page["page"].int == 1)
        #expect(page["elements"].array.compactMap { $0["shots"].int } == [12, 13])

        let even = try box.run(["tasks", "list", "--tag", "k=0", "--sort", "name,asc", "-o", "tsv"])
        #expect(even.status == 0)
        let rows = even.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        #expect(rows.map { String($0[0]) } == [ids[0], ids[2], ids[4]])
        #expect(rows.map { String($0[8]) } == ["t0", "t2", "t4"])

        let cancelled = try box.run(["tasks", "list", "--status", "cancelled", "-o", "ndjson"])
        let lines = try ndjson(cancelled.stdout)
        #expect(lines.count == 1)
        #expect(lines.first?["id"].string == ids[1])

        let created = try J.parse(try box.run(["tasks", "list", "--status", "Created", "--limit", "1"]).stdout)
        #expect(created["total"].int == 4)
        #expect(created["elements"][0]["id"].string == ids[4])

        let csv = try box.run(["tasks", "list", "-o", "csv", "--since", "1h"])
        #expect(csv.stdout.hasPrefix("id,task_status,qpu_id,shots,shots_done,created_date,updated_date,created_by,name,tags,error_class\n"))
        #expect(csv.stdout.split(separator: "\n").count == 6)
        let future = try J.parse(try box.run(["tasks", "list", "--since", "2999-01-01"]).stdout)
        #expect(future["total"].int == 0)
    }

    @Test(arguments: Door.allCases) func tableIsForPeople(door: Door) throws {
        let box = try TaskSandbox(door)
        let id = try box.submit(["--name", "bell"])
        let run = try box.run(["tasks", "list", "-o", "table"])
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("ID        STATUS   QPU") == true)
        #expect(lines.count == 2)
        #expect(lines.last?.hasPrefix(String(id.prefix(8)) + "  Created  ") == true)
        #expect(lines.last?.hasSuffix("  bell") == true)
    }

    @Test(arguments: [
        (["--status", "Done"], "qsh: option '--status' does not accept 'Done'; use one of: Created, PayloadProcessing, Scheduled, ExecutionStarted, ExecutionCompleted, Completed, Failed, Cancelled, PayloadProcessingError\n"),
        (["--sort", "shot"], "qsh: option '--sort' does not accept 'shot'; use one of: created_date, updated_date, task_status, qpu_id, shots, name, id (did you mean 'shots'?)\n"),
        (["--limit", "0"], "qsh: option '--limit' must be between 1 and 10000, got 0\n"),
        (["--since", "soon"], "qsh: option '--since' expects a time such as 2026-11-21T10:00:00Z, 2026-11-21 or 2h, got 'soon'\n"),
    ], Door.allCases)
    func usageErrorsExit2(usage: ([String], String), door: Door) throws {
        let (arguments, message) = usage
        let box = try TaskSandbox(door)
        let run = try box.run(["tasks", "list"] + arguments)
        #expect(run.status == 2)
        #expect(run.stdout == "")
        #expect(run.stderr.hasPrefix(message))
        #expect(run.stderr.contains("usage: qsh tasks list"))
    }
}
