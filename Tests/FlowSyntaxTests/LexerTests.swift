import FlowDiagnostics
import Testing

@testable import FlowSyntax

@Suite struct LexerTests {
  private func kinds(_ text: String) -> [TokenKind] {
    Lexer.tokenize(Array(text.utf8), file: 0).tokens.map(\.kind)
  }

  private func problems(_ text: String) -> [SyntaxProblem] {
    Lexer.tokenize(Array(text.utf8), file: 0).problems
  }

  @Test func literals() {
    #expect(
      kinds("3 2.5 15m 36h 3d 2w 09:00 50% 2024-02-29 \"s\"")
        == [
          .number, .number, .duration, .duration, .duration, .duration, .time, .percent, .date,
          .string, .endOfFile,
        ])
  }

  @Test func leadingByteOrderMarkIsSkipped() {
    #expect(kinds("\u{FEFF}segment") == [.word, .endOfFile])
    #expect(problems("\u{FEFF}segment").isEmpty)
  }

  @Test func quietHoursRangeSplitsIntoTimes() {
    #expect(kinds("21:00-08:00") == [.time, .minus, .time, .endOfFile])
  }

  @Test func operatorsAndComments() {
    #expect(
      kinds("== != <= >= < > = { } ( ) : , . ? // trailing comment\n")
        == [
          .equalEqual, .notEqual, .lessEqual, .greaterEqual, .less, .greater, .equal, .leftBrace,
          .rightBrace, .leftParen, .rightParen, .colon, .comma, .dot, .question, .endOfFile,
        ])
  }

  @Test func keywordsAreClassified() {
    let tokens = Lexer.tokenize(Array("flow flows trigger member_joined".utf8), file: 0).tokens
    #expect(tokens.map(\.keyword) == [.flow, .none, .trigger, .none, .none])
  }

  @Test func spansAreByteOffsets() {
    let tokens = Lexer.tokenize(Array("  é vip".utf8), file: 3).tokens
    // 'é' is two bytes of junk for the lexer; `vip` starts at byte 5.
    #expect(tokens[0].start == 5 && tokens[0].end == 8)
  }

  @Test func malformedLiterals() {
    #expect(problems("3days").count == 1)
    if case .malformedDuration = problems("3days").first {
    } else {
      Issue.record("expected malformed duration")
    }
    if case .malformedTime = problems("9:5").first {
    } else {
      Issue.record("expected malformed time")
    }
    if case .malformedNumber(.extraDot, _) = problems("1.2.3").first {
    } else {
      Issue.record("extra dot")
    }
    if case .malformedNumber(.badDate, _) = problems("2024-2-29").first {
    } else {
      Issue.record("bad date")
    }
  }

  @Test func strings() {
    if case .unterminatedString(let span) = problems("\"abc\nx").first {
      #expect(span.start == 0 && span.end == 4)
    } else {
      Issue.record("expected unterminated string")
    }
    #expect(problems(#""a \" \\ \n \t \u{1F600}""#).isEmpty)
    if case .invalidEscape = problems(#""\q""#).first {
    } else {
      Issue.record("expected invalid escape")
    }
    if case .invalidEscape = problems(#""\u{110000}""#).first {
    } else {
      Issue.record("out of range")
    }
  }

  @Test func junkIsReportedOncePerRun() {
    let found = problems("vip @@@@ # x")
    #expect(found.count == 2)
    if case .unexpectedCharacter(let byte, let span) = found.first {
      #expect(byte == UInt8(ascii: "@") && span.end - span.start == 4)
    }
  }
}
