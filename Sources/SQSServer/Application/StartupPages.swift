#if canImport(Glibc)
import Glibc

/// Gives back the code pages that only startup touched (called by `sqslite serve` once it listens).
///
/// Starting touches code that never runs again: argument parsing, the config file's YAML, the
/// schema migrations, Foundation's and the libraries' initialisers. Each first touch of a code
/// page maps it *and* the neighbouring pages already in the page cache (the kernel's fault-around,
/// 64 KiB windows), so after startup most of the process's resident set is clean code it will
/// not run: about 30 of an idle server's 34 MiB.
///
/// ``release()`` unmaps the process's executable file-backed pages (`MADV_DONTNEED` on the
/// `r-xp` mappings of `/proc/self/maps`). They stay in the page cache, so the code that runs
/// next maps its pages back with a minor fault; only the code still in use is resident again.
/// Only mappings that are executable and not writable are released: their pages are never
/// written (no copy-on-write copy to lose), so dropping the mapping cannot change what runs.
/// The one writer of code pages is a debugger setting breakpoints, so nothing is released while
/// one is attached (`TracerPid` in `/proc/self/status`).
public enum StartupPages {
    /// Unmaps the executable file-backed mappings' pages; returns how many bytes were advised.
    @discardableResult
    public static func release() -> Int {
        guard !isTraced() else { return 0 }
        var released = 0
        for range in lines(of: "/proc/self/maps").compactMap(executableFileRange) {
            if madvise(UnsafeMutableRawPointer(bitPattern: range.lowerBound), range.count, MADV_DONTNEED) == 0 {
                released += range.count
            }
        }
        return released
    }

    /// Whether a debugger (or any tracer) is attached: `/proc/self/status` names a `TracerPid` other than 0.
    static func isTraced() -> Bool {
        lines(of: "/proc/self/status").lazy.compactMap(tracerPID).first.map { $0 != 0 } ?? false
    }

    /// The lines of a small text file (a `/proc` file, read whole); none if it cannot be opened.
    private static func lines(of path: String) -> [String] {
        guard let file = fopen(path, "r") else { return [] }
        defer { fclose(file) }
        var lines: [String] = []
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), file) != nil {
            lines.append(buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        }
        return lines
    }

    /// The pid of a `/proc/self/status` line `TracerPid:\t<pid>`, or `nil` for other lines.
    package static func tracerPID(_ line: String) -> Int? {
        guard line.hasPrefix("TracerPid:") else { return nil }
        return Int(line.dropFirst("TracerPid:".count).trimmingPrefix(while: { $0 == " " || $0 == "\t" }).prefix(while: \.isNumber))
    }

    /// The address range of a `/proc/self/maps` line if it maps a file `r-xp`.
    ///
    /// A line reads `start-end perms offset dev inode path`, e.g.
    /// `7f1c2a000000-7f1c2a400000 r-xp 00000000 08:01 1234 /usr/lib/libc.so.6`.
    package static func executableFileRange(_ line: String) -> Range<UInt>? {
        let fields = line.split(maxSplits: 5, omittingEmptySubsequences: true) { $0 == " " || $0 == "\n" }
        guard fields.count >= 5, fields[1] == "r-xp", fields[4] != "0" else { return nil }
        let bounds = fields[0].split(separator: "-")
        guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16),
            start < end
        else { return nil }
        return start..<end
    }
}
#else
public enum StartupPages {
    @discardableResult
    public static func release() -> Int { 0 }
}
#endif
