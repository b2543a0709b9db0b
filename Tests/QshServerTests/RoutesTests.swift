// The route table: both path forms of the task routes, the methods each takes, the scope
// each needs, and the OpenAPI document naming every route.
import Foundation
import HTTPTypes
import Hummingbird
import QshCore
import Testing

@testable import QshServer

@Suite struct RoutesTests {
    @Test func taskRoutesExistUnderBothForms() {
        #expect(Endpoint(path: "/v2/tasks") == .tasks(mode: nil))
        #expect(Endpoint(path: "/v2/sim-native/tasks") == .tasks(mode: "sim-native"))
        #expect(Endpoint(path: "/v2/tasks/abcd") == .task(mode: nil, id: "abcd"))
        #expect(Endpoint(path: "/v2/m/tasks/abcd/cancel") == .taskAction(mode: "m", id: "abcd", action: .cancel))
        #expect(Endpoint(path: "/v2/tasks/abcd/rerun/") == .taskAction(mode: nil, id: "abcd", action: .rerun))
        #expect(Endpoint(path: "/v2/tasks/abcd/nothing") == nil)
        #expect(Endpoint(path: "/v2/qpus/sim%3Anative") == .qpu(id: "sim:native"))
        #expect(Endpoint(path: "/health") == .health)
        #expect(Endpoint(path: "/v2") == nil)
        #expect(Endpoint(path: "/") == nil)
    }

    @Test func methodsAndScopes() {
        #expect(Endpoint.tasks(mode: nil).methods == [.get, .post])
        #expect(Endpoint.task(mode: nil, id: "a").methods == [.get, .delete])
        #expect(Endpoint.tasks(mode: nil).scope(for: .get) == .read)
        #expect(Endpoint.tasks(mode: nil).scope(for: .post) == .submit)
        #expect(Endpoint.export.scope(for: .get) == .admin)
        #expect(Endpoint.health.scope(for: .get) == nil)
    }

    @Test func theDocumentNamesEveryRouteWithItsMethods() throws {
        let document = try JSONValue.parse(String(decoding: PackageResources.openapi_json, as: UTF8.self))
        let paths = try #require(document["paths"])
        let endpoints: [Endpoint] = [
            .health, .metrics, .openAPI, .tasks(mode: nil), .tasks(mode: "m"), .task(mode: nil, id: "a"),
            .task(mode: "m", id: "a"), .events, .batches, .batch(id: "a"), .qpus, .qpu(id: "a"),
            .qpuPause(id: "a", pause: true), .qpuPause(id: "a", pause: false), .prune, .export, .importRecords,
        ] + [TaskAction.cancel, .results, .events, .history, .rerun].flatMap {
            [Endpoint.taskAction(mode: nil, id: "a", action: $0), .taskAction(mode: "m", id: "a", action: $0)]
        } + [BatchAction.results, .cancel, .events].map { Endpoint.batchAction(id: "a", action: $0) }
        #expect(paths.objectValue?.count == endpoints.count)
        for endpoint in endpoints {
            let path = try #require(paths[endpoint.template], "\(endpoint.template) is not in the document")
            let methods = Set((path.objectValue ?? []).map(\.0))
            #expect(methods == Set(endpoint.methods.map { $0.rawValue.lowercased() }), "\(endpoint.template)")
        }
    }

    @Test func queryItemsAndPercentDecoding() {
        let items = QueryItems("status=Completed,Failed&tag=a%3Db=c&since=2026-01-01T00:00:00+00:00&flag")
        #expect(items.values("status", commas: true) == ["Completed", "Failed"])
        #expect(items.values("tag") == ["a=b=c"])
        #expect((try? items.value("since")) == "2026-01-01T00:00:00+00:00")
        #expect((try? items.flag("flag")) == true)
        #expect(percentDecoded("%zz%41") == "%zzA")
    }

    @Test func theAccessLogLineHasNoQueryAndNoControlCharacters() {
        let line = AccessLog.line(
            at: Timestamp(milliseconds: 0), requestID: "r1", method: "GET", path: "/v2/tasks/a b\n", status: 404,
            seconds: 0.0123)
        #expect(line == "1970-01-01T00:00:00Z r1 GET /v2/tasks/a%20b%0A 404 12.3ms")
    }

    @Test func theRateLimiterRefillsAtItsRate() {
        let limiter = RateLimiter(rate: 2, burst: 2)
        let start = ContinuousClock.now
        #expect(limiter.take("t", now: start) == nil)
        #expect(limiter.take("t", now: start) == nil)
        #expect(limiter.take("t", now: start) == 0.5)
        #expect(limiter.take("other", now: start) == nil)
        #expect(limiter.take("t", now: start + .milliseconds(500)) == nil)
        #expect(RateLimiter(rate: 0).take("t") == nil)
    }

    @Test func metricsRenderCountersAndHistograms() {
        let metrics = Metrics()
        metrics.observe(route: "/v2/tasks", method: "GET", status: 200, seconds: 0.003)
        metrics.observe(route: "/v2/tasks", method: "GET", status: 200, seconds: 2)
        let text = metrics.render(tasks: [.completed: 3], queued: ["sim:x": 2], qpus: ["sim:y"])
        #expect(text.contains("qsh_http_requests_total{route=\"/v2/tasks\",method=\"GET\",status=\"200\"} 2\n"))
        #expect(text.contains("qsh_http_request_duration_seconds_bucket{route=\"/v2/tasks\",le=\"0.0025\"} 0\n"))
        #expect(text.contains("qsh_http_request_duration_seconds_bucket{route=\"/v2/tasks\",le=\"0.005\"} 1\n"))
        #expect(text.contains("qsh_http_request_duration_seconds_bucket{route=\"/v2/tasks\",le=\"+Inf\"} 2\n"))
        #expect(text.contains("qsh_http_request_duration_seconds_count{route=\"/v2/tasks\"} 2\n"))
        #expect(text.contains("qsh_tasks{status=\"Completed\"} 3\n"))
        #expect(text.contains("qsh_queue_depth{qpu=\"sim:x\"} 2\nqsh_queue_depth{qpu=\"sim:y\"} 0\n"))
    }
}
