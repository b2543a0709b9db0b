// End-to-end: `qsh qasm check` on valid and invalid files, the exact JSON shapes,
// stdin, includes next to the program, missing files, usage errors, and the corpus.
import Foundation
import Testing
import TestSupport

private let bell = """
    OPENQASM 2.0;
    include "qelib1.inc";
    qreg q[2];
    creg c[2];
    h q[0];
    cx q[0], q[1];
    measure q -> c;

    """

private let broken = """
    OPENQASM 2.0;
    include "qelib1.inc";
    qreg q[2];
    h q[2];
    cx q[0], q[0];
    rx(pi pi) q[1];

    """

@Suite struct QasmCheckTests {
    @Test func validFileAsJSON() throws {
        let dir = try TempDirectory()
        try dir.write("bell.qasm", bell)
        for flags in [["--json"], ["-o", "json"], []] {
            let run = try Qsh.run(["qasm", "check"] + flags + ["bell.qasm"], directory: dir.path)
            #expect(run.status == 0)
            #expect(
                run.stdout
                    == "{\"ok\": true, \"errors\": [], \"summary\": {\"qubits\": 2, \"clbits\": 2, \"gates\": {\"h\": 1, \"cx\": 1, \"measure\": 2}}}\n"
            )
            #expect(run.stderr == "")
        }
    }

    @Test func validFileForPeople() throws {
        let dir = try TempDirectory()
        try dir.write("bell.qasm", bell)
        let run = try Qsh.run(["qasm", "check", "-o", "table", "bell.qasm"], directory: dir.path)
        #expect(run.status == 0)
        #expect(run.stdout == "bell.qasm: ok, 2 qubits, 2 clbits, 4 operations (h 1, cx 1, measure 2)\n")
        #expect(run.stderr == "")
    }

    @Test func invalidFileReportsEveryErrorAsJSON() throws {
        let dir = try TempDirectory()
        try dir.write("bad.qasm", broken)
        let run = try Qsh.run(["qasm", "check", "--json", "bad.qasm"], directory: dir.path)
        #expect(run.status == 1)
        #expect(
            run.stdout == """
                {"ok": false, "errors": [{"line": 4, "column": 3, "code": "index_out_of_range", "message": "index 2 is out of range for register 'q' of size 2"}, \
                {"line": 5, "column": 1, "code": "duplicate_qubit", "message": "duplicate qubit q[0] in the arguments of 'cx'"}, \
                {"line": 6, "column": 7, "code": "syntax_error", "message": "needed ',' or ')', but instead saw 'pi'"}]}

                """)
        #expect(run.stderr == "")
    }

    @Test func invalidFileForPeople() throws {
        let dir = try TempDirectory()
        try dir.write("bad.qasm", broken)
        let run = try Qsh.run(["qasm", "check", "-o", "table", "bad.qasm"], directory: dir.path)
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(
            run.stderr == """
                bad.qasm:4:3: error: index 2 is out of range for register 'q' of size 2
                bad.qasm:5:1: error: duplicate qubit q[0] in the arguments of 'cx'
                bad.qasm:6:7: error: needed ',' or ')', but instead saw 'pi'
                qsh: 3 errors in 'bad.qasm'

                """)
    }

    @Test func oneErrorIsSingular() throws {
        let run = try Qsh.run(["qasm", "check", "-o", "table", "-"], stdin: "OPENQASM 2.0;\nqreg q[1];\nh q[0];\n")
        #expect(run.status == 1)
        #expect(
            run.stderr == "<stdin>:3:1: error: 'h' is not defined in this scope\n"
                + "note: 'h' is defined in qelib1.inc; add 'include \"qelib1.inc\";' after the OPENQASM line\n"
                + "qsh: 1 error in '<stdin>'\n")
    }

    @Test func standardInput() throws {
        let run = try Qsh.run(["qasm", "check", "--json", "-"], stdin: bell)
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("{\"ok\": true, \"errors\": [], "))
        let empty = try Qsh.run(["qasm", "check", "--json", "-"], stdin: "")
        #expect(empty.status == 1)
        #expect(
            empty.stdout
                == "{\"ok\": false, \"errors\": [{\"line\": 1, \"column\": 1, \"code\": \"empty_program\", \"message\": \"unexpected end-of-file when expecting to see 'OPENQASM 2.0;'\"}]}\n"
        )
    }

    @Test func includesAreRelativeToTheProgram() throws {
        let dir = try TempDirectory()
        try dir.write("src/defs.inc", "gate bell a, b { h a; cx a, b; }\n")
        try dir.write(
            "src/main.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ninclude \"defs.inc\";\nqreg q[2];\nbell q[0], q[1];\n")
        let run = try Qsh.run(["qasm", "check", "--json", "src/main.qasm"], directory: dir.path)
        #expect(run.status == 0)
        // The gate defined in the include is counted by what it expands to.
        #expect(run.stdout.contains("\"gates\": {\"h\": 1, \"cx\": 1}"))
        // From stdin, includes are relative to the current directory.
        let piped = try Qsh.run(
            ["qasm", "check", "--json", "-"], stdin: "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ninclude \"src/defs.inc\";\n",
            directory: dir.path)
        #expect(piped.status == 0)
    }

    @Test func symbolicLinksMayNotLeaveTheDirectory() throws {
        let outside = try TempDirectory()
        try outside.write("secret.inc", "gate s a { U(0,0,0) a; }\n")
        let dir = try TempDirectory()
        try FileManager.default.createSymbolicLink(
            atPath: dir.file("link.inc"), withDestinationPath: outside.file("secret.inc"))
        try dir.write("main.qasm", "OPENQASM 2.0;\ninclude \"link.inc\";\n")
        let run = try Qsh.run(["qasm", "check", "--json", "main.qasm"], directory: dir.path)
        #expect(run.status == 1)
        #expect(
            run.stdout
                == "{\"ok\": false, \"errors\": [{\"line\": 2, \"column\": 1, \"code\": \"include_error\", \"message\": \"unable to read 'link.inc': it resolves to a file outside the program's directory\"}]}\n"
        )
    }

    @Test func errorsInIncludedFilesNameTheFile() throws {
        let dir = try TempDirectory()
        try dir.write("defs.inc", "gate g a { x b; }\n")
        try dir.write("main.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ninclude \"defs.inc\";\n")
        let run = try Qsh.run(["qasm", "check", "--json", "main.qasm"], directory: dir.path)
        #expect(run.status == 1)
        #expect(
            run.stdout
                == "{\"ok\": false, \"errors\": [{\"file\": \"defs.inc\", \"line\": 1, \"column\": 14, \"code\": \"gate_body_undeclared_qubit\", \"message\": \"'b' is not a qubit argument of 'g'\", \"notes\": [\"in a file included from main.qasm:3:1\"]}]}\n"
        )
    }

    @Test func missingFile() throws {
        let dir = try TempDirectory()
        let run = try Qsh.run(["qasm", "check", "-o", "table", "nope.qasm"], directory: dir.path)
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr == "qsh: cannot read 'nope.qasm': No such file or directory\n")
        let json = try Qsh.run(["qasm", "check", "--json", "nope.qasm"], directory: dir.path)
        #expect(json.status == 1)
        #expect(json.stdout == "")
        #expect(
            json.stderr
                == "{\"error\": {\"code\": \"file_not_found\", \"message\": \"cannot read 'nope.qasm': No such file or directory\"}}\n")
    }

    @Test func fileNameThatIsNotUTF8IsExplained() throws {
        let dir = try TempDirectory()
        // A file named "b<0xFF>.qasm" exists; argv can only carry it as bytes, so go through sh.
        let script = "printf 'OPENQASM 2.0;\\n' > \"$(printf 'b\\377.qasm')\"; "
            + "exec \"$0\" qasm check -o table \"$(printf 'b\\377.qasm')\""
        let run = try Subprocess.run(
            "/bin/sh", ["-c", script, Qsh.binary], environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C"],
            directory: dir.path)
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(
            run.stderr
                == "qsh: cannot read 'b\u{FFFD}.qasm': No such file or directory (the name is not valid UTF-8, which qsh cannot open; rename the file or pipe it in with '-')\n"
        )
    }

    @Test func usageErrors() throws {
        let synopsis = "usage: qsh qasm check [--json | -o <format>] (<file> | -)\n"
        let none = try Qsh.run(["qasm", "check"])
        #expect(none.status == 2)
        #expect(none.stdout == "")
        #expect(none.stderr == "qsh: 'qsh qasm check' needs more arguments\n" + synopsis)
        let two = try Qsh.run(["qasm", "check", "a.qasm", "b.qasm"])
        #expect(two.status == 2)
        #expect(two.stderr == "qsh: unexpected argument 'b.qasm'\n" + synopsis)
        let typo = try Qsh.run(["qasm", "check", "--jsn", "a.qasm"])
        #expect(typo.status == 2)
        #expect(typo.stderr == "qsh: unknown option '--jsn' (did you mean '--json'?)\n" + synopsis)
        let sub = try Qsh.run(["qasm", "chek"])
        #expect(sub.status == 2)
        #expect(sub.stderr.hasPrefix("qsh: 'chek' is not a 'qasm' command (did you mean 'check'?)\n"))
        let group = try Qsh.run(["qasm"])
        #expect(group.status == 2)
        #expect(group.stderr.contains("  check   Check an OpenQASM 2.0 program and report every error\n"))
    }

    @Test func helpListsTheCommand() throws {
        let run = try Qsh.run(["qasm", "check", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("usage: qsh qasm check [--json | -o <format>] (<file> | -)\n"))
    }

    @Test func hostileInputNeverCrashes() throws {
        let dir = try TempDirectory()
        var junk = [UInt8](repeating: 0, count: 64 * 1024)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in junk.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            junk[i] = UInt8(truncatingIfNeeded: state >> 33)
        }
        try Data(junk).write(to: dir.url.appendingPathComponent("junk.qasm"))
        let deep = "OPENQASM 2.0;\nqreg q[1];\nU(" + String(repeating: "(", count: 100_000) + "1,0,0) q[0];\n"
        try dir.write("deep.qasm", deep)
        try dir.write("huge.qasm", "OPENQASM 2.0;\nqreg q[4294967296];\ncreg c[18446744073709551615];\n")
        for name in ["junk.qasm", "deep.qasm", "huge.qasm"] {
            let run = try Qsh.run(["qasm", "check", "--json", name], directory: dir.path)
            #expect(run.status == 1, "\(name)")
            #expect(!run.signalled, "\(name)")
            #expect(run.stdout.hasPrefix("{\"ok\": false, \"errors\": [{\"line\": "), "\(name)")
        }
    }

    @Test func filesOverTheSizeLimitAreRefusedUnread() throws {
        let dir = try TempDirectory()
        let path = dir.file("big.qasm")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 300 << 20)  // sparse: no disk space, no time
        try handle.close()
        let run = try Qsh.run(["qasm", "check", "--json", "big.qasm"], directory: dir.path)
        #expect(run.status == 1)
        #expect(
            run.stdout
                == "{\"ok\": false, \"errors\": [{\"line\": 1, \"column\": 1, \"code\": \"file_too_large\", \"message\": \"the file is larger than the limit of 268435456 bytes (256 MiB)\"}]}\n"
        )
    }

    /// Every program of the shared corpus: valid ones pass, invalid ones fail on the expected line.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: Qsh.sharedFolder.appendingPathComponent("corpus").path)))
    func sharedCorpus() throws {
        let corpus = Qsh.sharedFolder.appendingPathComponent("corpus")
        for folder in ["valid", "qasmbench", "invalid"] {
            let directory = corpus.appendingPathComponent(folder)
            let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".qasm") }.sorted()
            for name in names {
                let path = directory.appendingPathComponent(name).path
                let run = try Qsh.run(["qasm", "check", "--json", path])
                #expect(!run.signalled, "\(name)")
                if folder != "invalid" {
                    #expect(run.status == 0, "\(name): \(run.stdout.prefix(300))")
                    continue
                }
                let expectedURL = directory.appendingPathComponent(
                    String(name.dropLast(5)) + ".expected.json")
                let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: expectedURL)) as? [String: Any]
                let output = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
                let first = (output?["errors"] as? [[String: Any]])?.first
                var lines = [expected?["line"] as? Int]
                lines += ((expected?["also_accept_lines"] as? [Int]) ?? []).map { Optional($0) }
                #expect(run.status == 1, "\(name)")
                #expect(lines.contains(first?["line"] as? Int), "\(name): \(run.stdout.prefix(300))")
            }
        }
    }
}

