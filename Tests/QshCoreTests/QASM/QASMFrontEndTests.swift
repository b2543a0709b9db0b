// The front end's stop request: a check asked to stop throws, keeps nothing, and stops
// within a few thousand tokens, in the main file, in an include, in a gate body and in
// the checker; one never asked to stop gives what the plain check gives.
import Testing
@testable import QshCore

@Suite struct QASMFrontEndTests {
    /// `statements` gate applications on a 4-qubit register.
    static func program(_ statements: Int) -> String {
        var text = header + "qreg q[4];\ncreg c[4];\n"
        for i in 0..<statements { text += i % 2 == 0 ? "h q[\(i % 4)];\n" : "cx q[\(i % 4)], q[\((i + 1) % 4)];\n" }
        return text + "measure q -> c;\n"
    }

    static func check(_ text: String, files: [String: String] = [:], stop: Cancellation) throws(Interrupted)
        -> QASMCheckResult
    {
        try QASMFrontEnd.check(
            SourceFile(name: "test.qasm", text: text),
            include: { path in files[path].map { .loaded(Array($0.utf8)) } ?? .notFound }, stop: stop)
    }

    @Test func withoutAStopTheCheckIsThePlainOne() throws {
        let text = Self.program(20_000)
        let plain = QASMFrontEnd.check(SourceFile(name: "test.qasm", text: text))
        let asked = StopAfter(Int.max)
        let stoppable = try Self.check(text, stop: asked.cancellation)
        #expect(stoppable.diagnostics == plain.diagnostics)
        #expect(stoppable.summary == plain.summary)
        #expect(stoppable.program?.operationCount == plain.program?.operationCount)
        // Asked every 4096 tokens and statements: about 100k tokens and 20k statements.
        #expect(asked.questions > 20 && asked.questions < 100)
    }

    @Test func aStopWhileParsingThrowsAtOnce() {
        let stop = StopAfter(2)
        #expect(throws: Interrupted(reason: "test stop")) { try Self.check(Self.program(50_000), stop: stop.cancellation) }
        #expect(stop.questions == 2)
    }

    @Test func aStopInsideAnIncludeEndsTheWholeParse() {
        let included = (0..<30_000).map { "h q[\($0 % 4)];" }.joined(separator: "\n") + "\n"
        let text = header + "qreg q[4];\ninclude \"many.inc\";\n" + (0..<30_000).map { _ in "x q[0];" }.joined(separator: "\n")
        let stop = StopAfter(3)
        #expect(throws: Interrupted.self) { try Self.check(text, files: ["many.inc": included], stop: stop.cancellation) }
        #expect(stop.questions == 3)
    }

    @Test func aStopInsideAGateBodyEndsTheParse() {
        let body = (0..<30_000).map { _ in "h a;" }.joined(separator: " ")
        let text = header + "gate big a { \(body) }\nqreg q[1];\nbig q[0];\n"
        let stop = StopAfter(2)
        #expect(throws: Interrupted.self) { try Self.check(text, stop: stop.cancellation) }
    }

    @Test func aStopWhileCheckingThrows() throws {
        // Parsing asks about 30 times here; the checker goes on asking, per statement.
        let text = Self.program(100_000)
        let parsing = StopAfter(Int.max)
        _ = try Self.check(text, stop: parsing.cancellation)
        let stop = StopAfter(parsing.questions - 5)
        #expect(throws: Interrupted.self) { try Self.check(text, stop: stop.cancellation) }
        #expect(stop.questions == parsing.questions - 5)
    }
}
