import Foundation
import Subprocess
import Synchronization
import SystemPackage

/// How sqslite runs each Lambda runtime a zip function names, and the checks it makes when the
/// function is created or updated, so that a missing toolchain is a clear error at once:
///
/// - `python3.x`: `python3 -m awslambdaric <handler>` when `awslambdaric` is importable by the
///   interpreter (``pythonInterpreter``: `python3` on `PATH`, or a virtualenv's `bin/python`),
///   otherwise sqslite's own runtime loop (``PythonRuntimeScript``, written under the data folder),
///   so a plain `python3` is enough.
/// - `nodejs*`: `aws-lambda-ric <handler>` (the Node.js runtime interface client, from the zip's
///   `node_modules/.bin` or `PATH`), which needs `node`.
/// - `provided`, `provided.al2`, `provided.al2023`: the zip's `bootstrap`.
///
/// Other runtimes AWS knows (Java, .NET, Ruby) are refused with `InvalidParameterValueException`.
public final class FunctionRuntime: Sendable {
    /// The interpreter for `python3.x` functions: a name looked up on `PATH`, or a path.
    public let pythonInterpreter: String
    /// Where sqslite's own runtime files are written.
    let runtimesFolder: String
    private let cache = Mutex<[String: Bool]>([:])

    /// The runtimes AWS no longer accepts in CreateFunction, and their successors.
    static let deprecated: [String: String] = [
        "python2.7": "python3.12", "python3.6": "python3.12", "python3.7": "python3.12", "nodejs": "nodejs20.x",
        "nodejs4.3": "nodejs20.x", "nodejs4.3-edge": "nodejs20.x", "nodejs6.10": "nodejs20.x", "nodejs8.10": "nodejs20.x",
        "nodejs10.x": "nodejs20.x", "nodejs12.x": "nodejs20.x", "nodejs14.x": "nodejs20.x", "dotnetcore1.0": "dotnet8",
        "dotnetcore2.0": "dotnet8", "dotnetcore2.1": "dotnet8", "dotnetcore3.1": "dotnet8", "ruby2.5": "ruby3.3", "ruby2.7": "ruby3.3",
        "go1.x": "provided.al2023", "java8": "java21",
    ]

    /// Creates the runtime table.
    /// - Parameters:
    ///   - pythonInterpreter: `python3`, or e.g. `.venv/bin/python`.
    ///   - runtimesFolder: Where sqslite's Python runtime loop is written when needed.
    public init(pythonInterpreter: String = "python3", runtimesFolder: String) {
        // A relative path is sqslite's, not the function's: processes start in their code folder.
        if pythonInterpreter.contains("/") && !pythonInterpreter.hasPrefix("/") {
            self.pythonInterpreter = FileManager.default.currentDirectoryPath + "/" + pythonInterpreter
        } else {
            self.pythonInterpreter = pythonInterpreter
        }
        self.runtimesFolder = runtimesFolder
    }

    /// What a runtime needs from CreateFunction / UpdateFunctionConfiguration: refuses runtimes AWS
    /// does not know, deprecated ones, ones sqslite cannot run, and a missing handler.
    public static func validate(runtime: String, handler: String?) throws(LambdaAPIError) {
        if let successor = deprecated[runtime] {
            throw .invalidParameter(
                "The runtime parameter of \(runtime) is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (\(successor)) while creating or updating functions.")
        }
        guard family(of: runtime) != nil else {
            if known(runtime) {
                throw .invalidParameter(
                    "sqslite cannot run the runtime \(runtime): it runs python3.x (with python3), nodejs*.x (with node and aws-lambda-ric) and provided.al2 / provided.al2023 (the zip's bootstrap).")
            }
            throw .invalidParameter(
                "Value \(runtime) at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [python3.9, python3.10, python3.11, python3.12, python3.13, nodejs18.x, nodejs20.x, nodejs22.x, provided.al2, provided.al2023] or be a valid ARN")
        }
        if family(of: runtime) != .provided, handler?.isEmpty ?? true {
            throw .invalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.")
        }
    }

