// Comparing secrets without a timing side channel: the time depends on the lengths only,
// never on where two byte strings first differ.

/// Compares two byte strings in time that depends only on their lengths, not on where
/// they first differ (for secrets and their digests).
public func constantTimeEqual<A: Collection<UInt8>, B: Collection<UInt8>>(_ a: A, _ b: B) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for (x, y) in zip(a, b) { difference |= x ^ y }
    return difference == 0
}
