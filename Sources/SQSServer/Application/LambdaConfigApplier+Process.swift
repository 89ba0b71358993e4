import SQSLambda

// TEMPORARY while ProcessFunction is being written (replaced before commit).
extension LambdaConfigApplier {
    func makeProcessFunction(_ configuration: FunctionConfiguration, command: [String], workingDirectory: String?) -> any LambdaFunction {
        InProcessFunction(name: configuration.name) { _, _ in throw StartupError("process functions are not built yet") }
    }
}
