import GigatopModel

/// Turns the lines of a Server-Sent Events stream into messages: the `data:` lines of one event,
/// joined by newlines, make one feed line.
///
/// Comments (`:`) and the `event`, `id` and `retry` fields are read and set aside; an event is
/// dispatched at a blank line, and one with no data gives nothing. Data longer than `maxLine`
/// is dropped as it arrives and reported as too long.
struct HTTPEventStreamParser {
  let maxLine: Int
  private var data: [UInt8] = []
  private var hasData = false
  private var overLength: Int?
  /// The number of the last message handed out.
  private(set) var messageNumber = 0
  /// The last `id:` field seen, for `Last-Event-ID` on reconnection.
  private(set) var lastEventID: String?

  init(maxLine: Int) { self.maxLine = maxLine }

  /// Reads one line of the stream; calls `body` with a message's number and content when an event ends.
  mutating func take(_ line: LineSplitter.Content, _ body: (Int, LineSplitter.Content) -> Void) {
    switch line {
    case .tooLong(let length):
      // A field we cannot hold: count it against the event's data so the event is reported, not lost.
      overLength = (overLength ?? data.count) + length
      hasData = true
    case .bytes(let bytes):
      if bytes.isEmpty {
        dispatch(body)
        return
      }
      if bytes[0] == UInt8(ascii: ":") { return }
      let colon = bytes.firstIndex(of: UInt8(ascii: ":"))
      let fieldEnd = colon ?? bytes.count
      var valueStart = colon.map { $0 + 1 } ?? bytes.count
      if valueStart < bytes.count, bytes[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
      let field = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<fieldEnd]), as: UTF8.self)
      let value = UnsafeRawBufferPointer(rebasing: bytes[valueStart..<bytes.count])
      switch field {
      case "data":
        if hasData { append([0x0A]) }
        hasData = true
        append(Array(value))
      case "id":
        if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
      default:
        break
      }
    }
  }

  /// Forgets a half-read event (the connection broke).
  mutating func reset() {
    data.removeAll(keepingCapacity: true)
    hasData = false
    overLength = nil
  }

  private mutating func append(_ bytes: [UInt8]) {
    if let length = overLength {
      overLength = length + bytes.count
      return
    }
    if data.count + bytes.count > maxLine {
      overLength = data.count + bytes.count
      data.removeAll()
      return
    }
    data.append(contentsOf: bytes)
  }

  private mutating func dispatch(_ body: (Int, LineSplitter.Content) -> Void) {
    defer { reset() }
    guard hasData else { return }
    messageNumber += 1
    if let overLength {
      body(messageNumber, .tooLong(overLength))
      return
    }
    data.withUnsafeBytes { body(messageNumber, .bytes($0)) }
  }
}
