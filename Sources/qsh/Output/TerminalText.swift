// Text that came from users (names, tags, source lines, file names) made safe to show on a
// terminal: control characters become visible Control Pictures instead of being obeyed, and
// bidirectional controls (which reorder what follows them) become U+FFFD.

extension String {
    /// The string with every C0 control, DEL and C1 control replaced by one visible character
    /// (U+2400 + code for C0, U+2421 for DEL, U+FFFD for C1), so printing it can never move the
    /// cursor, recolour the screen or retitle the window; the bidirectional controls (U+061C,
    /// U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) and the line and paragraph separators
    /// (U+2028, U+2029) become U+FFFD, so text cannot appear reordered or broken. Each
    /// replacement is one column wide, so
    /// alignment and caret positions computed on the original text still hold. `keeping` lists
    /// controls left as they are (for example newline and tab in a multi-line message).
    func terminalSafe(keeping kept: Set<Unicode.Scalar> = []) -> String {
        guard unicodeScalars.contains(where: { Self.isControl($0) && !kept.contains($0) }) else { return self }
        var out = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            guard Self.isControl(scalar), !kept.contains(scalar) else {
                out.append(scalar)
                continue
            }
            switch scalar.value {
            case 0x00...0x1F: out.append(Unicode.Scalar(0x2400 + scalar.value) ?? "\u{FFFD}")
            case 0x7F: out.append("\u{2421}")
            default: out.append("\u{FFFD}")
            }
        }
        return String(out)
    }

    /// The string cut to its first `limit` characters plus "…" when it is longer, for quoting
    /// what the user typed in a message (a 100 KB word should not come back as a 100 KB error).
    func abbreviated(to limit: Int = 60) -> String {
        count > limit ? String(prefix(limit)) + "…" : self
    }

    /// True for the characters `terminalSafe` replaces: C0, DEL, C1, the bidirectional
    /// controls and the line and paragraph separators.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
