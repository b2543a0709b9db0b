// GET /metrics in Prometheus text format 0.0.4, hand-rolled: requests by route, method and
// status, a latency histogram by route, tasks by state and queue depth by QPU (the last two
// read from the database at scrape time).
import QshCore
import Synchronization

/// The server's request counters and latency histograms.
final class Metrics: Sendable {
    /// Upper bounds of the latency buckets, in seconds (Prometheus' defaults, from 1 ms).
    static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    private struct Histogram {
        var counts = [Int](repeating: 0, count: Metrics.buckets.count)
        var sum = 0.0
        var count = 0
    }

    private struct State {
        var requests: [RequestKey: Int] = [:]
        var latency: [String: Histogram] = [:]
    }

    private let state = Mutex(State())

    /// Counts one answered request.
    func observe(route: String, method: String, status: Int, seconds: Double) {
        state.withLock { state in
            state.requests[RequestKey(route: route, method: method, status: status), default: 0] += 1
            var histogram = state.latency[route] ?? Histogram()
            if let bucket = Self.buckets.firstIndex(where: { seconds <= $0 }) { histogram.counts[bucket] += 1 }
            histogram.sum += seconds
            histogram.count += 1
            state.latency[route] = histogram
        }
    }

    /// The exposition text: the counters, then `tasks` per state and `queued` per QPU.
    func render(tasks: [TaskStatus: Int], queued: [String: Int], qpus: [String]) -> String {
        let snapshot = state.withLock { $0 }
        var out = "# HELP qsh_http_requests_total HTTP requests answered, by route, method and status.\n"
        out += "# TYPE qsh_http_requests_total counter\n"
        for (key, n) in snapshot.requests.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            out += "qsh_http_requests_total{route=\"\(escaped(key.route))\",method=\"\(key.method)\",status=\"\(key.status)\"} \(n)\n"
        }
        out += "# HELP qsh_http_request_duration_seconds Time to answer a request (to its headers), by route.\n"
        out += "# TYPE qsh_http_request_duration_seconds histogram\n"
        for (route, h) in snapshot.latency.sorted(by: { $0.key < $1.key }) {
            let label = "route=\"\(escaped(route))\""
            var cumulative = 0
            for (i, bound) in Self.buckets.enumerated() {
                cumulative += h.counts[i]
                out += "qsh_http_request_duration_seconds_bucket{\(label),le=\"\(number(bound))\"} \(cumulative)\n"
            }
            out += "qsh_http_request_duration_seconds_bucket{\(label),le=\"+Inf\"} \(h.count)\n"
            out += "qsh_http_request_duration_seconds_sum{\(label)} \(number(h.sum))\n"
            out += "qsh_http_request_duration_seconds_count{\(label)} \(h.count)\n"
        }
        out += "# HELP qsh_tasks Tasks in the database, by state.\n# TYPE qsh_tasks gauge\n"
        for status in TaskStatus.allCases {
            out += "qsh_tasks{status=\"\(status.rawValue)\"} \(tasks[status] ?? 0)\n"
        }
        out += "# HELP qsh_queue_depth Tasks waiting (Created, PayloadProcessing, Scheduled), by QPU.\n"
        out += "# TYPE qsh_queue_depth gauge\n"
        for qpu in Set(qpus).union(queued.keys).sorted() {
            out += "qsh_queue_depth{qpu=\"\(escaped(qpu))\"} \(queued[qpu] ?? 0)\n"
        }
        return out
    }

    private func escaped(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    private func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}
