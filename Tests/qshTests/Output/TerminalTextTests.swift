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

    @Test(arguments: [0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069])
    func bidirectionalControlsAndSeparatorsBecomeReplacementCharacters(code: UInt32) {
        let control = String(Unicode.Scalar(code)!)
        #expect("abc\(control)def".terminalSafe() == "abc\u{FFFD}def")
    }

    @Test func otherFormatCharactersStay() {
        // Zero-width joiners and spaces reorder nothing; they are part of ordinary text (emoji).
        #expect("a\u{200D}b\u{200B}c\u{2065}".terminalSafe() == "a\u{200D}b\u{200B}c\u{2065}")
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
