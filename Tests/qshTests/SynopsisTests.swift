// Every option a command takes is in its synopsis (the `usage:` lines of --help and of
// usage errors), so a reader of the synopsis never misses one.
import Testing
@testable import qsh

@Suite struct SynopsisTests {
    /// Options every command has or that the manual describes once for all commands.
    static let shared: Set<String> = [
        "--help", "--version", "--no-color", "--db", "--api", "--offline", "--output", "--json",
    ]

    @Test func everyOptionOfEveryCommandIsInItsSynopsis() {
        for group in CommandTable.root {
            for command in group.subcommands.isEmpty ? [group] : group.subcommands {
                let synopsis = command.synopsis.joined(separator: " ")
                for option in command.options where !Self.shared.contains(option.long) {
                    let short = option.short.map { "-\($0)" }
                    let named = synopsis.contains(option.long + " ") || synopsis.contains(option.long + "]")
                        || short.map { synopsis.contains($0 + " ") || synopsis.contains($0 + "]") } == true
                    #expect(named, "'qsh \(group.name) \(command.name)' lacks \(option.long) in its synopsis")
                }
            }
        }
    }
}
