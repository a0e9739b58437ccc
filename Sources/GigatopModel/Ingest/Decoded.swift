/// A message of a common type decoded on the fast path, with its line's envelope.
struct Decoded<Message: Sendable>: Sendable {
  var head: LineHead
  var message: Message

  /// The same as a `FeedEvent`, the message wrapped by `wrap`.
  func event(_ wrap: (Message) -> FeedMessage) -> FeedEvent {
    .message(
      Envelope(
        ts: head.ts, src: head.src, seq: head.seq, message: wrap(message), unknownFields: head.unknownFields),
      line: head.line)
  }
}

/// The envelope of a line decoded on the fast path, apart from its message.
struct LineHead: Sendable {
  var ts: Double
  var src: String?
  var seq: Int?
  /// How many fields (at any depth) this version did not know and ignored.
  var unknownFields: Int
  /// The line number, counted from 1 at its chunk's first line.
  var line: Int
}

extension LineHead {
  /// The head of a line whose envelope the fast path read as `h`.
  init(_ h: FlatDecoder.Head, unknownFields: Int, line: Int) {
    self.init(ts: h.ts, src: h.src, seq: h.seq, unknownFields: unknownFields, line: line)
  }
}
