/// Request and response bodies of the Lambda API subset, as the REST-JSON protocol names them.

struct CreateMappingRequest: Decodable {
    var eventSourceArn: String?
    var functionName: String?
    var batchSize: Int?
    var maximumBatchingWindowInSeconds: Int?
    var functionResponseTypes: [String]?
    var scalingConfig: ScalingConfig?
    var enabled: Bool?

    enum CodingKeys: String, CodingKey {
        case eventSourceArn = "EventSourceArn", functionName = "FunctionName", batchSize = "BatchSize"
        case maximumBatchingWindowInSeconds = "MaximumBatchingWindowInSeconds", functionResponseTypes = "FunctionResponseTypes"
        case scalingConfig = "ScalingConfig", enabled = "Enabled"
    }

    var settings: EventSourceMappingSettings {
        EventSourceMappingSettings(
            batchSize: batchSize, maximumBatchingWindowInSeconds: maximumBatchingWindowInSeconds,
            functionResponseTypes: functionResponseTypes, maximumConcurrency: scalingConfig.map { $0.maximumConcurrency },
            enabled: enabled, functionName: nil)
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

    enum CodingKeys: String, CodingKey {
        case uuid = "UUID", batchSize = "BatchSize", maximumBatchingWindowInSeconds = "MaximumBatchingWindowInSeconds"
        case eventSourceArn = "EventSourceArn", functionArn = "FunctionArn", lastModified = "LastModified"
        case lastProcessingResult = "LastProcessingResult", state = "State", stateTransitionReason = "StateTransitionReason"
        case functionResponseTypes = "FunctionResponseTypes", scalingConfig = "ScalingConfig"
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

    var functionName: String
    var functionArn: String
    var runtime: String
    var handler: String?
    var timeout: Int
    var memorySize: Int
    var version: String
    var packageType: String
    var state: String
    var lastUpdateStatus: String
    var role: String
    var environment: Environment?
    var description: String

    enum CodingKeys: String, CodingKey {
        case functionName = "FunctionName", functionArn = "FunctionArn", runtime = "Runtime", handler = "Handler"
        case timeout = "Timeout", memorySize = "MemorySize", version = "Version", packageType = "PackageType", state = "State"
        case lastUpdateStatus = "LastUpdateStatus", role = "Role", environment = "Environment", description = "Description"
    }

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

    enum CodingKeys: String, CodingKey {
        case configuration = "Configuration", code = "Code"
    }
}
