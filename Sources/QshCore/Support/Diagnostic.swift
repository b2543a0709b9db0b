// Diagnostics are data: the core returns them and the executable prints them.

/// How bad a diagnostic is.
public enum Severity: String, Sendable, Hashable {
    case error
    case warning
    case note
}

/// One finding about a program: where, how bad, a stable code and a message.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public var severity: Severity
    /// A stable snake_case code naming the rule, e.g. `missing_semicolon`.
    public var code: String
    /// The message in qsh's voice (Qiskit's wording where it has one).
    public var message: String
    /// Where the problem is.
    public var location: SourceLocation
    /// Further lines that help, e.g. where a name was first declared.
    public var notes: [String]

    public init(
        _ severity: Severity = .error, code: String, message: String,
        at location: SourceLocation, notes: [String] = []
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.notes = notes
    }

    /// `file:line:col: error: message`, the one-line form.
    public var description: String {
        "\(location): \(severity.rawValue): \(message)"
    }
}
