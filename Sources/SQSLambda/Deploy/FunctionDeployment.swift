/// What CreateFunction and the update calls give the deployer, decoded and base64-decoded.
struct FunctionDeployment: Sendable {
    /// CreateFunction's fields (all but the code).
    struct Settings: Sendable {
        var runtime: String?
        var role: String?
        var handler: String?
        var description: String?
        var timeout: Int?
        var memorySize: Int?
        var environment: [String: String]?
        var tags: [String: String]?
        var architectures: [String]?
        var ephemeralStorage: Int?
        var revisionID: String?
    }
}

/// A function's state as Lambda reports it (`State`, `LastUpdateStatus` and their reasons).
struct FunctionStatus: Sendable, Equatable {
    enum State: String, Sendable {
        case pending = "Pending", active = "Active", failed = "Failed"
    }

    enum UpdateStatus: String, Sendable {
        case inProgress = "InProgress", successful = "Successful", failed = "Failed"
    }

    var state: State
    var stateReason: String?
    var stateReasonCode: String?
    var lastUpdateStatus: UpdateStatus
    var lastUpdateStatusReason: String?
    var lastUpdateStatusReasonCode: String?

    /// Just created (or loaded at startup): `Pending`, "The function is being created."
    static let creating = FunctionStatus(
        state: .pending, stateReason: "The function is being created.", stateReasonCode: "Creating", lastUpdateStatus: .inProgress,
        lastUpdateStatusReason: "The function is being created.", lastUpdateStatusReasonCode: "Creating")
    /// Ready.
    static let active = FunctionStatus(state: .active, lastUpdateStatus: .successful)
    /// An update is being applied.
    static let updating = FunctionStatus(
        state: .active, lastUpdateStatus: .inProgress, lastUpdateStatusReason: "The function is being updated.",
        lastUpdateStatusReasonCode: "Updating")
}

/// A function as the Lambda API reports it: its saved record and its state.
struct DeployedFunctionView: Sendable {
    var record: FunctionRecord
    var status: FunctionStatus
}
