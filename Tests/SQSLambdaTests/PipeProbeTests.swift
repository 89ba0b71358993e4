import Testing

@testable import SQSLambda

#if canImport(Glibc)
import Glibc
#endif

@Suite("PipeProbe")
struct PipeProbeTests {
    @Test func seesBytesWaitingInAPipeWithoutTakingThem() throws {
        var descriptors: [Int32] = [-1, -1]
        try #require(pipe(&descriptors) == 0)
        defer { descriptors.forEach { _ = close($0) } }
        // Our own write end stands for a child's stdout.
        let probe = try #require(PipeProbe(processID: getpid(), descriptor: descriptors[1]))
        #expect(probe.pendingBytes == 0)
        #expect(write(descriptors[1], "line\n", 5) == 5)
        #expect(probe.pendingBytes == 5)
        #expect(probe.pendingBytes == 5, "the probe does not read")
        var buffer = [UInt8](repeating: 0, count: 3)
        #expect(read(descriptors[0], &buffer, buffer.count) == 3)
        #expect(probe.pendingBytes == 2)
    }

    @Test func isNilForWhatIsNotAPipe() throws {
        let null = open("/dev/null", O_WRONLY)
        try #require(null >= 0)
        defer { _ = close(null) }
        #expect(PipeProbe(processID: getpid(), descriptor: null) == nil)
        #expect(PipeProbe(processID: getpid(), descriptor: 9999) == nil)
    }
}
