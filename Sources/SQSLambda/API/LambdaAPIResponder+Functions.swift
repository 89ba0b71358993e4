import FoundationEssentials
import NIOHTTP1
import NIOPosix
import SQSHTTP

/// The function operations:
///
/// | Operation | Request |
/// | --- | --- |
/// | CreateFunction | `POST /2015-03-31/functions` (201) |
/// | ListFunctions | `GET /2015-03-31/functions?Marker=&MaxItems=` |
/// | GetFunction | `GET /2015-03-31/functions/{name}` |
/// | GetFunctionConfiguration | `GET /2015-03-31/functions/{name}/configuration` |
/// | UpdateFunctionCode | `PUT /2015-03-31/functions/{name}/code` |
/// | UpdateFunctionConfiguration | `PUT /2015-03-31/functions/{name}/configuration` |
/// | DeleteFunction | `DELETE /2015-03-31/functions/{name}` (204) |
/// | GetFunctionConcurrency | `GET /2019-09-30/functions/{name}/concurrency` |
/// | PutFunctionConcurrency | `PUT /2017-10-31/functions/{name}/concurrency` |
/// | DeleteFunctionConcurrency | `DELETE /2017-10-31/functions/{name}/concurrency` (204) |
/// | TagResource, UntagResource, ListTags | `POST`, `DELETE` (`?tagKeys=`), `GET /2017-03-31/tags/{arn}` |
///
/// Functions of the config file (and those registered in code) are listed and read with the
/// API's; only API functions can be changed or deleted through it. Bodies of CreateFunction and
/// UpdateFunctionCode (up to ``LambdaAPILimits/codeRequestSize``) are decoded on NIO's blocking
/// thread pool, not on the event loop.
extension LambdaAPIResponder {
    static func isFunctionOperation(_ method: HTTPMethod, _ segments: [String]) -> Bool {
        guard segments.first == "functions" else { return false }
        switch (method, segments.count) {
        case (.POST, 1), (.GET, 1), (.GET, 2), (.DELETE, 2): return true
        case (.GET, 3), (.PUT, 3): return segments[2] == "configuration" || segments[2] == "code"
        default: return false
        }
    }

    func functionOperation(
        _ method: HTTPMethod, version: String, segments: [String], uri: String, query: [String: String], body: [UInt8], requestID: String
    ) async throws(LambdaAPIError) -> HTTPResponse {
        let account = invoker.account
        let region = invoker.region
        switch (version, method, segments.first, segments.count) {
        case (Self.prefix, .POST, "functions", 1):
            let deployer = try requireDeployer()
            let input = try await decodeOffLoop(body)
            try Self.refuseOtherCodeSources(s3Bucket: input.code?.s3Bucket, s3Key: input.code?.s3Key, imageUri: input.code?.imageUri)
            if let type = input.packageType, type != "Zip" {
                throw .invalidParameter("sqslite runs Zip functions only: PackageType \(type) (container images) is not supported.")
            }
            guard let nameOrArn = input.functionName else {
                throw .validation("1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null")
            }
            guard let zip = try await Self.zipBytes(input.code?.zipFile) else {
                throw .invalidParameter("Please provide a source for function code.")
            }
            let view = try await deployer.create(
                name: EventSourceMappingManager.functionName(from: nameOrArn), zip: zip, settings: input.settings)
            return json(FunctionOutput(view, account: account, region: region), status: .created, requestID)
        case (Self.prefix, .GET, "functions", 1):
            let page = try LambdaAPIPage(query: query)
            let outputs = await allFunctions()
            let (items, next) = page.slice(outputs)
            return json(FunctionListOutput(functions: Array(items), nextMarker: next), status: .ok, requestID)
        case (Self.prefix, .GET, "functions", 2):
            let name = try qualifiedName(segments[1], query: query)
            return json(try await getFunction(name), status: .ok, requestID)
        case (Self.prefix, .GET, "functions", 3) where segments[2] == "configuration":
            let name = try qualifiedName(segments[1], query: query)
            return json(try await getFunction(name).configuration, status: .ok, requestID)
        case (Self.prefix, .PUT, "functions", 3) where segments[2] == "code":
            let deployer = try requireDeployer()
            let input = try await decodeOffLoop(body)
            try Self.refuseOtherCodeSources(s3Bucket: input.s3Bucket, s3Key: input.s3Key, imageUri: input.imageUri)
            guard let zip = try await Self.zipBytes(input.zipFile) else {
                throw .invalidParameter("Please provide a source for function code.")
            }
            let view = try await deployer.updateCode(name: functionName(segments[1]), zip: zip, revisionID: input.revisionId)
            return json(FunctionOutput(view, account: account, region: region), status: .ok, requestID)
        case (Self.prefix, .PUT, "functions", 3) where segments[2] == "configuration":
            let deployer = try requireDeployer()
            let input = try await decodeOffLoop(body)
            let view = try await deployer.updateConfiguration(name: functionName(segments[1]), settings: input.settings)
            return json(FunctionOutput(view, account: account, region: region), status: .ok, requestID)
        case (Self.prefix, .DELETE, "functions", 2):
            let name = try qualifiedName(segments[1], query: query)
            try await requireDeployer().delete(name: name)
            return Self.response(status: .noContent, body: [], requestID: requestID, extra: [])
        case ("/2019-09-30/", .GET, "functions", 3) where segments[2] == "concurrency":
            let name = functionName(segments[1])
            try await requireKnown(name)
            return json(ConcurrencyOutput(reservedConcurrentExecutions: invoker.concurrency.limit(for: name)), status: .ok, requestID)
        case ("/2017-10-31/", .PUT, "functions", 3) where segments[2] == "concurrency":
            let input: ConcurrencyOutput
            do {
                input = try decode(ConcurrencyOutput.self, body)
            } catch let error as LambdaAPIError {
                throw error
            } catch {
                throw .invalidRequestContent("\(error)")
            }
            guard let value = input.reservedConcurrentExecutions else {
                throw .validation(
                    "1 validation error detected: Value null at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must not be null")
            }
            try await requireDeployer().setReservedConcurrency(value, for: functionName(segments[1]))
            return json(ConcurrencyOutput(reservedConcurrentExecutions: value), status: .ok, requestID)
        case ("/2017-10-31/", .DELETE, "functions", 3) where segments[2] == "concurrency":
            try await requireDeployer().setReservedConcurrency(nil, for: functionName(segments[1]))
            return Self.response(status: .noContent, body: [], requestID: requestID, extra: [])
        case ("/2017-03-31/", _, "tags", 2):
            return try await tagOperation(method, resource: segments[1], uri: uri, body: body, requestID: requestID)
        default:
            throw LambdaAPIError(type: "UnknownOperationException", status: 404, message: "Unknown operation \(method.rawValue) \(version)\(segments.joined(separator: "/"))")
        }
    }

