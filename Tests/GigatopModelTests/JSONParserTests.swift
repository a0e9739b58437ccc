import Testing

@testable import GigatopModel

@Suite struct JSONParserTests {
  @Test(arguments: [
    #"{}"#, #"[]"#, #"{"a":[1,2.5,-3e2,true,false,null,"x"]}"#, #" {"a" : "\u00e9\ud83d\ude00" } "#,
    #"0"#, #"-0.0"#, #""\"\\\/\b\f\n\r\t""#, #"1E+2"#,
  ])
  func acceptsValidJSON(_ text: String) throws {
    _ = try JSONParser.parse(text)
  }

  @Test(arguments: [
    (#"{"a":1,}"#, "expected a string key"), (#"[1,]"#, "unexpected character"),
    (#"{"a":NaN}"#, "NaN"), (#"{"a":Infinity}"#, "NaN and Infinity"), (#"{"a":1e400}"#, "out of range"),
    (#"{"a":01}"#, "leading zero"), (#"{"a":1} x"#, "after the JSON value"),
    (#"{"a":"\ud800"}"#, "lone surrogate"),
    (#"{"a":1,"a":2}"#, "duplicate key"), (#"{"a":"x"#, "unterminated"), (#"// c"#, "unexpected character"),
    ("{\"a\":\"\u{1}\"}", "control character"), (#"{"a":1."#, "digit must follow"),
    (#"{"a":tru}"#, "invalid literal"),
    ("", "end of input"),
  ])
  func rejectsInvalidJSON(_ text: String, _ reason: String) {
    #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    do {
      _ = try JSONParser.parse(text)
    } catch {
      #expect(error.message.contains(reason), "\(error.message) should mention \(reason)")
    }
  }

  @Test func rejectsInvalidUTF8() {
    let bytes: [UInt8] = Array(#"{"a":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
    let result = bytes.withUnsafeBytes { raw -> Bool in (try? JSONParser.parse(raw)) != nil }
    #expect(result == false)
  }

  @Test func rejectsDeepNestingWithoutCrashing() {
    let deep = String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000)
    do {
      _ = try JSONParser.parse(deep)
      Issue.record("200,000 levels were accepted")
    } catch {
      #expect(error.message.contains("nesting deeper"))
    }
    let ok = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
    #expect((try? JSONParser.parse(ok)) != nil)
  }

  @Test func parsesNumbersExactly() throws {
    let value = try JSONParser.parse(#"[12345678901234567, 0.1, -7, 2.5e-3]"#)
    #expect(value == .array([.number(12_345_678_901_234_567), .number(0.1), .number(-7), .number(0.0025)]))
  }
}
