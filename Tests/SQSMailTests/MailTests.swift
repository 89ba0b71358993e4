import Foundation
import Testing

@testable import SQSMail

struct MailTests {
    let now: @Sendable () -> Int64 = { 1_704_067_200_000 }

    @Test func unverifiedSendersAreRejectedAsInTheSandbox() async throws {
        let store = try MailStore(path: nil)
        let ses = SESService(store: store, allowUnverified: false, now: now)
        let outgoing = SESService.Outgoing(source: "Shop <shop@example.com>", to: ["ann@example.org"], subject: "Hi", text: "Hello")
        await #expect(
            throws: SESError(
                code: "MessageRejected",
                message: "Email address is not verified. The following identities failed the check in region US-EAST-1: shop@example.com")
        ) { try await ses.send(outgoing, region: "us-east-1") }
        try await ses.verifyEmail("shop@example.com", region: "us-east-1")
        let id = try await ses.send(outgoing, region: "us-east-1")
        let mails = try await store.mails()
        #expect(mails.map(\.id) == [id])
        #expect(mails[0].raw.contains("Subject: Hi\r\n"))
        #expect(mails[0].raw.contains("Date: Mon, 01 Jan 2024 00:00:00 +0000"))
        // A verified domain covers its addresses; another region knows neither.
        _ = try await ses.verifyDomain("example.net", region: "us-east-1")
        _ = try await ses.send(SESService.Outgoing(source: "a@example.net", to: ["b@x.org"], text: "x"), region: "us-east-1")
        await #expect(throws: SESError.self) {
            try await ses.send(SESService.Outgoing(source: "a@example.net", to: ["b@x.org"], text: "x"), region: "eu-west-1")
        }
    }

    @Test func rawMessagesAreReadForTheMailbox() async throws {
        let raw = """
            From: "Ann" <ann@example.com>\r
            To: bob@example.org, "Carol, C." <carol@example.org>\r
            Subject: =?UTF-8?B?SMOpbGxv?= world\r
            MIME-Version: 1.0\r
            Content-Type: multipart/alternative; boundary="b1"\r
            \r
            --b1\r
            Content-Type: text/plain; charset=UTF-8\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            Caf=C3=A9 at 5\r
            --b1\r
            Content-Type: text/html; charset=UTF-8\r
            Content-Transfer-Encoding: base64\r
            \r
            PGI+Q2Fmw6k8L2I+\r
            --b1--\r

            """
        let parsed = MIMEParser(raw)
        #expect(parsed.header("subject") == "Héllo world")
        #expect(parsed.addresses("to") == ["bob@example.org", "carol@example.org"])
        #expect(parsed.text == "Café at 5")
        #expect(parsed.html == "<b>Café</b>")
        let store = try MailStore(path: nil)
        let ses = SESService(store: store, allowUnverified: true, now: now)
        _ = try await ses.sendRaw(raw, source: nil, destinations: [], region: "us-east-1")
        let mail = try #require(try await store.mails(source: "\"Ann\" <ann@example.com>").first)
        #expect(mail.subject == "Héllo world")
        #expect(mail.to == ["bob@example.org", "carol@example.org"])
    }

    @Test func builtMessagesParseBack() {
        let raw = MIMEBuilder.build(
            from: "a@example.com", to: ["b@example.org"], subject: "Ünïcode", text: "plain ✓", html: "<p>html</p>", messageID: "m-1", timestamp: 0)
        let parsed = MIMEParser(raw)
        #expect(parsed.header("subject") == "Ünïcode")
        #expect(parsed.text == "plain ✓")
        #expect(parsed.html == "<p>html</p>")
    }

    @Test func templatesRenderTheirData() {
        #expect(SESService.render("Hi {{name}}, {{ count }} new", data: ["name": "Ann", "count": "3"]) == "Hi Ann, 3 new")
        #expect(SESService.render("{{missing}}!", data: [:]) == "!")
    }

    @Test func theMailboxAPIAnswersInLocalStacksShape() async throws {
        let store = try MailStore(path: nil)
        let ses = SESService(store: store, allowUnverified: true, now: now)
        let id = try await ses.send(SESService.Outgoing(source: "s@example.com", to: ["t@example.org"], subject: "S", text: "T", html: "<b>H</b>"), region: "us-east-1")
        let api = MailboxAPI(store: store, region: "us-east-1")
        let answer = await api.handle(method: "GET", path: "/_aws/ses", query: ["email": "s@example.com"])
        let json = try JSONSerialization.jsonObject(with: Data(answer.json.utf8)) as? [String: [[String: Any]]]
        let message = try #require(json?["messages"]?.first)
        #expect(message["Id"] as? String == id)
        #expect((message["Destination"] as? [String: [String]])?["ToAddresses"] == ["t@example.org"])
        #expect((message["Body"] as? [String: String]) == ["text_part": "T", "html_part": "<b>H</b>"])
        #expect(await api.handle(method: "GET", path: "/_aws/ses", query: ["email": "other@example.com"]).json == #"{"messages":[]}"#)
        #expect(await api.handle(method: "DELETE", path: "/_aws/ses", query: [:]).status == 204)
        #expect(try await store.mails().isEmpty)
    }
}
