import Testing

@testable import GigatopModel

@Suite struct LineSplitterTests {
  func split(_ chunks: [String], maxLine: Int = 100, finish: Bool = true) -> [String] {
    var splitter = LineSplitter(maxLine: maxLine)
    var out: [String] = []
    let body: (Int, LineSplitter.Content) -> Void = { number, content in
      switch content {
      case .bytes(let b): out.append("\(number):" + String(decoding: b, as: UTF8.self))
      case .tooLong(let n): out.append("\(number):long \(n)")
      }
    }
    for chunk in chunks {
      var copy = chunk
      copy.withUTF8 { splitter.push(UnsafeRawBufferPointer($0), body) }
    }
    if finish { splitter.finish(body) }
    return out
  }

  @Test func splitsAcrossChunksAndStripsCR() {
    #expect(split(["ab", "c\nde\r\n", "f"]) == ["1:abc", "2:de", "3:f"])
    #expect(split(["ab", "c\nde\r\n", "f"], finish: false) == ["1:abc", "2:de"])
  }

  @Test func overlongLinesAreSkippedButCounted() {
    let long = String(repeating: "x", count: 250)
    #expect(
      split([long.prefix(120) + "", long.dropFirst(120) + "\nok\n"], maxLine: 100) == ["1:long 250", "2:ok"])
    #expect(split([long + "\nok"], maxLine: 100) == ["1:long 250", "2:ok"])
  }
}