    enum Family {
        case python, node, provided
    }

    static func family(of runtime: String) -> Family? {
        if runtime.hasPrefix("python3.") { return .python }
        if runtime.hasPrefix("nodejs"), runtime.hasSuffix(".x") { return .node }
        if ["provided", "provided.al2", "provided.al2023"].contains(runtime) { return .provided }
        return nil
    }

    private static func known(_ runtime: String) -> Bool {
        ["java", "dotnet", "ruby"].contains { runtime.hasPrefix($0) }
    }

    /// The command that starts the function's process in `codeFolder`, after checking that the
    /// toolchain is there (the first check of each tool runs it once, as a child process).
    public func command(runtime: String, handler: String?, codeFolder: String) async throws(LambdaAPIError) -> [String] {
        switch Self.family(of: runtime) {
        case .python:
            let handler = handler ?? ""
            guard await canRun(pythonInterpreter, ["-c", "import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)"]) else {
                throw .invalidParameter(
                    "The runtime \(runtime) needs Python 3.8 or later: \(pythonInterpreter) was not found or is older (sqslite serve --python PATH picks another interpreter).")
            }
            if await canRun(pythonInterpreter, ["-c", "import awslambdaric"]) {
                return [pythonInterpreter, "-m", "awslambdaric", handler]
            }
            return [pythonInterpreter, try pythonScriptPath(), handler]
        case .node:
            guard await canRun("node", ["--version"]) else {
                throw .invalidParameter("The runtime \(runtime) needs node on sqslite's PATH, and the aws-lambda-ric package (npm install aws-lambda-ric): node was not found.")
            }
            let local = codeFolder + "/node_modules/.bin/aws-lambda-ric"
            if FileManager.default.isExecutableFile(atPath: local) { return [local, handler ?? ""] }
            guard await canRun("aws-lambda-ric", ["--help"], anyStatus: true) else {
                throw .invalidParameter(
                    "The runtime \(runtime) needs the Node.js runtime interface client: install aws-lambda-ric in the zip (node_modules) or on sqslite's PATH (npm install -g aws-lambda-ric).")
            }
            return ["aws-lambda-ric", handler ?? ""]
        case .provided:
            return [codeFolder + "/bootstrap"]
        case nil:
            throw .invalidParameter("sqslite cannot run the runtime \(runtime).")
        }
    }

    /// Writes sqslite's Python runtime loop under ``runtimesFolder`` (once per run) and returns its path.
    private func pythonScriptPath() throws(LambdaAPIError) -> String {
        let path = runtimesFolder + "/" + PythonRuntimeScript.fileName
        if let existing = FileManager.default.contents(atPath: path), existing == Data(PythonRuntimeScript.source.utf8) {
            return path
        }
        do {
            try FileManager.default.createDirectory(atPath: runtimesFolder, withIntermediateDirectories: true)
            try Data(PythonRuntimeScript.source.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw LambdaAPIError(type: "ServiceException", status: 500, message: "Cannot write the Python runtime to \(path): \(error)")
        }
        return path
    }

    /// Whether `program arguments` runs and exits with 0 (or at all, with `anyStatus`); cached.
    /// The program is looked up on sqslite's `PATH` by `/usr/bin/env`, which exits with 127 when
    /// it cannot find it.
    private func canRun(_ program: String, _ arguments: [String], anyStatus: Bool = false) async -> Bool {
        let key = ([program] + arguments).joined(separator: "\u{0}")
        if let known = cache.withLock({ $0[key] }) { return known }
        var result = false
        do {
            let outcome = try await run(
                .path("/usr/bin/env"), arguments: Arguments([program] + arguments), input: .none, output: .discarded, error: .discarded)
            switch outcome.terminationStatus {
            case .exited(let status):
                result = anyStatus ? status != 127 : status == 0
            case .signaled:
                result = anyStatus
            }
        } catch {
            result = false
        }
        cache.withLock { $0[key] = result }
        return result
    }
}
