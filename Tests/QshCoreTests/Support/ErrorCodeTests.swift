// The table of error codes: one spelling each, snake_case, every code an error can carry
// is in it, and each gives the exit and HTTP statuses the CLI and the API rely on.
import CSQLite
import QshCore
import Testing

@Suite struct ErrorCodeTests {
    @Test func everyCodeIsSpelledOnceInSnakeCase() {
        let spellings = ErrorCode.all.map(\.rawValue)
        #expect(Set(spellings).count == spellings.count)
        for spelling in spellings {
            #expect(spelling.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLowercase || $0.isNumber)) }, "\(spelling)")
            #expect(!spelling.hasPrefix("_") && !spelling.hasSuffix("_") && !spelling.contains("__"))
        }
        for code in ErrorCode.all {
            #expect(!code.meaning.isEmpty && code.meaning.count <= 50, "\(code)")
            #expect((400...599).contains(code.httpStatus), "\(code)")
        }
    }

    @Test func aSpellingFindsItsRowAndAnUnknownOneIsAPlainFailure() {
        #expect(ErrorCode(rawValue: "not_found").exitStatus == .notFound)
        #expect(ErrorCode(rawValue: "not_found").httpStatus == 404)
        let unknown = ErrorCode(rawValue: "quota_exceeded")
        #expect(unknown.rawValue == "quota_exceeded")
        #expect(unknown.exitStatus == .failure && unknown.httpStatus == 500)
        #expect(!ErrorCode.all.contains(unknown))
        let literal: ErrorCode = "usage"
        #expect(literal == .usage && literal.exitStatus == .usage)
    }

    /// The statuses scripts and API clients rely on.
    @Test(arguments: [
        (ErrorCode.usage, QshCore.ExitStatus.usage, 400), (.invalidID, .usage, 400), (.ambiguousID, .usage, 400),
        (.invalidArgument, .usage, 422), (.notFound, .notFound, 404), (.conflict, .failure, 409),
        (.noResults, .failure, 409), (.timeout, .timedOut, 504), (.interrupted, .interrupted, 503),
        (.invalidProgram, .failure, 422), (.databaseBusy, .failure, 503), (.internalError, .failure, 500),
        (.unauthenticated, .authentication, 401), (.forbidden, .authentication, 403), (.rateLimited, .failure, 429),
        (.payloadTooLarge, .failure, 413), (.unsupportedMediaType, .failure, 415), (.methodNotAllowed, .failure, 405),
        (.networkError, .failure, 503),
    ])
    func statuses(code: ErrorCode, exit: QshCore.ExitStatus, http: Int) {
        #expect(code.exitStatus == exit)
        #expect(code.httpStatus == http)
    }

    /// Every error type's codes, case by case: all of them are rows of the table.
    @Test func everyErrorsCodeIsInTheTable() {
        let errors: [any QshError] = [
            TaskError.notFound(id: "x"), TaskError.ambiguousPrefix(prefix: "ab", candidates: []),
            TaskError.invalidID(text: "z"), TaskError.illegalTransition(id: "x", from: .created, to: .completed),
            TaskError.cancelRefused(id: "x", status: .executionStarted), TaskError.noResults(id: "x", status: .created),
            TaskError.unknownQPU(id: "q"), TaskError.invalidRequest(reason: "r"),
            TaskError.tokenNotFound(id: "x"), TaskError.ambiguousTokenPrefix(prefix: "abcd", candidates: []),
            TaskError.invalidTokenID(text: "z"),
            StoreError.foreignFile(path: "p", applicationID: 1), StoreError.newerSchema(path: "p", version: 9, supported: 2),
            StoreError.cannotCreate(path: "p", reason: "r"), StoreError.missing(path: "p"), StoreError.notAFile(path: "p"),
            StoreError.unversioned(path: "p"), StoreError.readOnlyOldSchema(path: "p", version: 1, needed: 2),
            StoreError.unreadableWAL(path: "p"), StoreError.migrationFailed(path: "p", version: 2, name: "n", reason: "r"),
            StoreError.corrupt(path: "p", taskID: nil, what: "w", reason: "r"),
            SQLiteError(resultCode: SQLITE_BUSY, detail: "d"), SQLiteError(resultCode: SQLITE_LOCKED, detail: "d"),
            SQLiteError(resultCode: SQLITE_NOTADB, detail: "d"), SQLiteError(resultCode: SQLITE_IOERR, detail: "d"),
            DatabaseFileChanged(path: "p", replaced: true), Interrupted(reason: "SIGINT"), LoweringError.interrupted,
            parseError("{"),
        ] + [ErrorClass.invalidProgram, .unsupportedFeature, .resourceLimit, .executionError, .internalError].map {
            QPUError($0, "m")
        }
        for error in errors {
            #expect(ErrorCode.all.contains(error.code), "\(error) has code \(error.code), which is not in the table")
        }
    }

    func parseError(_ text: String) -> any QshError {
        do {
            _ = try JSONValue.parse(text)
        } catch {
            return error
        }
        return Interrupted(reason: "parsed")
    }

    @Test func theCodesOfTheClassesOfFailedTasksAreTheirSpellings() {
        for errorClass in [ErrorClass.invalidProgram, .unsupportedFeature, .resourceLimit, .executionError, .internalError] {
            #expect(errorClass.code.rawValue == errorClass.rawValue)
            #expect(ErrorCode.all.contains(errorClass.code))
        }
    }

    /// A task with no results because of how it ended gives that end's status, as a wait does.
    @Test(arguments: [
        (TaskStatus.failed, QshCore.ExitStatus.taskFailed), (.payloadProcessingError, .taskFailed), (.cancelled, .cancelled),
        (.created, .failure), (.executionStarted, .failure), (.completed, .failure),
    ])
    func noResultsGivesTheStatusOfTheTasksEnd(status: TaskStatus, exit: QshCore.ExitStatus) {
        #expect(TaskError.noResults(id: "x", status: status).exitStatus == exit)
        #expect(TaskError.noResults(id: "x", status: status).code == .noResults)
    }

    @Test func otherErrorsGiveTheirCodesStatus() {
        #expect(TaskError.notFound(id: "x").exitStatus == .notFound)
        #expect(TaskError.tokenNotFound(id: "x").exitStatus == .notFound)
        #expect(TaskError.invalidTokenID(text: "x").exitStatus == .usage)
        #expect(TaskError.unknownQPU(id: "x").exitStatus == .notFound)
        #expect(TaskError.ambiguousPrefix(prefix: "ab", candidates: []).exitStatus == .usage)
        #expect(TaskError.cancelRefused(id: "x", status: .executionStarted).exitStatus == .failure)
        #expect(Interrupted(reason: "SIGINT").exitStatus == .interrupted)
        #expect(StoreError.missing(path: "p").exitStatus == .failure)
    }

    @Test func theEndOfSeveralTasksIsTheWorst() {
        #expect(QshCore.ExitStatus(endOf: []) == .ok)
        #expect(QshCore.ExitStatus(endOf: [.completed, .completed]) == .ok)
        #expect(QshCore.ExitStatus(endOf: [.completed, .cancelled]) == .cancelled)
        #expect(QshCore.ExitStatus(endOf: [.cancelled, .payloadProcessingError, .completed]) == .taskFailed)
        #expect(QshCore.ExitStatus(endOf: [.failed]) == .taskFailed)
    }
}
