/// A UTC calendar date and time of day, from milliseconds since 1970: what the hand-written
/// formatters (ISO 8601, RFC 2822 mail dates, log stream names) print.
///
/// Works on integers throughout (days to a civil date by Howard Hinnant's algorithm), so it is
/// exact to the millisecond for times before and after 1970.
public struct CivilTime: Sendable, Equatable {
    public var year: Int
    /// 1 to 12.
    public var month: Int
    /// 1 to 31.
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public var millisecond: Int
    /// The day of the week, 0 for Sunday to 6 for Saturday.
    public var weekday: Int

    /// The UTC date and time `milliseconds` after 1970-01-01T00:00:00Z (before it when negative).
    /// Any `Int64` is accepted.
    public init(milliseconds: Int64) {
        let (days, millisecondOfDay) = Self.floorDivision(milliseconds, 86_400_000)
        self.init(days: Int(days), millisecondOfDay: Int(millisecondOfDay))
    }

    /// The UTC date and time `seconds` after 1970-01-01T00:00:00Z, with 0 milliseconds. Any `Int64` is accepted.
    public init(seconds: Int64) {
        let (days, secondOfDay) = Self.floorDivision(seconds, 86_400)
        self.init(days: Int(days), millisecondOfDay: Int(secondOfDay) * 1000)
    }

    private init(days: Int, millisecondOfDay: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        hour = millisecondOfDay / 3_600_000
        minute = millisecondOfDay / 60_000 % 60
        second = millisecondOfDay / 1000 % 60
        millisecond = millisecondOfDay % 1000
        // 1970-01-01 was a Thursday.
        weekday = (days % 7 + 11) % 7
    }

    /// `value / divisor` rounded down, and the remainder (0 or more), without overflow.
    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// `value` in decimal, with leading zeros up to `width` digits.
    public static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
