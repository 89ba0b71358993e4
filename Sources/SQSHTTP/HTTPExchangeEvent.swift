/// What ``HTTPServerHandler`` tells the handlers nearer the socket about the request in progress, as
/// outbound user events: ``HTTPConnectionTimeoutHandler`` stops and restarts its clocks on them, and
/// ``HTTPReadAheadHandler`` keeps the socket watched while the response is prepared.
enum HTTPExchangeEvent: Sendable {
    /// The request in progress has been received whole (or refused); its response is being prepared.
    case requestReceived
    /// Its response is about to be written.
    case responseStarting
}
