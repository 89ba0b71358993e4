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

    @Test("malformed patterns are refused")
    func invalid() {
        #expect(FilterPattern("{ $.level = ") == nil)
        #expect(FilterPattern("\"open quote") == nil)
        #expect(FilterPattern("[ip, user]") == nil)
    }
}