    private func tagOperation(_ method: HTTPMethod, resource: String, uri: String, body: [UInt8], requestID: String) async throws(LambdaAPIError)
        -> HTTPResponse
    {
        let arn = FormEncoding.percentDecoded(Substring(resource), plusAsSpace: false)
        guard arn.hasPrefix("arn:"), arn.contains(":function:") else {
            throw .validation(
                "1 validation error detected: Value '\(arn)' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+(:(\\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")
        }
        let name = EventSourceMappingManager.functionName(from: arn)
        switch method {
        case .GET:
            try await requireKnown(name)
            let tags = await deployer?.view(name)?.record.tags ?? [:]
            return json(TagsBody(tags: tags), status: .ok, requestID)
        case .POST:
            let input: TagsBody
            do {
                input = try decode(TagsBody.self, body)
            } catch let error as LambdaAPIError {
                throw error
            } catch {
                throw .invalidRequestContent("\(error)")
            }
            guard let tags = input.tags else {
                throw .validation("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null")
            }
            try await requireDeployer().changeTags(of: name, adding: tags, removing: [])
            return Self.response(status: .noContent, body: [], requestID: requestID, extra: [])
        case .DELETE:
            let keys = Self.queryValues(of: uri, named: "tagKeys")
            guard !keys.isEmpty else {
                throw .validation("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null")
            }
            try await requireDeployer().changeTags(of: name, adding: [:], removing: keys)
            return Self.response(status: .noContent, body: [], requestID: requestID, extra: [])
        default:
            throw LambdaAPIError(type: "UnknownOperationException", status: 404, message: "Unknown operation \(method.rawValue) tags")
        }
    }

    // MARK: - Helpers

    private func requireDeployer() throws(LambdaAPIError) -> FunctionDeployer {
        guard let deployer else {
            throw .invalidParameter("This sqslite server does not create functions through the Lambda API.")
        }
        return deployer
    }

    /// 404 unless sqslite knows the function (config file, code, or the API).
    private func requireKnown(_ name: String) async throws(LambdaAPIError) {
        if invoker.functions.function(named: name) != nil { return }
        if await deployer?.view(name) != nil { return }
        throw .notFound("Function not found: \(functionArn(name))")
    }

