// Splits one REPL line into words with shell-like quoting, keeping each word's byte
// offset so errors can put a caret under the right place. No expansion of any kind.
import QshCore

/// One word of a line: its text after quote removal and where it starts in the line.
struct Word: Equatable, Sendable {
    /// The word with quotes and escapes removed.
    var text: String
    /// The byte offset (UTF-8) of the word's first character in the line.
    var offset: Int

    init(_ text: String, at offset: Int) {
        self.text = text
        self.offset = offset
    }
}

/// A line that cannot be split: an open quote or a backslash at the end.
struct WordSplitError: QshError, Equatable {
    var message: String
    /// The byte offset the caret points at (the opening quote, or the backslash).
    var offset: Int
    var code: ErrorCode { .usage }
}

/// Shell-like word splitting, as POSIX sh does it without expansions:
/// - blanks (space, tab) separate words;
/// - `'…'` keeps everything literally;
/// - `"…"` keeps everything except `\"`, `\\`, `\$` and `` \` ``, which drop the backslash;
/// - outside quotes a backslash makes the next character literal;
/// - `#` at the start of a word starts a comment that runs to the end of the line;
/// - adjacent pieces join: `a'b c'"d"` is one word `ab cd`, and `''` is an empty word.
enum WordSplitter {
    /// The words of `line`.
    /// - Throws: `WordSplitError` for an unterminated quote or a trailing backslash.
    static func split(_ line: String) throws(WordSplitError) -> [Word] {
        let scan = scan(line)
        if let error = scan.error { throw error }
        return scan.words
    }

    /// What a scan found: the complete words, and for an incomplete line the error and
    /// the open word (used by completion, which runs on half-typed lines).
    struct Scan {
        var words: [Word] = []
        var error: WordSplitError?
        /// True when the line ends inside a comment.
        var inComment = false
    }

    /// Scans `line` without throwing; a word cut short by an open quote is still reported.
    static func scan(_ line: String) -> Scan {
        let bytes = Array(line.utf8)
        var result = Scan()
        var current: [UInt8] = []
        var start: Int?
        var index = 0

        func finish() {
            if let s = start {
                result.words.append(Word(String(decoding: current, as: UTF8.self), at: s))
            }
            current.removeAll()
            start = nil
        }

        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                finish()
                index += 1
            case UInt8(ascii: "#") where start == nil:
                result.inComment = true
                return result
            case UInt8(ascii: "\\"):
                if start == nil { start = index }
                guard index + 1 < bytes.count else {
                    result.error = WordSplitError(message: "backslash at end of line", offset: index)
                    finish()
                    return result
                }
                current.append(bytes[index + 1])
                index += 2
            case UInt8(ascii: "'"):
                if start == nil { start = index }
                let open = index
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "'") {
                    current.append(bytes[index])
                    index += 1
                }
                guard index < bytes.count else {
                    result.error = WordSplitError(message: "unterminated quote", offset: open)
                    finish()
                    return result
                }
                index += 1
            case UInt8(ascii: "\""):
                if start == nil { start = index }
                let open = index
                index += 1
                var closed = false
                while index < bytes.count {
                    let b = bytes[index]
                    if b == UInt8(ascii: "\"") {
                        closed = true
                        index += 1
                        break
                    }
                    if b == UInt8(ascii: "\\"), index + 1 < bytes.count,
                        [UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "$"), UInt8(ascii: "`")]
                            .contains(bytes[index + 1])
                    {
                        current.append(bytes[index + 1])
                        index += 2
                        continue
                    }
                    current.append(b)
                    index += 1
                }
                guard closed else {
                    result.error = WordSplitError(message: "unterminated quote", offset: open)
                    finish()
                    return result
                }
            default:
                if start == nil { start = index }
                current.append(byte)
                index += 1
            }
        }
        finish()
        return result
    }

    /// The column (in characters) of a byte offset, for drawing a caret under it.
    static func column(ofByte offset: Int, in line: String) -> Int {
        var bytes = 0
        var column = 0
        for scalar in line.unicodeScalars {
            if bytes >= offset { break }
            bytes += String(scalar).utf8.count
            column += 1
        }
        return column
    }

    /// `  <line>` and `  <spaces>^` under the offending byte, as sqlite3's shell shows errors.
    static func caret(for error: WordSplitError, in line: String) -> String {
        caret(atByte: error.offset, in: line)
    }

    /// `  <line>` and `  <spaces>^` under the character at byte `offset` of `line`.
    static func caret(atByte offset: Int, in line: String) -> String {
        let column = column(ofByte: offset, in: line)
        // Control characters are shown as symbols, one per character, so the caret still lines up.
        let shown = line.map { $0 == "\t" ? " " : String($0).terminalSafe() }.joined()
        return "  " + shown + "\n  " + String(repeating: " ", count: column) + "^\n"
    }
}
