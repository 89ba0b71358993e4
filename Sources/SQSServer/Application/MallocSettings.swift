#if canImport(Glibc)
import CMalloc

/// Fixed thresholds for glibc's allocator, so memory freed after a backlog drains goes back to the
/// system.
///
/// glibc adapts its thresholds as a program runs: once a large block that it had mapped on its
/// own is freed, it raises the size above which blocks get their own mapping to that block's size
/// (up to 32 MiB) and keeps up to twice that free at the top of each thread's heap. The queue
/// engine's arrays for a large backlog are such blocks. After a 580,000-message backlog was
/// received and deleted, 4 MiB were in use and 73 MiB still mapped, and `malloc_trim` could not
/// return the free tops of the event loops' heaps.
///
/// ``apply()`` fixes both thresholds (which also turns the adaptation off): blocks of 256 KiB and
/// more are mapped on their own and unmapped when freed, and a heap's free top is returned once it
/// passes 1 MiB.
public enum MallocSettings {
    /// Blocks at least this large get their own mapping (glibc's default starts at 128 KiB).
    static let mmapThreshold: Int32 = 256 * 1024
    /// A heap returns its free top to the system beyond this (glibc's default starts at 128 KiB).
    static let trimThreshold: Int32 = 1024 * 1024

    /// Sets the thresholds; call once, before the server allocates much. Returns whether glibc
    /// accepted both.
    @discardableResult
    public static func apply() -> Bool {
        mallopt(M_MMAP_THRESHOLD, mmapThreshold) == 1 && mallopt(M_TRIM_THRESHOLD, trimThreshold) == 1
    }

    /// Returns the free pages inside every heap to the system (`malloc_trim(0)`), not only the
    /// free tops the thresholds release: after a purge of 1,000,000 messages, 27 MiB of one
    /// thread's heap was free between blocks still in use. Returns whether anything was released.
    @discardableResult
    public static func trim() -> Bool {
        malloc_trim(0) == 1
    }
}
#else
public enum MallocSettings {
    @discardableResult
    public static func apply() -> Bool { false }

    @discardableResult
    public static func trim() -> Bool { false }
}
#endif
