/// Request and response bodies of the Lambda API subset, as the REST-JSON protocol names them.

struct CreateMappingRequest: Decodable {
    var eventSourceArn: String?
    var functionName: String?
    var batchSize: Int?
    var maximumBatchingWindowInSeconds: Int?
    var functionResponseTypes: [String]?
    var scalingConfig: ScalingConfig?
    var enabled: Bool?
    var filterCriteria: FilterCriteria?
    var metricsConfig: MetricsConfig?
    var provisionedPollerConfig: ProvisionedPollerConfig?

    enum CodingKeys: String, CodingKey {
        case eventSourceArn = "EventSourceArn", functionName = "FunctionName", batchSize = "BatchSize"
        case maximumBatchingWindowInSeconds = "MaximumBatchingWindowInSeconds", functionResponseTypes = "FunctionResponseTypes"
        case scalingConfig = "ScalingConfig", enabled = "Enabled", filterCriteria = "FilterCriteria", metricsConfig = "MetricsConfig"
        case provisionedPollerConfig = "ProvisionedPollerConfig"
    }

    var settings: EventSourceMappingSettings {
        EventSourceMappingSettings(
            batchSize: batchSize, maximumBatchingWindowInSeconds: maximumBatchingWindowInSeconds,
            functionResponseTypes: functionResponseTypes, maximumConcurrency: scalingConfig.map { $0.maximumConcurrency },
            enabled: enabled, functionName: nil,
            // `{}` or `{"Filters": []}` clears the filters.
            filterPatterns: filterCriteria.map { ($0.filters ?? []).map { $0.pattern ?? "" } },
            metrics: metricsConfig.map { $0.metrics ?? [] },
            provisionedPollers: provisionedPollerConfig.map { ($0.minimumPollers, $0.maximumPollers) })
    }
}

/// `FilterCriteria`: `{"Filters": [{"Pattern": "…"}]}`.
struct FilterCriteria: Codable {
    struct Filter: Codable {
        var pattern: String?

        enum CodingKeys: String, CodingKey {
            case pattern = "Pattern"
        }
    }

    var filters: [Filter]?

    enum CodingKeys: String, CodingKey {
        case filters = "Filters"
    }
}

/// `MetricsConfig`: `{"Metrics": ["EventCount"]}`.
struct MetricsConfig: Codable {
    var metrics: [String]?

    enum CodingKeys: String, CodingKey {
        case metrics = "Metrics"
    }
}

/// `ProvisionedPollerConfig`: `{"MinimumPollers": 2, "MaximumPollers": 10}`.
struct ProvisionedPollerConfig: Codable {
    var minimumPollers: Int?
    var maximumPollers: Int?

    enum CodingKeys: String, CodingKey {
        case minimumPollers = "MinimumPollers", maximumPollers = "MaximumPollers"
    }
}

struct ScalingConfig: Codable {
    var maximumConcurrency: Int?

    enum CodingKeys: String, CodingKey {
        case maximumConcurrency = "MaximumConcurrency"
    }
}

struct MappingOutput: Encodable {
    var uuid: String
    var batchSize: Int
    var maximumBatchingWindowInSeconds: Int
    var eventSourceArn: String
    var functionArn: String
    var lastModified: Double
    var lastProcessingResult: String
    var state: String
    var stateTransitionReason: String
    var functionResponseTypes: [String]
    var scalingConfig: ScalingConfig?
    var filterCriteria: FilterCriteria?
    var metricsConfig: MetricsConfig?
    var provisionedPollerConfig: ProvisionedPollerConfig?
    var eventSourceMappingArn: String

    enum CodingKeys: String, CodingKey {
        case uuid = "UUID", batchSize = "BatchSize", maximumBatchingWindowInSeconds = "MaximumBatchingWindowInSeconds"
        case eventSourceArn = "EventSourceArn", functionArn = "FunctionArn", lastModified = "LastModified"
        case lastProcessingResult = "LastProcessingResult", state = "State", stateTransitionReason = "StateTransitionReason"
        case functionResponseTypes = "FunctionResponseTypes", scalingConfig = "ScalingConfig", filterCriteria = "FilterCriteria"
        case metricsConfig = "MetricsConfig", provisionedPollerConfig = "ProvisionedPollerConfig"
        case eventSourceMappingArn = "EventSourceMappingArn"
    }

