import FoundationEssentials
import SQSEngine

/// Builds the MIME form of a mail (what SES would hand to the recipient's server): headers,
/// then the text part, the HTML part, or both as `multipart/alternative`.
public enum MIMEBuilder {
    /// The raw message.
    /// - Parameters:
    ///   - messageID: The `Message-ID` local part.
    ///   - timestamp: Epoch milliseconds, for the `Date` header.
    public static func build(
        from source: String, to: [String], cc: [String] = [], replyTo: [String] = [], subject: String, text: String?, html: String?,
        messageID: String, timestamp: Int64, extraHeaders: [(String, String)] = []
    ) -> String {
        var lines: [String] = []
        lines.append("From: \(source)")
        if !to.isEmpty { lines.append("To: \(to.joined(separator: ", "))") }
        if !cc.isEmpty { lines.append("Cc: \(cc.joined(separator: ", "))") }
        if !replyTo.isEmpty { lines.append("Reply-To: \(replyTo.joined(separator: ", "))") }
        lines.append("Subject: \(encodedWord(subject))")
        lines.append("Date: \(RFC2822Date.string(milliseconds: timestamp))")
        lines.append("Message-ID: <\(messageID)@email.amazonses.com>")
        for (name, value) in extraHeaders { lines.append("\(name): \(value)") }
        lines.append("MIME-Version: 1.0")
        switch (text, html) {
        case (let text?, let html?):
            let boundary = "=_sqslite_" + messageID.filter { $0 != "-" }
            lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
            lines.append("")
            lines.append("--\(boundary)")
            lines += part(text, type: "text/plain")
            lines.append("--\(boundary)")
            lines += part(html, type: "text/html")
            lines.append("--\(boundary)--")
        case (nil, let html?):
            lines += part(html, type: "text/html")
        default:
            lines += part(text ?? "", type: "text/plain")
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// A body part's headers and content: 7bit when it is plain ASCII with short lines, base64 otherwise.
    private static func part(_ content: String, type: String) -> [String] {
        let plain = content.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D } && content.split(separator: "\n").allSatisfy { $0.utf8.count <= 998 }
        if plain {
            return ["Content-Type: \(type); charset=UTF-8", "Content-Transfer-Encoding: 7bit", "", content.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")]
        }
        let encoded = Data(content.utf8).base64EncodedString()
        var lines = ["Content-Type: \(type); charset=UTF-8", "Content-Transfer-Encoding: base64", ""]
        var rest = Substring(encoded)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(76)))
            rest = rest.dropFirst(76)
        }
        return lines
    }

    /// An RFC 2047 encoded word when the text is not plain ASCII.
    static func encodedWord(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x80 || $0 < 0x20 }) else { return text }
        return "=?UTF-8?B?\(Data(text.utf8).base64EncodedString())?="
    }
}

/// `Mon, 01 Jan 2024 00:00:00 +0000`.
enum RFC2822Date {
    static func string(milliseconds: Int64) -> String {
        let time = CivilTime(milliseconds: milliseconds)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let pad = CivilTime.padded
        return "\(weekdays[time.weekday]), \(pad(time.day, 2)) \(months[time.month - 1]) \(time.year) "
            + "\(pad(time.hour, 2)):\(pad(time.minute, 2)):\(pad(time.second, 2)) +0000"
    }
}
