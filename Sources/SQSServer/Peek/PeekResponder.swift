import FoundationEssentials
import NIOCore
import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSProtocol

/// LocalStack's developer endpoint for looking into a queue without consuming it:
/// `GET|POST /_aws/sqs/messages?QueueUrl=…` or `/_aws/sqs/messages/<region>/<account>/<queue>`.
///
/// The answer has ReceiveMessage's shape, as LocalStack gives it:
/// - XML (the Query protocol's `<ReceiveMessageResponse>`) by default;
/// - with `Accept: application/json`, the same tree as JSON
///   (`{"ReceiveMessageResponse":{"ReceiveMessageResult":{"Message":[…]}}}`, attributes as
///   `[{"Name":…,"Value":…}]`);
/// - to an SDK pointed at the endpoint (`X-Amz-Target: AmazonSQS.ReceiveMessage`, JSON protocol),
///   ReceiveMessage's JSON answer `{"Messages":[…]}`.
///
/// Only visible messages are listed unless `ShowInvisible=true` (in-flight ones) or
/// `ShowDelayed=true` (delayed ones) is given; those add `IsVisible` and `IsDelayed` attributes.
/// Nothing about the messages changes: no receive count, visibility or receipt handle.
struct PeekResponder: Sendable {
    static let prefix = "/_aws/sqs/messages"
    /// The receipt handle LocalStack reports for peeked messages (they cannot be deleted with it).
    static let receiptHandle = "SQS/BACKDOOR/ACCESS"

    let engine: QueueEngine
    let defaults: ServerDefaults

    static func handles(path: Substring) -> Bool {
        path == prefix || path.hasPrefix(prefix + "/")
    }

    func respond(to request: HTTPRequest, requestID: String) async -> HTTPResponse {
        let head = request.head
        var parameters = FormEncoding.parameters(head.uri.split(separator: "?", maxSplits: 1).dropFirst().first ?? "")
        var body = request.body
        let jsonProtocol = Self.isJSONProtocol(head.headers)
        if head.method == .POST, let text = body.readString(length: body.readableBytes) {
            if text.hasPrefix("{") {
                parameters.merge(Self.jsonParameters(text)) { _, new in new }
            } else {
                parameters.merge(FormEncoding.parameters(Substring(text))) { _, new in new }
            }
        }
        let json = jsonProtocol || Self.wantsJSON(head.headers)
        let path = ServerRouter.path(of: head.uri)
        let context = SQSResponder.context(for: head, defaults: defaults, requestID: requestID)
        do throws(EngineError) {
            if let action = parameters["Action"], action != "ReceiveMessage" {
                throw EngineError(.invalidParameterValue, "This endpoint only accepts ReceiveMessage calls")
            }
            let key: QueueKey
            let segments = path.dropFirst(Self.prefix.count).split(separator: "/")
            if segments.count == 3 {
                key = QueueKey(account: String(segments[1]), region: String(segments[0]), name: String(segments[2]))
            } else if let url = parameters["QueueUrl"] {
                key = try context.queueKey(fromURL: url)
            } else {
                throw EngineError.missingParameter("QueueUrl")
            }
            let showInvisible = parameters["ShowInvisible"]?.lowercased() == "true"
            let showDelayed = parameters["ShowDelayed"]?.lowercased() == "true"
            let messages = try await engine.peekMessages(key, includeInFlight: showInvisible, includeDelayed: showDelayed)
            let flags = showInvisible || showDelayed
            if jsonProtocol {
                return Self.jsonResponse(messages, flags: flags, requestID: requestID)
            }
            return json
                ? Self.queryJSONResponse(messages, flags: flags, requestID: requestID)
                : Self.xmlResponse(messages, flags: flags, requestID: requestID)
        } catch {
            if json {
                return SQSResponder.httpResponse(JSONProtocolHandler.error(error), requestID: requestID)
            }
            return Self.xmlError(error, requestID: requestID)
        }
    }

    static func attributes(of message: PeekedMessage, flags: Bool) -> [String: String] {
        var attributes = message.systemAttributes
        if flags {
            attributes["IsVisible"] = message.state == .visible ? "true" : "false"
            attributes["IsDelayed"] = message.state == .delayed ? "true" : "false"
        }
        return attributes
    }

    static func jsonResponse(_ messages: [PeekedMessage], flags: Bool, requestID: String) -> HTTPResponse {
        var writer = JSONWriter()
        writer.object { o in
            o.member("Messages", array: messages) { w, message in
                w.object { m in
                    m.member("Attributes", attributes(of: message, flags: flags))
                    m.member("Body", message.record.body)
                    m.member("MD5OfBody", message.record.md5OfBody)
                    m.member("MD5OfMessageAttributes", message.record.md5OfAttributes)
                    m.member("MessageAttributes", attributes: message.record.attributes)
                    m.member("MessageId", message.record.messageID)
                    m.member("ReceiptHandle", receiptHandle)
                }
            }
        }
        let response = ProtocolResponse(status: 200, contentType: "application/json", body: writer.bytes)
        return SQSResponder.httpResponse(response, requestID: requestID)
    }

