#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back the state's large tables with 2 MB pages (Linux's transparent huge
/// pages, where the system leaves them to the program: `madvise` mode).
///
/// A 1M-GPU site's node table and id tables are tens of megabytes, written once as the site is
/// read. In 4 KB pages that is thousands of page faults, each a trip into the kernel (and, on a
/// virtual machine, often out to the host); in 2 MB pages it is a few dozen. Only the whole 2 MB
/// pages inside a buffer are advised, so memory around it is left as it was.
///
/// Whole-file loads use it (`BuildoutState.reservesAtOnce`), the live view does not: where the
/// kernel has no free 2 MB page at hand it makes one first (`defrag` set to `madvise`), and a
/// batch that waits on that can take longer than a frame.
enum HugePages {
  /// The size of a huge page on x86-64 and arm64 Linux.
  static let size = 2 << 20

  /// Whether huge pages are asked for at all: yes, unless the environment says
  /// `GIGATOP_HUGE_PAGES=0` (for a system where they do more harm than good).
  static let wanted: Bool = {
    #if os(Linux)
    guard let value = getenv("GIGATOP_HUGE_PAGES") else { return true }
    return String(cString: value) != "0"
    #else
    return false
    #endif
  }()

  /// The addresses of the whole huge pages inside `bytes` bytes from address `start`; nil when
  /// there is none.
  static func alignedRange(start: Int, bytes: Int) -> Range<Int>? {
    guard bytes >= size else { return nil }
    let first = (start + size - 1) & ~(size - 1)
    let end = (start + bytes) & ~(size - 1)
    return end > first ? first..<end : nil
  }

  /// Advises the whole huge pages inside `bytes` bytes at `base`, which should not have been
  /// written yet (pages already in use stay small). Whether the kernel took the advice: false
  /// where there is no whole huge page inside, or the system has no transparent huge pages.
  @discardableResult
  static func advise(_ base: UnsafeMutableRawPointer, bytes: Int) -> Bool {
    #if os(Linux)
    guard wanted, let range = alignedRange(start: Int(bitPattern: base), bytes: bytes),
      let first = UnsafeMutableRawPointer(bitPattern: range.lowerBound)
    else { return false }
    return madvise(first, range.count, MADV_HUGEPAGE) == 0
    #else
    return false
    #endif
  }

  /// Advises the room `array` has reserved beyond its elements (`reserveCapacity` first).
  static func adviseRoom<Element>(of array: inout [Element]) {
    let capacity = array.capacity
    let count = array.count
    guard (capacity - count) * MemoryLayout<Element>.stride >= size else { return }
    array.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      advise(
        UnsafeMutableRawPointer(base + count), bytes: (capacity - count) * MemoryLayout<Element>.stride)
    }
  }
}
