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
  let stencils: FlatStencils

  init() {
    // Lines of their own (`FlatShapes.allocate(_:count:)`): the members are written every line.
    let empty = FlatDecoder.Field(
      keyStart: 0, keyCount: 0, valueStart: 0, valueCount: 0, kind: .null, key: .unknown, number: 0)
    scratch = UnsafeMutableBufferPointer(
      start: FlatShapes.allocate(empty, count: FlatDecoder.maxFields), count: FlatDecoder.maxFields)
    guesses = FlatShapes.allocate(FlatDecoder.KeyGuess(), count: FlatDecoder.KeyGuess.capacity)
    shapes = FlatShapes.allocate()
    stencils = FlatStencils.allocate()
  }

  deinit {
    scratch.deallocate()
    guesses.deallocate()
    shapes.deallocate()
    stencils.deallocate()
  }
}
