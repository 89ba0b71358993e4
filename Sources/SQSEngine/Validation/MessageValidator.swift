/// SQS's rules for message bodies and message attributes.
public enum MessageValidator {
    /// The most message attributes one message may carry.
    public static let maxAttributeCount = 10

    /// Checks that every character of `body` is one SQS allows:
    /// `#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`.
    public static func validateBody(_ body: String) throws(EngineError) {
        if !containsOnlyAllowed(body) {
            throw EngineError(
                .invalidMessageContents,
                "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF"
            )
        }
    }

    /// Whether every scalar of `text` is one SQS accepts (see ``isAllowed(_:)``).
    ///
    /// Reads the UTF-8 bytes when they are contiguous (native strings): a Swift string is valid
    /// UTF-8 without surrogates, so the only scalars to refuse are the C0 controls other than
    /// tab, LF and CR (single bytes below 0x20) and U+FFFE and U+FFFF (`EF BF BE`, `EF BF BF`;
    /// 0xEF is never a continuation byte). Decoding scalars one by one cost several times more.
    public static func containsOnlyAllowed(_ text: String) -> Bool {
        if let allowed = text.utf8.withContiguousStorageIfAvailable(containsOnlyAllowed(utf8:)) {
            return allowed
        }
        return text.unicodeScalars.allSatisfy(isAllowed)
    }

