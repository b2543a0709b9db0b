// The HTTP client against a scripted transport: a 429 is sent again after its Retry-After
// (bounded: three times, waits up to 5 s, any request since the server did not act on it),
// and GET /v2/export is read as it streams, an export without its end line being an error.
import QshCore
import Testing
import TestSupport
@testable import qsh

@Suite struct RemoteRateLimitAndExportTests {
    typealias Base = RemoteTaskClientTests

    static func limited(_ retryAfter: String?) -> HTTPTransportDouble.Reply {
        .answer(
            429, errorBody("rate_limited", "too many requests for this token; try again in \(retryAfter ?? "?")s"),
            headers: retryAfter.map { [("Retry-After", $0)] } ?? [])
    }

    @Test func a429IsSentAgainAfterItsRetryAfter() throws {
        let sleeps = Base.Sleeps()
        let transport = HTTPTransportDouble([
            Self.limited("2"), Self.limited(nil), Self.limited(" 0.5 "), .answer(200, Base.task(.completed).wireJSON),
        ])
        #expect(try Base.client(transport, sleeps: sleeps).get(Base.id) == Base.task(.completed))
        #expect(sleeps.seconds == [2, 1, 0.5])
        #expect(transport.requests.count == 4)
    }

    @Test func keyedSubmitsReRunsAndEvenCancelsAreSentAgainWithTheSameKey() throws {
        let sleeps = Base.Sleeps()
        let transport = HTTPTransportDouble([
            Self.limited("1"), .answer(201, Base.task(.created).wireJSON),
            Self.limited("1"), .answer(201, Base.task(.created).wireJSON),
            Self.limited("1"), .answer(200, CancelOutcome.cancelled(Base.task(.cancelled)).wireJSON),
            Self.limited("1"), .answer(200, DeletedTask.wireJSON([DeletedTask(task: Base.task(.completed), cancelled: false)])),
        ])
        let client = Base.client(transport, sleeps: sleeps)
        _ = try client.submit(TaskSubmission(
            program: ProgramSnapshot(main: SourceFile(name: "b.qasm", text: "")), qpuID: "sim:statevector", shots: 1))
        _ = try client.rerun(Base.id, RerunSubmission(shots: 5, newSeed: true))
        _ = try client.cancel(Base.id)
        // A delete is never repeated after a lost answer; a 429 says it was not acted on.
        transport.script.insert(.answer(200, Base.task(.completed).wireJSON), at: 0)
        _ = try client.delete([Base.id], force: false)
        #expect(transport.lines == [
            "POST http://127.0.0.1:8080/v2/sim-statevector/tasks", "POST http://127.0.0.1:8080/v2/sim-statevector/tasks",
            "POST http://127.0.0.1:8080/v2/tasks/\(Base.id)/rerun", "POST http://127.0.0.1:8080/v2/tasks/\(Base.id)/rerun",
            "POST http://127.0.0.1:8080/v2/tasks/\(Base.id)/cancel", "POST http://127.0.0.1:8080/v2/tasks/\(Base.id)/cancel",
            "GET http://127.0.0.1:8080/v2/tasks/\(Base.id)",
            "DELETE http://127.0.0.1:8080/v2/tasks/\(Base.id)", "DELETE http://127.0.0.1:8080/v2/tasks/\(Base.id)",
        ])
        #expect(transport.requests[0].header("Idempotency-Key") == "generated-key")
        #expect(transport.requests[1].header("Idempotency-Key") == "generated-key")
        #expect(transport.requests[2].header("Idempotency-Key") == transport.requests[3].header("Idempotency-Key"))
        #expect(sleeps.seconds == [1, 1, 1, 1])
    }

    @Test func aLongRetryAfterOrAFourth429IsReported() throws {
        for script in [[Self.limited("6")], Array(repeating: Self.limited("5"), count: 4)] {
            let sleeps = Base.Sleeps()
            let transport = HTTPTransportDouble(script)
            do {
                _ = try Base.client(transport, sleeps: sleeps).get(Base.id)
                Issue.record("expected the rate limit")
            } catch let failure as CommandFailure {
                #expect(failure.code.rawValue == "rate_limited")
                #expect(failure.exitStatus == .failure)
                #expect(failure.message.hasPrefix("too many requests for this token; try again in "))
            }
            #expect(transport.requests.count == script.count)
            #expect(sleeps.seconds == Array(repeating: 5, count: script.count - 1))
        }
    }

    @Test func anEventStreamOpensAgainAfterA429() throws {
        let sleeps = Base.Sleeps()
        let transport = HTTPTransportDouble([
            Self.limited("3"),
            .stream(["event: status", "data: " + Base.task(.completed).wireJSON.serialized(), "", "event: end", "data: {}", ""]),
        ])
        let outcome = try Base.client(transport, sleeps: sleeps).follow([Base.id], timeout: 10, pause: { _ in true }) { _ in }
        guard case .finished(let tasks) = outcome else { Issue.record("\(outcome)"); return }
        #expect(tasks == [Base.task(.completed)])
        #expect(sleeps.seconds == [3])
        #expect(transport.lines == Array(repeating: "GET http://127.0.0.1:8080/v2/events?task_id=\(Base.id)", count: 2))
    }

    // MARK: Export

    static let definition = ArchiveRecord(kind: .definition, id: "d1", schemaVersion: 6, tables: [
        ArchiveTable("definitions", [ArchiveRow([ArchiveField("id", .text("d1"))])]),
    ])
    static func taskRecord(_ id: String) -> ArchiveRecord {
        ArchiveRecord(kind: .task, id: id, schemaVersion: 6, tables: [
            ArchiveTable("tasks", [ArchiveRow([ArchiveField("id", .text(id)), ArchiveField("definition_id", .text("d1"))])]),
        ])
    }
    static let lines = [
        TaskArchiveFormat.line(definition), TaskArchiveFormat.line(taskRecord("t1")), TaskArchiveFormat.line(taskRecord("t2")),
    ]

    /// Runs an export on `transport`: the records written, and the error.
    func export(_ transport: HTTPTransportDouble, sleeps: Base.Sleeps = Base.Sleeps()) -> ([ArchiveRecord], Error?) {
        var written: [ArchiveRecord] = []
        do {
            let count = try Base.client(transport, sleeps: sleeps).export(ExportSelection()) { written.append($0) }
            #expect(count == written.filter { $0.kind == .task }.count)
            return (written, nil)
        } catch {
            return (written, error)
        }
    }

    @Test func anExportIsWrittenAsItStreamsAndEndsWithItsCount() throws {
        let sleeps = Base.Sleeps()
        var query = TaskQuery()
        query.statuses = [.completed]
        let transport = HTTPTransportDouble([
            Self.limited("1"), .failure(.connect, "Connection refused"),
            .stream(Self.lines + [TaskArchiveFormat.endLine(tasks: 2, definitions: 1), ""]),
        ])
        var written: [ArchiveRecord] = []
        let count = try Base.client(transport, sleeps: sleeps).export(ExportSelection(query: query)) { written.append($0) }
        #expect(count == 2)
        #expect(written == [Self.definition, Self.taskRecord("t1"), Self.taskRecord("t2")])
        #expect(transport.lines == Array(repeating: "GET http://127.0.0.1:8080/v2/export?status=Completed", count: 3))
        #expect(sleeps.seconds == [1, 0.3])
    }

    @Test func anExportCutShortIsAnErrorNeverAWholeLookingFile() throws {
        let incomplete = "the output is incomplete; run it again"
        let cases: [(HTTPTransportDouble.Reply, String)] = [
            (.stream(Self.lines),
             "the export from the qsh server at 'http://127.0.0.1:8080' stopped before its end line, after 2 tasks: "
                + incomplete),
            (.brokenStream(Array(Self.lines.prefix(2)), "transfer closed with outstanding read data remaining"),
             "the export from the qsh server at 'http://127.0.0.1:8080' broke off after 1 task (transfer closed with "
                + "outstanding read data remaining): " + incomplete),
            (.stream(Self.lines + [TaskArchiveFormat.endLine(tasks: 3, definitions: 1)]),
             "the export from the qsh server at 'http://127.0.0.1:8080' counts 3 tasks and 1 programs at its end, "
                + "but 2 and 1 came: " + incomplete),
        ]
        for (reply, message) in cases {
            let transport = HTTPTransportDouble([reply])
            let (written, error) = export(transport)
            #expect(written.count >= 2)
            #expect((error as? CommandFailure)?.message == message)
            #expect((error as? CommandFailure)?.code.rawValue == "network_error")
            // Records were written: it is not sent again.
            #expect(transport.requests.count == 1)
        }
    }

    @Test func theServersErrorLineEndsTheExportWithThatError() throws {
        let failure = errorBody("database_error", "cannot read task 't3' in '/srv/tasks.sqlite': its tags is not valid JSON (x)")
        let transport = HTTPTransportDouble([.stream(Array(Self.lines.prefix(2)) + [failure.serialized()])])
        let (written, error) = export(transport)
        #expect(written == [Self.definition, Self.taskRecord("t1")])
        #expect((error as? CommandFailure)?.code.rawValue == "database_error")
        #expect((error as? CommandFailure)?.message == "cannot read task 't3' in '/srv/tasks.sqlite': its tags is not valid JSON (x)")
    }

    @Test func aLineAfterTheEndOrNotARecordIsRefused() throws {
        let after = HTTPTransportDouble([.stream(Self.lines + [TaskArchiveFormat.endLine(tasks: 2, definitions: 1)] + Self.lines)])
        #expect((export(after).1 as? ArchiveFormatError)?.reason == "it comes after the end line")
        let garbage = HTTPTransportDouble([.stream(["<html>"])])
        let (written, error) = export(garbage)
        #expect(written.isEmpty)
        #expect((error as? ArchiveFormatError)?.message.hasPrefix(
            "line 1 of 'http://127.0.0.1:8080/v2/export' is not a task export record: it is not JSON") == true)
    }
}
