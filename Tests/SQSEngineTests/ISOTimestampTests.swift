import FoundationEssentials
import Testing

@testable import SQSEngine

/// ISO 8601 text from epoch milliseconds, exact to the millisecond.
struct ISOTimestampTests {
    @Test func showsExactlyTheMillisecondGiven() {
        // Through a Double of seconds, Foundation shows this one as .898.
        #expect(ISOTimestamp.string(milliseconds: 1_795_779_674_899) == "2026-11-27T11:41:14.899Z")
        #expect(ISOTimestamp.string(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(ISOTimestamp.string(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
        #expect(ISOTimestamp.string(milliseconds: 1_709_164_800_000) == "2024-02-29T00:00:00.000Z")
        #expect(ISOTimestamp.string(milliseconds: 253_402_300_799_999) == "9999-12-31T23:59:59.999Z")
    }

    @Test func agreesWithFoundationOnWholeSecondsAndKeepsTheMilliseconds() {
        // Whole seconds are exact in a Double, so Foundation is a reference for the date and time;
        // the fraction must be the milliseconds given.
        var generator = SplitMix64(seed: 20_261_127)
        let style = Date.ISO8601FormatStyle()
        for _ in 0..<5_000 {
            let milliseconds = Int64(generator.next() % 4_102_444_800_000)  // 1970 to 2100
            let seconds = milliseconds / 1000
            let text = ISOTimestamp.string(milliseconds: milliseconds)
            let reference = Date(timeIntervalSince1970: Double(seconds)).formatted(style)
            #expect(text.prefix(19) == reference.prefix(19), "\(milliseconds)")
            #expect(text.suffix(5) == "\(String(format3: milliseconds % 1000))Z", "\(milliseconds)")
        }
    }
}

extension String {
    fileprivate init(format3 value: Int64) {
        let digits = String(value)
        self = "." + String(repeating: "0", count: 3 - digits.count) + digits
    }
}
