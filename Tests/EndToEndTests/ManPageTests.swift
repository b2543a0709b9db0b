// The manual page renders without warnings and documents every command and exit status.
import Foundation
import Testing
import TestSupport

@Suite struct ManPageTests {
    let page = Qsh.packageRoot.appendingPathComponent("man/qsh.1").path

    @Test func rendersWithoutWarnings() throws {
        let run = try Subprocess.run("/usr/bin/env", ["groff", "-man", "-Tutf8", "-ww", "-z", page])
        #expect(run.status == 0)
        #expect(run.stderr == "")
    }

    @Test func documentsEveryCommandAndExitStatus() throws {
        let text = try String(contentsOfFile: page, encoding: .utf8)
        let help = try Qsh.run(["help"])
        let commands = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).drop(while: { $0 != "Commands:" }).dropFirst()
            .prefix(while: { !$0.isEmpty })
            .map { $0.trimmingCharacters(in: .whitespaces).components(separatedBy: "   ")[0] }
        #expect(!commands.isEmpty)
        for command in commands {
            #expect(text.contains("qsh \(command)"), "man page lacks 'qsh \(command)'")
        }
        let codes = try Qsh.run(["help", "exit-codes"])
        for line in codes.stdout.split(separator: "\n").dropFirst(2) {
            let code = line.trimmingCharacters(in: .whitespaces).components(separatedBy: " ")[0]
            #expect(text.contains(".B \(code)\n"), "man page lacks exit status \(code)")
        }
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"] {
            #expect(text.contains(".SH \(section)") || text.contains(".SH \"\(section)\""))
        }
    }

    /// The options of every command (from its --help) are in the synopsis that heads its
    /// section of the manual, `.SS "qsh tasks submit [\-\-qpu ...]"`.
    @Test func everyCommandsSynopsisNamesItsOptions() throws {
        let text = try String(contentsOfFile: page, encoding: .utf8)
        let headings = text.split(separator: "\n").filter { $0.hasPrefix(".SS \"qsh ") }
        let shared: Set<String> = [
            "--help", "--version", "--no-color", "--db", "--api", "--offline", "--output", "--json",
        ]
        let help = try Qsh.run(["help"])
        let commands = help.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            .drop(while: { $0 != "Commands:" }).dropFirst().prefix(while: { !$0.isEmpty })
            .map { $0.trimmingCharacters(in: .whitespaces).components(separatedBy: "   ")[0] }
        #expect(commands.count > 10)
        for command in commands {
            let page = try Qsh.run(command.split(separator: " ").map(String.init) + ["--help"])
            // "  -q, --quiet   print only the task id": the long name and the short one, if any.
            let options = page.stdout.split(separator: "\n").drop(while: { $0 != "Options:" }).dropFirst()
                .map { line in line.split(separator: " ").prefix(2).map { $0.trimmingCharacters(in: [","]) } }
                .compactMap { words in words.first(where: { $0.hasPrefix("--") }).map { ($0, words[0]) } }
                .filter { !shared.contains($0.0) }
            // The shell and completion are described in their own sections, not under COMMANDS.
            guard let heading = headings.first(where: { $0.hasPrefix(".SS \"qsh \(command) ") }) else { continue }
            for (long, short) in options {
                let forms = [long, short].map { $0.replacingOccurrences(of: "-", with: "\\-") }
                #expect(forms.contains { heading.contains($0 + " ") || heading.contains($0 + "]") },
                        "the synopsis of 'qsh \(command)' lacks \(long)")
            }
        }
    }
}
