/// `2024-01-01T00:00:00.000Z` from epoch milliseconds: the form of SNS's `Timestamp` field, also
/// used by the mailbox, the control API and the admin page.
///
/// It works on the integer milliseconds (``CivilTime``), so it shows exactly the millisecond it
/// was given (Foundation's formatters go through a `Double` of seconds and can show one less).
public enum ISOTimestamp {
    /// The UTC time `milliseconds` after 1970, in ISO 8601 with three fractional digits.
    public static func string(milliseconds: Int64) -> String {
        let time = CivilTime(milliseconds: milliseconds)
        let pad = CivilTime.padded
        return "\(pad(time.year, 4))-\(pad(time.month, 2))-\(pad(time.day, 2))T\(pad(time.hour, 2)):\(pad(time.minute, 2)):"
            + "\(pad(time.second, 2)).\(pad(time.millisecond, 3))Z"
    }
}