    static func containsOnlyAllowed(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            // Eight bytes at a time while none can start a refused scalar (most bodies: all of them).
            if index &+ 8 <= count {
                let word = ByteWords.load(bytes, at: index)
                if !ByteWords.hasByte(below: 0x20, in: word) && !ByteWords.hasByte(0xEF, in: word) {
                    index &+= 8
                    continue
                }
            }
            let byte = bytes[index]
            if byte < 0x20 {
                if byte != 0x9 && byte != 0xA && byte != 0xD { return false }
            } else if byte == 0xEF, index + 2 < count, bytes[index + 1] == 0xBF, bytes[index + 2] & 0xFE == 0xBE {
                return false
            }
            index += 1
        }
        return true
    }

    /// Whether SQS accepts `scalar` in a body or string value.
    @inline(__always)
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// Validates user message attributes (names, types, values, count).
    public static func validateAttributes(_ attributes: [String: MessageAttributeValue]) throws(EngineError) {
        if attributes.count > maxAttributeCount {
            throw EngineError.invalidParameters(
                reason: "Number of message attributes [\(attributes.count)] exceeds the allowed maximum [\(maxAttributeCount)].")
        }
        for (name, value) in attributes {
            try validateName(name)
            try validateValue(value, name: name)
        }
    }

    /// Validates message system attributes: only `AWSTraceHeader`, a String.
    public static func validateSystemAttributes(_ attributes: [String: MessageAttributeValue]) throws(EngineError) {
        for (name, value) in attributes {
            guard name == "AWSTraceHeader" else {
                throw EngineError.invalidParameters(reason: "Message system attribute name '\(name)' is invalid.")
            }
            guard value.dataType == "String" else {
                throw EngineError.invalidParameters(
                    reason: "The message system attribute 'AWSTraceHeader' has an invalid message system attribute type, the set of supported type prefixes is String.")
            }
            try validateValue(value, name: name)
        }
    }

    static func validateName(_ name: String) throws(EngineError) {
        let bytes = Array(name.utf8)
        if bytes.count >= 256 {
            throw EngineError.invalidParameters(reason: "Message (user) attribute names must be shorter than 256 Bytes")
        }
        // ASCII letters, digits, '_', '-', '.', and (as AWS accepts them) letters beyond ASCII.
        let validCharacters = !bytes.isEmpty && bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                || byte == 0x5f || byte == 0x2d || byte == 0x2e || byte >= 0x80
        }
        if !validCharacters || name.contains("..") {
            throw EngineError(
                .invalidParameterValue,
                "Message (user) attributes name can only contain upper and lower score characters, digits, periods, hyphens and underscores. ")
        }
        let lowered = name.lowercased()
        if lowered.hasPrefix("aws.") || lowered.hasPrefix("amazon.") || bytes.first == 0x2e || bytes.last == 0x2e {
            throw EngineError(
                .invalidParameterValue,
                "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use. Additionally, they cannot start or end with '.'.")
        }
    }

    static func validateValue(_ value: MessageAttributeValue, name: String) throws(EngineError) {
        let type = value.dataType
        let base = value.baseType
        guard !type.isEmpty else {
            throw EngineError(.invalidParameterValue, "Missing required parameter DataType")
        }
        guard base == "String" || base == "Number" || base == "Binary" else {
            throw EngineError(
                .invalidParameterValue,
                "Type for parameter MessageAttributes.Attribute_name.DataType must be prefixed with \"String\", \"Binary\", or \"Number\", but was: \(type)")
        }
        guard type.utf8.count < 256 else {
            throw EngineError(.invalidParameterValue, "Message (user) attribute types must be shorter than 256 Bytes")
        }
        if base == "Binary" {
            guard let binary = value.binaryValue, !binary.isEmpty else {
                throw EngineError(.invalidParameterValue, "Message (user) attribute '\(name)' must contain a non-empty value of type 'Binary'.")
            }
            return
        }
        guard let string = value.stringValue, !string.isEmpty else {
            throw EngineError(.invalidParameterValue, "Message (user) attribute '\(name)' must contain a non-empty value of type '\(base)'.")
        }
        if !containsOnlyAllowed(string) {
            throw EngineError(
                .invalidParameterValue,
                "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF")
        }
        if base == "Number" && !isValidNumber(string) {
            throw EngineError(.invalidParameterValue, "Can't cast the value of message (user) attribute '\(name)' to a number.")
        }
    }

    /// Whether `text` is a decimal number SQS accepts: optional sign, digits with an optional
    /// fraction, optional exponent, magnitude within −10^128 … 10^126, at most 38 significant digits.
    static func isValidNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if bytes.first == 0x2b || bytes.first == 0x2d { bytes = bytes.dropFirst() }
        var integerDigits: [UInt8] = []
        var fractionDigits: [UInt8] = []
        while let byte = bytes.first, byte >= 0x30 && byte <= 0x39 {
            integerDigits.append(byte)
            bytes = bytes.dropFirst()
        }
        if bytes.first == 0x2e {
            bytes = bytes.dropFirst()
            while let byte = bytes.first, byte >= 0x30 && byte <= 0x39 {
                fractionDigits.append(byte)
                bytes = bytes.dropFirst()
            }
        }
        if integerDigits.isEmpty && fractionDigits.isEmpty { return false }
        var exponent = 0
        if let byte = bytes.first, byte == 0x65 || byte == 0x45 {
            bytes = bytes.dropFirst()
            var negative = false
            if bytes.first == 0x2b || bytes.first == 0x2d {
                negative = bytes.first == 0x2d
                bytes = bytes.dropFirst()
            }
            guard !bytes.isEmpty, bytes.count <= 6 else { return false }
            for byte in bytes {
                guard byte >= 0x30 && byte <= 0x39 else { return false }
                exponent = exponent * 10 + Int(byte - 0x30)
            }
            bytes = bytes[bytes.endIndex...]
            if negative { exponent = -exponent }
        }
        guard bytes.isEmpty else { return false }
        // Magnitude: position of the leading significant digit.
        let digits = integerDigits + fractionDigits
        guard let lead = digits.firstIndex(where: { $0 != 0x30 }) else { return true }
        let magnitude = integerDigits.count - lead - 1 + exponent
        let significant = digits[lead...].reversed().drop(while: { $0 == 0x30 }).count
        return magnitude <= 126 && magnitude >= -130 && significant <= 38
    }

    /// The size a message counts against MaximumMessageSize: body plus every attribute's name, type and value.
    public static func messageSize(body: String, attributes: [String: MessageAttributeValue]) -> Int {
        var size = body.utf8.count
        for (name, value) in attributes {
            size += value.size(name: name)
        }
        return size
    }
}
