// The hardware-like QPU qsh ships, `sim:native`: the state-vector simulator behind the
// native gate set and coupling map of a small superconducting device, so that programs
// meant for hardware are refused here as hardware would refuse them.

/// The QPUs of the standard registry that are more than the plain simulator.
public enum StandardQPUs {
    /// The id of the hardware-like QPU.
    public static let nativeID = "sim:native"
    /// Its qubits.
    public static let nativeQubits = 20
    /// Its native gates: rz, sx, x and cx (CX, the built-in, is the same gate); measure,
    /// reset, barrier and `if` are always allowed.
    public static let nativeGates: Set<GateKind> = [.rz, .sx, .x, .cx, .CX]

    /// Its coupling map: qubits 0 to 19 in a line, each coupled to the next (0-1, 1-2,
    /// ..., 18-19). Qubits are numbered across the program's registers in declaration
    /// order, so `qreg a[2]; qreg b[2];` puts b[0] on qubit 2.
    public static let nativeCoupling = CouplingMap.line(nativeQubits)

    /// `sim:native`: at most 20 qubits, double precision, the native gates above on the
    /// line; qsh does not transpile, so any other gate (a gate defined in the program is
    /// expanded first, so one built from native gates passes) is refused.
    public static func native(memoryLimit: Int) -> StateVectorQPU {
        StateVectorQPU(
            memoryLimit: memoryLimit, maxQubits: nativeQubits, id: nativeID,
            summary: "hardware-like: gates rz sx x cx, 20 qubits in a line (i coupled to i+1)",
            precisions: [.double], nativeGates: nativeGates, couplingMap: nativeCoupling)
    }
}
