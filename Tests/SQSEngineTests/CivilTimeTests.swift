import FoundationEssentials
import Testing

@testable import SQSEngine

/// The UTC calendar fields the hand-written date formatters print.
struct CivilTimeTests {
    @Test func agreesWithFoundationsGregorianCalendarBeforeAndAfter1970() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var generator = SplitMix64(seed: 1_970)
        // 1900-01-01 to 2100-01-01, whole seconds (exact in a Double) plus a millisecond part.
        let low: Int64 = -2_208_988_800_000
        let span = UInt64(4_102_444_800_000 - low)
        for _ in 0..<5_000 {
            let milliseconds = low + Int64(generator.next() % span)
            let time = CivilTime(milliseconds: milliseconds)
            let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
            let date = Date(timeIntervalSince1970: Double(seconds))
            let fields = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
            #expect(
                [time.year, time.month, time.day, time.hour, time.minute, time.second, time.weekday + 1]
                    == [fields.year, fields.month, fields.day, fields.hour, fields.minute, fields.second, fields.weekday].map { $0 ?? -1 },
                "\(milliseconds)")
            #expect(Int64(time.millisecond) == milliseconds - seconds * 1000)
        }
    }

    @Test func theEdgesOfTheEpochAndOfADay() {
        let epoch = CivilTime(milliseconds: 0)
        #expect([epoch.year, epoch.month, epoch.day, epoch.hour, epoch.weekday] == [1970, 1, 1, 0, 4])
        let before = CivilTime(milliseconds: -1)
        #expect([before.year, before.month, before.day, before.hour, before.minute, before.second, before.millisecond, before.weekday]
            == [1969, 12, 31, 23, 59, 59, 999, 3])
        // Any Int64 is accepted, milliseconds or seconds.
        for extreme in [Int64.min, Int64.min + 1, Int64.max] {
            #expect((1...12).contains(CivilTime(milliseconds: extreme).month))
            #expect((0...6).contains(CivilTime(seconds: extreme).weekday))
        }
        #expect(CivilTime(seconds: -1) == CivilTime(milliseconds: -1000))
        #expect(CivilTime.padded(7, 3) == "007")
        #expect(CivilTime.padded(12_345, 3) == "12345")
    }
}
