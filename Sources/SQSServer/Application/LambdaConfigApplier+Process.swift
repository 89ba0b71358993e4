import SQSAuth
import SQSLambda

extension LambdaConfigApplier {
    func makeProcessFunction(
        _ configuration: FunctionConfiguration, command: [String], workingDirectory: String?, credential: SigningCredential? = nil
    ) -> any LambdaFunction {
        ProcessFunction(
            configuration: configuration, command: command, workingDirectory: workingDirectory,
            baseEnvironment: baseEnvironment(credential: credential),
            logger: logger, logSink: logSink)
    }
}