    init(_ mapping: EventSourceMapping, functionArn: String, state: String? = nil) {
        uuid = mapping.uuid
        batchSize = mapping.batchSize
        maximumBatchingWindowInSeconds = mapping.maximumBatchingWindowInSeconds
        eventSourceArn = mapping.eventSourceArn
        self.functionArn = functionArn
        lastModified = mapping.lastModified
        lastProcessingResult = mapping.lastProcessingResult
        self.state = state ?? mapping.state
        stateTransitionReason = "USER_INITIATED"
        functionResponseTypes = mapping.functionResponseTypes
        scalingConfig = mapping.maximumConcurrency.map { ScalingConfig(maximumConcurrency: $0) }
        filterCriteria = mapping.filterPatterns.map { FilterCriteria(filters: $0.map { FilterCriteria.Filter(pattern: $0) }) }
        metricsConfig = mapping.metrics.map { MetricsConfig(metrics: $0) }
        if mapping.minimumPollers != nil || mapping.maximumPollers != nil {
            provisionedPollerConfig = ProvisionedPollerConfig(minimumPollers: mapping.minimumPollers, maximumPollers: mapping.maximumPollers)
        }
        // arn:aws:lambda:<region>:<account>:event-source-mapping:<uuid>
        let prefix = functionArn.split(separator: ":", omittingEmptySubsequences: false).prefix(5).joined(separator: ":")
        eventSourceMappingArn = "\(prefix):event-source-mapping:\(mapping.uuid)"
    }
}

struct MappingListOutput: Encodable {
    var eventSourceMappings: [MappingOutput]
    var nextMarker: String?

    enum CodingKeys: String, CodingKey {
        case eventSourceMappings = "EventSourceMappings", nextMarker = "NextMarker"
    }
}

struct FunctionOutput: Encodable {
    struct Environment: Encodable {
        var variables: [String: String]

        enum CodingKeys: String, CodingKey {
            case variables = "Variables"
        }
    }

    struct TracingConfig: Encodable {
        var mode = "PassThrough"

        enum CodingKeys: String, CodingKey {
            case mode = "Mode"
        }
    }

    struct EphemeralStorage: Encodable {
        var size: Int

        enum CodingKeys: String, CodingKey {
            case size = "Size"
        }
    }

    struct LoggingConfig: Encodable {
        var logFormat = "Text"
        var logGroup: String

        enum CodingKeys: String, CodingKey {
            case logFormat = "LogFormat", logGroup = "LogGroup"
        }
    }

    var functionName: String
    var functionArn: String
    var runtime: String
    var handler: String?
    var timeout: Int
    var memorySize: Int
    var version: String
    var packageType: String
    var state: String
    var stateReason: String?
    var stateReasonCode: String?
    var lastUpdateStatus: String
    var lastUpdateStatusReason: String?
    var lastUpdateStatusReasonCode: String?
    var role: String
    var environment: Environment?
    var description: String
    var codeSize: Int?
    var codeSha256: String?
    var lastModified: String?
    var revisionId: String?
    var architectures: [String]?
    var ephemeralStorage: EphemeralStorage?
    var tracingConfig: TracingConfig?
    var loggingConfig: LoggingConfig?

    enum CodingKeys: String, CodingKey {
        case functionName = "FunctionName", functionArn = "FunctionArn", runtime = "Runtime", handler = "Handler"
        case timeout = "Timeout", memorySize = "MemorySize", version = "Version", packageType = "PackageType", state = "State"
        case stateReason = "StateReason", stateReasonCode = "StateReasonCode"
        case lastUpdateStatus = "LastUpdateStatus", lastUpdateStatusReason = "LastUpdateStatusReason"
        case lastUpdateStatusReasonCode = "LastUpdateStatusReasonCode", role = "Role", environment = "Environment", description = "Description"
        case codeSize = "CodeSize", codeSha256 = "CodeSha256", lastModified = "LastModified", revisionId = "RevisionId"
        case architectures = "Architectures", ephemeralStorage = "EphemeralStorage", tracingConfig = "TracingConfig"
        case loggingConfig = "LoggingConfig"
    }

    /// A function of the config file or registered in code.
    init(_ configuration: FunctionConfiguration, account: String, region: String) {
        functionName = configuration.name
        functionArn = configuration.arn(account: account, region: region)
        runtime = configuration.runtime
        handler = configuration.handler
        timeout = configuration.timeout
        memorySize = configuration.memorySize
        version = "$LATEST"
        packageType = "Zip"
        state = "Active"
        lastUpdateStatus = "Successful"
        role = configuration.role ?? "arn:aws:iam::\(account):role/sqslite-function-role"
        environment = configuration.environment.isEmpty ? nil : Environment(variables: configuration.environment)
        description = "sqslite \(configuration.kind.rawValue) function"
    }

