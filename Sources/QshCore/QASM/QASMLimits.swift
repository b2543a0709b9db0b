// The explicit limits of the OpenQASM front end. Every breach is reported as an
// error that names the limit; nothing is allocated before the check.

/// Limits that keep `qasm check` bounded in time and memory on any input.
///
/// Each value is a policy choice, not a property of the language; the reasons are
/// next to each field so that the numbers can be revisited deliberately.
public struct QASMLimits: Sendable, Hashable {
    /// Qubits per program (all quantum registers together): the most the simulator
    /// takes (StateVectorQPU's `maxQubits`). A state vector over 40 qubits (16 TiB)
    /// exists on no machine, so a wider program is refused at its declaration, as the
    /// corpus asks of programs that cannot be simulated; the QPU's own memory check
    /// gives the tighter, machine-specific limit before anything runs.
    public var maximumQubits: Int = 40
    /// Classical bits per program (all classical registers together). Arbitrary:
    /// generous for real programs, small enough that results stay printable.
    public var maximumClbits: Int = 1024
    /// Bytes per source file (the program and each included file): 256 MiB, about
    /// seven million statements; the front end holds the text and a compact tree.
    public var maximumFileSize: Int = 256 << 20
    /// Nesting depth of an expression (parentheses, unary minus, powers, function
    /// calls) and the height of its tree. Parsing and evaluation use explicit stacks,
    /// so this bounds work, not the call stack; 1000 is far above anything hand-written.
    public var maximumNestingDepth: Int = 1000
    /// How deeply gate definitions may call each other (a gate's depth is one more
    /// than the deepest gate in its body; qelib1's deepest, c4x, is 5). Expansion
    /// recurses once per level, so 64 keeps it within a 512 KiB thread stack even in
    /// a debug build, while staying far above anything a real program needs.
    public var maximumGateDepth: Int = 64
    /// Nested `include` files. Arbitrary; also stops include cycles early.
    public var maximumIncludeDepth: Int = 16
    /// Operations after expanding user gates and broadcasts (what `lower` builds).
    /// A lowered operation costs about 130 bytes (measured: 1M operations, 134 MB), so
    /// this keeps a circuit near 1.3 GB; ten times the largest benchmark program.
    public var maximumOperations: Int = 10_000_000
    /// Errors reported per program; after that the front end stops.
    public var maximumErrors: Int = 100

    public init() {}

    /// The limits `qsh` uses.
    public static let standard = QASMLimits()
}
