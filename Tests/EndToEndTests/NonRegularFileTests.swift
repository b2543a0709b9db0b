// End-to-end: a path must name a regular file. A FIFO (as the program or as an include
// in the program's directory), a device and a socket are refused at once with an error
// that says what they are, by `qasm check`, `qasm run`, `tasks submit` and its dry run
// alike; nothing waits on them. `-` still reads standard input, up to the size limit.
import Foundation
import Testing
import TestSupport

@Suite struct NonRegularFileTests {
    static let commands: [[String]] = [
        ["qasm", "check"], ["qasm", "run"], ["tasks", "submit"], ["tasks", "submit", "--dry-run"],
    ]

    /// A FIFO nobody writes to: opening it for reading the usual way blocks forever.
    static func fifo(_ path: String) throws {
        #expect(mkfifo(path, 0o644) == 0)
    }

    @Test(arguments: commands)
    func aFIFOProgramIsRefusedAtOnce(command: [String]) throws {
        let box = try TaskSandbox()
        try Self.fifo(box.dir.file("pipe.qasm"))
        let run = try box.run(command + ["pipe.qasm", "-o", "table"], timeout: 20)
        #expect(!run.signalled)
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(
            run.stderr
                == "qsh: cannot read 'pipe.qasm': it is a named pipe (FIFO), not a regular file; to read from a pipe, "
                + "give '-' and redirect the pipe to standard input\n")
        let json = try box.run(command + ["pipe.qasm", "-o", "json"], timeout: 20)
        #expect(json.status == 1)
        #expect(json.stderr.hasPrefix("{\"error\": {\"code\": \"io_error\", \"message\": \"cannot read 'pipe.qasm': it is a named pipe"))
        #expect(!FileManager.default.fileExists(atPath: box.db))
    }

    @Test(arguments: commands)
    func devicesAreRefusedAsNotRegularFiles(command: [String]) throws {
        let box = try TaskSandbox()
        for (device, kind) in [("/dev/zero", "a character device"), ("/dev/null", "a character device")] {
            let run = try box.run(command + [device, "-o", "table"], timeout: 20)
            #expect(run.status == 1, "\(device)")
            #expect(run.stdout == "")
            #expect(run.stderr == "qsh: cannot read '\(device)': it is \(kind), not a regular file\n")
        }
        #expect(!FileManager.default.fileExists(atPath: box.db))
    }

    @Test(arguments: commands)
    func aFolderIsRefusedAsBefore(command: [String]) throws {
        let box = try TaskSandbox()
        try FileManager.default.createDirectory(atPath: box.dir.file("d.qasm"), withIntermediateDirectories: true)
        let run = try box.run(command + ["d.qasm", "-o", "table"])
        #expect(run.status == 1)
        #expect(run.stderr == "qsh: cannot read 'd.qasm': Is a directory\n")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func aSocketIsRefusedAndSaysWhatItIs() throws {
        let box = try TaskSandbox()
        let bind = try Subprocess.run(
            "/usr/bin/python3",
            ["-c", "import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])", box.dir.file("s.qasm")])
        try #require(bind.status == 0)
        let run = try box.run(["qasm", "check", "s.qasm", "-o", "table"], timeout: 20)
        #expect(run.status == 1)
        #expect(
            run.stderr
                == "qsh: cannot read 's.qasm': it is a socket, not a regular file; to read from a pipe, give '-' and "
                + "redirect the pipe to standard input\n")
    }

    @Test func aFIFOIncludeIsAnErrorAtTheIncludeLineEverywhere() throws {
        let box = try TaskSandbox()
        try Self.fifo(box.dir.file("lib.inc"))
        let text = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ninclude \"lib.inc\";\nqreg q[1];\ncreg c[1];\nmeasure q -> c;\n"
        try box.program("main.qasm", text)
        let message = "main.qasm:3:1: error: unable to read 'lib.inc': it is a named pipe (FIFO), not a regular file\n"
        let check = try box.run(["qasm", "check", "main.qasm", "-o", "table"], timeout: 20)
        #expect(check.status == 1)
        #expect(check.stderr == message + "qsh: 1 error in 'main.qasm'\n")
        let run = try box.run(["qasm", "run", "main.qasm", "-o", "table"], timeout: 20)
        #expect(run.status == 1)
        #expect(run.stderr == message + "qsh: 1 error in 'main.qasm'\n")
        let dry = try box.run(["tasks", "submit", "main.qasm", "--dry-run", "-o", "table"], timeout: 20)
        #expect(dry.status == 1)
        #expect(dry.stderr == message + "qsh: 1 error in 'main.qasm'\n")
        let submit = try box.run(["tasks", "submit", "main.qasm", "-q"], timeout: 20)
        #expect(submit.status == 0)
        let id = submit.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try box.run(["worker", "--once"], timeout: 20).status == 0)
        let task = try box.task(id)
        #expect(task["task_status"].string == "PayloadProcessingError")
        #expect(
            task["error_reasons"].array.compactMap(\.string) == [
                "main.qasm:3:1: unable to read 'lib.inc': it is a named pipe (FIFO), not a regular file"
            ])
        // From standard input, includes are looked up in the current directory: the same error.
        let piped = try box.run(["qasm", "check", "-", "-o", "table"], stdin: text, timeout: 20)
        #expect(piped.stderr.hasPrefix("<stdin>:3:1: error: unable to read 'lib.inc': it is a named pipe (FIFO)"))
    }

    @Test func standardInputMayBeAPipeOrADevice() throws {
        let box = try TaskSandbox()
        let piped = try box.run(["qasm", "check", "-", "-o", "table"], stdin: "OPENQASM 2.0;\nqreg q[1];\n")
        #expect(piped.status == 0)
        #expect(piped.stdout == "<stdin>: ok, 1 qubit, 0 clbits, 0 operations\n")
        // /dev/zero on stdin is read up to the size limit, then reported as too large.
        let zeros = try Subprocess.run(
            "/bin/sh", ["-c", "exec \"$0\" qasm check - -o table < /dev/zero", Qsh.binary],
            environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C"], timeout: 60)
        #expect(zeros.status == 1)
        #expect(
            zeros.stderr
                == "<stdin>:1:1: error: the file is larger than the limit of 268435456 bytes (256 MiB)\n"
                + "qsh: 1 error in '<stdin>'\n")
    }
}
