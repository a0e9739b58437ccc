/// What reading one line of a feed produced.
public enum FeedEvent: Sendable {
  /// A decoded message and the line it came from.
  case message(Envelope, line: Int)
  /// A line rejected whole, with where and why.
  case rejected(FeedLineError)

  /// Decodes one line of a feed; nil for a blank line.
  public static func decode(_ content: LineSplitter.Content, feed: String, line: Int) -> FeedEvent? {
    decode(content, feed: feed, line: line, fastPathTried: false)
  }

  /// `decode`, told whether `FlatDecoder` has already tried the line (and stepped aside): then the
  /// full decoder reads it at once.
  static func decode(
    _ content: LineSplitter.Content, feed: String, line: Int, fastPathTried: Bool
  ) -> FeedEvent? {
    switch content {
    case .tooLong(let length):
      return .rejected(
        FeedLineError(feed: feed, line: line, reason: "line of \(length) bytes is over the limit"))
    case .bytes(let bytes):
      var blank = true
      for b in bytes where !(b == 0x20 || b == 0x09 || b == 0x0D) {
        blank = false
        break
      }
      if blank { return nil }
      switch fastPathTried ? MessageDecoder.decodeTree(line: bytes) : MessageDecoder.decode(line: bytes) {
      case .success(let envelope): return .message(envelope, line: line)
      case .failure(let error): return .rejected(FeedLineError(feed: feed, line: line, reason: error.reason))
      }
    }
  }

  /// Decodes a status document: one message object, or an array of them.
  public static func decodeDocument(_ bytes: UnsafeRawBufferPointer, feed: String) -> [FeedEvent] {
    let value: JSONValue
    do throws(JSONParser.Failure) {
      value = try JSONParser.parse(bytes)
    } catch {
      return [.rejected(FeedLineError(feed: feed, line: 1, reason: "invalid JSON: \(error.description)"))]
    }
    let items: [JSONValue]
    if case .array(let list) = value { items = list } else { items = [value] }
    return items.enumerated().map { offset, item in
      switch MessageDecoder.decode(value: item) {
      case .success(let envelope): return .message(envelope, line: offset + 1)
      case .failure(let error):
        return .rejected(
          FeedLineError(feed: feed, line: offset + 1, reason: "item \(offset + 1): \(error.reason)"))
      }
    }
  }

  /// The feed time of the event, for merging feeds; nil for a rejected line.
  public var ts: Double? {
    if case .message(let envelope, _) = self { return envelope.ts }
    return nil
  }
}
