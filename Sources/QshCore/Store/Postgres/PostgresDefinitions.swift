// A task's program in PostgreSQL: the main file's bytes in `definitions.program` and what
// reading each include gave in `definition_includes`; one row per distinct program (the id
// is its hash), shared.

extension PostgresTaskStore {
    /// Writes a definition and its includes unless it is stored already. Call inside a transaction.
    static func insertDefinition(_ db: PostgresConnection, id: String, _ program: ProgramSnapshot, at: Timestamp) throws {
        let inserted = try db.query(
            """
            INSERT INTO definitions (id, file_name, source, program, created_ms) VALUES ($1, $2, '', $3, $4)
            ON CONFLICT (id) DO NOTHING
            """,
            [.text(id), .text(program.main.name), .blob(program.main.bytes), .integer(at.milliseconds)])
        guard inserted.changes == 1 else { return }
        for (seq, file) in program.includes.enumerated() {
            let (outcome, bytes, reason) = file.result.storedColumns
            try db.query(
                """
                INSERT INTO definition_includes (definition_id, seq, path, outcome, bytes, reason)
                VALUES ($1, $2, $3, $4, $5, $6)
                """,
                [.text(id), .int(seq), .text(file.path), .text(outcome), bytes, reason])
        }
    }

    /// The program of a definition, as it was submitted; nil when there is none.
    public func definition(id: String) throws -> ProgramSnapshot? {
        let main = try connection.query("SELECT file_name, program, source FROM definitions WHERE id = $1", [.text(id)])
        guard main.count == 1 else { return nil }
        let file = SourceFile(name: main.text(0, 0), bytes: main.optionalBytes(0, 1) ?? Array(main.text(0, 2).utf8))
        let stored = StoredValues(path: location, taskID: nil)
        let rows = try connection.query(
            "SELECT path, outcome, bytes, reason FROM definition_includes WHERE definition_id = $1 ORDER BY seq",
            [.text(id)])
        let includes = try rows.map { i -> IncludedFile in
            let path = rows.text(i, 0), outcome = rows.text(i, 1)
            guard let result = IncludeResult.stored(
                outcome: outcome, bytes: { rows.bytes(i, 2) }, reason: { rows.text(i, 3) })
            else {
                throw stored.corrupt("the include '\(path)' of program definition '\(id)'", "has the outcome '\(outcome)'")
            }
            return IncludedFile(path: path, result: result)
        }
        return ProgramSnapshot(main: file, includes: includes)
    }
}
