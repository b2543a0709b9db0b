// Content addresses of programs: the documented encoding (checked against digests
// computed apart from qsh), and every part of a program changes its id.
import QshCore
import Testing

@Suite struct DefinitionIDTests {
    static let program = ProgramSnapshot(
        main: SourceFile(name: "main.qasm", text: "OPENQASM 2.0;\ninclude \"a.inc\";\n"),
        includes: [
            IncludedFile(path: "a.inc", result: .loaded(Array("qreg q[1];\n".utf8))),
            IncludedFile(path: "gone.inc", result: .notFound),
            IncludedFile(path: "locked.inc", result: .failed("Permission denied")),
            IncludedFile(path: "big.inc", result: .tooLarge),
        ])

    /// The digests were computed with Python's hashlib over the encoding the
    /// documentation of `definitionID` describes.
    @Test func theIDIsTheSHA256OfTheDocumentedEncoding() {
        #expect(
            ProgramSnapshot(main: SourceFile(name: "bell.qasm", text: "OPENQASM 2.0;")).definitionID
                == "8a1149941fc4f269d032d59d86b818182fad8832668cb5214b32956b10bf3d81")
        #expect(Self.program.definitionID == "5584c90a90aba298c5b960a74aa042cb8539eec67af8c7fd65e07797cf7f8ee7")
    }

    @Test func everyPartOfTheProgramChangesTheID() {
        var variants: [ProgramSnapshot] = []
        func variant(_ change: (inout ProgramSnapshot) -> Void) {
            var copy = Self.program
            change(&copy)
            variants.append(copy)
        }
        variant { $0.main.name = "other.qasm" }
        variant { $0.main.bytes.append(0x0A) }
        variant { $0.includes[0].path = "b.inc" }
        variant { $0.includes[0].result = .loaded(Array("qreg q[2];\n".utf8)) }
        variant { $0.includes[0].result = .notFound }
        variant { $0.includes[1].result = .tooLarge }
        variant { $0.includes[2].result = .failed("Is a directory") }
        variant { $0.includes.swapAt(0, 1) }
        variant { $0.includes.removeLast() }
        // Moving bytes from one field to the next is not the same program.
        variant {
            $0.main.name = "main.qasmO"
            $0.main.bytes.removeFirst()
        }
        let ids = Set(variants.map(\.definitionID) + [Self.program.definitionID])
        #expect(ids.count == variants.count + 1)
        #expect(Self.program.definitionID == Self.program.definitionID)
    }
}
