// Facts about the terminal: is a stream a TTY, how wide is it, may we use colour.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What qsh knows about its standard streams and the user's colour preference.
struct Terminal: Sendable {
    var stdinIsTTY: Bool
    var stdoutIsTTY: Bool
    var stderrIsTTY: Bool
    /// Colour on stdout (tables); decided once from the flags and the environment.
    var colorStdout: Bool
    /// Colour on stderr (diagnostics, progress).
    var colorStderr: Bool

    /// Reads isatty(3) and the NO_COLOR / CLICOLOR_FORCE / FORCE_COLOR / TERM conventions.
    static func detect(environment: [String: String], noColorFlag: Bool = false) -> Terminal {
        let stdinTTY = isatty(0) == 1
        let stdoutTTY = isatty(1) == 1
        let stderrTTY = isatty(2) == 1
        let forced = (environment["CLICOLOR_FORCE"].map { !$0.isEmpty && $0 != "0" } ?? false)
            || (environment["FORCE_COLOR"].map { !$0.isEmpty && $0 != "0" } ?? false)
        let disabled = noColorFlag || environment["NO_COLOR"] != nil || environment["TERM"] == "dumb"
        return Terminal(
            stdinIsTTY: stdinTTY, stdoutIsTTY: stdoutTTY, stderrIsTTY: stderrTTY,
            colorStdout: !disabled && (forced || stdoutTTY),
            colorStderr: !disabled && (forced || stderrTTY))
    }

    /// The width of the terminal on stdout, or 80.
    static func width() -> Int {
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}

/// ANSI styles, applied only when colour is on.
enum Style: String {
    case bold = "1"
    case dim = "2"
    case red = "31"
    case green = "32"
    case yellow = "33"
    case blue = "34"
    case cyan = "36"

    func apply(_ text: String, if enabled: Bool) -> String {
        enabled ? "\u{1B}[\(rawValue)m\(text)\u{1B}[0m" : text
    }
}
