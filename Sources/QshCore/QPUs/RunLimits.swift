// The limits on a run's settings that hold whatever the QPU: the range of shots and
// threads one run may ask for and of seeds. The command line, the service and the
// compile path all take them from here.

/// The ranges of a run's shots, threads and seed.
public struct RunLimits: Hashable, Sendable {
    /// The most shots one run may take; a QPU may allow fewer (`QPUCapabilities.maxShots`).
    /// Arbitrary: 10^8 draws take seconds and keep the counts exact in any JSON reader.
    public var maximumShots = 100_000_000
    /// The most threads one run may use. Arbitrary: far above any machine qsh runs on.
    public var maximumThreads = 1024

    /// The largest seed: 2^53, the largest integer every JSON reader (jq, JavaScript,
    /// anything that reads numbers as doubles) keeps exact.
    public static let maximumSeed: UInt64 = 1 << 53

    public init() {}

    /// The limits qsh uses.
    public static let standard = RunLimits()

    /// 1 to `maximumShots`.
    public var shots: ClosedRange<Int> { 1...maximumShots }
    /// 1 to `maximumThreads`.
    public var threads: ClosedRange<Int> { 1...maximumThreads }
    /// 0 to 2^53.
    public static var seeds: ClosedRange<UInt64> { 0...maximumSeed }

    /// A seed drawn from `generator`, below 2^53, so that it survives JSON and the run
    /// can be repeated from it.
    public static func randomSeed(using generator: inout some RandomNumberGenerator) -> UInt64 {
        UInt64.random(in: 0..<maximumSeed, using: &generator)
    }
}
