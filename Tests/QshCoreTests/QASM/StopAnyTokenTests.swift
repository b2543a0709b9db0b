// A stop request may land on any token: the front end then throws, and never reads the
// text of a token it has already passed from an input that the stop ended (a real in an
// expression, an include's file name).
import Testing
@testable import QshCore

@Suite struct StopAnyTokenTests {
    /// 17 tokens a line (an odd number, so the question every 4096 tokens falls on each
    /// of them in turn), with reals, a negation and an include.
    static let line = "U(0.5, 7, -2.5) q[0]; include \"e.inc\";\n"
    static let program = "OPENQASM 2.0;\nqreg q[1];\n" + String(repeating: line, count: 4200)

    @Test("a stop at the n-th question ends the check without a trap", arguments: 1...17)
    func stopAtQuestion(_ n: Int) {
        let stop = StopAfter(n)
        #expect(throws: Interrupted(reason: "test stop")) {
            try QASMFrontEnd.check(
                SourceFile(name: "p.qasm", text: Self.program),
                include: { $0 == "e.inc" ? .loaded(Array("// nothing\n".utf8)) : .notFound }, stop: stop.cancellation)
        }
    }
}
