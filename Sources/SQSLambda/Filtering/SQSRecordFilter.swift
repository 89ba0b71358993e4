/// An event-source mapping's `FilterCriteria`, compiled, applied to SQS records as Lambda does.
///
/// A record passes when it matches at least one pattern (the patterns are ORed); with no
/// patterns every record passes. The record is matched as Lambda sees it before it adds
/// `eventSource`, `eventSourceARN` and `awsRegion`: `messageId`, `receiptHandle`, `body`,
/// `attributes`, `messageAttributes`, `md5OfBody`, `md5OfMessageAttributes`.
///
/// The body is a JSON object when it parses as one, and a plain string otherwise, so (as AWS's
/// table in "Filtering Amazon SQS messages" says) a JSON body matches only a pattern whose `body`
/// is an object, a plain body only a pattern whose `body` is a list of rules, and a pattern without
/// `body` filters on the other fields only.
public struct SQSRecordFilter: Sendable {
    let patterns: [FilterPattern]

    /// Compiles the patterns (`FilterCriteria.Filters[].Pattern`).
    /// - Throws: ``LambdaAPIError`` `InvalidParameterValueException` for more than
    ///   ``LambdaAPILimits/filtersPerMapping`` filters, a pattern over
    ///   ``LambdaAPILimits/patternLength`` characters, or a pattern that is not valid.
    public init(patterns: [String]) throws(LambdaAPIError) {
        guard patterns.count <= LambdaAPILimits.filtersPerMapping else {
            throw .invalidParameter(
                "Invalid filter pattern definition. An event source mapping takes at most \(LambdaAPILimits.filtersPerMapping) filters; got \(patterns.count).")
        }
        var compiled: [FilterPattern] = []
        for text in patterns {
            guard text.count <= LambdaAPILimits.patternLength else {
                throw .validation(
                    "1 validation error detected: Value at 'filterCriteria.filters.member.pattern' failed to satisfy constraint: Member must have length less than or equal to \(LambdaAPILimits.patternLength)")
            }
            do {
                compiled.append(try FilterPattern(text))
            } catch {
                throw .invalidParameter("Invalid filter pattern definition.")
            }
        }
        self.patterns = compiled
    }

    /// A filter that lets every record through.
    public static let acceptingAll = SQSRecordFilter(compiled: [])

    private init(compiled: [FilterPattern]) {
        self.patterns = compiled
    }

    /// Whether there is nothing to filter.
    public var isEmpty: Bool { patterns.isEmpty }

    /// Whether the record goes to the function.
    public func accepts(_ record: SQSEventRecord) -> Bool {
        guard !patterns.isEmpty else { return true }
        let event = Self.filterView(of: record)
        return patterns.contains { $0.matches(event) }
    }

    /// The record as the filter sees it.
    static func filterView(of record: SQSEventRecord) -> [String: FilterJSON] {
        var body: FilterJSON = .string(record.body)
        if let parsed = FilterJSON.parse(record.body), parsed.isObject {
            body = parsed
        }
        var attributes: [String: FilterJSON] = [:]
        for (name, value) in record.attributes { attributes[name] = .string(value) }
        var messageAttributes: [String: FilterJSON] = [:]
        for (name, value) in record.messageAttributes {
            var fields: [String: FilterJSON] = [
                "dataType": .string(value.dataType), "stringListValues": .array([]), "binaryListValues": .array([]),
            ]
            if let string = value.stringValue { fields["stringValue"] = .string(string) }
            if let binary = value.binaryValue { fields["binaryValue"] = .string(binary) }
            messageAttributes[name] = .object(fields)
        }
        var view: [String: FilterJSON] = [
            "messageId": .string(record.messageId), "receiptHandle": .string(record.receiptHandle), "body": body,
            "attributes": .object(attributes), "messageAttributes": .object(messageAttributes), "md5OfBody": .string(record.md5OfBody),
        ]
        if let md5 = record.md5OfMessageAttributes { view["md5OfMessageAttributes"] = .string(md5) }
        return view
    }
}
