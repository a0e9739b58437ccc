#if canImport(Glibc)
import Glibc
#endif

/// While a whole file is read on this thread: glibc's heap grows in large steps, and the room each
/// step adds is advised into huge pages (`HugePages`) before it is used.
///
/// A node's GPU records are a small array of their own, and a 1M-GPU site has about 30 MB of
/// them, allocated on the applying thread from the allocator's main heap. That heap grows
/// 132 KB at a time by default, in 4 KB pages: some 7,500 page faults. With the heap's top pad
/// (`M_TOP_PAD`) raised to 64 MB, each growth adds room the allocator has not touched yet, and
/// `adviseGrowth()` marks it before the records fill it.
///
/// Only on Linux with glibc; elsewhere there is nothing to do (`init` gives nil). Room that is
/// never used is never backed by memory, so the larger steps cost address space, not memory.
struct HugePageHeap {
  /// How far the heap reached when last advised.
  private var advisedEnd: Int
  private var calls = 0
  /// glibc's `mallopt`, found at run time (it is not in the `Glibc` module).
  private let mallopt: @convention(c) (Int32, Int32) -> Int32

  /// The heap's top pad while a file is read: the least each growth adds.
  static let step = 64 << 20
  /// glibc's default top pad, put back by `end()`.
  static let defaultTopPad = 128 << 10
  /// `M_TOP_PAD` in glibc's `malloc.h`.
  private static let topPad: Int32 = -2

  /// Raises the heap's top pad; nil where there is no glibc heap to advise.
  init?() {
    #if os(Linux)
    guard HugePages.wanted, let symbol = dlsym(nil, "mallopt"), let top = sbrk(0) else { return nil }
    mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
    guard mallopt(Self.topPad, Int32(Self.step)) == 1 else { return nil }
    advisedEnd = Int(bitPattern: top)
    #else
    return nil
    #endif
  }

  /// `adviseGrowth()` every 4096th call: cheap enough to call for every message applied (the
  /// heap grows by far less than a step in 4096 messages).
  @inline(__always) mutating func check() {
    calls &+= 1
    if calls & 4095 == 0 { adviseGrowth() }
  }

  /// Advises the room the heap gained since the last call.
  mutating func adviseGrowth() {
    #if os(Linux)
    guard let top = sbrk(0) else { return }
    advise(upTo: Int(bitPattern: top))
    #endif
  }

  /// Advises the huge pages between where the heap reached before and `end`.
  mutating func advise(upTo end: Int) {
    guard end > advisedEnd else { return }
    if let base = UnsafeMutableRawPointer(bitPattern: advisedEnd) {
      HugePages.advise(base, bytes: end - advisedEnd)
    }
    advisedEnd = end
  }

  /// Puts the heap's top pad back to glibc's default.
  func end() {
    _ = mallopt(Self.topPad, Int32(Self.defaultTopPad))
  }
}
