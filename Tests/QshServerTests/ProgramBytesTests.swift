// A program's files reach the server byte for byte: bytes that are not UTF-8 in base64
// (`program_base64`, `includes_base64`), an include that could not be read with its reason
// (`include_errors`), so that a dry run and the task report what `qasm check` reports.
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import QshCore
import Testing

@testable import QshServer

@Suite struct ProgramBytesTests {
    /// Latin-1 `é` in a comment and in a register name: only the second is an error.
    static let latin1: [UInt8] = Array("OPENQASM 2.0;\n// caf".utf8) + [0xE9] + Array("\nqreg r".utf8) + [0xE9]
        + Array("[1];\n".utf8)

    func dryRun(_ client: any TestClientProtocol, _ tokens: TestTokens, _ members: [(String, JSONValue)]) async throws
        -> TestResponse
    {
        try await client.execute(
            uri: "/v2/tasks?dry_run=true", method: .post, headers: jsonHeaders(tokens.alice),
            body: ByteBuffer(string: JSONValue.object(members + [("shots", .int(10))]).serialized())
        ) { $0 }
    }

    @Test func aProgramThatIsNotUTF8IsCheckedOnItsOwnBytes() async throws {
        try await withTestServer { client, tokens, _ in
            let response = try await dryRun(client, tokens, [
                ("program_base64", .string(Base64.encode(Self.latin1))), ("program_name", .string("odd.qasm")),
            ])
            #expect(response.status == .ok)
            let reasons = response.json["error_reasons"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(reasons == ["odd.qasm:3:7: byte 0xE9 is not valid UTF-8: OpenQASM 2.0 is ASCII outside comments"])
        }
    }

    @Test func includesThatAreNotUTF8OrCouldNotBeReadAreCheckedAsOnDisk() async throws {
        try await withTestServer { client, tokens, _ in
            let program = "OPENQASM 2.0;\ninclude \"odd.inc\";\ninclude \"folder.inc\";\nqreg q[1];\n"
            let response = try await dryRun(client, tokens, [
                ("program", .string(program)), ("program_name", .string("main.qasm")),
                ("includes_base64", .object([("odd.inc", .string(Base64.encode(Array("gate g".utf8) + [0xE9] + Array(" a { }\n".utf8))))])),
                ("include_errors", .object([("folder.inc", .string("Is a directory"))])),
            ])
            #expect(response.status == .ok)
            let reasons = response.json["error_reasons"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(reasons.contains { $0.hasPrefix("odd.inc:1:7: byte 0xE9 is not valid UTF-8") })
            #expect(reasons.contains("main.qasm:3:1: unable to read 'folder.inc': Is a directory"))
        }
    }

    @Test func aMalformedProgramFieldIs422WithTheFieldNamed() async throws {
        try await withTestServer { client, tokens, _ in
            let cases: [([(String, JSONValue)], String)] = [
                ([("program", .string("x")), ("program_base64", .string("eA=="))], "program_base64"),
                ([("program_base64", .string("not base64!"))], "program_base64"),
                ([("program", .string("x")), ("includes_base64", .object([("a.inc", .string("%%%%"))]))], "includes_base64.a.inc"),
                ([("program", .string("x")), ("includes", .object([("a.inc", .string("x"))])),
                  ("include_errors", .object([("a.inc", .string("Is a directory"))]))], "include_errors.a.inc"),
                ([("program_name", .string("x.qasm"))], "program"),
            ]
            for (members, field) in cases {
                let response = try await dryRun(client, tokens, members)
                #expect(response.status == .unprocessableContent, "\(field)")
                #expect(response.errorCode == "invalid_argument", "\(field)")
                #expect(response.json["error"]?["field"]?.stringValue == field, "\(field): \(response.text)")
            }
        }
    }
}
