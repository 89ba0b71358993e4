import Foundation
import Logging
import NIOPosix
import SQSEngine

/// The functions created through the Lambda API: CreateFunction, UpdateFunctionCode,
/// UpdateFunctionConfiguration, DeleteFunction, reserved concurrency and tags, with Lambda's
/// states, saved through a ``FunctionStore`` and run as ``DeployedFunction``s registered in the
/// ``FunctionRegistry`` beside the config file's functions.
///
/// - The zip is unpacked under ``functionsFolder`` as `<name>/<sha256 hex>/` (see ``CodeArchive``);
///   the runtime's toolchain is checked (see ``FunctionRuntime``) before CreateFunction answers,
///   so a bad zip or a missing `python3` is an error at once.
/// - A created function is `Pending` until it is registered (a moment later), then `Active`; an
///   update is `LastUpdateStatus: InProgress` until the new generation takes the next invocations,
///   then `Successful`. Functions loaded at startup are `Pending` until ``start(baseEnvironment:logSink:)``.
/// - Unpacking, hashing and toolchain checks run on NIO's blocking thread pool, never on an event
///   loop or in this actor.
/// - With an ``ExecutionRoleResolver`` (`--auth`), `Role` must be a role Lambda may assume, and each
///   function's processes get the temporary credentials of a session of it, started anew each time
///   the server starts (sessions last while it runs); the role is also the function's
///   ``FunctionConfiguration/role``, which event-source mappings are checked against.
public actor FunctionDeployer {
    /// Processes per function when it has no reserved concurrency.
    public static let defaultProcesses = 10

    private struct Entry {
        var record: FunctionRecord
        var status: FunctionStatus
        var function: DeployedFunction?
    }

    /// A function's role session: the role, and the environment with its credentials.
    private struct RoleSession {
        var roleARN: String
        var environment: [String: String]
    }

    let registry: FunctionRegistry
    let concurrency: ConcurrencyLimits
    let store: any FunctionStore
    /// Where code is unpacked: `<data dir>/functions`.
    public let functionsFolder: String
    /// How each runtime is started (shared with the config file's `runtime:` functions).
    public nonisolated let runtime: FunctionRuntime
    let account: String
    let region: String
    let logger: Logger
    /// With `--auth`, the roles functions may have and their sessions.
    let roles: (any ExecutionRoleResolver)?
    private var entries: [String: Entry] = [:]
    /// Each function's current role session (with ``roles``).
    private var sessions: [String: RoleSession] = [:]
    /// Names being created right now (between the conflict check and the save).
    private var reserved: Set<String> = []
    private var baseEnvironment: [String: String] = [:]
    private var logSink: FunctionLogSink?
    private var started = false

    /// Creates the deployer; ``load()`` reads the saved functions.
    /// - Parameter roles: With `--auth`, the execution roles functions may have (else any
    ///   well-formed role ARN is taken as is).
    public init(
        registry: FunctionRegistry, concurrency: ConcurrencyLimits, store: any FunctionStore, functionsFolder: String, runtime: FunctionRuntime,
        account: String, region: String, logger: Logger, roles: (any ExecutionRoleResolver)? = nil
    ) {
        self.registry = registry
        self.concurrency = concurrency
        self.store = store
        self.functionsFolder = functionsFolder
        self.runtime = runtime
        self.account = account
        self.region = region
        self.logger = logger
        self.roles = roles
    }

    /// Reads the saved functions (they stay `Pending` until ``start(baseEnvironment:logSink:)``).
    public func load() throws {
        for record in try store.load() {
            entries[record.name] = Entry(record: record, status: .creating)
            concurrency.setLimit(record.reservedConcurrency, for: record.name)
        }
    }

    /// Registers the saved functions, once sqslite's address (for the functions' AWS SDKs) is known.
    /// - Parameters:
    ///   - baseEnvironment: `AWS_ENDPOINT_URL`, region and dummy credentials for the processes.
    ///   - logSink: Where the processes' log lines go.
    public func start(baseEnvironment: [String: String], logSink: FunctionLogSink?) async {
        self.baseEnvironment = baseEnvironment
        self.logSink = logSink
        started = true
        for (name, entry) in entries where entry.function == nil {
            let record = entry.record
            let folder = functionsFolder + "/" + record.codeFolder
            if let roles, !roles.canAssume(roleARN: record.role) {
                // The role left auth.principals since the function was created.
                let reason = LambdaAPIError.roleCannotBeAssumed.message
                entries[name]?.status = FunctionStatus(
                    state: .failed, stateReason: reason, stateReasonCode: "InsufficientRolePermissions", lastUpdateStatus: .failed,
                    lastUpdateStatusReason: reason, lastUpdateStatusReasonCode: "InsufficientRolePermissions")
                logger.warning(
                    "cannot start function: its role is not in auth.principals", metadata: ["function": "\(name)", "role": "\(record.role)"])
                continue
            }
            do {
                let command = try await prepare(record, folder: folder)
                activate(name, record: record, command: command, folder: folder)
            } catch {
                entries[name]?.status = FunctionStatus(
                    state: .failed, stateReason: error.message, stateReasonCode: "InvalidRuntime", lastUpdateStatus: .failed,
                    lastUpdateStatusReason: error.message, lastUpdateStatusReasonCode: "InvalidRuntime")
                logger.warning("cannot start function", metadata: ["function": "\(name)", "error": "\(error.message)"])
            }
        }
    }

    // MARK: - Reading

    /// The function's record and state, when the API created it.
    func view(_ name: String) -> DeployedFunctionView? {
        entries[name].map { DeployedFunctionView(record: $0.record, status: $0.status) }
    }

    /// Every API function, by name.
    func views() -> [String: DeployedFunctionView] {
        entries.mapValues { DeployedFunctionView(record: $0.record, status: $0.status) }
    }

    /// Refuses an invocation of a function that is not `Active` (409, as Lambda does while `Pending`).
    public func checkInvocable(_ name: String) throws(LambdaAPIError) {
        guard let entry = entries[name], entry.status.state != .active else { return }
        throw .conflict(
            "The operation cannot be performed at this time. The function is currently in the following state: \(entry.status.state.rawValue)")
    }

    // MARK: - CreateFunction

    /// CreateFunction: validates, unpacks, saves; the function is `Pending`, then `Active`.
    func create(name: String, zip: Data, settings: FunctionDeployment.Settings) async throws(LambdaAPIError) -> DeployedFunctionView {
        try FunctionValidation.name(name)
        guard let role = settings.role else {
            throw .validation("1 validation error detected: Value null at 'role' failed to satisfy constraint: Member must not be null")
        }
        try FunctionValidation.role(role)
        let runtimeName = settings.runtime ?? ""
        try FunctionRuntime.validate(runtime: runtimeName, handler: settings.handler)
        try FunctionValidation.settings(settings)
        try checkAssumable(role)
        guard entries[name] == nil, !reserved.contains(name), registry.function(named: name) == nil else {
            throw .conflict("Function already exist: \(name)")
        }
        reserved.insert(name)
        defer { reserved.remove(name) }
        let (archive, folder) = try await unpack(zip, for: name)
        var record = FunctionRecord(
            name: name, runtime: runtimeName, handler: settings.handler, role: role, description: settings.description ?? "",
            timeout: settings.timeout ?? 3, memorySize: settings.memorySize ?? 128, environment: settings.environment ?? [:],
            codeSha256: archive.sha256Base64, codeSize: archive.size, codeFolder: name + "/" + archive.sha256Hex,
            lastModified: Self.timestamp(), revisionID: RandomID.uuidString(), tags: settings.tags ?? [:],
            architectures: settings.architectures ?? ["x86_64"], ephemeralStorage: settings.ephemeralStorage ?? 512)
        record.codeFolder = name + "/" + archive.sha256Hex
        let command: [String]
        do {
            command = try await prepare(record, folder: folder)
        } catch {
            removeFolder(functionsFolder + "/" + name)
            throw error
        }
        entries[name] = Entry(record: record, status: .creating)
        do {
            try persist()
        } catch {
            entries[name] = nil
            removeFolder(functionsFolder + "/" + name)
            throw error
        }
        logger.info("function created", metadata: ["function": "\(name)", "runtime": "\(record.runtime)", "codeSha256": "\(record.codeSha256)"])
        let view = DeployedFunctionView(record: record, status: .creating)
        Task { self.activate(name, record: record, command: command, folder: folder) }
        return view
    }

    // MARK: - Updates

    /// UpdateFunctionCode: a new zip; `InProgress` until the new code takes the next invocations.
    func updateCode(name: String, zip: Data, revisionID: String?) async throws(LambdaAPIError) -> DeployedFunctionView {
        var record = try updatable(name, revisionID: revisionID)
        let (archive, folder) = try await unpack(zip, for: name)
        record.codeSha256 = archive.sha256Base64
        record.codeSize = archive.size
        record.codeFolder = name + "/" + archive.sha256Hex
        return try await apply(record, to: name, folder: folder)
    }

    /// UpdateFunctionConfiguration: `Role`, `Handler`, `Description`, `Timeout`, `MemorySize`,
    /// `Environment`, `Runtime`; `InProgress` until the next invocations run with them.
    func updateConfiguration(name: String, settings: FunctionDeployment.Settings) async throws(LambdaAPIError) -> DeployedFunctionView {
        var record = try updatable(name, revisionID: settings.revisionID)
        try FunctionValidation.settings(settings)
        if let role = settings.role {
            try FunctionValidation.role(role)
            try checkAssumable(role)
            record.role = role
        }
        if let runtime = settings.runtime { record.runtime = runtime }
        if let handler = settings.handler { record.handler = handler }
        try FunctionRuntime.validate(runtime: record.runtime, handler: record.handler)
        if let description = settings.description { record.description = description }
        if let timeout = settings.timeout { record.timeout = timeout }
        if let memorySize = settings.memorySize { record.memorySize = memorySize }
        if let environment = settings.environment { record.environment = environment }
        if let ephemeralStorage = settings.ephemeralStorage { record.ephemeralStorage = ephemeralStorage }
        return try await apply(record, to: name, folder: functionsFolder + "/" + record.codeFolder)
    }

    /// The record of a function that may be updated now.
    private func updatable(_ name: String, revisionID: String?) throws(LambdaAPIError) -> FunctionRecord {
        guard let entry = entries[name] else { throw notFoundOrConfigFile(name) }
        if entry.status.state == .pending || entry.status.lastUpdateStatus == .inProgress {
            throw .conflict("The operation cannot be performed at this time. An update is in progress for resource: \(arn(name))")
        }
        if let revisionID, revisionID != entry.record.revisionID {
            throw LambdaAPIError(
                type: "PreconditionFailedException", status: 412,
                message: "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
        }
        return entry.record
    }

    /// Saves the changed record and swaps the function's generation in the background.
    private func apply(_ changed: FunctionRecord, to name: String, folder: String) async throws(LambdaAPIError) -> DeployedFunctionView {
        var record = changed
        record.lastModified = Self.timestamp()
        record.revisionID = RandomID.uuidString()
        let command = try await prepare(record, folder: folder)
        guard let previous = entries[name] else { throw notFoundOrConfigFile(name) }
        entries[name]?.record = record
        entries[name]?.status = .updating
        do {
            try persist()
        } catch {
            entries[name] = previous
            throw error
        }
        Task { await self.finishUpdate(name, record: record, command: command, folder: folder) }
        return DeployedFunctionView(record: record, status: .updating)
    }

    private func finishUpdate(_ name: String, record: FunctionRecord, command: [String], folder: String) async {
        guard entries[name]?.record.revisionID == record.revisionID else { return }
        guard let function = entries[name]?.function else {
            // A function that could not start (a role or runtime that failed at startup) starts now.
            activate(name, record: record, command: command, folder: folder)
            return
        }
        await function.replace(with: makeProcessFunction(record, command: command, folder: folder), codeFolder: folder)
        if entries[name]?.record.revisionID == record.revisionID {
            entries[name]?.status = .active
        }
    }

    // MARK: - DeleteFunction

    /// DeleteFunction: unregisters, forgets and removes the code once its processes stopped.
    /// Event-source mappings of the function stay (as on Lambda).
    func delete(name: String) async throws(LambdaAPIError) {
        guard let entry = entries.removeValue(forKey: name) else { throw notFoundOrConfigFile(name) }
        do {
            try persist()
        } catch {
            entries[name] = entry
            throw error
        }
        registry.remove(named: name)
        concurrency.setLimit(nil, for: name)
        sessions[name] = nil
        let folder = functionsFolder + "/" + name
        let function = entry.function
        logger.info("function deleted", metadata: ["function": "\(name)"])
        Task {
            await function?.shutdown()
            self.removeFolderUnlessRecreated(name, folder: folder)
        }
    }

    private func removeFolderUnlessRecreated(_ name: String, folder: String) {
        guard entries[name] == nil, !reserved.contains(name) else { return }
        removeFolder(folder)
    }

    // MARK: - Concurrency and tags

    /// PutFunctionConcurrency / DeleteFunctionConcurrency (`nil`), for any function sqslite knows;
    /// saved for API functions. The account keeps ``LambdaAPILimits/minimumUnreservedConcurrency``.
    func setReservedConcurrency(_ value: Int?, for name: String) async throws(LambdaAPIError) {
        guard entries[name] != nil || registry.function(named: name) != nil else { throw .notFound("Function not found: \(arn(name))") }
        if let value {
            guard value >= 0 else {
                throw .validation(
                    "1 validation error detected: Value '\(value)' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0")
            }
            let others = concurrency.limits.filter { $0.key != name }.values.reduce(0, +)
            guard others + value <= LambdaAPILimits.accountConcurrency - LambdaAPILimits.minimumUnreservedConcurrency else {
                throw .invalidParameter(
                    "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [\(LambdaAPILimits.minimumUnreservedConcurrency)].")
            }
        }
        concurrency.setLimit(value, for: name)
        guard var record = entries[name]?.record else { return }
        record.reservedConcurrency = value
        entries[name]?.record = record
        try persist()
        // The process pool follows the reserved concurrency.
        if let function = entries[name]?.function {
            let folder = function.codeFolder
            if let command = try? await prepare(record, folder: folder) {
                await function.replace(with: makeProcessFunction(record, command: command, folder: folder), codeFolder: folder)
            }
        }
    }

    /// TagResource / UntagResource on an API function.
    func changeTags(of name: String, adding: [String: String], removing: [String]) throws(LambdaAPIError) {
        guard var record = entries[name]?.record else { throw notFoundOrConfigFile(name, what: "tags") }
        for key in removing { record.tags.removeValue(forKey: key) }
        record.tags.merge(adding) { _, new in new }
        try FunctionValidation.tags(record.tags)
        entries[name]?.record = record
        try persist()
    }

    // MARK: - Private

    private func arn(_ name: String) -> String {
        "arn:aws:lambda:\(region):\(account):function:\(name)"
    }

    /// 404 for an unknown function; for one of the config file, a clear refusal.
    private func notFoundOrConfigFile(_ name: String, what: String = "this change") -> LambdaAPIError {
        if registry.function(named: name) != nil {
            return .invalidParameter(
                "The function \(name) is defined in sqslite's config file (or registered in code), which does not take \(what) through the Lambda API: change it there.")
        }
        return .notFound("Function not found: \(arn(name))")
    }

    /// Unpacks the zip into `<name>/<sha hex>` off the actor (an unpacked folder with the same
    /// digest is reused).
    private func unpack(_ zip: Data, for name: String) async throws(LambdaAPIError) -> (CodeArchive, String) {
        guard zip.count <= LambdaAPILimits.zippedCodeSize else {
            throw LambdaAPIError(
                type: "RequestEntityTooLargeException", status: 413,
                message: "Zipped size must be smaller than \(LambdaAPILimits.zippedCodeSize) bytes")
        }
        let archive = CodeArchive(bytes: zip)
        let base = functionsFolder + "/" + name
        let result: Result<String, CodeArchive.Problem>
        do {
            result = try await NIOThreadPool.singleton.runIfActive {
                let folder = base + "/" + archive.sha256Hex
                if FileManager.default.fileExists(atPath: folder) { return .success(folder) }
                let staging = base + "/.unpacking-" + RandomID.uuidString()
                do {
                    _ = try archive.unpack(into: staging)
                    try FileManager.default.moveItem(atPath: staging, toPath: folder)
                    return .success(folder)
                } catch let problem as CodeArchive.Problem {
                    return .failure(problem)
                } catch {
                    try? FileManager.default.removeItem(atPath: staging)
                    return .failure(.storage("\(error)"))
                }
            }
        } catch {
            throw LambdaAPIError(type: "ServiceException", status: 500, message: "The server is shutting down.")
        }
        switch result {
        case .success(let folder):
            return (archive, folder)
        case .failure(.notAZip(let reason)):
            throw .invalidParameter("Could not unzip uploaded file. Please check your file, then try to upload again. (\(reason))")
        case .failure(.tooLarge):
            throw .invalidParameter("Unzipped size must be smaller than \(LambdaAPILimits.unzippedCodeSize) bytes")
        case .failure(.storage(let reason)):
            logger.error("cannot store function code", metadata: ["function": "\(name)", "error": "\(reason)"])
            throw LambdaAPIError(type: "ServiceException", status: 500, message: "Storing the function's code failed: \(reason)")
        }
    }

    /// The command for the record's runtime (checking its toolchain runs it as a child process).
    private func prepare(_ record: FunctionRecord, folder: String) async throws(LambdaAPIError) -> [String] {
        try await runtime.command(runtime: record.runtime, handler: record.handler, codeFolder: folder)
    }

    private func activate(_ name: String, record: FunctionRecord, command: [String], folder: String) {
        guard entries[name]?.record.revisionID == record.revisionID, entries[name]?.function == nil, started else { return }
        let function = DeployedFunction(makeProcessFunction(record, command: command, folder: folder), codeFolder: folder) { [weak self] old in
            Task { await self?.removeUnusedCode(old) }
        }
        entries[name]?.function = function
        entries[name]?.status = .active
        concurrency.setLimit(record.reservedConcurrency, for: name)
        registry.register(function)
    }

    private func removeUnusedCode(_ folder: String) {
        let inUse = entries.values.contains { functionsFolder + "/" + $0.record.codeFolder == folder }
        if !inUse { removeFolder(folder) }
    }

    private func makeProcessFunction(_ record: FunctionRecord, command: [String], folder: String) -> ProcessFunction {
        let configuration = FunctionConfiguration(
            name: record.name, kind: .process, timeout: record.timeout, memorySize: record.memorySize, environment: record.environment,
            handler: record.handler, runtime: record.runtime, role: record.role)
        return ProcessFunction(
            configuration: configuration, command: command, workingDirectory: folder,
            baseEnvironment: baseEnvironment.merging(roleEnvironment(record)) { _, session in session },
            maxProcesses: max(1, record.reservedConcurrency ?? Self.defaultProcesses), logger: logger, logSink: logSink)
    }

    /// With `--auth`, refuses a role Lambda cannot assume, as Lambda does.
    private func checkAssumable(_ roleARN: String) throws(LambdaAPIError) {
        if let roles, !roles.canAssume(roleARN: roleARN) { throw .roleCannotBeAssumed }
    }

    /// The credentials of the function's role session (started when the function first needs one
    /// or its role changed; kept for its next generations), or nothing without `--auth`.
    private func roleEnvironment(_ record: FunctionRecord) -> [String: String] {
        guard let roles else { return [:] }
        if let session = sessions[record.name], session.roleARN == record.role { return session.environment }
        guard let environment = roles.startSession(roleARN: record.role, functionName: record.name) else {
            sessions[record.name] = nil
            return [:]
        }
        sessions[record.name] = RoleSession(roleARN: record.role, environment: environment)
        return environment
    }

    private func persist() throws(LambdaAPIError) {
        do {
            try store.save(entries.values.map(\.record).sorted { $0.name < $1.name })
        } catch {
            logger.error("saving functions failed", metadata: ["error": "\(error)"])
            throw LambdaAPIError(type: "ServiceException", status: 500, message: "Saving the function failed: \(error)")
        }
    }

    private func removeFolder(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// `LastModified` as Lambda writes it: `2024-05-01T12:00:00.000+0000`.
    static func timestamp(_ date: Date = Date()) -> String {
        let text = date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        return text.hasSuffix("Z") ? String(text.dropLast()) + "+0000" : text
    }
}
