// End-to-end: `qsh qasm run` — the JSON shape, seeds across thread counts, usage
// errors, invalid programs and the memory limit.
import Foundation
import Testing
import TestSupport

@Suite struct QasmRunTests {
    static let bell = """
        OPENQASM 2.0;
        include "qelib1.inc";
        qreg q[2];
        creg c[2];
        creg flag[1];
        h q[0];
        cx q[0], q[1];
        measure q -> c;

        """

    static func object(_ text: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(value as? [String: Any])
    }

    @Test func jsonHasDataShotsSeedMetricsTimings() throws {
        let run = try Qsh.run(["qasm", "run", "-", "--shots", "500", "--seed", "7", "--json"], stdin: Self.bell)
        #expect(run.status == 0)
        #expect(run.stderr == "")
        #expect(run.stdout.hasSuffix("}\n"))
        #expect(run.stdout.filter { $0 == "\n" }.count == 1)
        let doc = try Self.object(run.stdout)
        #expect(Array(doc.keys).sorted() == ["data", "metrics", "seed", "shots", "timings"])
        let data = try #require(doc["data"] as? [String: [String: Int]])
        #expect(Set(data.keys) == ["c", "flag"])
        #expect(Set(data["c"]!.keys).isSubset(of: ["00", "11"]))
        #expect(data["c"]!.values.reduce(0, +) == 500)
        #expect(data["flag"] == ["0": 500])
        #expect(doc["shots"] as? Int == 500)
        #expect(doc["seed"] as? Int == 7)
        let metrics = try #require(doc["metrics"] as? [String: Any])
        #expect(metrics["qubits"] as? Int == 2)
        #expect(metrics["clbits"] as? Int == 3)
        #expect(metrics["gates"] as? [String: Int] == ["h": 1, "cx": 1, "measure": 2])
        #expect(metrics["depth"] as? Int == 3)
        #expect(metrics["fused_gates"] as? Int == 1)
        let timings = try #require(doc["timings"] as? [String: Double])
        #expect(Set(timings.keys) == ["parse", "compile", "simulate", "sample"])
    }

    @Test func sameSeedSameCountsAcrossThreads() throws {
        var program = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[14];\ncreg c[14];\n"
        for layer in 0..<4 {
            for q in 0..<14 { program += "u3(\(0.3 + Double(q) * 0.1),\(Double(layer) * 0.7),0.2) q[\(q)];\n" }
            for q in stride(from: layer % 2, to: 13, by: 2) { program += "cx q[\(q)],q[\(q + 1)];\n" }
        }
        program += "measure q -> c;\n"
        let one = try Qsh.run(["qasm", "run", "-", "--seed", "42", "--threads", "1", "--json"], stdin: program)
        let two = try Qsh.run(["qasm", "run", "-", "--seed", "42", "--threads", "2", "--json"], stdin: program)
        let single = try Qsh.run(
            ["qasm", "run", "-", "--seed", "42", "--threads", "2", "--precision", "single", "--json"], stdin: program)
        #expect(one.status == 0 && two.status == 0 && single.status == 0)
        let d1 = try Self.object(one.stdout)["data"] as? [String: [String: Int]]
        let d2 = try Self.object(two.stdout)["data"] as? [String: [String: Int]]
        #expect(d1 != nil)
        #expect(d1 == d2)
    }

    @Test func probabilitiesArePerRegister() throws {
        let run = try Qsh.run(["qasm", "run", "-", "--probabilities", "--json"], stdin: Self.bell)
        #expect(run.status == 0)
        let doc = try Self.object(run.stdout)
        let p = try #require(doc["probabilities"] as? [String: [String: Double]])
        #expect(p["flag"]?.count == 1 && abs((p["flag"]?["0"] ?? 0) - 1) < 1e-12)
        #expect(abs((p["c"]?["00"] ?? 0) - 0.5) < 1e-12 && abs((p["c"]?["11"] ?? 0) - 0.5) < 1e-12)
    }

