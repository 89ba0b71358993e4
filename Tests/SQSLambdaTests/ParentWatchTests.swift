import Subprocess
import SystemPackage
import Testing

@testable import SQSLambda

#if canImport(Glibc)
import Glibc
#endif

/// The watcher that kills a function process's group once sqslite's end of its pipe closes, as the
/// kernel closes it when sqslite dies (the interop suite kills a real server; see
/// tests/interop/test_lambda_processes.py).
@Suite("ParentWatch", .timeLimit(.minutes(1)))
struct ParentWatchTests {
    @Test func closingTheWriteEndKillsTheWholeGroup() async throws {
        let watch = try ParentWatch()
        var options = PlatformOptions()
        options.processGroupID = 0
        let helper = OneShot<Int32>()
        // A process that starts a helper in its group, says its pid, and waits for it.
        let command = ["sh", "-c", "sleep 300 & echo $!; wait"]
        let result = try await run(
            .path("/bin/sh"), arguments: Arguments(ParentWatch.arguments(for: command)), platformOptions: options,
            input: .fileDescriptor(watch.readEnd, closeAfterSpawningProcess: true), output: .sequence, error: .discarded
        ) { execution in
            for try await line in execution.standardOutput.strings() {
                guard let pid = Int32(line) else { continue }
                #expect(ProcessFixture.members(ofGroup: execution.processIdentifier.value).contains(pid))
                helper.resolve(pid)
                watch.close()
            }
            return execution.processIdentifier.value
        }
        #expect(result.terminationStatus == .signaled(SIGKILL))
        let pid = try #require(helper.current)
        #expect(await ProcessFixture.waitUntil { !ProcessFixture.isRunning(pid) }, "the helper is gone too")
        #expect(await ProcessFixture.waitUntil { ProcessFixture.members(ofGroup: result.closureResult).isEmpty })
    }

    @Test func theProcessGetsNullInputAndItsCommandRunsThroughEnv() async throws {
        let watch = try ParentWatch()
        var options = PlatformOptions()
        options.processGroupID = 0
        let result = try await run(
            .path("/bin/sh"), arguments: Arguments(ParentWatch.arguments(for: ["sh", "-c", "cat; echo \"$0\" done"])),
            platformOptions: options, input: .fileDescriptor(watch.readEnd, closeAfterSpawningProcess: true), output: .string(limit: 1024))
        watch.close()
        // `cat` reads /dev/null (not the watch pipe, which would block it), and `$0` is what env ran.
        #expect(result.standardOutput == "sh done\n")
        #expect(result.terminationStatus == .exited(0))
        let missing = try ParentWatch()
        let notFound = try await run(
            .path("/bin/sh"), arguments: Arguments(ParentWatch.arguments(for: ["/nonexistent/bootstrap"])), platformOptions: options,
            input: .fileDescriptor(missing.readEnd, closeAfterSpawningProcess: true), output: .discarded)
        missing.close()
        #expect(notFound.terminationStatus == .exited(127))
    }

    @Test func theWatcherNeverKillsAGroupTheProcessDoesNotLead() async throws {
        let watch = try ParentWatch()
        // No group of its own: the process is in the test's group, which must survive the watcher.
        let result = try await run(
            .path("/bin/sh"), arguments: Arguments(ParentWatch.arguments(for: ["sh", "-c", "echo started; sleep 0.3; echo finished"])),
            input: .fileDescriptor(watch.readEnd, closeAfterSpawningProcess: true), output: .sequence, error: .discarded
        ) { execution in
            var lines: [String] = []
            for try await line in execution.standardOutput.strings() {
                if line == "started" { watch.close() }
                lines.append(line)
            }
            return lines
        }
        #expect(result.closureResult == ["started", "finished"])
        #expect(result.terminationStatus == .exited(0))
    }
}
