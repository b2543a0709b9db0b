// A database the last release of schema version 2 wrote, upgraded in place: `tasks get`,
// `results`, `events` and `list` print what that release printed for it (Tests/Fixtures/
// schema2/outputs.txt, recorded by make.sh), and its queue still runs.
import Foundation
import TestSupport
import Testing

@Suite(.enabled(if: TaskSandbox.sqlite3 != nil)) struct SchemaUpgradeTests {
    static let fixture = Qsh.packageRoot.appendingPathComponent("Tests/Fixtures/schema2")

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
            // The file's final line feed is the last block's own.
            last.block.removeLast()
            blocks.append(last)
        }
        return blocks
    }

    /// `text` without the `queue` member (pretty or compact JSON) or line (table) that
    /// `tasks get` shows for a waiting task.
    static func withoutQueue(_ text: String) -> String {
        var out = text
        for (pattern, replacement) in [
            (#",\n  "queue": \{\n    "position": \d+,\n    "length": \d+,\n    "qpu_status": "\w+"\n  \}"#, ""),
            (#", "queue": \{"position": \d+, "length": \d+, "qpu_status": "\w+"\}"#, ""),
            (#"\nqueue: +\d+ of \d+ for [^\n]*"#, ""),
        ] {
            out = out.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return out
    }

    @Test func theLastReleasesOutputIsKeptAfterTheUpgrade() throws {
        let box = try TaskSandbox()
        try FileManager.default.createDirectory(
            atPath: (box.db as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let dump = try String(contentsOf: Self.fixture.appendingPathComponent("tasks.sql"), encoding: .utf8)
        let restored = try Subprocess.run(TaskSandbox.sqlite3 ?? "sqlite3", [box.db], stdin: dump)
        try #require(restored.status == 0, "\(restored.stderr)")
        #expect(try box.sqlite("PRAGMA user_version").stdout == "2\n")

        let recorded = try Self.recorded()
        #expect(recorded.count == 59)
        var queues = 0
        for (arguments, block) in recorded {
            let run = try box.run(arguments)
            // This qsh adds a waiting task's place in its QPU's queue to `tasks get`; the
            // rest is what that release printed.
            let stdout = Self.withoutQueue(run.stdout)
            if stdout != run.stdout { queues += 1 }
            let now = "$ qsh \(arguments.joined(separator: " "))\n[exit \(run.status)]\n--- stdout\n\(stdout)"
                + "--- stderr\n\(run.stderr)--- end\n"
            #expect(now == block)
        }
        #expect(queues > 0)
        #expect(try box.task("026f6e43-2514-4162-9afc-2a16e4d501e8")["queue"].text
            == #"{"length":1,"position":1,"qpu_status":"online"}"#)
        #expect(try box.sqlite("PRAGMA user_version").stdout == "\(box.latestSchemaVersion())\n")

        // The queued task runs on the upgraded file.
        let queued = "026f6e43-2514-4162-9afc-2a16e4d501e8"
        let worker = try box.run(["worker", "--once"])
        #expect(worker.status == 0)
        #expect(try box.status(queued) == "Completed")
        let results = try box.run(["tasks", "results", queued, "-o", "json"])
        #expect(results.status == 0)
        let counts = try J.parse(results.stdout)["data"]["c"]
        #expect(counts.keys == ["00", "11"])
        #expect((counts["00"].int ?? 0) + (counts["11"].int ?? 0) == 1000)
    }
}
