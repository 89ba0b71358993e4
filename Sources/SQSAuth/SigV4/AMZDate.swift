import SQSEngine

/// The timestamps SigV4 and policies use, as seconds since 1970 (UTC), without Foundation's
/// formatters: `X-Amz-Date` (`20150830T123600Z`), the HTTP `Date` header (RFC 1123) and ISO 8601.
public enum AMZDate {
    /// Parses `YYYYMMDDTHHMMSSZ`; `nil` if the text is not exactly that.
    public static func parse(_ text: Substring) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        guard let year = number(bytes[0..<4]), let month = number(bytes[4..<6]), let day = number(bytes[6..<8]),
            let hour = number(bytes[9..<11]), let minute = number(bytes[11..<13]), let second = number(bytes[13..<15])
        else { return nil }
        return epoch(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// Formats seconds since 1970 as `YYYYMMDDTHHMMSSZ`.
    public static func format(_ seconds: Int64) -> String {
        let time = CivilTime(seconds: seconds), pad = CivilTime.padded
        return pad(time.year, 4) + pad(time.month, 2) + pad(time.day, 2) + "T" + pad(time.hour, 2) + pad(time.minute, 2) + pad(time.second, 2) + "Z"
    }

    /// Formats seconds since 1970 as ISO 8601 (`2015-08-30T12:36:00Z`), as `aws:CurrentTime` is.
    public static func iso8601(_ seconds: Int64) -> String {
        let time = CivilTime(seconds: seconds), pad = CivilTime.padded
        return "\(pad(time.year, 4))-\(pad(time.month, 2))-\(pad(time.day, 2))T\(pad(time.hour, 2)):\(pad(time.minute, 2)):\(pad(time.second, 2))Z"
    }

    /// Parses an HTTP date such as `Sun, 30 Aug 2015 12:36:00 GMT` (RFC 7231's IMF-fixdate, as SDKs
    /// send it): a four-digit year and two-digit time fields, else `nil`.
    public static func parseHTTPDate(_ text: Substring) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", (1...2).contains(parts[1].utf8.count), parts[3].utf8.count == 4,
            let day = number(ArraySlice(parts[1].utf8)), let year = number(ArraySlice(parts[3].utf8)),
            let month = months.firstIndex(of: String(parts[2])).map({ $0 + 1 })
        else { return nil }
        let time = parts[4].split(separator: ":", omittingEmptySubsequences: false)
        guard time.count == 3, time.allSatisfy({ $0.utf8.count == 2 }), let hour = number(ArraySlice(time[0].utf8)),
            let minute = number(ArraySlice(time[1].utf8)), let second = number(ArraySlice(time[2].utf8))
        else { return nil }
        return epoch(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// Parses ISO 8601 as policies write dates: `2024-01-01`, `2024-01-01T00:00:00Z` (fractions and
    /// offsets allowed), or a number of seconds since 1970.
    public static func parseISO8601(_ text: Substring) -> Int64? {
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return Int64(text) }
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10])
        else { return nil }
        guard bytes.count > 10 else { return epoch(year: year, month: month, day: day, hour: 0, minute: 0, second: 0) }
        guard bytes.count >= 19, bytes[10] == UInt8(ascii: "T"), let hour = number(bytes[11..<13]), let minute = number(bytes[14..<16]),
            let second = number(bytes[17..<19]), var result = epoch(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        else { return nil }
        var index = 19
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"), bytes.count >= index + 6,
            let offsetHours = number(bytes[(index + 1)..<(index + 3)]), let offsetMinutes = number(bytes[(index + 4)..<(index + 6)])
        {
            let offset = Int64(offsetHours * 3600 + offsetMinutes * 60)
            result += bytes[index] == UInt8(ascii: "+") ? -offset : offset
        }
        return result
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for digit in digits {
            guard digit >= 0x30, digit <= 0x39 else { return nil }
            value = value * 10 + Int(digit - 0x30)
        }
        return value
    }

    /// Seconds since 1970 of a UTC date and time (days from civil, H. Hinnant's algorithm).
    static func epoch(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Int64? {
        guard (0...9999).contains(year), (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
            (0...60).contains(second)
        else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = Int64(era * 146_097 + dayOfEra - 719_468)
        return days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }
}
