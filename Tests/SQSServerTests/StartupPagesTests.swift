import Foundation
import Testing

@testable import SQSServer

/// ``StartupPages``: which mappings it releases, and that releasing them leaves the process running
/// with less code resident.
@Suite("Startup pages")
struct StartupPagesTests {
    @Test func onlyExecutableFileMappingsAreReleased() {
        let text = "7f1c2a000000-7f1c2a400000 r-xp 00000000 08:01 1234   /usr/lib/x86_64-linux-gnu/libc.so.6\n"
        #expect(StartupPages.executableFileRange(text) == 0x7f1c_2a00_0000..<0x7f1c_2a40_0000)
        // Writable or read-only data (relocated pages would be lost), shared, anonymous, the vDSO.
        #expect(StartupPages.executableFileRange("7f1c2a400000-7f1c2a500000 rw-p 00400000 08:01 1234 /usr/lib/libc.so.6\n") == nil)
        #expect(StartupPages.executableFileRange("7f1c2a400000-7f1c2a500000 r--p 00400000 08:01 1234 /usr/lib/libc.so.6\n") == nil)
        #expect(StartupPages.executableFileRange("7f1c2a400000-7f1c2a500000 rwxp 00400000 08:01 1234 /usr/lib/libc.so.6\n") == nil)
        #expect(StartupPages.executableFileRange("7f1c2a400000-7f1c2a500000 r-xs 00000000 00:05 77 /memfd:x (deleted)\n") == nil)
        #expect(StartupPages.executableFileRange("7ffd1a3f0000-7ffd1a3f2000 r-xp 00000000 00:00 0 [vdso]\n") == nil)
        #expect(StartupPages.executableFileRange("7f1c2a400000-7f1c2a500000 r-xp 00000000 00:00 0\n") == nil)
        // Malformed lines.
        #expect(StartupPages.executableFileRange("") == nil)
        #expect(StartupPages.executableFileRange("zz-7f1c2a500000 r-xp 0 08:01 1234 /x\n") == nil)
        #expect(StartupPages.executableFileRange("7f1c2a500000-7f1c2a400000 r-xp 0 08:01 1234 /x\n") == nil)
    }

    @Test func aTracerIsReadFromTheStatusLine() {
        #expect(StartupPages.tracerPID("TracerPid:\t0\n") == 0)
        #expect(StartupPages.tracerPID("TracerPid:\t4242\n") == 4242)
        #expect(StartupPages.tracerPID("TracerPid:   17\n") == 17)
        #expect(StartupPages.tracerPID("PPid:\t1\n") == nil)
        #expect(StartupPages.tracerPID("TracerPid:\t\n") == nil)
    }

    #if os(Linux)
    @Test(.enabled(if: !StartupPages.isTraced(), "releases nothing under a debugger"))
    func releasingLeavesLessCodeResidentAndTheProcessRunning() throws {
        let before = try Self.residentExecutableKiB()
        #expect(before > 1024)
        let released = StartupPages.release()
        #expect(released > 0)
        let after = try Self.residentExecutableKiB()
        #expect(after < before)
        // Code runs on: the pages come back from the page cache when used.
        #expect(try Self.residentExecutableKiB() > 0)
    }

    /// The resident KiB of this process's executable file-backed mappings, from `/proc/self/smaps`.
    private static func residentExecutableKiB() throws -> Int {
        let smaps = try String(contentsOfFile: "/proc/self/smaps", encoding: .utf8)
        var total = 0
        var inExecutableFile = false
        for line in smaps.split(separator: "\n") {
            if let first = line.first, first.isHexDigit, line.contains("-"), !line.hasSuffix(":") {
                inExecutableFile = StartupPages.executableFileRange(String(line)) != nil
            } else if inExecutableFile, line.hasPrefix("Rss:") {
                total += Int(line.split(separator: " ")[1]) ?? 0
            }
        }
        return total
    }
    #endif
}
