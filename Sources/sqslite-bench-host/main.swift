// sqslite-bench-host: sqslite embedded as a library, with one in-process function, for the
// benchmark's "send -> handler, in-process function" row (`scripts/bench.py`).
//
// It serves like `sqslite serve` (the options the benchmark passes: --host, --port, --data-dir,
// --log-level, --deleted-queue-cooldown, --config) and registers `BenchInProcess`, a Swift closure
// mapped to the queue `BenchHandler` (batch size 10, no batching window, as the Python row). For
// each record the closure appends `<body> <CLOCK_MONOTONIC ns>` to the file named by BENCH_OUT,
// the same line the Python row's handler writes, so the benchmark times both the same way.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import SQSLambda
import SQSServer

/// Prints `message` to standard error and exits with status 2 (usage error).
func fail(_ message: String) -> Never {
    FileDescriptorWriter.standardError("sqslite-bench-host: \(message)\n")
    exit(2)
}

var options = ServerOptions(handlesSignals: true)
var arguments = CommandLine.arguments.dropFirst()
if arguments.first == "serve" { arguments = arguments.dropFirst() }
while let name = arguments.popFirst() {
    guard let value = arguments.popFirst() else {
        fail("\(name) needs a value")
    }
    switch name {
    case "--host": options.host = value
    case "--port": options.port = Int(value) ?? 0
    case "--data-dir": options.dataDirectory = value
    case "--config": options.configPath = value
    case "--deleted-queue-cooldown": options.deletedQueueCooldown = Int(value) ?? 0
    case "--log-level": break
    default:
        fail("unknown option \(name)")
    }
}

guard let outputPath = getenv("BENCH_OUT").map({ String(cString: $0) }), let output = fopen(outputPath, "a") else {
    fail("set BENCH_OUT to a writable file")
}
nonisolated(unsafe) let sink = output

/// Writes to a file descriptor with `write(2)`.
enum FileDescriptorWriter {
    static func standardError(_ text: String) {
        var text = text
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}

var logger = Logger(label: "sqslite-bench-host")
logger.logLevel = .error
let server = SQSLiteServer(options: options, logger: logger)
server.functions.register(
    InProcessFunction(name: "BenchInProcess") { (event: SQSEvent, _) -> SQSBatchResponse? in
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let nanoseconds = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        for record in event.records {
            fputs("\(record.body) \(nanoseconds)\n", sink)
        }
        fflush(sink)
        return SQSBatchResponse(batchItemFailures: [])
    })

try await withThrowingDiscardingTaskGroup { group in
    group.addTask { try await server.run() }
    guard await server.boundPort != nil else { return }
    try await server.mapQueue(
        "BenchHandler", to: "BenchInProcess",
        settings: EventSourceMappingSettings(batchSize: 10, maximumBatchingWindowInSeconds: 0, maximumConcurrency: 2))
}
