// OutputFormat.named and .requested: the format asked for, read from raw words (which may
// not parse), and whether errors are JSON.
import Testing
@testable import qsh

@Suite struct OutputFormatTests {
    static let specs = TasksSubmitCommand.command.allOptions

    @Test(arguments: [
        ([String](), nil as OutputFormat?),
        (["--json"], .json),
        (["-o", "ndjson"], .ndjson),
        (["-otsv"], .tsv),
        (["--output=csv"], .csv),
        (["--output", "table"], .table),
        (["-qo", "json"], .json),
        (["-o", "table", "--json"], .json),
        (["--json", "-o", "table"], .json),
        (["-o", "jsn"], nil),
        (["-o", "wide", "-o", "json"], .json),
        (["--name", "-o", "json"], nil),
        (["--name=-o", "-o", "csv"], .csv),
        (["--", "--json"], nil),
        (["--bogus", "--json"], .json),
        (["-o"], nil),
    ])
    func namedReadsTheRawWords(words: [String], format: OutputFormat?) {
        #expect(OutputFormat.named(in: words, specs: Self.specs) == format)
    }

    @Test func requestedFallsBackToTheSessionThenTheEnvironment() {
        let context = CommandContext.capturing(environment: ["QSH_OUTPUT": "ndjson"])
        #expect(OutputFormat.requested(named: .table, context: context) == .table)
        #expect(OutputFormat.requested(named: nil, context: context) == .ndjson)
        context.sessionOutput = .csv
        #expect(OutputFormat.requested(named: nil, context: context) == .csv)
        let plain = CommandContext.capturing(environment: ["QSH_OUTPUT": "bogus"])
        #expect(OutputFormat.requested(named: nil, context: plain) == nil)
    }
}
