// The settings file and where each setting comes from: parsing and writing the file,
// `qsh config get|set|unset|list`, and the precedence flag > environment > file > default
// for the QPU and shots of `tasks submit` and for the output format.
import QshCore
import Testing
import TestSupport
@testable import qsh

@Suite struct SettingsTests {
    /// A context whose settings file lives in `dir`, with `environment` added.
    func context(_ dir: TempDirectory, _ environment: [String: String] = [:], client: TaskClientDouble = TaskClientDouble())
        -> CommandContext
    {
        var env = ["XDG_CONFIG_HOME": dir.path, "HOME": "/nonexistent"]
        for (k, v) in environment { env[k] = v }
        let context = CommandContext.capturing(environment: env)
        context.makeTaskClient = { _ in client }
        return context
    }

    @Test func theFileIsKeyEqualsValueLinesWithComments() throws {
        let dir = try TempDirectory()
        let path = try dir.write("c", "# mine\n\n  default_qpu =  sim:native  \nshots=10\r\nshots = 20\n")
        let file = try ConfigFile.load(path: path)
        #expect(file["default_qpu"] == "sim:native")
        #expect(file["shots"] == "20")
        #expect(file["output"] == nil)
        #expect(try ConfigFile.load(path: dir.file("missing"))["shots"] == nil)
        let bad = try dir.write("bad", "shots = 1\nshots 2\n")
        #expect(throws: CommandFailure.self) { try ConfigFile.load(path: bad) }
        do {
            _ = try ConfigFile.load(path: try dir.write("unknown", "colour = red\n"))
            Issue.record("an unknown key should fail")
        } catch let failure as CommandFailure {
            #expect(failure.message.hasPrefix("config file '\(dir.file("unknown"))' line 1: unknown key 'colour'"))
        }
    }

    @Test func thePathFollowsXDGConfigHomeElseTheHomeFolder() {
        #expect(ConfigFile.path(environment: ["XDG_CONFIG_HOME": "/x"], home: "/h") == "/x/qsh/config")
        #expect(ConfigFile.path(environment: ["XDG_CONFIG_HOME": "rel"], home: "/h/") == "/h/.config/qsh/config")
        #expect(ConfigFile.path(environment: [:], home: "/h") == "/h/.config/qsh/config")
    }

