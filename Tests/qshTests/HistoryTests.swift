// Tests for the shell history: which lines are kept, the file's place, appending and the cap.
import Foundation
import Testing
import TestSupport
@testable import qsh

@Suite struct HistoryTests {
    @Test func pathFollowsQSHHistoryThenXDGStateHomeThenHome() {
        #expect(History.path(environment: ["QSH_HISTORY": "/x/h", "HOME": "/home/a"]) == "/x/h")
        #expect(History.path(environment: ["QSH_HISTORY": "", "HOME": "/home/a"]) == nil)
        #expect(History.path(environment: ["XDG_STATE_HOME": "/s", "HOME": "/home/a"]) == "/s/qsh/history")
        #expect(History.path(environment: ["XDG_STATE_HOME": "rel", "HOME": "/home/a"])
            == "/home/a/.local/state/qsh/history")
        #expect(History.path(environment: [:]) == nil)
    }

    @Test func trimsDropsBlanksDuplicatesSpaceLedAndSecretLines() {
        var history = History(path: nil)
        #expect(history.add("tasks list   ") == "tasks list")
        #expect(history.add("tasks list") == nil)
        #expect(history.add("   ") == nil)
        #expect(history.add(" tasks get x") == nil)
        #expect(history.add("login --token abc") == nil)
        #expect(history.add("login --password=abc") == nil)
        #expect(history.add("version") == "version")
        #expect(history.add("tasks list") == "tasks list")
        #expect(history.entries == ["tasks list", "version", "tasks list"])
    }

    @Test func appendsToTheFileAndReloadsCapped() throws {
        let dir = try TempDirectory()
        let path = dir.file("state/qsh/history")
        var history = History(path: path, cap: 3)
        for line in ["a", "b", "c", "d"] {
            if let stored = history.add(line) { #expect(history.append(stored) == nil) }
        }
        #expect(history.entries == ["b", "c", "d"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a\nb\nc\nd\n")
        var reloaded = History(path: path, cap: 3)
        #expect(reloaded.load() == nil)
        #expect(reloaded.entries == ["b", "c", "d"])
        // Grown well past the cap: the file is rewritten to the last `cap` lines.
        var small = History(path: path, cap: 2)
        #expect(small.load() == nil)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "c\nd\n")
    }

    @Test func aMissingFileIsAnEmptyHistoryAndAnUnwritableOneWarnsOnce() throws {
        let dir = try TempDirectory()
        var history = History(path: dir.file("none/history"))
        #expect(history.load() == nil)
        #expect(history.entries.isEmpty)
        try dir.write("file", "")
        var blocked = History(path: dir.file("file/history"))
        #expect(blocked.append("x") == "cannot write history '\(dir.file("file/history"))': not a directory")
        #expect(blocked.append("y") == nil)
    }
}
