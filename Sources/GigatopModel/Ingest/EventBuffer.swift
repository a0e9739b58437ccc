/// The events decoded from one chunk, in order, handed over by moving each out (`takeNext`):
/// an array would copy each event out and release it again when emptied.
///
/// One thread uses it at a time: the thread that decodes a chunk fills it, hands it over under
/// `ParallelLineDecoder.Shared`'s mutex, and the applier empties it; it goes back to be filled
/// again the same way. (Hence `@unchecked Sendable`: it has no lock of its own.)
final class EventBuffer: @unchecked Sendable {
  private var base: UnsafeMutablePointer<FeedEvent>
  private var capacity: Int
  /// Events put in.
  private(set) var count = 0
  /// Events moved out (the first ones).
  private var taken = 0

  init(capacity: Int = 0) {
    self.capacity = max(1, capacity)
    base = .allocate(capacity: self.capacity)
  }

  deinit {
    removeAll()
    base.deallocate()
  }

  /// Makes room for `wanted` events in all.
  func reserveCapacity(_ wanted: Int) {
    guard wanted > capacity else { return }
    let bigger = UnsafeMutablePointer<FeedEvent>.allocate(capacity: wanted)
    (bigger + taken).moveInitialize(from: base + taken, count: count - taken)
    base.deallocate()
    base = bigger
    capacity = wanted
  }

  func append(_ event: consuming FeedEvent) {
    if count == capacity { reserveCapacity(capacity * 2) }
    (base + count).initialize(to: event)
    count += 1
  }

  /// Moves the next event out; nil when every one has been.
  func takeNext() -> FeedEvent? {
    guard taken < count else { return nil }
    defer { taken += 1 }
    return (base + taken).move()
  }

  /// Drops the events not moved out and starts empty again (the memory stays).
  func removeAll() {
    (base + taken).deinitialize(count: count - taken)
    count = 0
    taken = 0
  }
}
