// String.terminalSafe: control characters become one-column Control Pictures, kept ones stay.
import Testing
@testable import qsh

@Suite struct TerminalTextTests {
    @Test func plainTextIsUnchanged() {
        #expect("bell, ünïcode ✓".terminalSafe() == "bell, ünïcode ✓")
    }

    @Test func escapeSequencesAreDefused() {
        #expect("x\u{1B}]0;pwned\u{07}y".terminalSafe() == "x\u{241B}]0;pwned\u{2407}y")
        #expect("a\nb\tc\rd".terminalSafe() == "a\u{240A}b\u{2409}c\u{240D}d")
        #expect("\u{0}\u{7F}\u{9B}".terminalSafe() == "\u{2400}\u{2421}\u{FFFD}")
    }

    @Test func keptControlsStay() {
        #expect("a\nb\t\u{1B}".terminalSafe(keeping: ["\n", "\t"]) == "a\nb\t\u{241B}")
    }

    @Test func oneColumnPerReplacedScalar() {
        let text = "k=\u{1B}[41mred"
        #expect(text.terminalSafe().unicodeScalars.count == text.unicodeScalars.count)
    }
}

@Suite struct AbbreviatedTests {
    @Test func shortTextIsKeptAndLongTextIsCut() {
        #expect("tasks".abbreviated(to: 5) == "tasks")
        #expect("tasks!".abbreviated(to: 5) == "tasks…")
    }
}
