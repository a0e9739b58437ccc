/// A feed enumeration the fast path reads straight from the bytes of its value: the names are
/// packed into words once, and a value is told by comparing words, with no `String` made and
/// no string switch.
protocol FlatChoice: RawRepresentable, CaseIterable, Sendable where RawValue == String {
  /// Every case's name, packed (`FlatKey.pack`), with its length; names over 16 bytes are left out.
  static var packedNames: [(packed: FlatKey.Packed, count: Int, value: Self)] { get }
}

extension FlatChoice {
  /// The packed names of every case: what `packedNames` holds.
  static func packAll() -> [(packed: FlatKey.Packed, count: Int, value: Self)] {
    allCases.compactMap { value in
      let bytes = Array(value.rawValue.utf8)
      guard bytes.count <= 16 else { return nil }
      return (bytes.withUnsafeBytes { FlatKey.pack($0, from: 0, count: bytes.count) }, bytes.count, value)
    }
  }

  /// The case whose name is the `count` bytes at `start`, if any (nil: no case is; the caller
  /// falls back when a name may be over 16 bytes).
  @inline(__always) static func find(_ bytes: UnsafeRawBufferPointer, from start: Int, count: Int) -> Self? {
    guard count > 0, count <= 16 else { return nil }
    let packed = FlatKey.pack(bytes, from: start, count: count)
    for name in packedNames where name.count == count && name.packed == packed { return name.value }
    return nil
  }
}

extension Stage: FlatChoice { static let packedNames = packAll() }
extension GPUState: FlatChoice { static let packedNames = packAll() }
extension ShipmentStatus: FlatChoice { static let packedNames = packAll() }
extension PowerKind: FlatChoice { static let packedNames = packAll() }
extension PowerStatus: FlatChoice { static let packedNames = packAll() }
extension GateStatus: FlatChoice { static let packedNames = packAll() }
extension JobState: FlatChoice { static let packedNames = packAll() }
extension Severity: FlatChoice { static let packedNames = packAll() }
