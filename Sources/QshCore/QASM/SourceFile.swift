// One OpenQASM source text as bytes, with the name it is reported under. The front
// end never opens files itself: the caller reads them and hands them in.

/// The bytes of a program or include file and the name diagnostics use for it.
public struct SourceFile: Sendable, Hashable {
    /// The name as the user gave it (`bell.qasm`, `<stdin>`, `qelib1.inc`).
    public var name: String
    /// The raw bytes; any encoding problem is reported by the lexer, not here.
    public var bytes: [UInt8]

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    public init(name: String, text: String) {
        self.init(name: name, bytes: Array(text.utf8))
    }

    /// The byte offset where each line starts (index 0 is line 1), to look up many lines.
    public func lineStarts() -> [Int] {
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == 0x0A { starts.append(index + 1) }
        return starts
    }

    /// The text of the 1-based `line` using `lineStarts()`, without its line break.
    public func lineText(_ line: Int, lineStarts starts: [Int]) -> String? {
        guard line >= 1, line <= starts.count else { return nil }
        let start = starts[line - 1]
        var end = line < starts.count ? starts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == 0x0D { end -= 1 }
        guard start <= end else { return nil }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The text of the 1-based `line` without its line break, or nil past the end.
    /// Invalid UTF-8 is replaced, so the result is always printable text.
    public func lineText(_ line: Int) -> String? {
        guard line >= 1 else { return nil }
        var current = 1
        var start = 0
        var index = 0
        while index < bytes.count, current < line {
            if bytes[index] == 0x0A {
                current += 1
                start = index + 1
            }
            index += 1
        }
        guard current == line, start <= bytes.count else { return nil }
        var end = start
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        var slice = bytes[start..<end]
        if slice.last == 0x0D { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }
}
