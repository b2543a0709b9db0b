// The claim loop with a scripted queue: a lost compare-and-set passes to the next
// candidate, a round lost whole reads again, and only an empty queue (or candidates that
// stay Created yet cannot be taken) ends it with nil.
import QshCore
import Testing

@Suite struct TaskClaimTests {
    /// A queue whose `take` loses for the ids in `stolen` (another claimer took them:
    /// they leave the queue) and wins for the others.
    final class ScriptedQueue {
        var waiting: [String]
        var stolen: Set<String>
        var reads: [Int] = []
        var takes: [String] = []

        init(_ waiting: [String], stolen: Set<String> = []) {
            self.waiting = waiting
            self.stolen = stolen
        }

        func candidates(_ limit: Int) -> [String] {
            reads.append(limit)
            return Array(waiting.prefix(limit))
        }

        func take(_ id: String) -> QuantumTask? {
            takes.append(id)
            waiting.removeAll { $0 == id }
            if stolen.contains(id) { return nil }
            let at = Timestamp(milliseconds: 0)
            return QuantumTask(
                id: id, status: .payloadProcessing, qpuID: "q", shots: 1, seed: 0, definitionID: "d", createdBy: "a",
                createdDate: at, updatedDate: at)
        }

        func claim() throws -> QuantumTask? { try TaskClaim.next(candidates: candidates, take: take) }
    }

    @Test func theOldestCandidateIsTaken() throws {
        let queue = ScriptedQueue(["a", "b", "c"])
        #expect(try queue.claim()?.id == "a")
        #expect(queue.reads == [TaskClaim.batch] && queue.takes == ["a"])
    }

    @Test func aLostCompareAndSetTriesTheNextCandidate() throws {
        let queue = ScriptedQueue(["a", "b", "c"], stolen: ["a", "b"])
        #expect(try queue.claim()?.id == "c")
        #expect(queue.takes == ["a", "b", "c"])
        #expect(queue.reads.count == 1)
    }

    @Test func aRoundLostWholeReadsTheQueueAgain() throws {
        let ids = (0..<(TaskClaim.batch + 2)).map { "t\($0)" }
        let queue = ScriptedQueue(ids, stolen: Set(ids.prefix(TaskClaim.batch)))
        #expect(try queue.claim()?.id == "t\(TaskClaim.batch)")
        #expect(queue.reads.count == 2)
    }

    @Test func everyCandidateLostAndNoneLeftIsAnEmptyQueue() throws {
        let queue = ScriptedQueue(["a", "b"], stolen: ["a", "b"])
        #expect(try queue.claim() == nil)
        #expect(queue.reads.count == 2 && queue.takes == ["a", "b"])
        #expect(try ScriptedQueue([]).claim() == nil)
    }

    /// A repository whose candidates stay Created though every claim of them fails does
    /// not spin: the loop ends once it has tried each of them.
    @Test func candidatesThatCannotBeTakenEndTheLoop() throws {
        var reads = 0
        var takes: [String] = []
        let claimed = try TaskClaim.next(
            candidates: { _ in
                reads += 1
                return ["a", "b"]
            },
            take: { id in
                takes.append(id)
                return nil
            })
        #expect(claimed == nil)
        #expect(reads == 2 && takes == ["a", "b"])
    }

    /// Candidates already lost are not tried again when a later read still lists them
    /// beside new ones.
    @Test func aCandidateLostOnceIsNotTriedAgain() throws {
        var round = 0
        var takes: [String] = []
        let claimed = try TaskClaim.next(
            candidates: { _ in
                round += 1
                return round == 1 ? ["a"] : ["a", "b"]
            },
            take: { id in
                takes.append(id)
                return id == "b" ? QuantumTask(
                    id: id, status: .payloadProcessing, qpuID: "q", shots: 1, seed: 0, definitionID: "d", createdBy: "a",
                    createdDate: Timestamp(milliseconds: 0), updatedDate: Timestamp(milliseconds: 0)) : nil
            })
        #expect(claimed?.id == "b")
        #expect(takes == ["a", "b"])
    }
}
