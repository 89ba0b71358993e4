import Testing

@testable import SQSLogs

/// AWS's documented filter-pattern examples ("Filter pattern syntax for metric filters, subscription
/// filters, filter log events, and Live Tail").
@Suite("FilterPattern")
struct FilterPatternTests {
    private func matches(_ pattern: String, _ message: String) throws -> Bool {
        try #require(FilterPattern(pattern)).matches(message)
    }

    @Test("an empty pattern matches everything")
    func empty() throws {
        #expect(try matches("", "anything"))
        #expect(try matches("  ", ""))
    }

    @Test("terms must all appear, case-sensitively")
    func terms() throws {
        #expect(try matches("ERROR", "[ERROR] 400 BadRequest"))
        #expect(try !matches("ERROR", "[error] 400 BadRequest"))
        #expect(try matches("ERROR ARGUMENTS", "[ERROR] Missing ARGUMENTS"))
        #expect(try !matches("ERROR ARGUMENTS", "[ERROR] Missing arguments"))
    }

    @Test("quoted phrases match as a whole")
    func phrases() throws {
        #expect(try matches("\"INTERNAL SERVER ERROR\"", "500 INTERNAL SERVER ERROR here"))
        #expect(try !matches("\"INTERNAL SERVER ERROR\"", "INTERNAL ERROR SERVER"))
    }

    @Test("-term excludes and ?term alternatives")
    func excludeAndOptional() throws {
        #expect(try matches("ERROR -Exception", "[ERROR] 400 BadRequest"))
        #expect(try !matches("ERROR -Exception", "[ERROR] Exception thrown"))
        #expect(try matches("?ERROR ?WARN", "[WARN] low disk"))
        #expect(try matches("?ERROR ?WARN", "[ERROR] down"))
        #expect(try !matches("?ERROR ?WARN", "[INFO] fine"))
    }

    @Test("JSON string, number and wildcard comparisons")
    func json() throws {
        let event = #"{"eventType":"UpdateTrail","level":"ERROR","latency":7,"user":{"id":"u-1","tags":["a","b"]},"ok":false}"#
        #expect(try matches(#"{ $.level = "ERROR" }"#, event))
        #expect(try !matches(#"{ $.level = "INFO" }"#, event))
        #expect(try matches(#"{ $.level != "INFO" }"#, event))
        #expect(try matches("{ $.latency > 5 }", event))
        #expect(try !matches("{ $.latency < 5 }", event))
        #expect(try matches("{ $.latency >= 7 && $.level = ERROR }", event))
        #expect(try matches(#"{ $.eventType = "Update*" }"#, event))
        #expect(try matches(#"{ $.user.id = "u-1" }"#, event))
        #expect(try matches(#"{ $.user.tags[1] = "b" }"#, event))
        #expect(try matches("{ $.ok = false }", event))
        #expect(try matches(#"{ $.level = "INFO" || $.latency = 7 }"#, event))
        #expect(try !matches(#"{ $.missing = "x" }"#, event))
        #expect(try !matches(#"{ $.level = "ERROR" }"#, "not json ERROR"))
    }

    /// The log event of AWS's space-delimited examples: seven fields, the bracketed timestamp and
    /// the quoted request being one field each.
    static let accessLog = #"127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534"#

    @Test("space-delimited: AWS's seven-field access log examples")
    func spaceDelimitedAWSExamples() throws {
        let line = Self.accessLog
        #expect(try matches("[ip, user, username, timestamp, request, status_code, bytes]", line))
        #expect(try matches("[ip, user, username, timestamp, request =*.html*, status_code = 4*, bytes]", line))
        #expect(try matches("[ip, user, username, timestamp, request = *.html*, status_code = 4*, bytes]", line))
        #expect(try !matches("[ip, user, username, timestamp, request =*.php*, status_code = 4*, bytes]", line))
        #expect(try matches("[ip, user, username, timestamp, request =*.html*, status_code = 4* || status_code = 5*, bytes]", line))
        #expect(try !matches("[ip, user, username, timestamp, request, status_code = 5* || status_code = 2*, bytes]", line))
        #expect(try matches("[ip, user, username, timestamp, request, status_code = 404, bytes]", line))
        #expect(try matches("[ip, user, username, timestamp, request, status_code != 200, bytes > 1000]", line))
        #expect(try !matches("[ip, user, username, timestamp, request, status_code, bytes < 1000]", line))
        #expect(try matches("[..., status_code = 404, bytes]", line))
        #expect(try matches("[ip, user, ..., status_code, bytes]", line))
        #expect(try matches("[ip, ...]", line))
        #expect(try matches(#"[ip, user, username = "frank", ...]"#, line))
        #expect(try matches("[ip, user, username, timestamp = 10/Oct/2000*, ...]", line))
        #expect(try matches(#"[..., request = "GET /index.html HTTP/1.0", status_code, bytes]"#, line))
        #expect(try matches("[..., status_code = %4[0-9]{2}%, bytes]", line))
        #expect(try !matches("[..., status_code = %^5%, bytes]", line))
    }

