// A task's program as the database keeps it: the main file's bytes in
// `definitions.program` and what reading each include gave in `definition_includes`
// (schema version 2), so that a worker checks exactly what was submitted. Definitions
// are content-addressed (schema version 3): one row per distinct program, shared.

extension SQLiteTaskStore {
    /// Writes a definition and its includes, unless a definition with this id is stored
    /// already (the same content: the id is its hash). Call inside a transaction.
    static func insertDefinition(_ db: Connection, id: String, _ program: ProgramSnapshot, at: Timestamp) throws {
        try db.run(
            """
            INSERT INTO definitions (id, file_name, source, program, created_ms) VALUES (?, ?, '', ?, ?)
            ON CONFLICT (id) DO NOTHING
            """,
            [.text(id), .text(program.main.name), .blob(program.main.bytes), .integer(at.milliseconds)])
        guard db.changes == 1 else { return }
        for (seq, file) in program.includes.enumerated() {
            let (outcome, bytes, reason) = file.result.storedColumns
            try db.run(
                "INSERT INTO definition_includes (definition_id, seq, path, outcome, bytes, reason) VALUES (?, ?, ?, ?, ?, ?)",
                [.text(id), .int(seq), .text(file.path), .text(outcome), bytes, reason])
        }
    }

    /// The program of a definition, as it was submitted; nil when there is no such
    /// definition. A task stored before schema version 2 has its text and no includes.
    /// - Throws: `StoreError.corrupt` for an include row that does not decode.
    public func definition(id: String) throws -> ProgramSnapshot? {
        guard
            let main = try connection.cached("SELECT file_name, program, source FROM definitions WHERE id = ?")
                .first([.text(id)], { row in
                    SourceFile(name: row.text(0), bytes: row.optionalBlob(1) ?? Array(row.text(2).utf8))
                })
        else { return nil }
        let stored = StoredValues(path: connection.path, taskID: nil)
        let includes = try connection.cached(
            "SELECT path, outcome, bytes, reason FROM definition_includes WHERE definition_id = ? ORDER BY seq"
        ).rows([.text(id)]) { row -> IncludedFile in
            let path = row.text(0), outcome = row.text(1)
            guard let result = IncludeResult.stored(outcome: outcome, bytes: { row.blob(2) }, reason: { row.text(3) })
            else {
                throw stored.corrupt("the include '\(path)' of program definition '\(id)'", "has the outcome '\(outcome)'")
            }
            return IncludedFile(path: path, result: result)
        }
        return ProgramSnapshot(main: main, includes: includes)
    }
}
