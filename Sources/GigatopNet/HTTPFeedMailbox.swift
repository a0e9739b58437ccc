import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What the background HTTP worker hands to the run loop: response bytes and the connection's state,
/// behind a lock, with a pipe that turns readable when there is news.
final class HTTPFeedMailbox: Sendable {
  /// How a response's body is laid out, chosen by its content type.
  enum Kind: Sendable, Equatable { case document, lines, events }

  /// One piece of news from the worker, in order.
  enum Item: Sendable {
    /// A new response body starts.
    case begin(Kind)
    /// More of a streamed body.
    case bytes([UInt8])
    /// The streamed body ended cleanly: a last line without a newline counts.
    case end
    /// The streamed body broke off: a partial line is dropped.
    case abort
    /// A whole status document.
    case document([UInt8])
  }

  /// Where the connection stands.
  enum Phase: Sendable, Equatable {
    case connecting
    case connected
    /// The last attempt failed for `reason`; the next starts at monotonic time `at`.
    case retrying(reason: String, at: Double)
  }

  struct Inbox {
    var items: [Item] = []
    var queuedBytes = 0
    var phase = Phase.connecting
    var retryDelays: [Double] = []
    var requests = 0
    var lastEventID: String?
  }

  let inbox = Mutex(Inbox())
  /// Readable when news is waiting.
  let wakeRead: Int32
  private let wakeWrite: Int32

  init() {
    var fds: [Int32] = [-1, -1]
    if pipe(&fds) == 0 {
      for fd in fds {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
      }
    } else {
      fds = [-1, -1]
    }
    wakeRead = fds[0]
    wakeWrite = fds[1]
  }

  deinit {
    if wakeRead >= 0 { close(wakeRead) }
    if wakeWrite >= 0 { close(wakeWrite) }
  }

  /// Queues an item and wakes the run loop.
  func post(_ item: Item) {
    inbox.withLock { inbox in
      inbox.items.append(item)
      switch item {
      case .bytes(let bytes), .document(let bytes): inbox.queuedBytes += bytes.count
      default: break
      }
    }
    wake()
  }

  /// Sets the phase (and notes a retry's delay) and wakes the run loop.
  func set(_ phase: Phase, delay: Double? = nil) {
    inbox.withLock { inbox in
      inbox.phase = phase
      if let delay {
        inbox.retryDelays.append(delay)
        if inbox.retryDelays.count > 64 { inbox.retryDelays.removeFirst() }
      }
    }
    wake()
  }

  /// Bytes queued and not yet taken: the worker waits while there are too many.
  var queuedBytes: Int { inbox.withLock { $0.queuedBytes } }

  /// Takes queued items up to about `budget` bytes, and the phase; rewakes if items are left.
  func take(budget: Int) -> (items: [Item], phase: Phase) {
    var buffer = [UInt8](repeating: 0, count: 256)
    while buffer.withUnsafeMutableBytes({ read(wakeRead, $0.baseAddress, $0.count) }) > 0 {}
    let (items, phase, left) = inbox.withLock { inbox -> ([Item], Phase, Bool) in
      var taken = 0
      var count = 0
      for item in inbox.items {
        if taken >= budget { break }
        switch item {
        case .bytes(let bytes), .document(let bytes): taken += bytes.count
        default: break
        }
        count += 1
      }
      let items = Array(inbox.items[0..<count])
      inbox.items.removeFirst(count)
      inbox.queuedBytes -= taken
      return (items, inbox.phase, !inbox.items.isEmpty)
    }
    if left { wake() }
    return (items, phase)
  }

  private func wake() {
    var byte: UInt8 = 1
    _ = write(wakeWrite, &byte, 1)
  }
}
