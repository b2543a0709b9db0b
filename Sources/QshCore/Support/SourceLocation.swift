// Positions in source text: 1-based line and column, plus the file they belong to.

/// A 1-based line and column in a named source file.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The file name as the user gave it (`bell.qasm`, `<stdin>`, `qelib1.inc`).
    public var file: String
    /// The 1-based line.
    public var line: Int
    /// The 1-based column, counted in bytes of the line.
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
}
