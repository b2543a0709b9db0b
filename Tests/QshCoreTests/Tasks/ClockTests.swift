// Timestamps: RFC 3339 formatting and parsing by hand, across epochs and zones.
import QshCore
import Testing

@Suite struct ClockTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (Int64(1_769_421_600_000), "2026-01-26T10:00:00Z"),
        (Int64(951_782_400_000), "2000-02-29T00:00:00Z"),
        (Int64(-1000), "1969-12-31T23:59:59Z"),
        (Int64(1_769_421_600_999), "2026-01-26T10:00:00Z"),
    ])
    func formats(ms: Int64, text: String) {
        #expect(Timestamp(milliseconds: ms).rfc3339 == text)
    }

    @Test func parsesTheFormsUsersType() {
        #expect(Timestamp(rfc3339: "2026-01-26T10:00:00Z")?.milliseconds == 1_769_421_600_000)
        #expect(Timestamp(rfc3339: "2026-01-26T11:00:00+01:00")?.milliseconds == 1_769_421_600_000)
        #expect(Timestamp(rfc3339: "2026-01-26T10:00:00.250Z")?.milliseconds == 1_769_421_600_250)
        #expect(Timestamp(rfc3339: "2026-01-26 10:00:00")?.milliseconds == 1_769_421_600_000)
        #expect(Timestamp(rfc3339: "2026-01-26")?.milliseconds == 1_769_385_600_000)
    }

    @Test(arguments: ["", "2026", "2026-13-01", "2026-01-26T10:00:00", "2026-01-26T25:00:00Z", "yesterday",
                      "2026-01-26T10:00:00Zjunk"])
    func rejectsNonsense(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test func roundTripsAcrossCenturies() {
        for ms in stride(from: Int64(-5_000_000_000_000), through: 5_000_000_000_000, by: 86_399_000_017) {
            let seconds = ms - ((ms % 1000) + 1000) % 1000
            #expect(Timestamp(rfc3339: Timestamp(milliseconds: ms).rfc3339)?.milliseconds == seconds)
        }
    }

    @Test func addingSaturatesInsteadOfOverflowing() {
        let t = Timestamp(milliseconds: 0)
        #expect(t.adding(seconds: 1e300).milliseconds == 9_000_000_000_000_000)
        #expect(t.adding(seconds: -.infinity).milliseconds == -9_000_000_000_000_000)
        #expect(t.adding(seconds: .nan) == t)
        #expect(t.adding(seconds: 1.5).milliseconds == 1500)
    }
}
