import FoundationEssentials

/// The checks CreateFunction and UpdateFunctionConfiguration make on their fields, with Lambda's
/// error types and wording. The limits are in ``LambdaAPILimits``.
enum FunctionValidation {
    /// Environment variables Lambda sets itself and refuses to take from the user.
    static let reservedVariables: Set<String> = [
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    ]

    /// A function name: letters, digits, `-` and `_`, at most ``LambdaAPILimits/functionNameLength``.
    static func name(_ name: String) throws(LambdaAPIError) {
        let allowed = name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
        guard !name.isEmpty, allowed else {
            throw .validation(
                "1 validation error detected: Value '\(name)' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?")
        }
        guard name.count <= LambdaAPILimits.functionNameLength else {
            throw .invalidParameter(
                "1 validation error detected: Value '\(name)' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to \(LambdaAPILimits.functionNameLength)")
        }
    }

    /// An IAM role ARN: `arn:aws:iam::<12 digits>:role/<name>`.
    static func role(_ role: String) throws(LambdaAPIError) {
        guard role.wholeMatch(of: /arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_\/]+/) != nil else {
            throw .validation(
                "1 validation error detected: Value '\(role)' at 'role' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+")
        }
    }

    /// Timeout, memory size, description, environment, tags, architectures, ephemeral storage.
    static func settings(_ settings: FunctionDeployment.Settings) throws(LambdaAPIError) {
        if let timeout = settings.timeout { try range(timeout, LambdaAPILimits.timeout, "timeout") }
        if let memorySize = settings.memorySize { try range(memorySize, LambdaAPILimits.memorySize, "memorySize") }
        if let description = settings.description, description.count > LambdaAPILimits.descriptionLength {
            throw .validation(
                "1 validation error detected: Value '\(description)' at 'description' failed to satisfy constraint: Member must have length less than or equal to \(LambdaAPILimits.descriptionLength)")
        }
        if let environment = settings.environment { try self.environment(environment) }
        if let tags = settings.tags { try self.tags(tags) }
        if let architectures = settings.architectures {
            guard architectures.count == 1, ["x86_64", "arm64"].contains(architectures[0]) else {
                throw .validation(
                    "1 validation error detected: Value '[\(architectures.joined(separator: ", "))]' at 'architectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]")
            }
        }
        if let storage = settings.ephemeralStorage { try range(storage, 512...10_240, "ephemeralStorage.size") }
    }

    static func environment(_ variables: [String: String]) throws(LambdaAPIError) {
        let used = variables.keys.filter { reservedVariables.contains($0) }.sorted()
        if !used.isEmpty {
            throw .invalidParameter(
                "Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: \(used.joined(separator: ", "))")
        }
        for name in variables.keys where name.wholeMatch(of: /[a-zA-Z]([a-zA-Z0-9_])+/) == nil {
            throw .validation(
                "1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let measured = (try? encoder.encode(variables)) ?? Data()
        if measured.count > LambdaAPILimits.environmentSize {
            throw .invalidParameter(
                "Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: \(String(decoding: measured, as: UTF8.self))")
        }
    }

    static func tags(_ tags: [String: String]) throws(LambdaAPIError) {
        guard tags.count <= LambdaAPILimits.tagsPerFunction else {
            throw .invalidParameter("Number of tags exceeds resource tag limit.")
        }
        for (key, value) in tags {
            guard (1...128).contains(key.count), value.count <= 256, !key.lowercased().hasPrefix("aws:") else {
                throw .invalidParameter("Invalid tag: \(key). Tag keys have 1 to 128 characters, values up to 256, and keys cannot start with aws:.")
            }
        }
    }

    private static func range(_ value: Int, _ range: ClosedRange<Int>, _ field: String) throws(LambdaAPIError) {
        guard range.contains(value) else {
            let bound = value < range.lowerBound ? "greater than or equal to \(range.lowerBound)" : "less than or equal to \(range.upperBound)"
            throw .validation(
                "1 validation error detected: Value '\(value)' at '\(field)' failed to satisfy constraint: Member must have value \(bound)")
        }
    }
}