    @Test func probabilitiesRefusedWithoutAClassicalRegister() throws {
        let program = "OPENQASM 2.0;\nqreg q[1];\nU(pi/2,0,pi) q[0];\n"
        let run = try Qsh.run(["qasm", "run", "-", "--probabilities", "-o", "table"], stdin: program)
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(
            run.stderr
                == "qsh: exact probabilities are given per classical register, and this program declares none; add a 'creg' and measure into it\n"
        )
        // Sampling such a program is fine: it has no registers to count.
        let sampled = try Qsh.run(["qasm", "run", "-", "--shots", "5", "--seed", "1", "--json"], stdin: program)
        #expect(sampled.status == 0)
        #expect(sampled.stdout.hasPrefix("{\"data\": {}, \"shots\": 5, \"seed\": 1,"))
    }

    @Test func probabilitiesRefusedForMidCircuitMeasurement() throws {
        let program = "OPENQASM 2.0;\nqreg q[1];\ncreg c[1];\nmeasure q[0] -> c[0];\nreset q[0];\n"
        let run = try Qsh.run(["qasm", "run", "-", "--probabilities", "-o", "table"], stdin: program)
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(
            run.stderr
                == "qsh: exact probabilities are undefined for a program with mid-circuit measurement, reset or 'if'; sample it with shots instead\n"
        )
    }

    @Test(arguments: [["--shots", "0"], ["--shots", "lots"], ["--threads", "0"], ["--seed", "-1"], ["--precision", "half"]])
    func badOptionsAreUsageErrors(options: [String]) throws {
        let run = try Qsh.run(["qasm", "run", "-"] + options, stdin: Self.bell)
        #expect(run.status == 2)
        #expect(run.stdout == "")
        #expect(run.stderr.hasPrefix("qsh: option '\(options[0])'"))
        #expect(run.stderr.contains("usage: qsh qasm run"))
    }

    @Test func badShotsMessage() throws {
        let run = try Qsh.run(["qasm", "run", "-", "--shots", "0"], stdin: Self.bell)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("qsh: option '--shots' must be between 1 and 100000000, got 0\n"))
    }

    @Test func invalidProgramPrintsDiagnostics() throws {
        let run = try Qsh.run(["qasm", "run", "-"], stdin: "OPENQASM 2.0;\nqreg q[2];\nh q[0];\n")
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr.hasPrefix("<stdin>:3:1: error: "))
        #expect(run.stderr.hasSuffix("qsh: 1 error in '<stdin>'\n"))
    }

    @Test func resourceLimitIsRefusedBeforeAllocating() throws {
        let program = "OPENQASM 2.0;\nqreg q[40];\ncreg c[1];\nU(0,0,0) q[39];\nmeasure q[0] -> c[0];\n"
        let run = try Qsh.run(["qasm", "run", "-", "-o", "table"], stdin: program)
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr.hasPrefix("qsh: the program needs 16384 GiB for 40 qubits in double precision, over the limit of "))
        // Single precision (8192 GiB) would not fit either, so it is not suggested.
        #expect(run.stderr.hasSuffix("; use fewer qubits\n"))
    }

    @Test func humanOutputIsATablePerRegister() throws {
        let run = try Qsh.run(["qasm", "run", "-", "--seed", "1", "-o", "table"], stdin: Self.bell)
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("c:\noutcome  count  \n"))
        #expect(run.stdout.contains("\nflag:\noutcome  count  \n0         1000  ████████████████████\n"))
        #expect(run.stdout.hasSuffix(", double precision\n"))
        #expect(run.stdout.contains("1000 shots, seed 1, "))
    }
}

@Suite struct QasmRunSeedTests {
    /// A random seed is printed as an integer that doubles hold exactly (below 2^53),
    /// so `jq .seed` gives back the seed that reproduces the run.
    @Test func randomSeedsAreExactInJSON() throws {
        let dir = try TempDirectory()
        let file = try dir.write(
            "bell.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n")
        for _ in 0..<5 {
            let run = try Qsh.run(["qasm", "run", file, "--json"])
            #expect(run.status == 0)
            let first = try #require(
                try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            let seed = try #require(first["seed"] as? Int)
            #expect(seed >= 0 && seed < 1 << 53)
            let again = try Qsh.run(["qasm", "run", file, "--json", "--seed", String(seed)])
            let second = try #require(
                try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
            #expect((first["data"] as? NSDictionary) == (second["data"] as? NSDictionary))
        }
    }
}
