import Foundation
import Testing

@testable import GigatopModel

/// The state's large tables are advised into 2 MB pages: only the whole huge pages inside a
/// buffer, and (on Linux with transparent huge pages left to programs) the kernel marks them.
@Suite struct HugePagesTests {
  @Test func theAlignedRangeIsEveryWholeHugePageInside() {
    let size = HugePages.size
    var random = SystemRandomNumberGenerator()
    for _ in 0..<20_000 {
      let start = Int.random(in: 0..<(1 << 40), using: &random) & ~15
      let bytes = Int.random(in: 0..<(5 * size), using: &random)
      let range = HugePages.alignedRange(start: start, bytes: bytes)
      // The first and last whole huge pages, counted the slow way.
      var first: Int?
      var end = 0
      var page = (start / size) * size
      while page + size <= start + bytes {
        if page >= start {
          first = first ?? page
          end = page + size
        }
        page += size
      }
      if let first {
        #expect(range == first..<end, "start \(start) bytes \(bytes)")
      } else {
        #expect(range == nil, "start \(start) bytes \(bytes)")
      }
    }
    #expect(HugePages.alignedRange(start: size, bytes: size) == size..<(2 * size))
    #expect(HugePages.alignedRange(start: size + 1, bytes: 2 * size - 2) == nil)
  }

  @Test func advisedMemoryIsMarkedForHugePages() throws {
    let bytes = 8 * HugePages.size
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 16)
    defer { buffer.deallocate() }
    let took = HugePages.advise(buffer, bytes: bytes)
    guard Self.systemLeavesHugePagesToPrograms else {
      #expect(!took)
      return
    }
    #expect(took)
    let range = try #require(HugePages.alignedRange(start: Int(bitPattern: buffer), bytes: bytes))
    #expect(Self.isMarked(range.lowerBound))
    #expect(Self.isMarked(range.upperBound - 1))
    // Too small to hold a whole huge page: nothing is advised.
    #expect(!HugePages.advise(buffer, bytes: HugePages.size - 1))
  }

  /// A site line planning 40 halls of 25 x 16 racks of 8 nodes: room for 192,000 nodes, about
  /// 19 MB of node table.
  static let bigSite: String = {
    let halls = (0..<40).map { #"{"id":"H\#($0)","rows":25,"racks_per_row":16}"# }.joined(separator: ",")
    return #"{"type":"site","ts":"2024-05-03T00:00:00Z","id":"S","name":"S","target_gpus":1000000,"#
      + #""gpus_per_node":8,"nodes_per_rack":8,"halls":[\#(halls)]}"#
  }()

  @Test func aWholeFileLoadReservesItsTablesInHugePagesTheLiveViewDoesNot() throws {
    guard Self.systemLeavesHugePagesToPrograms else { return }
    guard case .success(let envelope) = MessageDecoder.decode(line: Self.bigSite) else {
      Issue.record("the site line does not decode")
      return
    }
    // The live view's state: it would not wait on the kernel making 2 MB pages.
    var live = BuildoutState()
    try live.apply(envelope)
    #expect(live.nodes.capacity >= 160_000)
    #expect(!Self.roomIsMarked(in: live.nodes))
    // A state set up for a whole-file load, and a whole file loaded.
    var state = BuildoutState()
    state.reservesAtOnce = true
    try state.apply(envelope)
    #expect(Self.roomIsMarked(in: state.nodes))
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("huge-\(getpid()).ndjson").path
    try (Self.bigSite + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let loaded = FeedIntake.load(paths: [path])
    #expect(loaded.state.nodes.capacity >= 160_000)
    #expect(Self.roomIsMarked(in: loaded.state.nodes))
  }

  /// Whether the first and last whole huge pages in the room `nodes` reserved are marked for huge
  /// pages.
  static func roomIsMarked(in nodes: [Node]) -> Bool {
    let room = (nodes.capacity - nodes.count) * MemoryLayout<Node>.stride
    let base = nodes.withUnsafeBufferPointer { Int(bitPattern: $0.baseAddress) }
    guard
      let range = HugePages.alignedRange(start: base + nodes.count * MemoryLayout<Node>.stride, bytes: room)
    else { return false }
    return isMarked(range.lowerBound) && isMarked(range.upperBound - 1)
  }

  /// Whether transparent huge pages are on for programs that ask (`madvise`) or for all.
  static var systemLeavesHugePagesToPrograms: Bool {
    #if os(Linux)
    guard
      let mode = try? String(
        contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8)
    else { return false }
    return mode.contains("[madvise]") || mode.contains("[always]")
    #else
    return false
    #endif
  }

  /// Whether the mapping holding `address` is marked for huge pages (`hg` in its `VmFlags`).
  static func isMarked(_ address: Int) -> Bool {
    // Read to the end: a /proc file reports no size, and reading it by its size stops short.
    guard let handle = FileHandle(forReadingAtPath: "/proc/self/smaps"),
      let data = try? handle.readToEnd()
    else { return false }
    let maps = String(decoding: data, as: UTF8.self)
    var inside = false
    for line in maps.split(separator: "\n") {
      if let dash = line.firstIndex(of: "-"), let space = line.firstIndex(of: " "), dash < space,
        let low = Int(line[..<dash], radix: 16),
        let high = Int(line[line.index(after: dash)..<space], radix: 16)
      {
        inside = low <= address && address < high
      } else if inside, line.hasPrefix("VmFlags:") {
        return line.split(separator: " ").contains("hg")
      }
    }
    return false
  }
}
