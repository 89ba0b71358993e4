import SQSLambda

extension LambdaConfigApplier {
    func makeProcessFunction(_ configuration: FunctionConfiguration, command: [String], workingDirectory: String?) -> any LambdaFunction {
        ProcessFunction(
            configuration: configuration, command: command, workingDirectory: workingDirectory, baseEnvironment: baseEnvironment,
            logger: logger, logSink: logSink)
    }
}
