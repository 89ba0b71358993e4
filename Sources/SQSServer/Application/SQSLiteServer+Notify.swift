import AsyncHTTPClient
import Logging
import SQSEngine
import SQSLambda
import SQSMail
import SQSNotify

/// SNS, SES and the mailbox, with what the server must run and finish for them.
struct NotifyComponents {
    var services: NotifyServices
    var scheduler: DeliveryScheduler
    var links: SNSLinks
    var snsStore: SNSStore
}

extension SQSLiteServer {
    /// Opens `sns.db` and `mail.db` (or in-memory databases), and builds SNS with its delivery
    /// transports (queues through the engine, functions through the invoker, HTTP through
    /// async-http-client, email and SMS into the mailbox) and SES.
    func makeNotify(engine: QueueEngine, invoker: FunctionInvoker, config: ConfigFile?, logger: Logger) async throws -> NotifyComponents {
        let snsPath = options.databasePath.map { String($0.dropLast("sqslite.db".count)) + "sns.db" }
        let mailPath = options.databasePath.map { String($0.dropLast("sqslite.db".count)) + "mail.db" }
        let snsStore: SNSStore
        let mailStore: MailStore
        do {
            snsStore = try SNSStore(path: snsPath)
        } catch {
            throw StartupError("cannot open the SNS database \(snsPath ?? ":memory:"): \(error)")
        }
        do {
            mailStore = try MailStore(path: mailPath)
        } catch {
            throw StartupError("cannot open the mailbox database \(mailPath ?? ":memory:"): \(error)")
        }
        let clock = SystemClock()
        let links = SNSLinks(baseURL: "http://\(advertisedHost):\(options.port)")
        let signer = MessageSigner()
        let mailbox = MailboxDelivery(mailbox: mailStore, links: links)
        let http = HTTPDelivery(client: HTTPClient.shared)
        let queues = QueueDelivery(engine: engine)
        let scheduler = DeliveryScheduler(
            store: snsStore,
            transports: [
                .sqs: queues, .lambda: FunctionDelivery(invoker: invoker), .http: http, .https: http, .email: mailbox, .emailJSON: mailbox,
                .sms: mailbox,
            ],
            deadLetters: queues, links: links, signer: signer, clock: clock, logger: logger)
        let sns = SNSService(store: snsStore, scheduler: scheduler, links: links, clock: clock)
        let ses = SESService(
            store: mailStore, allowUnverified: options.sesAllowUnverified || config?.ses.allowUnverified == true,
            now: { clock.now().milliseconds })
        for identity in config?.ses.identities ?? [] {
            do {
                if identity.contains("@") {
                    try await ses.verifyEmail(identity, region: options.region)
                } else {
                    _ = try await ses.verifyDomain(identity, region: options.region)
                }
            } catch {
                throw StartupError("\(config?.path ?? "config"): ses.identities: \(identity): \(error.message)")
            }
        }
        return NotifyComponents(
            services: NotifyServices(sns: sns, ses: ses, mailbox: mailStore, signer: signer, region: options.region), scheduler: scheduler,
            links: links, snsStore: snsStore)
    }
}
