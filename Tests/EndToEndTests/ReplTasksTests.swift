// End-to-end: the shell with the task commands: task ids complete from the database or the
// server (newest first), and Ctrl-C stops a `tasks wait` and returns to the prompt with 130 —
// through both doors (local, and qsh as a client of `qsh serve` on the same database).
import Foundation
import Testing
import TestSupport

@Suite struct ReplTasksTests {
    @Test(arguments: Door.allCases) func taskIDsCompleteNewestFirst(door: Door) throws {
        let box = try TaskSandbox(door)
        let ids = [try box.submit(), try box.submit()]
        let all = try box.run(["completion", "--complete", "--", "tasks get "])
        #expect(all.status == 0)
        #expect(all.stdout == ids.reversed().map { $0 + "\n" }.joined())
        let prefix = String(ids[0].prefix(8))
        let one = try box.run(["completion", "--complete", "--", "tasks wait " + prefix])
        #expect(one.stdout == ids[0] + "\n")
        // No database yet (locally), no task (on a server): no candidates, and no database is created.
        let empty = try TaskSandbox(door)
        let none = try empty.run(["completion", "--complete", "--", "tasks get "])
        #expect(none.status == 0 && none.stdout == "")
        if door == .local { #expect(!FileManager.default.fileExists(atPath: empty.db)) }
    }

    @Test(.enabled(if: TmuxSession.tmux != nil), arguments: Door.allCases)
    func tabCompletesATaskIDAndCtrlCStopsTheWait(door: Door) throws {
        let box = try TaskSandbox(door)
        let dir = box.dir
        let statusFile = dir.file("status")
        // The sandbox's shell environment: the server's URL and token in the client door.
        let variables = box.environment(for: ["repl"]).sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }
        let command = "cd '\(dir.path)' && env -i PATH=/usr/bin:/bin TERM=screen INPUTRC=/dev/null LC_ALL=C "
            + "HOME='\(dir.path)' XDG_STATE_HOME='\(dir.path)/state' \(variables.joined(separator: " ")) "
            + "'\(Qsh.binary)'; echo $? > '\(statusFile)'"
        let tmux = try TmuxSession(command: command)
        let last: ([String]) -> String = { $0.last ?? "" }
        // The prompt names the server in client mode.
        let prompt = "qsh" + (box.server.map { "@" + $0.url.replacingOccurrences(of: "http://", with: "") } ?? "") + ">"
        tmux.waitFor { last($0) == prompt }

        // No worker runs (QSH_NO_AUTOSTART), so the task stays queued and a wait lasts;
        // -q prints the id alone.
        try tmux.type("tasks submit " + Qsh.packageRoot.path + "/examples/bell.qasm -q")
        try tmux.keys("Enter")
        var screen = tmux.waitFor { $0.count >= 2 && last($0) == prompt && $0[$0.count - 2].count == 36 }
        let id = screen.count >= 2 ? screen[screen.count - 2] : ""
        #expect(id.count == 36)

        // Tab completes the id from its first characters.
        try tmux.type("tasks wait " + id.prefix(6))
        try tmux.keys("Tab")
        screen = tmux.waitFor { last($0) == prompt + " tasks wait " + id }
        #expect(last(screen) == prompt + " tasks wait " + id)
        try tmux.keys("Enter")

        // The wait draws its progress line once it watches for Ctrl-C; a Ctrl-C sent
        // before that would only clear readline's line.
        screen = tmux.waitFor { last($0).hasPrefix("task \(id.prefix(8)): ") }
        #expect(last(screen).hasPrefix("task \(id.prefix(8)): "))
        // No worker runs: the wait says so once, above its progress line.
        let note = "qsh: no worker is running: task \(id.prefix(8)) stays Created until one starts ('qsh worker', "
            + "or autostart on submit)"
        screen = tmux.waitFor { $0.contains(note) }
        #expect(screen.filter { $0 == note }.count == 1)

        // Ctrl-C (again, until the wait sees it) stops the wait only.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline && !tmux.screen().contains(where: { $0.hasPrefix("qsh: stopped waiting") }) {
            try tmux.keys("C-c")
            tmux.waitFor(1) { $0.contains(where: { $0.hasPrefix("qsh: stopped waiting") }) }
        }
        screen = tmux.waitFor { last($0) == prompt }
        #expect(screen.contains(where: { $0.hasPrefix("qsh: stopped waiting (\(id.prefix(8)) is ") }))
        try tmux.type(".status")
        try tmux.keys("Enter")
        screen = tmux.waitFor { $0.contains("130  interrupted (Ctrl-C)") && last($0) == prompt }
        #expect(screen.contains("130  interrupted (Ctrl-C)"))

        // The shell is still there; Ctrl-D leaves it with 0.
        try tmux.keys("C-d")
        let end = Date().addingTimeInterval(15)
        var status: String?
        // The shell creates the file before it writes the status: wait for the line.
        while status == nil && Date() < end {
            status = (try? String(contentsOfFile: statusFile, encoding: .utf8)).flatMap { $0.hasSuffix("\n") ? $0 : nil }
            if status == nil { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(status == "0\n")
    }
}
