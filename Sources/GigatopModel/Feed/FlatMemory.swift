/// What the fast path keeps from one line to the next on one thread: room for a line's members,
/// the key guesses (`FlatDecoder.KeyGuess`), and the layouts of recent lines with the last date
/// read (`FlatShapes`).
///
/// Setting these up costs about a hundred kilobytes of writes, so a decoder keeps one per thread
/// across chunks rather than one per chunk. What a line decodes to never depends on what the
/// memory holds: it only makes the common line quicker to read.
final class FlatMemory: @unchecked Sendable {
  let scratch: UnsafeMutableBufferPointer<FlatDecoder.Field>
  let guesses: UnsafeMutablePointer<FlatDecoder.KeyGuess>
  let shapes: FlatShapes

  init() {
    scratch = .allocate(capacity: FlatDecoder.maxFields)
    guesses = .allocate(capacity: FlatDecoder.KeyGuess.capacity)
    guesses.initialize(repeating: FlatDecoder.KeyGuess(), count: FlatDecoder.KeyGuess.capacity)
    shapes = FlatShapes.allocate()
  }

  deinit {
    scratch.deallocate()
    guesses.deallocate()
    shapes.deallocate()
  }
}