    /// The Query protocol's answer as JSON, the shape LocalStack gives to `Accept: application/json`.
    static func queryJSONResponse(_ messages: [PeekedMessage], flags: Bool, requestID: String) -> HTTPResponse {
        var writer = JSONWriter()
        writer.object { root in
            root.member("ReceiveMessageResponse", object: { response in
                response.member("ReceiveMessageResult", object: { result in
                    result.member("Message", array: messages, alwaysWrite: true) { w, message in
                        w.object { m in
                            m.member("MessageId", message.record.messageID)
                            m.member("MD5OfBody", message.record.md5OfBody)
                            m.member("Body", message.record.body)
                            m.member("Attribute", array: attributes(of: message, flags: flags).sorted { $0.key < $1.key }) { w, attribute in
                                w.object { a in
                                    a.member("Name", attribute.key)
                                    a.member("Value", attribute.value)
                                }
                            }
                            m.member("MD5OfMessageAttributes", message.record.md5OfAttributes)
                            m.member("MessageAttribute", array: message.record.attributes.sorted { $0.key < $1.key }) { w, attribute in
                                w.object { a in
                                    a.member("Name", attribute.key)
                                    a.member("Value", object: { v in
                                        v.member("StringValue", attribute.value.stringValue)
                                        v.member("BinaryValue", attribute.value.binaryValue.map { Data($0).base64EncodedString() })
                                        v.member("DataType", attribute.value.dataType)
                                    })
                                }
                            }
                            m.member("ReceiptHandle", receiptHandle)
                        }
                    }
                })
                response.member("ResponseMetadata", object: { metadata in metadata.member("RequestId", requestID) })
            })
        }
        let response = ProtocolResponse(status: 200, contentType: "application/json", body: writer.bytes)
        return SQSResponder.httpResponse(response, requestID: requestID)
    }

    static func xmlResponse(_ messages: [PeekedMessage], flags: Bool, requestID: String) -> HTTPResponse {
        var xml = #"<?xml version="1.0"?><ReceiveMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ReceiveMessageResult>"#
        for message in messages {
            xml += "<Message><MessageId>\(escape(message.record.messageID))</MessageId><ReceiptHandle>\(receiptHandle)</ReceiptHandle>"
            xml += "<MD5OfBody>\(message.record.md5OfBody)</MD5OfBody><Body>\(escape(message.record.body))</Body>"
            for (name, value) in attributes(of: message, flags: flags).sorted(by: { $0.key < $1.key }) {
                xml += "<Attribute><Name>\(escape(name))</Name><Value>\(escape(value))</Value></Attribute>"
            }
            if let md5 = message.record.md5OfAttributes {
                xml += "<MD5OfMessageAttributes>\(md5)</MD5OfMessageAttributes>"
            }
            for (name, value) in message.record.attributes.sorted(by: { $0.key < $1.key }) {
                xml += "<MessageAttribute><Name>\(escape(name))</Name><Value>"
                if let string = value.stringValue { xml += "<StringValue>\(escape(string))</StringValue>" }
                if let binary = value.binaryValue { xml += "<BinaryValue>\(Data(binary).base64EncodedString())</BinaryValue>" }
                xml += "<DataType>\(escape(value.dataType))</DataType></Value></MessageAttribute>"
            }
            xml += "</Message>"
        }
        xml += "</ReceiveMessageResult><ResponseMetadata><RequestId>\(requestID)</RequestId></ResponseMetadata></ReceiveMessageResponse>"
        return SQSResponder.httpResponse(ProtocolResponse(status: 200, contentType: "text/xml", body: Array(xml.utf8)), requestID: requestID)
    }

    static func xmlError(_ error: EngineError, requestID: String) -> HTTPResponse {
        let wire = AWSErrorMapping.wire(for: error.code)
        let xml = #"<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type><Code>\#(wire.queryCode)</Code><Message>\#(escape(error.message))</Message><Detail/></Error><RequestId>\#(requestID)</RequestId></ErrorResponse>"#
        return SQSResponder.httpResponse(ProtocolResponse(status: wire.status, contentType: "text/xml", body: Array(xml.utf8)), requestID: requestID)
    }

    /// Whether the request is an SDK's JSON-protocol ReceiveMessage (`X-Amz-Target`).
    static func isJSONProtocol(_ headers: HTTPHeaders) -> Bool {
        headers.first(name: "x-amz-target") != nil || (headers.first(name: "content-type") ?? "").contains("x-amz-json")
    }

    /// The string, number and boolean members of a JSON object body (`QueueUrl`, …).
    static func jsonParameters(_ text: String) -> [String: String] {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)), case .object(let members) = value else {
            return [:]
        }
        return members.compactMapValues { member in
            switch member {
            case .string, .number, .bool: member.text
            default: nil
            }
        }
    }

    static func wantsJSON(_ headers: HTTPHeaders) -> Bool {
        let accept = headers.first(name: "accept") ?? ""
        let contentType = headers.first(name: "content-type") ?? ""
        return accept.contains("json") || contentType.contains("json")
    }

    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\r": result += "&#xD;"
            default: result.append(character)
            }
        }
        return result
    }
}
