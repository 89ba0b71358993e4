#if canImport(Glibc)
import Glibc
import Testing

@testable import SQSServer

/// ``MallocSettings``: large blocks keep their own mapping (so freeing them returns the memory)
/// even after a larger block was freed, which would otherwise raise glibc's threshold.
@Suite("Malloc settings")
struct MallocSettingsTests {
    @Test func largeBlocksStayMappedAfterALargerOneIsFreed() throws {
        #expect(MallocSettings.apply())
        // Freeing a 16 MiB mapped block raises glibc's adaptive threshold to 16 MiB.
        free(malloc(16 << 20))
        let block = try #require(malloc(4 << 20))
        defer { free(block) }
        #expect(Self.isMapped(block))
        let small = try #require(malloc(64 << 10))
        defer { free(small) }
        #expect(!Self.isMapped(small))
    }

    /// Whether glibc gave `block` its own mapping: the `IS_MMAPPED` bit (2) of the size word just
    /// before the block, in glibc's chunk layout.
    private static func isMapped(_ block: UnsafeMutableRawPointer) -> Bool {
        (block - MemoryLayout<Int>.size).load(as: Int.self) & 2 != 0
    }
}
#endif
