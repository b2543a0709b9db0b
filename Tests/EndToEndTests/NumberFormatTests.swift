// End-to-end: doubles reach output without float noise: probabilities carry the digits of
// the simulation's precision, timings are rounded to the microsecond.
import Foundation
import Testing
import TestSupport

@Suite struct NumberFormatTests {
    /// The numbers of `"key": number` pairs inside the object named `object`, as printed.
    func printedNumbers(_ text: String, in object: String) -> [String: String] {
        guard let start = text.range(of: "\"\(object)\": {") else { return [:] }
        var depth = 1, body = ""
        for c in text[start.upperBound...] {
            if c == "{" { depth += 1 } else if c == "}" { depth -= 1 }
            if depth == 0 { break }
            body.append(c)
        }
        var numbers: [String: String] = [:]
        for pair in body.components(separatedBy: ", ") {
            let parts = pair.components(separatedBy: "\": ")
            guard parts.count == 2, let key = parts[0].split(separator: "\"").last else { continue }
            let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "{}\" "))
            if Double(value) != nil { numbers[String(key)] = value }
        }
        return numbers
    }

    /// Significant digits of a number's text (1.25e-05 has 3).
    func significantDigits(_ text: String) -> Int {
        let mantissa = text.split(separator: "e").first.map(String.init) ?? text
        let digits = mantissa.filter(\.isNumber).drop { $0 == "0" }
        return digits.count
    }

    /// Local only: `qasm run` never uses a server.
    @Test func probabilitiesHaveNoFloatNoise() throws {
        let dir = try TempDirectory()
        _ = try dir.write("bell.qasm", TaskSandbox.bell)
        let bell = try Qsh.run(["qasm", "run", "bell.qasm", "--probabilities", "-o", "json"], directory: dir.path)
        #expect(bell.status == 0)
        #expect(bell.stdout.hasPrefix(#"{"probabilities": {"c": {"00": 0.5, "11": 0.5}}, "#))
        let angles = """
            OPENQASM 2.0;
            include "qelib1.inc";
            qreg q[3];
            creg c[3];
            u3(pi/3, 0, 0) q[0];
            rx(pi/5) q[1];
            ry(0.1) q[2];
            cx q[0], q[2];
            measure q -> c;

            """
        _ = try dir.write("angles.qasm", angles)
        let run = try Qsh.run(["qasm", "run", "angles.qasm", "--probabilities", "-o", "json"], directory: dir.path)
        #expect(run.status == 0)
        let printed = printedNumbers(run.stdout, in: "c")
        #expect(printed.count == 8)
        let a = [0.75, 0.25], b = [pow(cos(Double.pi / 10), 2), pow(sin(Double.pi / 10), 2)]
        let c = [pow(cos(0.05), 2), pow(sin(0.05), 2)]
        for (bits, text) in printed {
            let i = bits.map { $0 == "1" ? 1 : 0 }
            // c[2] is q[2] flipped by q[0]: bits read c2 c1 c0.
            let exact = a[i[2]] * b[i[1]] * c[i[0] ^ i[2]]
            #expect(significantDigits(text) <= 15, "\(bits): \(text)")
            #expect(abs((Double(text) ?? 0) - exact) < 1e-14, "\(bits): \(text) against \(exact)")
        }
        // Single precision: each probability is the shortest form of a Float.
        let single = try Qsh.run(
            ["qasm", "run", "angles.qasm", "--probabilities", "--precision", "single", "-o", "json"], directory: dir.path)
        for (bits, text) in printedNumbers(single.stdout, in: "c") {
            #expect(Float(text).map { String($0) } == text, "\(bits): \(text)")
        }
        // The table and csv show the same rounded values.
        let csv = try Qsh.run(["qasm", "run", "angles.qasm", "--probabilities", "-o", "csv"], directory: dir.path)
        for line in csv.stdout.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",").map(String.init)
            #expect(printed[cells[1]] == cells[2])
        }
    }

    /// A task's timings through both doors (`qasm run` is local in both).
    @Test(arguments: Door.allCases) func timingsAreRoundedToTheMicrosecond(door: Door) throws {
        let box = try TaskSandbox(door)
        let id = try box.submit(["--shots", "500"])
        #expect(try box.run(["worker", "--once"]).status == 0)
        let runs = [
            try box.run(["qasm", "run", "bell.qasm", "-o", "json"]).stdout,
            try box.run(["qasm", "run", "bell.qasm", "--probabilities", "-o", "json"]).stdout,
            try box.run(["tasks", "results", id, "-o", "ndjson"]).stdout,
            try box.run(["tasks", "get", id, "--diagnostics", "-o", "ndjson"]).stdout,
        ]
        for text in runs {
            let timings = printedNumbers(text, in: "timings")
            #expect(timings.count >= 4, "\(text)")
            for (stage, value) in timings {
                let seconds = Double(value) ?? -1
                #expect(seconds >= 0 && (seconds * 1e6).rounded() / 1e6 == seconds, "\(stage): \(value)")
                #expect(significantDigits(value) <= 12, "\(stage): \(value)")
            }
        }
    }
}
