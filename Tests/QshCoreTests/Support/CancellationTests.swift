// Cancellation: the stop request itself, its poll, and StopAfter, the request the
// other suites use to stop long work part way (after a set number of questions).
import Synchronization
import Testing
@testable import QshCore

/// A stop request that says stop from its `after`-th question on, and counts the
/// questions, so a test can stop work part way without timing anything.
final class StopAfter: Sendable {
    let after: Int
    private let asked = Atomic<Int>(0)

    init(_ after: Int) { self.after = after }

    /// How many times the work asked.
    var questions: Int { asked.load(ordering: .relaxed) }

    var cancellation: Cancellation {
        Cancellation(reason: { [self] in asked.add(1, ordering: .relaxed).newValue >= after ? "test stop" : nil })
    }
}

@Suite struct CancellationTests {
    @Test func neverStops() throws {
        #expect(!Cancellation.never.isRequested)
        #expect(Cancellation.never.reason() == nil)
        try Cancellation.never.check()
    }

    @Test func aRequestStopsWithItsReason() {
        let stop = Cancellation(reason: { "SIGINT" })
        #expect(stop.isRequested)
        #expect(throws: Interrupted(reason: "SIGINT")) { try stop.check() }
        let plain = Cancellation { true }
        #expect(plain.reason() == "interrupted")
        #expect(Interrupted(reason: "SIGINT").code == "interrupted")
    }

    @Test func aPollAsksOnceEveryInterval() throws {
        let counter = StopAfter(Int.max)
        var poll = CancellationPoll(counter.cancellation, every: 100)
        for _ in 0..<1000 { try poll.tick() }
        #expect(counter.questions == 10)
        try poll.tick(250)
        #expect(counter.questions == 11)
    }

    @Test func aPollThrowsOnceTheRequestSaysStop() {
        let stop = StopAfter(3)
        var poll = CancellationPoll(stop.cancellation, every: 10)
        var ticks = 0
        #expect(throws: Interrupted(reason: "test stop")) {
            while true {
                try poll.tick()
                ticks += 1
            }
        }
        #expect(ticks == 29)
    }
}
