// `qsh version` and `--version`.
import CReadline
import CSQLite
import QshCore

enum VersionCommand {
    /// The version of qsh (`QshVersion.current`).
    static let version = QshVersion.current

    static let command = Command(
        name: "version",
        summary: "Show the version of qsh and of the libraries it uses",
        synopsis: ["version"],
        run: { invocation in
            print(invocation.context)
            return .ok
        })

    static func print(_ context: CommandContext) {
        let sqlite = String(cString: sqlite3_libversion())
        let readline = String(cString: qsh_rl_library_version())
        context.stdout.line("qsh \(version) (sqlite \(sqlite), readline \(readline))")
    }
}
