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
        // A 4 MiB request is mapped on its own only when the heap has no free chunk that fits, and
        // the tests running beside this one leave free chunks of every size. So blocks are taken
        // until the free chunks that fit are used up: with the threshold fixed, one is then mapped;
        // with it raised to 16 MiB, none ever is (the heap grows instead).
        var blocks: [UnsafeMutableRawPointer] = []
        defer { for block in blocks { free(block) } }
        while blocks.count < 32, !(blocks.last.map(Self.isMapped) ?? false) {
            blocks.append(try #require(malloc(4 << 20)))
        }
        #expect(blocks.last.map(Self.isMapped) == true, "\(blocks.count) blocks of 4 MiB, none mapped on its own")
        let small = try #require(malloc(64 << 10))
        defer { free(small) }
        #expect(!Self.isMapped(small))
    }

    @Test func trimReturnsFreePagesBetweenBlocksInUse() throws {
        // Every other 64 KiB block freed: free pages that no threshold returns, each between two
        // blocks still in use. A server test running beside this one may trim (its MemoryTrimmer)
        // between the frees and the first count; then the round is taken again.
        let size = 64 << 10
        for round in 1...3 {
            let blocks = try (0..<256).map { _ in try #require(malloc(size)) }
            defer { for index in stride(from: 1, to: blocks.count, by: 2) { free(blocks[index]) } }
            for block in blocks { memset(block, 1, size) }
            let freed = stride(from: 0, to: blocks.count, by: 2).map { blocks[$0] }
            for block in freed { free(block) }
            let before = Self.residentPages(freed, size: size)
            guard before.resident > before.total * 9 / 10 else {
                #expect(round < 3, "the freed pages were not resident before the trim in any of 3 rounds")
                continue
            }
            #expect(MallocSettings.trim())
            let after = Self.residentPages(freed, size: size)
            // Other tests run beside this one and may reuse a few of the freed blocks.
            #expect(after.resident < after.total / 2)
            return
        }
    }

    /// How many whole pages inside `blocks` (past glibc's chunk headers) are resident (`mincore`).
    private static func residentPages(_ blocks: [UnsafeMutableRawPointer], size: Int) -> (resident: Int, total: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        var resident = 0
        var total = 0
        for block in blocks {
            let start = (Int(bitPattern: block) + 64 + page - 1) / page * page
            let end = (Int(bitPattern: block) + size - 64) / page * page
            guard end > start else { continue }
            var vector = [UInt8](repeating: 0, count: (end - start) / page)
            guard mincore(UnsafeMutableRawPointer(bitPattern: start), end - start, &vector) == 0 else { continue }
            total += vector.count
            resident += vector.reduce(0) { $0 + Int($1 & 1) }
        }
        return (resident, total)
    }

    /// Whether glibc gave `block` its own mapping: the `IS_MMAPPED` bit (2) of the size word just
    /// before the block, in glibc's chunk layout.
    private static func isMapped(_ block: UnsafeMutableRawPointer) -> Bool {
        (block - MemoryLayout<Int>.size).load(as: Int.self) & 2 != 0
    }
}
#endif
