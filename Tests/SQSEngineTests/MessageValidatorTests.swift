import Testing

@testable import SQSEngine

/// The byte-wise character check of bodies and string values against its definition, scalar by scalar.
@Suite struct MessageValidatorTests {
    /// The scalar-by-scalar definition the fast path must agree with.
    private static func reference(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(MessageValidator.isAllowed)
    }

    @Test func boundaryScalarsAreJudgedAsByTheirDefinition() {
        let boundaries: [UInt32] = [
            0x0, 0x8, 0x9, 0xA, 0xB, 0xC, 0xD, 0xE, 0x1F, 0x20, 0x7E, 0x7F, 0x80, 0xFF, 0x7FF, 0x800, 0xD7FF,
            0xE000, 0xEFFF, 0xF000, 0xFFBE, 0xFFBF, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x10FFFF,
        ]
        for value in boundaries {
            let scalar = Unicode.Scalar(value)!
            for text in ["\(scalar)", "a\(scalar)", "\(scalar)z", "ab\(scalar)\u{FFFD}"] {
                #expect(MessageValidator.containsOnlyAllowed(text) == Self.reference(text), "U+\(String(value, radix: 16)) in \(text.debugDescription)")
            }
        }
        #expect(!MessageValidator.containsOnlyAllowed("\u{FFFE}"))
        #expect(!MessageValidator.containsOnlyAllowed("x\u{FFFF}"))
        #expect(!MessageValidator.containsOnlyAllowed("bell\u{7}"))
        #expect(MessageValidator.containsOnlyAllowed("tab\tnewline\ncr\r\u{EFBF}\u{FFBE}\u{FFFD}😀"))
    }

    @Test func randomStringsAgreeWithTheDefinition() {
        var random = SplitMix64(seed: 0x5157_5f4d_4553_5347)
        // Scalars near every boundary, so that most strings mix allowed and refused ones.
        let pool: [UInt32] = [0x1, 0x9, 0xA, 0xD, 0x1F, 0x20, 0x41, 0x7F, 0xE9, 0x7FF, 0xD7FF, 0xE000, 0xEFBE, 0xFFBE, 0xFFFD, 0xFFFE, 0xFFFF, 0x1F600, 0x10FFFF]
        var refused = 0
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<Int(random.next() % 8) {
                text.unicodeScalars.append(Unicode.Scalar(pool[Int(random.next() % UInt64(pool.count))])!)
            }
            let expected = Self.reference(text)
            if !expected { refused += 1 }
            #expect(MessageValidator.containsOnlyAllowed(text) == expected, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        // Both answers were exercised.
        #expect(refused > 1_000 && refused < 19_000)
    }

    /// Long strings, so that the eight-bytes-at-a-time path meets refused scalars at every offset.
    @Test func longStringsAgreeWithTheDefinition() {
        var random = SplitMix64(seed: 0x4c4f_4e47)
        let plain: [UInt32] = [0x20, 0x41, 0x7A, 0x7E, 0x7F, 0xE9, 0x4E2D, 0xEFBF, 0xFFBE, 0xFFFD, 0x1F600]
        let refused: [UInt32] = [0x0, 0x7, 0x1F, 0xFFFE, 0xFFFF]
        for length in 0..<80 {
            for _ in 0..<20 {
                var text = ""
                for _ in 0..<length {
                    // Mostly ASCII, as bodies are; sometimes another allowed scalar.
                    let value = random.next() % 4 == 0 ? plain[Int(random.next() % UInt64(plain.count))] : 0x61
                    text.unicodeScalars.append(Unicode.Scalar(value)!)
                }
                let reference = Self.reference(text)
                #expect(reference)
                #expect(MessageValidator.containsOnlyAllowed(text) == reference)
                guard length > 0 else { continue }
                var scalars = Array(text.unicodeScalars)
                scalars[Int(random.next() % UInt64(length))] = Unicode.Scalar(refused[Int(random.next() % UInt64(refused.count))])!
                var bad = ""
                bad.unicodeScalars.append(contentsOf: scalars)
                #expect(!MessageValidator.containsOnlyAllowed(bad), "\(bad.unicodeScalars.map { String($0.value, radix: 16) })")
            }
        }
    }
}