    @Test("space-delimited: the field count must fit unless an ellipsis absorbs the rest")
    func spaceDelimitedCounts() throws {
        let line = Self.accessLog
        #expect(try !matches("[ip, user, username, timestamp, request, status_code]", line))
        #expect(try !matches("[ip, user, username, timestamp, request, status_code, bytes, extra]", line))
        #expect(try matches("[ip, user, username, timestamp, request, status_code, bytes, ...]", line))
        #expect(try matches("[..., ip = 127.0.0.1, user, username, timestamp, request, status_code, bytes]", line))
        #expect(try matches("[a, ..., b = 404, ..., c = 1534]", line))
        #expect(try !matches("[a, ..., b = 1534, ..., c = 404]", line))
    }

    @Test("space-delimited: && and || within a field, numbers compared as numbers")
    func spaceDelimitedLogic() throws {
        let line = "2024-05-01T10:00:00Z INFO latency 250 ms"
        #expect(try matches("[time, level, name, value >= 200 && value < 300, unit]", line))
        #expect(try !matches("[time, level, name, value >= 300 && value < 400, unit]", line))
        #expect(try matches("[time, level = ERROR || level = INFO, name, value, unit = ms]", line))
        #expect(try matches("[time, level, name, value = 250.0, unit]", line))
        #expect(try !matches("[time, level, name = 250, value, unit]", line))
        #expect(try matches("[time, level != ERROR, ...]", line))
        #expect(try matches("[time, level, name, value, unit = ms && (value > 1000 || level = INFO)]", line))
    }

    @Test("space-delimited: Lambda's tab-separated REPORT line, field by field")
    func spaceDelimitedLambdaReport() throws {
        let report = "REPORT RequestId: 3f1c\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 38 MB"
        let pattern = """
            [type = "REPORT", label, request_id, duration_label, duration, duration_unit = ms, billed, billed_label, billed_value, \
            billed_unit, memory_label, size_label, memory_size, memory_unit, max, memory, used, max_memory_used > 30, unit = MB]
            """
        #expect(try matches(pattern, report))
        #expect(try matches("[type = REPORT, ..., max_memory_used > 30, unit = MB]", report))
        #expect(try !matches("[type = REPORT, ..., max_memory_used > 64, unit = MB]", report))
    }

    @Test("regular expressions between % signs, alone, as terms and in JSON patterns")
    func regex() throws {
        #expect(try matches("%AUTHORIZED%", "[SUCCESS 200] AUTHORIZED REQUEST"))
        #expect(try matches("%AUTHORIZED%", "[ERROR 401] UNAUTHORIZED REQUEST"))
        #expect(try matches("%^[hc]at%", "hat trick"))
        #expect(try !matches("%^[hc]at%", "that"))
        #expect(try matches("%colou?r%", "the colour red"))
        #expect(try matches("ERROR -%time[a-z]+%", "ERROR bad input"))
        #expect(try !matches("ERROR -%time[a-z]+%", "ERROR timeout"))
        #expect(try matches(#"{ $.path = %^/api/% }"#, #"{"path":"/api/orders"}"#))
        #expect(try !matches(#"{ $.path = %^/api/% }"#, #"{"path":"/web/api/"}"#))
    }

    @Test("malformed patterns are refused")
    func invalid() {
        #expect(FilterPattern("{ $.level = ") == nil)
        #expect(FilterPattern("\"open quote") == nil)
        #expect(FilterPattern("[ip, user") == nil)
        #expect(FilterPattern("[ip, , user]") == nil)
        #expect(FilterPattern("[ip, ip]") == nil)
        #expect(FilterPattern("[ip, user > abc]") == nil)
        #expect(FilterPattern("[ip, user = 1 &&]") == nil)
        #expect(FilterPattern("[ip, other = 1]") != nil)
        #expect(FilterPattern("[ip, user = 1 || nobody = 2]") == nil)
        #expect(FilterPattern("[ip, user = %(a)%]") == nil)
        #expect(FilterPattern("%unclosed") == nil)
        #expect(FilterPattern("[]") == nil)
    }
}
