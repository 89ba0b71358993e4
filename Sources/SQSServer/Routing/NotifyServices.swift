import SQSMail
import SQSNotify

/// SNS, SES and the mailbox, as the router serves them (built by ``SQSLiteServer``).
public struct NotifyServices: Sendable {
    public var sns: SNSService
    public var ses: SESService
    public var mailbox: MailStore
    public var signer: MessageSigner
    public var region: String

    public init(sns: SNSService, ses: SESService, mailbox: MailStore, signer: MessageSigner, region: String) {
        self.sns = sns
        self.ses = ses
        self.mailbox = mailbox
        self.signer = signer
        self.region = region
    }
}

extension NotifyResponder {
    init(services: NotifyServices, defaults: ServerDefaults) {
        self.init(
            sns: SNSQueryHandler(service: services.sns), ses: SESQueryHandler(service: services.ses), sesV2: SESRestHandler(service: services.ses),
            mailbox: MailboxAPI(store: services.mailbox, region: services.region), signer: services.signer, defaults: defaults)
    }
}
