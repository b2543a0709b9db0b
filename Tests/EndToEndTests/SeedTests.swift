// End-to-end: seeds are 0 to 2^53, the integers every JSON reader keeps exact, for every
// command that takes --seed; a seed is a JSON number wherever it is printed. Through both doors
// (local, and qsh as a client of `qsh serve`) but randomSeedsAreInTheRange, which runs only
// `qasm run` (a local-only command).
import Foundation
import Testing
import TestSupport

@Suite struct SeedTests {
    static let range = "must be an integer from 0 to 9007199254740992 (2^53, the largest that JSON keeps exact)"

    @Test(arguments: ["9007199254740993", "9223372036854775807", "18446744073709551616", "-1", "1.5", "seven", ""],
          Door.allCases)
    func seedsOutsideTheRangeAreUsageErrors(seed: String, door: Door) throws {
        let box = try TaskSandbox(door)
        try box.program()
        for command in [["qasm", "run", "bell.qasm"], ["tasks", "submit", "bell.qasm"], ["tasks", "submit", "bell.qasm", "--dry-run"]] {
            let run = try box.run(command + ["--seed", seed, "-o", "table"])
            #expect(run.status == 2, "\(command) \(seed)")
            #expect(run.stdout == "")
            #expect(run.stderr.hasPrefix("qsh: option '--seed' \(Self.range), got '\(seed)'\nusage: qsh "), "\(run.stderr)")
        }
        // Nothing was stored: no database locally; no task on the server (whose database exists).
        if door == .local {
            #expect(!FileManager.default.fileExists(atPath: box.db))
        } else {
            #expect(try J.parse(try box.run(["tasks", "list", "-o", "json"]).stdout)["total"].int == 0)
        }
    }

    @Test(arguments: Door.allCases) func theLargestSeedSurvivesAJSONRoundTrip(door: Door) throws {
        let box = try TaskSandbox(door)
        let largest = "9007199254740992"
        let run = try box.run(["qasm", "run", try box.program(), "--seed", largest, "-o", "json"])
        #expect(run.status == 0)
        #expect(run.stdout.contains(#""seed": 9007199254740992,"#))
        // Read back as a double (as jq and JavaScript do), it is the same number.
        #expect(Double(largest).map { String(Int64($0)) } == largest)
        let id = try box.submit(["--seed", largest])
        #expect(try box.run(["worker", "--once"]).status == 0)
        #expect((try box.task(id)["seed"].value as? NSNumber)?.int64Value == 9_007_199_254_740_992)
        let results = try box.run(["tasks", "results", id, "-o", "json"])
        let metadata = try J.parse(results.stdout)["metadata"]
        #expect((metadata["seed"].value as? NSNumber)?.int64Value == 9_007_199_254_740_992)
        #expect(!(metadata["seed"].value is String))
        #expect(results.stdout.contains(#""seed": 9007199254740992"#))
    }

    @Test func randomSeedsAreInTheRange() throws {
        let box = try TaskSandbox()
        for _ in 0..<5 {
            let run = try box.run(["qasm", "run", try box.program(), "-o", "json"])
            let seed = (try J.parse(run.stdout)["seed"].value as? NSNumber)?.int64Value ?? -1
            #expect((0...9_007_199_254_740_992).contains(seed))
        }
    }
}