    @Test func setGetUnsetAndListKeepTheFile() throws {
        let dir = try TempDirectory()
        var ctx = context(dir)
        #expect(Dispatcher.run(["config", "set", "default_qpu", "sim:statevector"], context: ctx) == .ok)
        #expect(Dispatcher.run(["config", "set", "shots", "250"], context: ctx) == .ok)
        #expect(ctx.stdout.text == "" && ctx.stderr.text == "")
        #expect(try String(contentsOfFile: dir.file("qsh/config"), encoding: .utf8)
            == "default_qpu = sim:statevector\nshots = 250\n")
        ctx = context(dir)
        #expect(Dispatcher.run(["config", "get", "shots", "-o", "table"], context: ctx) == .ok)
        #expect(ctx.stdout.text == "250\n")
        ctx = context(dir, ["QSH_SHOTS": "7"])
        #expect(Dispatcher.run(["config", "get", "shots", "-o", "json"], context: ctx) == .ok)
        #expect(ctx.stdout.text
            == "{\n  \"key\": \"shots\",\n  \"value\": \"7\",\n  \"source\": \"environment\",\n  \"config_value\": \"250\"\n}\n")
        ctx = context(dir)
        #expect(Dispatcher.run(["config", "list", "-o", "tsv"], context: ctx) == .ok)
        #expect(ctx.stdout.text == """
            default_qpu\tsim:statevector\tconfig\tsim:statevector
            shots\t250\tconfig\t250
            output\ttable on a terminal, json in a pipe\tdefault\t
            api\tnone (the local task database)\tdefault\t

            """)
        #expect(Dispatcher.run(["config", "unset", "shots"], context: ctx) == .ok)
        #expect(Dispatcher.run(["config", "unset", "shots"], context: ctx) == .ok)
        #expect(try String(contentsOfFile: dir.file("qsh/config"), encoding: .utf8) == "default_qpu = sim:statevector\n")
    }

    @Test func badKeysAndValuesAreUsageErrors() throws {
        let dir = try TempDirectory()
        var ctx = context(dir)
        #expect(Dispatcher.run(["config", "set", "shot", "5"], context: ctx) == .usage)
        #expect(ctx.stderr.text.hasPrefix("qsh: unknown setting 'shot'; keys: default_qpu, shots, output, api (did you mean 'shots'?)\n"))
        ctx = context(dir)
        #expect(Dispatcher.run(["config", "set", "shots", "0"], context: ctx) == .usage)
        #expect(ctx.stderr.text.hasPrefix("qsh: shots must be a whole number from 1 to 100000000, got '0'\n"))
        ctx = context(dir)
        #expect(Dispatcher.run(["config", "set", "default_qpu", "sim:statevectr"], context: ctx) == .usage)
        #expect(ctx.stderr.text.hasPrefix(
            "qsh: 'sim:statevectr' is not a QPU; see 'qsh qpus list' (did you mean 'sim:statevector'?)\n"))
        ctx = context(dir)
        #expect(Dispatcher.run(["config", "set", "output", "yaml"], context: ctx) == .usage)
        #expect(!FileManagerCheck.exists(dir.file("qsh/config")))
    }

    @Test func submitTakesTheFlagThenTheEnvironmentThenTheFileThenTheDefault() throws {
        let dir = try TempDirectory()
        let program = try dir.write("b.qasm", "OPENQASM 2.0;\nqreg q[1];\n")
        let client = TaskClientDouble()
        client.qpuList.append(
            QPUInfo(id: "sim:native", summary: "n", capabilities: client.qpuList[0].capabilities))
        func submitted(_ words: [String], _ env: [String: String] = [:]) -> (String, Int)? {
            let ctx = context(dir, env, client: client)
            guard Dispatcher.run(["tasks", "submit", program, "-q"] + words, context: ctx) == .ok else { return nil }
            return client.submissions.last.map { ($0.qpuID, $0.shots) }
        }
        #expect(submitted([])! == ("sim:statevector", 1000))
        try dir.write("qsh/config", "default_qpu = sim:native\nshots = 50\n")
        #expect(submitted([])! == ("sim:native", 50))
        #expect(submitted([], ["QSH_QPU": "sim:statevector", "QSH_SHOTS": "60"])! == ("sim:statevector", 60))
        #expect(submitted(["--qpu", "sim:native", "--shots", "70"], ["QSH_QPU": "sim:statevector", "QSH_SHOTS": "60"])!
            == ("sim:native", 70))
        // A value that is not valid says where it came from.
        let ctx = context(dir, ["QSH_QPU": "nope"], client: client)
        #expect(Dispatcher.run(["tasks", "submit", program], context: ctx) == .usage)
        #expect(ctx.stderr.text.hasPrefix("qsh: $QSH_QPU: 'nope' is not a QPU; see 'qsh qpus list'"))
        try dir.write("qsh/config", "shots = many\n")
        let file = context(dir, client: client)
        #expect(Dispatcher.run(["tasks", "submit", program], context: file) == .usage)
        #expect(file.stderr.text.hasPrefix(
            "qsh: shots in '\(dir.file("qsh/config"))': shots must be a whole number from 1 to 100000000, got 'many'"))
    }

    @Test func theOutputFormatComesFromTheFileWhenNoFlagOrEnvironmentGivesIt() throws {
        let dir = try TempDirectory()
        try dir.write("qsh/config", "output = tsv\n")
        let client = TaskClientDouble()
        var ctx = context(dir, client: client)
        #expect(Dispatcher.run(["qpus", "list"], context: ctx) == .ok)
        #expect(ctx.stdout.text == "sim:statevector\tonline\t0\t30\t100000000\t1073741824\ttrue\tdouble\t\tstate vector\n")
        ctx = context(dir, ["QSH_OUTPUT": "ndjson"], client: client)
        #expect(Dispatcher.run(["qpus", "list"], context: ctx) == .ok)
        #expect(ctx.stdout.text.hasPrefix("{\"id\": \"sim:statevector\""))
        ctx = context(dir, ["QSH_OUTPUT": "ndjson"], client: client)
        #expect(Dispatcher.run(["qpus", "list", "-o", "csv"], context: ctx) == .ok)
        #expect(ctx.stdout.text.hasPrefix("id,status,queued,"))
    }
}

/// Whether a path exists, without Foundation's FileManager in the test body.
enum FileManagerCheck {
    static func exists(_ path: String) -> Bool { (try? String(contentsOfFile: path, encoding: .utf8)) != nil }
}