    /// A function created through the Lambda API.
    init(_ view: DeployedFunctionView, account: String, region: String) {
        let record = view.record
        functionName = record.name
        functionArn = "arn:aws:lambda:\(region):\(account):function:\(record.name)"
        runtime = record.runtime
        handler = record.handler
        timeout = record.timeout
        memorySize = record.memorySize
        version = "$LATEST"
        packageType = "Zip"
        state = view.status.state.rawValue
        stateReason = view.status.stateReason
        stateReasonCode = view.status.stateReasonCode
        lastUpdateStatus = view.status.lastUpdateStatus.rawValue
        lastUpdateStatusReason = view.status.lastUpdateStatusReason
        lastUpdateStatusReasonCode = view.status.lastUpdateStatusReasonCode
        role = record.role
        environment = record.environment.isEmpty ? nil : Environment(variables: record.environment)
        description = record.description
        codeSize = record.codeSize
        codeSha256 = record.codeSha256
        lastModified = record.lastModified
        revisionId = record.revisionID
        architectures = record.architectures
        ephemeralStorage = EphemeralStorage(size: record.ephemeralStorage)
        tracingConfig = TracingConfig()
        loggingConfig = LoggingConfig(logGroup: "/aws/lambda/\(record.name)")
    }
}

struct FunctionListOutput: Encodable {
    var functions: [FunctionOutput]
    var nextMarker: String?

    enum CodingKeys: String, CodingKey {
        case functions = "Functions", nextMarker = "NextMarker"
    }
}

struct GetFunctionOutput: Encodable {
    struct Code: Encodable {
        var repositoryType = "S3"
        var location = ""

        enum CodingKeys: String, CodingKey {
            case repositoryType = "RepositoryType", location = "Location"
        }
    }

    var configuration: FunctionOutput
    var code = Code()
    var tags: [String: String]?
    var concurrency: ConcurrencyOutput?

    enum CodingKeys: String, CodingKey {
        case configuration = "Configuration", code = "Code", tags = "Tags", concurrency = "Concurrency"
    }
}

/// `{"ReservedConcurrentExecutions": n}` (GetFunctionConcurrency, PutFunctionConcurrency, GetFunction's `Concurrency`).
struct ConcurrencyOutput: Codable {
    var reservedConcurrentExecutions: Int?

    enum CodingKeys: String, CodingKey {
        case reservedConcurrentExecutions = "ReservedConcurrentExecutions"
    }
}

/// ListTags' answer and TagResource's body.
struct TagsBody: Codable {
    var tags: [String: String]?

    enum CodingKeys: String, CodingKey {
        case tags = "Tags"
    }
}

/// CreateFunction's body (the fields sqslite uses; others are accepted and ignored).
struct CreateFunctionRequest: Decodable {
    struct Code: Decodable {
        var zipFile: String?
        var s3Bucket: String?
        var s3Key: String?
        var imageUri: String?

        enum CodingKeys: String, CodingKey {
            case zipFile = "ZipFile", s3Bucket = "S3Bucket", s3Key = "S3Key", imageUri = "ImageUri"
        }
    }

    struct EnvironmentInput: Decodable {
        var variables: [String: String]?

        enum CodingKeys: String, CodingKey {
            case variables = "Variables"
        }
    }

    struct EphemeralStorageInput: Decodable {
        var size: Int

        enum CodingKeys: String, CodingKey {
            case size = "Size"
        }
    }

    var functionName: String?
    var runtime: String?
    var role: String?
    var handler: String?
    var code: Code?
    var description: String?
    var timeout: Int?
    var memorySize: Int?
    var packageType: String?
    var environment: EnvironmentInput?
    var tags: [String: String]?
    var architectures: [String]?
    var ephemeralStorage: EphemeralStorageInput?
    var revisionId: String?
    // UpdateFunctionCode's fields.
    var zipFile: String?
    var s3Bucket: String?
    var s3Key: String?
    var imageUri: String?
    var dryRun: Bool?

    enum CodingKeys: String, CodingKey {
        case functionName = "FunctionName", runtime = "Runtime", role = "Role", handler = "Handler", code = "Code"
        case description = "Description", timeout = "Timeout", memorySize = "MemorySize", packageType = "PackageType"
        case environment = "Environment", tags = "Tags", architectures = "Architectures", ephemeralStorage = "EphemeralStorage"
        case revisionId = "RevisionId", zipFile = "ZipFile", s3Bucket = "S3Bucket", s3Key = "S3Key", imageUri = "ImageUri", dryRun = "DryRun"
    }

    var settings: FunctionDeployment.Settings {
        FunctionDeployment.Settings(
            runtime: runtime, role: role, handler: handler, description: description, timeout: timeout, memorySize: memorySize,
            environment: environment.map { $0.variables ?? [:] }, tags: tags, architectures: architectures,
            ephemeralStorage: ephemeralStorage?.size, revisionID: revisionId)
    }
}
