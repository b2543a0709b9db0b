// The version of qsh, one constant for every executable (qsh, qsh-server) and the runs'
// metadata.

/// qsh's version.
public enum QshVersion {
    /// The version; bump with each release.
    public static let current = "0.1.0"
}
