import FoundationEssentials
import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSLambda

/// The Lambda pages: functions and mappings, one function (with its Test form), one invocation.
extension AdminResponder {
    func lambdaPage(_ request: AdminRequest) async -> HTTPResponse {
        guard let lambda else { return notFound(request, "This server has no Lambda functions.") }
        let segments = request.segments
        switch (segments.first, segments.count) {
        case ("functions", 1):
            let functions = lambda.functions.all
            let context: [String: Any] = [
                "functions": functions.map { function -> [String: Any] in
                    let recent = lambda.invocations.recent(function: function.configuration.name, limit: 100)
                    let api = AdminAPI.Function(function.configuration, recent: recent)
                    var row: [String: Any] = [
                        "name": api.name, "href": "/admin/functions/\(api.name)", "kind": api.kind, "runtime": api.runtime,
                        "timeout": api.timeout, "memorySize": api.memorySize, "recent": api.recentInvocations,
                    ]
                    if let status = api.lastStatus { row["lastStatus"] = status }
                    return row
                },
                "functionCount": functions.count, "hasFunctions": !functions.isEmpty,
            ].merging(await mappingsContext(lambda, function: nil)) { a, _ in a }
                .merging(invocationsContext(lambda, function: nil)) { a, _ in a }
            return render("functions", title: "Functions", context: context, request: request, nav: "functions")
        case ("functions", 2):
            let name = String(segments[1])
            guard let function = lambda.functions.function(named: name) else {
                return notFound(request, "There is no function named \(name).")
            }
            let configuration = function.configuration
            let mappings = await lambda.mappings.list(functionName: name)
            var context: [String: Any] = [
                "name": name, "kind": configuration.kind.rawValue, "runtime": configuration.runtime, "timeout": configuration.timeout,
                "arn": configuration.arn(account: lambda.invoker.account, region: lambda.invoker.region),
                "invokeAction": "/admin/functions/\(name)/invoke",
                "sampleEvent": Self.sampleEvent(queueArn: mappings.first?.eventSourceArn, defaults: defaults),
            ]
            if let handler = configuration.handler { context["handler"] = handler }
            if logs != nil {
                context["logsAPI"] = "\(AdminPaths.api)/functions/\(name)/logs"
                context["logGroup"] = "/aws/lambda/\(name)"
            }
            context.merge(await mappingsContext(lambda, function: name)) { a, _ in a }
            context.merge(invocationsContext(lambda, function: name)) { a, _ in a }
            return render("function", title: name, context: context, request: request, nav: "functions")
        case ("invocations", 2):
            guard let id = Int(segments[1]), let record = lambda.invocations.record(id: id) else {
                return notFound(request, "There is no such invocation (the log keeps the most recent ones).")
            }
            var details: [(String, String)] = [
                ("Function", record.functionName), ("Request id", record.requestID), ("Started", Self.isoTime(record.startedAt)),
                ("Duration", "\(record.durationMilliseconds) ms"), ("Batch size", String(record.batchSize)),
            ]
            details.append(("Source", record.mappingUUID.map { "mapping \($0)" } ?? "direct invoke"))
            var context: [String: Any] = [
                "id": record.id, "functionName": record.functionName, "functionHref": "/admin/functions/\(record.functionName)",
                "status": record.status.rawValue, "details": details.map { ["name": $0.0, "value": $0.1] },
                "event": Self.prettyJSON(record.event) ?? record.event, "response": Self.prettyJSON(record.response) ?? record.response,
                "logLines": record.logLines, "hasLogs": !record.logLines.isEmpty,
            ]
            if let error = record.error { context["error"] = error }
            return render("invocation", title: "Invocation \(record.id)", context: context, request: request, nav: "functions")
        default:
            return notFound(request, "There is no admin page at this address.")
        }
    }

    private func mappingsContext(_ lambda: AdminLambda, function: String?) async -> [String: Any] {
        let mappings = await lambda.mappings.list(functionName: function)
        return [
            "hasMappings": !mappings.isEmpty,
            "mappings": mappings.map { mapping -> [String: Any] in
                let key = QueueKey(arn: mapping.eventSourceArn)
                var row: [String: Any] = [
                    "queueName": key?.name ?? mapping.eventSourceArn, "shortId": mapping.uuid, "functionName": mapping.functionName,
                    "functionHref": "/admin/functions/\(mapping.functionName)", "batchSize": mapping.batchSize,
                    "window": mapping.maximumBatchingWindowInSeconds, "state": mapping.state, "stateClass": mapping.enabled ? "enabled" : "disabled",
                    "lastResult": mapping.lastProcessingResult,
                    "toggleAction": "/admin/mappings/\(mapping.uuid)/\(mapping.enabled ? "disable" : "enable")",
                    "toggleLabel": mapping.enabled ? "Disable" : "Enable",
                ]
                if let key { row["queueHref"] = AdminPaths.queue(key) }
                return row
            },
        ]
    }

    private func invocationsContext(_ lambda: AdminLambda, function: String?) -> [String: Any] {
        let records = lambda.invocations.recent(function: function, limit: 50)
        return [
            "hasInvocations": !records.isEmpty,
            "invocations": records.map { record -> [String: Any] in
                [
                    "href": "/admin/invocations/\(record.id)", "time": Self.time(record.startedAt), "functionName": record.functionName,
                    "batchSize": record.batchSize, "duration": record.durationMilliseconds, "status": record.status.rawValue,
                    "source": record.mappingUUID == nil ? "invoke" : "mapping", "error": record.error ?? "",
                ]
            },
        ]
    }

    /// An SQS event with one record, as the Lambda console's "SQS" test template has it.
    static func sampleEvent(queueArn: String?, defaults: ServerDefaults) -> String {
        let arn = queueArn ?? "arn:aws:sqs:\(defaults.region):\(defaults.account):my-queue"
        let region = QueueKey(arn: arn)?.region ?? defaults.region
        let now = String(Int64(Date().timeIntervalSince1970 * 1000))
        let body = #"{"hello":"world"}"#
        let record = SQSEventRecord(
            messageId: RandomID.uuidString(), receiptHandle: "MessageReceiptHandle", body: body,
            attributes: [
                "ApproximateReceiveCount": "1", "SentTimestamp": now, "SenderId": defaults.account, "ApproximateFirstReceiveTimestamp": now,
            ],
            messageAttributes: [:], md5OfBody: MessageDigest.md5Hex(of: body), md5OfMessageAttributes: nil, eventSourceARN: arn,
            awsRegion: region)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(SQSEvent(records: [record]))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
