// A database the last release of schema version 3 wrote, upgraded in place: `tasks get`,
// `results`, `events` and `list` print what that release printed for it (Tests/Fixtures/
// schema3/outputs.txt, recorded by make.sh), its queue still runs, and its tasks re-run.
import Foundation
import TestSupport
import Testing

@Suite(.enabled(if: TaskSandbox.sqlite3 != nil)) struct SchemaUpgrade3Tests {
    static let fixture = Qsh.packageRoot.appendingPathComponent("Tests/Fixtures/schema3")

    /// The recorded runs: each block starts with `$ qsh <arguments>` and ends with `--- end`.
    static func recorded() throws -> [(arguments: [String], block: String)] {
        let text = try String(contentsOf: fixture.appendingPathComponent("outputs.txt"), encoding: .utf8)
        var blocks: [(arguments: [String], block: String)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("$ qsh ") {
                blocks.append((line.dropFirst(6).split(separator: " ").map(String.init), ""))
            }
            guard !blocks.isEmpty else { continue }
            blocks[blocks.count - 1].block += line + "\n"
        }
        if var last = blocks.popLast() {
            last.block.removeLast()
            blocks.append(last)
        }
        return blocks
    }

    @Test func theLastReleasesOutputIsKeptAfterTheUpgrade() throws {
        let box = try TaskSandbox()
        try FileManager.default.createDirectory(
            atPath: (box.db as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let dump = try String(contentsOf: Self.fixture.appendingPathComponent("tasks.sql"), encoding: .utf8)
        let restored = try Subprocess.run(TaskSandbox.sqlite3 ?? "sqlite3", [box.db], stdin: dump)
        try #require(restored.status == 0, "\(restored.stderr)")
        #expect(try box.sqlite("PRAGMA user_version").stdout == "3\n")

        let recorded = try Self.recorded()
        #expect(recorded.count == 27)
        for (arguments, block) in recorded {
            let run = try box.run(arguments)
            // This qsh adds a waiting task's place in its QPU's queue to `tasks get`; the
            // rest is what that release printed.
            let stdout = SchemaUpgradeTests.withoutQueue(run.stdout)
            let now = "$ qsh \(arguments.joined(separator: " "))\n[exit \(run.status)]\n--- stdout\n\(stdout)"
                + "--- stderr\n\(run.stderr)--- end\n"
            #expect(now == block)
        }
        #expect(try box.sqlite("PRAGMA user_version").stdout == "\(box.latestSchemaVersion())\n")

        // The queued task runs on the upgraded file, and a finished one re-runs.
        let list = try J.parse(try box.run(["tasks", "list", "--status", "Created", "--json"]).stdout)
        let queued = try #require(list["elements"][0]["id"].string)
        #expect(try box.run(["worker", "--once"]).status == 0)
        #expect(try box.status(queued) == "Completed")
        let rerun = try J.parse(try box.run(["tasks", "rerun", queued, "--json"]).stdout)
        #expect(rerun["rerun_of"].string == queued)
        #expect(rerun["definition_id"].string == (try box.task(queued))["definition_id"].string)
        #expect(try J.parse(try box.run(["batches", "list", "--json"]).stdout)["total"].int == 0)
    }
}
