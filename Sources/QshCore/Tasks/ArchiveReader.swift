// Reads the lines of an export, one at a time: blank lines are skipped, records kept, and
// an end line (what GET /v2/export ends with) checked against the records before it, so a
// file cut short or changed after its end line is refused rather than imported in part.

/// Collects the records of an export's lines and checks its end line, when it has one.
public struct ArchiveReader: Sendable {
    /// The file's name, for messages.
    public let source: String
    public private(set) var records: [ArchiveRecord] = []
    /// How many task and program records were read.
    public private(set) var tasks = 0
    public private(set) var definitions = 0
    /// True once the end line was read.
    public private(set) var ended = false

    public init(source: String) { self.source = source }

    /// Reads one line (without its line break; a trailing carriage return is ignored).
    /// - Parameter lineNumber: 1-based, for messages.
    /// - Throws: `ArchiveFormatError` for a line that is not a record, an end line whose
    ///   counts differ from the records before it, and anything but blank lines after it.
    public mutating func read(_ line: Substring, lineNumber: Int) throws(ArchiveFormatError) {
        let text = line.hasSuffix("\r") ? line.dropLast() : line
        if text.allSatisfy({ $0 == " " || $0 == "\t" }) { return }
        if ended {
            throw ArchiveFormatError(source: source, line: lineNumber, reason: "it comes after the end line")
        }
        switch try TaskArchiveFormat.entry(String(text), source: source, lineNumber: lineNumber) {
        case .record(let record):
            if record.kind == .task { tasks += 1 } else { definitions += 1 }
            records.append(record)
        case .end(let expectedTasks, let expectedDefinitions):
            guard expectedTasks == tasks, expectedDefinitions == definitions else {
                throw ArchiveFormatError(
                    source: source, line: lineNumber,
                    reason: "its end line counts \(expectedTasks) task\(expectedTasks == 1 ? "" : "s") and "
                        + "\(expectedDefinitions) program\(expectedDefinitions == 1 ? "" : "s"), but \(tasks) and "
                        + "\(definitions) come before it: the file is incomplete or was changed")
            }
            ended = true
        }
    }
}
