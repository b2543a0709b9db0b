// The state machine over every (from, to) pair: exactly DESIGN.md's edges are allowed.
import QshCore
import Testing

@Suite struct TaskStateMachineTests {
    static let edges: Set<String> = [
        "Created>PayloadProcessing", "PayloadProcessing>Scheduled", "Scheduled>ExecutionStarted",
        "ExecutionStarted>ExecutionCompleted", "ExecutionCompleted>Completed",
        "PayloadProcessing>PayloadProcessingError", "ExecutionStarted>Failed",
        "Created>Cancelled", "PayloadProcessing>Cancelled", "Scheduled>Cancelled",
        "Created>Failed", "PayloadProcessing>Failed", "Scheduled>Failed", "ExecutionCompleted>Failed",
    ]

    static var pairs: [(TaskStatus, TaskStatus)] {
        TaskStatus.allCases.flatMap { a in TaskStatus.allCases.map { (a, $0) } }
    }

    @Test(arguments: pairs)
    func everyPair(from: TaskStatus, to: TaskStatus) {
        let expected = Self.edges.contains("\(from.rawValue)>\(to.rawValue)")
        #expect(TaskStateMachine.allows(from: from, to: to) == expected)
        do {
            try TaskStateMachine.check(from: from, to: to, id: "t")
            #expect(expected)
        } catch {
            #expect(!expected)
            #expect(error == .illegalTransition(id: "t", from: from, to: to))
        }
    }

    @Test func terminalStatesHaveNoSuccessors() {
        for status in TaskStatus.allCases {
            #expect(status.isTerminal == TaskStateMachine.successors(of: status).isEmpty)
        }
        #expect(TaskStatus.allCases.filter(\.isTerminal).map(\.rawValue)
            == ["Completed", "Failed", "Cancelled", "PayloadProcessingError"])
    }

    @Test func cancellableStatesAreTheFirstThree() {
        #expect(TaskStateMachine.cancellable == [.created, .payloadProcessing, .scheduled])
        for status in TaskStateMachine.cancellable { #expect(TaskStateMachine.allows(from: status, to: .cancelled)) }
    }

    @Test func predecessorsOfFailedAreEveryNonTerminalState() {
        #expect(Set(TaskStateMachine.predecessors(of: .failed)) == Set(TaskStatus.allCases.filter { !$0.isTerminal }))
    }

    @Test func wireNamesParseInAnyCase() {
        #expect(TaskStatus(wireName: "completed") == .completed)
        #expect(TaskStatus(wireName: "PAYLOADPROCESSINGERROR") == .payloadProcessingError)
        #expect(TaskStatus(wireName: "done") == nil)
    }
}