    /// The function name, refusing a qualifier other than `$LATEST` (sqslite has no versions).
    private func qualifiedName(_ segment: String, query: [String: String]) throws(LambdaAPIError) -> String {
        let decoded = FormEncoding.percentDecoded(Substring(segment), plusAsSpace: false)
        let name = EventSourceMappingManager.functionName(from: decoded)
        var qualifier = query["Qualifier"]
        let parts = decoded.split(separator: ":", omittingEmptySubsequences: false)
        if let index = parts.firstIndex(of: "function"), index + 2 < parts.count { qualifier = String(parts[index + 2]) }
        if let qualifier, !qualifier.isEmpty, qualifier != "$LATEST" {
            throw .notFound("Function not found: \(functionArn(name)):\(qualifier)")
        }
        return name
    }

    private func getFunction(_ name: String) async throws(LambdaAPIError) -> GetFunctionOutput {
        let account = invoker.account
        let region = invoker.region
        let reserved = invoker.concurrency.limit(for: name).map { ConcurrencyOutput(reservedConcurrentExecutions: $0) }
        if let view = await deployer?.view(name) {
            return GetFunctionOutput(
                configuration: FunctionOutput(view, account: account, region: region), tags: view.record.tags.isEmpty ? nil : view.record.tags,
                concurrency: reserved)
        }
        guard let function = invoker.functions.function(named: name) else {
            throw .notFound("Function not found: \(functionArn(name))")
        }
        return GetFunctionOutput(configuration: FunctionOutput(function.configuration, account: account, region: region), concurrency: reserved)
    }

    /// The config file's and code's functions and the API's, sorted by name.
    private func allFunctions() async -> [FunctionOutput] {
        let views = await deployer?.views() ?? [:]
        var outputs = views.values.map { FunctionOutput($0, account: invoker.account, region: invoker.region) }
        for function in invoker.functions.all where views[function.configuration.name] == nil {
            outputs.append(FunctionOutput(function.configuration, account: invoker.account, region: invoker.region))
        }
        return outputs.sorted { $0.functionName < $1.functionName }
    }

    private static func refuseOtherCodeSources(s3Bucket: String?, s3Key: String?, imageUri: String?) throws(LambdaAPIError) {
        if s3Bucket != nil || s3Key != nil {
            throw .invalidParameter(
                "sqslite has no S3: Code.S3Bucket and Code.S3Key are not supported. Upload the zip in the request instead (Code.ZipFile; aws lambda create-function --zip-file fileb://function.zip).")
        }
        if imageUri != nil {
            throw .invalidParameter("sqslite runs Zip functions only: container images (Code.ImageUri) are not supported.")
        }
    }

    /// Decodes a CreateFunction / UpdateFunctionCode / UpdateFunctionConfiguration body on NIO's
    /// blocking thread pool (it may be 70 MB of JSON).
    private func decodeOffLoop(_ body: [UInt8]) async throws(LambdaAPIError) -> CreateFunctionRequest {
        let result: Result<CreateFunctionRequest, LambdaAPIError>
        do {
            result = try await NIOThreadPool.singleton.runIfActive {
                if let problem = Self.encodingProblem(body) { return .failure(.invalidRequestContent(problem)) }
                do {
                    return .success(try JSONDecoder().decode(CreateFunctionRequest.self, from: body.isEmpty ? Data("{}".utf8) : Data(body)))
                } catch {
                    return .failure(.invalidRequestContent("\(error)"))
                }
            }
        } catch {
            throw LambdaAPIError(type: "ServiceException", status: 500, message: "The server is shutting down.")
        }
        return try result.get()
    }

    /// The zip from its base64 text, decoded off the event loop; `nil` when there is none.
    private static func zipBytes(_ base64: String?) async throws(LambdaAPIError) -> Data? {
        guard let base64 else { return nil }
        let decoded: Data?
        do {
            decoded = try await NIOThreadPool.singleton.runIfActive { Data(base64Encoded: base64) }
        } catch {
            throw LambdaAPIError(type: "ServiceException", status: 500, message: "The server is shutting down.")
        }
        guard let decoded else {
            throw .invalidRequestContent("ZipFile is not valid base64")
        }
        return decoded
    }

    /// Every value of a repeated query parameter (`?tagKeys=a&tagKeys=b`).
    static func queryValues(of uri: String, named name: String) -> [String] {
        guard let query = uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return [] }
        return query.split(separator: "&").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard FormEncoding.percentDecoded(parts[0], plusAsSpace: true) == name else { return nil }
            return parts.count > 1 ? FormEncoding.percentDecoded(parts[1], plusAsSpace: true) : ""
        }
    }
}
