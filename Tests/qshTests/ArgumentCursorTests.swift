// Tests for hand-written argument parsing and "did you mean".
import QshCore
import Testing
@testable import qsh

@Suite struct ArgumentCursorTests {
    let specs = [
        OptionSpec("--shots", value: "<n>", help: ""),
        OptionSpec("--output", short: "o", value: "<format>", help: "", choices: ["json", "table"]),
        OptionSpec("--quiet", short: "q", help: ""),
        OptionSpec("--tag", value: "<k=v>", help: "", repeatable: true),
    ]

    @Test func parsesLongShortInlineAndPositionals() throws {
        let args = try ArgumentCursor(specs: specs).parse(
            ["a.qasm", "--shots", "10", "-ojson", "-q", "--tag=x=1", "--tag", "y=2", "--", "-b"])
        #expect(args.positionals == ["a.qasm", "-b"])
        #expect(args.value("--shots") == "10")
        #expect(args.value("--output") == "json")
        #expect(args.has("--quiet"))
        #expect(args.all("--tag") == ["x=1", "y=2"])
    }

    @Test func suggestsTheNearestOption() {
        #expect(throws: UsageError("unknown option '--shot' (did you mean '--shots'?)")) {
            try ArgumentCursor(specs: specs).parse(["--shot", "3"])
        }
    }

    @Test func refusesDuplicatesMissingValuesAndBadChoices() {
        #expect(throws: UsageError("option '--shots' given more than once")) {
            try ArgumentCursor(specs: specs).parse(["--shots", "1", "--shots", "2"])
        }
        #expect(throws: UsageError("option '--shots' needs a value <n>")) {
            try ArgumentCursor(specs: specs).parse(["--shots"])
        }
        #expect(throws: UsageError("option '--output' does not accept 'jsn'; use one of: json, table (did you mean 'json'?)")) {
            try ArgumentCursor(specs: specs).parse(["-o", "jsn"])
        }
    }

    @Test func readsIntegersWithinRange() throws {
        let args = try ArgumentCursor(specs: specs).parse(["--shots", "0"])
        #expect(throws: UsageError("option '--shots' must be between 1 and 100, got 0")) {
            try args.int("--shots", in: 1...100)
        }
    }

    @Test(arguments: [("30", 30.0), ("30s", 30), ("5m", 300), ("1h", 3600), ("250ms", 0.25), ("1.5", 1.5)])
    func parsesDurations(text: String, seconds: Double) {
        #expect(parseDuration(text) == seconds)
    }

    @Test func editDistanceCountsTranspositions() {
        #expect(editDistance("tasks", "taks") == 1)
        #expect(editDistance("sumbit", "submit") == 1)
        #expect(closestMatch("sumbit", in: ["submit", "list"]) == "submit")
        #expect(closestMatch("zzz", in: ["submit", "list"]) == nil)
    }
}

extension UsageError: Equatable {
    public static func == (a: UsageError, b: UsageError) -> Bool { a.message == b.message }
}
