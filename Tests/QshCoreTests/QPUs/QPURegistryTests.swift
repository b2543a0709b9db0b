// The QPU registry: the QPUs qsh ships and the default, lookup by id (with "did you
// mean") and by mode name, the failure for a QPU that is not there, and mode names.
import Testing
@testable import QshCore

@Suite struct QPURegistryTests {
    @Test func theStandardRegistryHoldsTheSimulatorAndTheTestQPUOnlyWhenAsked() {
        let plain = QPURegistry.standard(memoryLimit: 1 << 30)
        #expect(plain.ids == ["sim:statevector", "sim:statevector-single", "sim:native"])
        #expect(plain.defaultID == "sim:statevector")
        #expect(plain.defaultQPU.capabilities.memoryLimit == 1 << 30)
        let tested = QPURegistry.standard(memoryLimit: 1 << 20, testQPUMillisecondsPerShot: 20)
        #expect(tested.ids == ["sim:statevector", "sim:statevector-single", "sim:native", "test:sleep"])
        #expect(tested.defaultID == "sim:statevector")
        #expect((tested["test:sleep"] as? SleepQPU)?.millisecondsPerShot == 20)
        // The delay is kept between 0 and a minute.
        #expect((QPURegistry.standard(memoryLimit: 1, testQPUMillisecondsPerShot: -5)["test:sleep"] as? SleepQPU)?
            .millisecondsPerShot == 0)
        #expect((QPURegistry.standard(memoryLimit: 1, testQPUMillisecondsPerShot: 90_000)["test:sleep"] as? SleepQPU)?
            .millisecondsPerShot == 60_000)
    }

    @Test func lookupByIdAndByModeName() {
        let registry = QPURegistry.standard(memoryLimit: 1 << 20, testQPUMillisecondsPerShot: 0)
        #expect(registry["sim:statevector"]?.id == "sim:statevector")
        #expect(registry["sim"] == nil)
        #expect(registry.qpus.map(\.mode) == ["sim-statevector", "sim-statevector-single", "sim-native", "test-sleep"])
        #expect(registry.qpu(mode: "test-sleep")?.id == "test:sleep")
        #expect(registry.qpu(mode: "test:sleep") == nil)
    }

    @Test func aQPUThatIsNotThereIsAnUnsupportedFeatureOfTheTask() {
        let registry = QPURegistry.standard(memoryLimit: 1 << 20)
        guard case .failure(let failure) = registry.resolve("test:sleep") else {
            Issue.record("expected a failure")
            return
        }
        #expect(failure.errorClass == .unsupportedFeature)
        #expect(failure.reasons == ["QPU 'test:sleep' is not available"])
        #expect(failure.diagnostics.isEmpty)
        #expect((try? registry.resolve("sim:statevector").get())?.id == "sim:statevector")
    }

    @Test func didYouMeanOffersTheNearestId() {
        let registry = QPURegistry.standard(memoryLimit: 1 << 20, testQPUMillisecondsPerShot: 0)
        #expect(registry.suggestion(for: "sim:statevectr") == "sim:statevector")
        #expect(registry.suggestion(for: "test:slep") == "test:sleep")
        #expect(registry.suggestion(for: "sim:nativ") == "sim:native")
        #expect(registry.suggestion(for: "quantinuum") == nil)
    }

    @Test func aListedRegistryDefaultsToItsFirstQPUUnlessTold() {
        let listed: QPURegistry = [SleepQPU(millisecondsPerShot: 0), StateVectorQPU(memoryLimit: 1 << 20)]
        #expect(listed.defaultID == "test:sleep")
        let chosen = QPURegistry(listed.qpus, defaultID: "sim:statevector")
        #expect(chosen.defaultID == "sim:statevector")
        #expect(chosen.ids == ["test:sleep", "sim:statevector"])
    }

    @Test func modeNamesAreSafeInAURLPath() {
        #expect(QPUMode.derived(from: "sim:statevector") == "sim-statevector")
        #expect(QPUMode.derived(from: "a b/c?d#e%f") == "a-b-c-d-e-f")
        #expect(QPUMode.derived(from: "ibm_q.v2~x") == "ibm_q.v2~x")
        for safe in ["statevector", "sim-statevector", "a.b_c~d", "X9"] { #expect(QPUMode.isSafe(safe), "\(safe)") }
        for unsafe in ["", ".", "..", "sim:statevector", "a/b", "a b", "é", "a%20"] {
            #expect(!QPUMode.isSafe(unsafe), "\(unsafe)")
        }
    }
}

@Suite struct RunLimitsTests {
    @Test func theRangesOfShotsThreadsAndSeeds() {
        let limits = RunLimits.standard
        #expect(limits.shots == 1...100_000_000)
        #expect(limits.threads == 1...1024)
        #expect(RunLimits.seeds == 0...9_007_199_254_740_992)
        #expect(StateVectorQPU(memoryLimit: 1).capabilities.maxShots == limits.maximumShots)
    }

    @Test func randomSeedsStayBelowTwoToThe53() {
        var generator = SeededGenerator(seed: 1)
        let seeds = (0..<1000).map { _ in RunLimits.randomSeed(using: &generator) }
        #expect(seeds.allSatisfy { $0 < RunLimits.maximumSeed })
        #expect(Set(seeds).count == 1000)
        // Large ones too: the draws cover the range, not a corner of it.
        #expect(seeds.contains { $0 > RunLimits.maximumSeed / 2 })
    }
}