/// `qasm check`'s summary.gates and `qasm run`'s metrics.gates count the same things, the
/// operations of the lowered circuit by name (as Qiskit's count_ops does).
@Suite struct GateCountAgreementTests {
    static let program = """
        OPENQASM 2.0;
        include "qelib1.inc";
        gate pair a, b { h a; cx a, b; barrier a, b; }
        qreg q[3];
        creg c[3];
        pair q[0], q[1];
        ccx q[0], q[1], q[2];
        barrier q;
        reset q[2];
        measure q -> c;

        """

    @Test func checkAndRunCountTheSameOperations() throws {
        let check = try Qsh.run(["qasm", "check", "-", "--json"], stdin: Self.program)
        #expect(check.status == 0)
        let summary = try J.parse(check.stdout)["summary"]["gates"]
        let run = try Qsh.run(["qasm", "run", "-", "--shots", "10", "--seed", "1", "--json"], stdin: Self.program)
        #expect(run.status == 0)
        let metrics = try J.parse(run.stdout)["metrics"]["gates"]
        #expect(summary.text == #"{"barrier":2,"ccx":1,"cx":1,"h":1,"measure":3,"reset":1}"#)
        #expect(metrics.text == summary.text)
        let table = try Qsh.run(["qasm", "check", "-", "-o", "table"], stdin: Self.program)
        #expect(table.stdout == "<stdin>: ok, 3 qubits, 3 clbits, 9 operations (h 1, cx 1, barrier 2, ccx 1, reset 1, measure 3)\n")
    }
}
