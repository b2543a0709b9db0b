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
