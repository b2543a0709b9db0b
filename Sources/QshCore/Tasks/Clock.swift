// Time for tasks: an injected wall clock and a millisecond UTC timestamp with
// RFC 3339 formatting and parsing done by hand (no calendar or formatter needed).
import FoundationEssentials

/// Milliseconds since 1970-01-01T00:00:00Z.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// The time `seconds` later (earlier when negative), saturating at about ±285,000
    /// years so that no user-given duration can overflow.
    public func adding(seconds: Double) -> Timestamp {
        let limit = 9e15
        let delta = seconds.isNaN ? 0 : min(limit, max(-limit, (seconds * 1000).rounded()))
        return Timestamp(milliseconds: milliseconds + Int64(delta))
    }

    /// Seconds from `self` to `other`.
    public func seconds(until other: Timestamp) -> Double { Double(other.milliseconds - milliseconds) / 1000 }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.milliseconds < b.milliseconds }

    /// RFC 3339 in UTC to the second: `2026-01-26T10:00:00Z`.
    public var rfc3339: String {
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = seconds - days * 86400
        let (y, m, d) = Timestamp.civil(fromDays: days)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var year = String(y)
        while year.count < 4 { year = "0" + year }
        return "\(year)-\(two(m))-\(two(d))T\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):"
            + "\(two(secondOfDay % 60))Z"
    }

    public var description: String { rfc3339 }

    /// Parses `2026-01-26T10:00:00Z`, `...T10:00:00.250+01:00`, `2026-01-26 10:00:00` (UTC)
    /// or a bare date `2026-01-26` (midnight UTC).
    public init?(rfc3339 text: String) {
        let b = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= b.count else { return nil }
            var v: Int64 = 0
            for i in from..<(from + count) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int64(b[i] - 48)
            }
            return v
        }
        guard b.count >= 10, let y = number(0, 4), b[4] == 45, let mo = number(5, 2), b[7] == 45,
            let d = number(8, 2), (1...12).contains(mo), (1...31).contains(d)
        else { return nil }
        var ms = Timestamp.days(fromCivil: y, mo, d) * 86_400_000
        if b.count == 10 {
            self.milliseconds = ms
            return
        }
        guard b.count >= 19, b[10] == 84 || b[10] == 116 || b[10] == 32, let h = number(11, 2), b[13] == 58,
            let mi = number(14, 2), b[16] == 58, let s = number(17, 2), h < 24, mi < 60, s < 61
        else { return nil }
        ms += (h * 3600 + mi * 60 + s) * 1000
        var i = 19
        if i < b.count, b[i] == 46 {
            i += 1
            var scale: Int64 = 100
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                ms += Int64(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            if i == start { return nil }
        }
        if i == b.count {
            if b[10] != 32 { return nil }  // a 'T' form needs a zone; the space form means UTC
        } else if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45 {
            guard let oh = number(i + 1, 2), i + 3 < b.count, b[i + 3] == 58, let om = number(i + 4, 2) else {
                return nil
            }
            let offset = (oh * 60 + om) * 60_000
            ms += b[i] == 43 ? -offset : offset
            i += 6
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        self.milliseconds = ms
    }

    /// Howard Hinnant's days_from_civil.
    static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Howard Hinnant's civil_from_days.
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// Where tasks get the current time; tests inject a fixed or stepping clock.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Timestamp
}

/// The system's real-time clock.
public struct SystemClock: WallClock {
    public init() {}

    public func now() -> Timestamp {
        Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
