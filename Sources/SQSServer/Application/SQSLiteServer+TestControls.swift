import SQSEngine

extension SQSLiteServer {
    /// Applies the options' and the config file's test-control settings: installs a controllable
    /// clock when either asks for one, and sets up the call record. Returns the clock every
    /// service runs on.
    func setUpTestControls(_ settings: TestControlSettings) throws -> any EngineClock {
        let clock: any EngineClock
        if options.controllableClock || settings.controllableClock {
            let controllable = ControllableClock()
            control.install(clock: controllable)
            clock = controllable
        } else {
            clock = SystemClock()
        }
        var database: CallDatabase?
        if options.recordCallsInDatabase || settings.recordCallsInDatabase {
            let path = options.databasePath.map { String($0.dropLast("sqslite.db".count)) + "calls.db" }
            do {
                database = try CallDatabase(path: path, logger: logger)
            } catch {
                throw StartupError("cannot open the call record database \(path ?? ":memory:"): \(error)")
            }
        }
        control.calls.configure(
            capacity: options.callRecordSize ?? settings.callRecordSize ?? TestControlLimits.defaultCallRecordSize,
            recordsBodies: options.recordCallBodies || settings.recordCallBodies, database: database, clock: clock)
        return clock
    }
}
