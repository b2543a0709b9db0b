// ProgramSnapshot: a program and every file it includes, read once at submit time;
// its loader answers the front end exactly as the files did, so checking the snapshot
// later gives the diagnostics that checking the files gave.
import Testing
@testable import QshCore

@Suite struct ProgramSnapshotTests {
    /// A reader over `files` that counts how often each path was read.
    final class Reader: @unchecked Sendable {
        var files: [String: IncludeResult]
        var reads: [String] = []
        init(_ files: [String: IncludeResult]) { self.files = files }
        func read(_ path: String) -> IncludeResult {
            reads.append(path)
            return files[path] ?? .notFound
        }
    }

    static func text(_ s: String) -> IncludeResult { .loaded(Array(s.utf8)) }

    @Test func nestedIncludesAreReadOnceEachInTheOrderAskedFor() {
        let reader = Reader([
            "a.inc": Self.text("include \"lib/b.inc\";\ngate ga q { x q; }\n"),
            "lib/b.inc": Self.text("gate gb q { y q; }\n"),
            "c.inc": Self.text("include \"lib/b.inc\";\n"),
        ])
        let main = SourceFile(
            name: "main.qasm",
            text: header + "include \"a.inc\";\ninclude \"c.inc\";\ninclude \"gone.inc\";\ninclude \"./a.inc\";\n")
        let snapshot = ProgramSnapshot.take(main, read: reader.read)
        #expect(reader.reads == ["a.inc", "lib/b.inc", "c.inc", "gone.inc"])
        #expect(snapshot.includes.map(\.path) == ["a.inc", "lib/b.inc", "c.inc", "gone.inc"])
        #expect(snapshot.includes[3].result == .notFound)
        #expect(snapshot.main == main)
    }

    @Test func checkingTheSnapshotGivesWhatCheckingTheFilesGave() {
        let files: [String: IncludeResult] = [
            "defs.inc": Self.text("gate g a { x b; }\n"),
            "locked.inc": .failed("Permission denied"),
            "big.inc": .tooLarge,
            "bytes.inc": .loaded([0x2F, 0x2F, 0x20, 0xE9, 0x0A, 0x71, 0xE9]),
        ]
        let main = SourceFile(
            name: "main.qasm",
            text: "OPENQASM 2.0;\ninclude \"defs.inc\";\ninclude \"locked.inc\";\ninclude \"big.inc\";\n"
                + "include \"bytes.inc\";\ninclude \"missing.inc\";\nqreg q[1];\nccx q[0];\n")
        let direct = QASMFrontEnd.check(main) { files[$0] ?? .notFound }
        let snapshot = ProgramSnapshot.take(main) { files[$0] ?? .notFound }
        let later = QASMFrontEnd.check(snapshot.main, include: snapshot.loader)
        #expect(later.diagnostics == direct.diagnostics)
        #expect(direct.diagnostics.count >= 6)
    }

    @Test func aProgramWithoutLocalIncludesIsNotParsed() {
        let reader = Reader([:])
        for text in [
            header + "qreg q[1];\nh q[0];\n", "OPENQASM 2.0;\ninclude\n\t \"qelib1.inc\";\n", "OPENQASM 2.0;\nqreg q[1];\n",
        ] {
            #expect(!ProgramSnapshot.mayIncludeFiles(Array(text.utf8)), "\(text)")
            #expect(ProgramSnapshot.take(SourceFile(name: "m", text: text), read: reader.read).includes.isEmpty)
        }
        for text in [
            "include \"a.inc\";", "include \"qelib1.inc\"; include \"b.inc\";", "// include nothing", "include",
            "include \"qelib1.in",
        ] {
            #expect(ProgramSnapshot.mayIncludeFiles(Array(text.utf8)), "\(text)")
        }
        #expect(reader.reads.isEmpty)
    }

    @Test func theLoaderKnowsOnlyWhatWasRead() {
        let snapshot = ProgramSnapshot(
            main: SourceFile(name: "m.qasm", text: ""),
            includes: [IncludedFile(path: "a.inc", result: Self.text("x")), IncludedFile(path: "b.inc", result: .failed("why"))])
        #expect(snapshot.loader("a.inc") == Self.text("x"))
        #expect(snapshot.loader("b.inc") == .failed("why"))
        #expect(snapshot.loader("c.inc") == .notFound)
    }

    @Test func filesOverTheSizeLimitAreReportedAsTheCheckReportsThem() {
        var limits = QASMLimits()
        limits.maximumFileSize = 16
        let small = SourceFile(name: "m.qasm", text: "OPENQASM 2.0;\n")
        #expect(ProgramSnapshot(main: small).sizeDiagnostics(limits: limits).isEmpty)
        let large = SourceFile(name: "m.qasm", text: String(repeating: "/", count: 17))
        #expect(
            ProgramSnapshot(main: large).sizeDiagnostics(limits: limits).map(\.description) == [
                "m.qasm:1:1: error: the file is larger than the limit of 16 bytes"
            ])
        let main = SourceFile(name: "m.qasm", text: "include \"a\";\n")
        for result in [IncludeResult.tooLarge, Self.text(String(repeating: "/", count: 17))] {
            let snapshot = ProgramSnapshot.take(main, limits: limits) { _ in result }
            #expect(
                snapshot.sizeDiagnostics(limits: limits).map(\.description) == [
                    "m.qasm:1:1: error: the file is larger than the limit of 16 bytes"
                ])
        }
        let fine = ProgramSnapshot.take(main, limits: limits) { _ in .notFound }
        #expect(fine.sizeDiagnostics(limits: limits).isEmpty)
    }
}
