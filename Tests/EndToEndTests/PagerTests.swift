// The pager end to end: on a terminal (a pseudo-terminal here) long tables go through
// $QSH_PAGER or $PAGER; never with --no-pager, for JSON, or when stdout is a pipe.
import Foundation
import Testing
import TestSupport

@Suite struct PagerTests {
    /// Runs qsh with stdout on a new pseudo-terminal (stdin and stderr on /dev/null) and
    /// returns what the terminal showed, carriage returns removed, and the exit status.
    static func onTerminal(_ box: TaskSandbox, _ arguments: [String], _ extra: [String: String]) throws
        -> (output: String, status: Int32)
    {
        // posix_openpt and friends are not visible to Swift: /dev/ptmx and Linux's ioctls
        // TIOCSPTLCK (unlock) and TIOCGPTN (the terminal's number) do the same.
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        #expect(master >= 0)
        defer { close(master) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        #expect(ioctl(master, 0x4004_5431, &unlock) == 0 && ioctl(master, 0x8004_5430, &number) == 0)
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        #expect(slave >= 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Qsh.binary)
        process.arguments = arguments
        var env = box.environment
        env["PATH"] = "/usr/bin:/bin"
        env["HOME"] = box.dir.path
        env["LC_ALL"] = "C"
        env["NO_COLOR"] = "1"
        for (k, v) in extra { env[k] = v }
        process.environment = env
        process.currentDirectoryURL = URL(fileURLWithPath: box.dir.path)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardError = FileHandle.nullDevice
        try process.run()
        close(slave)
        // Read until every holder of the terminal (qsh and its pager) has closed it.
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var ready = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 30_000) > 0 else { break }
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        process.waitUntilExit()
        return (String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r", with: ""), process.terminationStatus)
    }

    static let marking = ["QSH_PAGER": "sed 's/^/paged: /'"]

    @Test func aTableOnATerminalGoesThroughThePager() throws {
        let box = try TaskSandbox()
        let id = try box.submit(["--seed", "3"])
        let list = try Self.onTerminal(box, ["tasks", "list"], Self.marking)
        #expect(list.status == 0)
        let lines = list.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 && lines.allSatisfy { $0.hasPrefix("paged: ") })
        #expect(lines[0].hasPrefix("paged: ID  ") && lines[1].hasPrefix("paged: \(id.prefix(8))  Created"))
        let events = try Self.onTerminal(box, ["tasks", "events", id], Self.marking)
        #expect(events.output.hasPrefix("paged: SEQ  AT"))
        // $PAGER when $QSH_PAGER is not set.
        let viaPager = try Self.onTerminal(box, ["tasks", "list"], ["PAGER": "sed 's/^/P: /'"])
        #expect(viaPager.output.hasPrefix("P: ID  "))
        // $QSH_PAGER wins over $PAGER.
        let both = try Self.onTerminal(box, ["tasks", "list"], Self.marking.merging(["PAGER": "false"]) { a, _ in a })
        #expect(both.output.hasPrefix("paged: ID  "))
    }

    @Test func batchTablesAndHistoryGoThroughThePagerToo() throws {
        let box = try TaskSandbox()
        try box.program("a.qasm")
        try box.program("b.qasm")
        let batch = try box.run(["tasks", "submit", "a.qasm", "b.qasm", "-q"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let task = try box.submit()
        #expect(try box.run(["worker", "--once"]).status == 0)
        for arguments in [
            ["batches", "list"], ["batches", "get", batch], ["batches", "results", batch], ["tasks", "history", task],
        ] {
            let paged = try Self.onTerminal(box, arguments, Self.marking)
            let lines = paged.output.split(separator: "\n").map(String.init)
            #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("paged: ") }, "\(arguments): \(paged.output)")
            let direct = try Self.onTerminal(box, arguments + ["--no-pager"], Self.marking)
            #expect(!direct.output.contains("paged: "), "\(arguments): \(direct.output)")
        }
    }

    @Test func noPagerJSONAndCatWriteDirectly() throws {
        let box = try TaskSandbox()
        _ = try box.submit()
        let direct = try box.run(["tasks", "list", "-o", "table"])
        for arguments in [["tasks", "list", "--no-pager"], ["--no-pager", "tasks", "list"]] {
            let run = try Self.onTerminal(box, arguments, Self.marking)
            #expect(run.status == 0 && run.output == direct.stdout)
        }
        let json = try Self.onTerminal(box, ["tasks", "list", "-o", "json"], Self.marking)
        #expect(json.output.hasPrefix("{\n  \"elements\""))
        let cat = try Self.onTerminal(box, ["tasks", "list"], ["PAGER": "cat"])
        #expect(cat.output == direct.stdout)
        let empty = try Self.onTerminal(box, ["tasks", "list"], ["QSH_PAGER": "", "PAGER": "false"])
        #expect(empty.output == direct.stdout)
        // --no-pager before any command is accepted, as git's is.
        let doctor = try box.run(["--no-pager", "doctor", "-o", "tsv"])
        #expect(doctor.status == 0 && doctor.stdout.hasPrefix("status\thealthy\n"))
    }

    @Test func aPipeIsNeverPaged() throws {
        let box = try TaskSandbox()
        _ = try box.submit()
        let run = try box.run(["tasks", "list", "-o", "table"], extra: Self.marking)
        #expect(run.status == 0 && run.stdout.hasPrefix("ID  ") && !run.stdout.contains("paged"))
    }
}
