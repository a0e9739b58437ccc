/// One rack as the state knows it.
public struct Rack: Equatable, Sendable {
  public var id: String
  public var hall: String
  public var row: Int
  public var slot: Int
  public var pod: String?
  /// The rack's stage; `nil` when the feed never gave one or said `null` (counted as planned).
  public var stage: Stage?
  public var kw: Double?
  public var inletC: Double?
  public var linksUp: Int?
  public var linksTotal: Int?
  public var note: String?
  /// When the rack entered its current stage (feed time).
  public var stageSince: Double
  /// When the rack first reached `racked` or later on the line (feed time).
  public var installedAt: Double?
  /// Node index (into `BuildoutState.nodes`) by slot - 1; -1 where no node was reported.
  var slots: [Int32] = []
  /// Whether any slot ever held a reported node (racks without one are counted in one step).
  var hasNodes = false

  /// The stage used for counting.
  public var effectiveStage: Stage { stage ?? .planned }

  /// The node index at a 1-based slot, if a node was placed there.
  public func nodeIndex(atSlot slot: Int) -> Int? {
    guard slot >= 1, slot <= slots.count, slots[slot - 1] >= 0 else { return nil }
    return Int(slots[slot - 1])
  }
}

/// One server as the state knows it.
///
/// A large site holds hundreds of thousands, and a node is written to fresh memory when it is
/// first reported, so they are stored compactly: 88 bytes instead of 144. Slots and counts are
/// held in 32 bits (the feed allows at most 10^9), and absent ones as a value no count has
/// (`Int32.min`); an absent power draw as NaN (which JSON cannot send); all behind the same
/// properties; what most nodes never have (a reason, their GPUs' serial numbers) in a box.
public struct Node: Equatable, Sendable {
  public var id: String
  public var rackID: String
  public var stageSince: Double
  /// GPUs reported on this node, sorted by index.
  public var gpuRecords: [GPURecord] = []
  private var storedKW = Double.nan
  private var storedSlot: Int32
  private var storedU = Node.absent
  private var storedGPUs = Node.absent
  private var storedGPUsOK = Node.absent
  /// Where its rack's history ring was in `RackHistory.rings` when last used (-1: not yet);
  /// checked before use, and not part of equality.
  var ringPosition: Int32 = -1
  /// The node's own stage, if it ever had one; else it is at its rack's stage.
  public var stage: Stage?
  /// The reason and the serials, when one was reported: a reference, 8 bytes where a `String?`
  /// for the reason alone takes 16.
  private var extras: Extras?

  /// What an absent count is stored as.
  private static let absent = Int32.min

  /// A node's rarely reported fields, boxed; never changed once made (a change makes a new box),
  /// so nodes sharing one still behave as values.
  final class Extras: Sendable {
    let reason: String?
    /// Serial numbers by GPU index.
    let serials: [Int: String]

    init(reason: String?, serials: [Int: String]) {
      self.reason = reason
      self.serials = serials
    }
  }

  public init(
    id: String, rackID: String, slot: Int, u: Int? = nil, stage: Stage? = nil, kw: Double? = nil,
    gpus: Int? = nil, gpusOK: Int? = nil, reason: String? = nil, stageSince: Double,
    gpuRecords: [GPURecord] = []
  ) {
    self.id = id
    self.rackID = rackID
    self.stageSince = stageSince
    self.gpuRecords = gpuRecords
    storedSlot = Int32(clamping: slot)
    self.stage = stage
    self.u = u
    self.kw = kw
    self.gpus = gpus
    self.gpusOK = gpusOK
    self.reason = reason
  }

  public var reason: String? {
    get { extras?.reason }
    set { setExtras(reason: newValue, serials: extras?.serials ?? [:]) }
  }

  /// The serial number reported for the node's GPU `index`, if one was.
  public func serial(ofGPU index: Int) -> String? {
    extras?.serials[index]
  }

  /// Sets (or, with nil, forgets) the serial number of the node's GPU `index`.
  public mutating func setSerial(_ serial: String?, ofGPU index: Int) {
    var serials = extras?.serials ?? [:]
    serials[index] = serial
    setExtras(reason: extras?.reason, serials: serials)
  }

  /// Every serial number reported, by GPU index.
  public var serials: [Int: String] {
    get { extras?.serials ?? [:] }
    set { setExtras(reason: extras?.reason, serials: newValue) }
  }

  private mutating func setExtras(reason: String?, serials: [Int: String]) {
    extras = reason == nil && serials.isEmpty ? nil : Extras(reason: reason, serials: serials)
  }

  public var slot: Int {
    get { Int(storedSlot) }
    set { storedSlot = Int32(clamping: newValue) }
  }

  public var u: Int? {
    get { Self.count(storedU) }
    set { storedU = Self.stored(newValue) }
  }

  public var kw: Double? {
    get { storedKW.isNaN ? nil : storedKW }
    set { storedKW = newValue ?? .nan }
  }

  /// How many GPUs it holds, if the feed said; else the site's `gpus_per_node`.
  public var gpus: Int? {
    get { Self.count(storedGPUs) }
    set { storedGPUs = Self.stored(newValue) }
  }

  public var gpusOK: Int? {
    get { Self.count(storedGPUsOK) }
    set { storedGPUsOK = Self.stored(newValue) }
  }

  @inline(__always) private static func count(_ stored: Int32) -> Int? {
    stored == absent ? nil : Int(stored)
  }

  @inline(__always) private static func stored(_ count: Int?) -> Int32 {
    guard let count else { return absent }
    return Int32(clamping: max(count, Int(absent) + 1))
  }

  public static func == (lhs: Node, rhs: Node) -> Bool {
    // Replay compares every node with its last keyframe's: the cheap fields first, and the box
    // by identity before its contents.
    lhs.storedSlot == rhs.storedSlot && lhs.storedU == rhs.storedU && lhs.stage == rhs.stage
      && lhs.storedGPUs == rhs.storedGPUs && lhs.storedGPUsOK == rhs.storedGPUsOK
      && lhs.stageSince == rhs.stageSince && lhs.kw == rhs.kw && lhs.id == rhs.id && lhs.rackID == rhs.rackID
      && (lhs.extras === rhs.extras || (lhs.reason == rhs.reason && lhs.serials == rhs.serials))
      && lhs.gpuRecords == rhs.gpuRecords
  }

  /// How many of its GPUs (below `count`) are reported failed.
  public func failedGPUs(below count: Int) -> Int {
    var failed = 0
    for record in gpuRecords where record.index < count && record.state == .failed { failed += 1 }
    return failed
  }
}

/// One accelerator as the feed reported it.
///
/// A million of these make up most of a large site's state (and of replay's keyframes), so they
/// are stored compactly: 32 bytes (88 at first). The index is held in 16 bits (the feed allows
/// 0...1023) and the XID in 32 (a count, at most 10^9), absent readings as values a feed cannot
/// send (NaN for the numbers, -1 for an XID), behind the same optional properties. The rare
/// serial number is kept by the node (`Node.serial(ofGPU:)`).
public struct GPURecord: Equatable, Sendable {
  private var storedIndex: Int16
  public var state: GPUState?
  private var storedXID: Int32 = -1
  private var storedTempC = Double.nan
  private var storedPowerW = Double.nan
  public var updatedAt: Double

  public init(
    index: Int, state: GPUState? = nil, tempC: Double? = nil, powerW: Double? = nil, xid: Int? = nil,
    updatedAt: Double
  ) {
    storedIndex = Int16(clamping: index)
    self.state = state
    self.updatedAt = updatedAt
    self.tempC = tempC
    self.powerW = powerW
    self.xid = xid
  }

  public var index: Int {
    get { Int(storedIndex) }
    set { storedIndex = Int16(clamping: newValue) }
  }

  public var tempC: Double? {
    get { storedTempC.isNaN ? nil : storedTempC }
    set { storedTempC = newValue ?? .nan }
  }

  public var powerW: Double? {
    get { storedPowerW.isNaN ? nil : storedPowerW }
    set { storedPowerW = newValue ?? .nan }
  }

  public var xid: Int? {
    get { storedXID < 0 ? nil : Int(storedXID) }
    set { storedXID = newValue.map { Int32(clamping: max(0, $0)) } ?? -1 }
  }

  public static func == (lhs: GPURecord, rhs: GPURecord) -> Bool {
    lhs.storedIndex == rhs.storedIndex && lhs.state == rhs.state && lhs.tempC == rhs.tempC
      && lhs.powerW == rhs.powerW && lhs.storedXID == rhs.storedXID
      && lhs.updatedAt == rhs.updatedAt
  }
}

/// A shipment of chips.
public struct Shipment: Equatable, Sendable {
  public var id: String
  public var po: String?
  public var vendor: String?
  public var sku: String?
  public var gpus: Int = 0
  public var status: ShipmentStatus?
  public var eta: Double?
  public var updatedAt: Double
}

/// A source of power capacity.
public struct PowerSource: Equatable, Sendable {
  public var id: String
  public var kind: PowerKind?
  public var capMW: Double?
  public var status: PowerStatus?
  public var eta: Double?
  public var mwh: Double?
  public var since: Double
}

/// A readiness gate.
public struct Gate: Equatable, Sendable {
  public var id: String
  public var name: String?
  public var status: GateStatus?
  public var detail: String?
  public var since: Double
}

/// An alert kept for the status bar.
public struct Alert: Equatable, Sendable {
  public var ts: Double
  public var severity: Severity
  public var ref: String?
  public var msg: String
}

/// The site plan with the defaults the accounting rules give.
public struct SitePlan: Equatable, Sendable {
  public var id: String?
  public var name: String?
  public var targetGPUs: Int?
  public var deadline: Double?
  public var gpuModel: String?
  public var gpusPerNode: Int = 8
  public var nodesPerRack: Int = 8
  public var halls: [HallPlan] = []
  public var job: JobPlan?
}

/// The training job as last reported.
public struct JobStatus: Equatable, Sendable {
  public var id: String?
  public var state: JobState?
  public var gpus: Int?
  public var since: Double
}

/// The latest measured power draw.
public struct PowerReading: Equatable, Sendable {
  public var facilityMW: Double?
  public var itMW: Double?
  /// The halls reported, in the order they were first reported.
  public private(set) var hallOrder: [String] = []
  /// Each hall's draw, MW, by position in `hallOrder`.
  public private(set) var hallMW: [Double] = []
  public var at: Double

  init(at ts: Double) { at = ts }

  /// Each hall's draw, MW, by hall id.
  public var halls: [String: Double] {
    Dictionary(zip(hallOrder, hallMW), uniquingKeysWith: { _, last in last })
  }

  /// The draw of one hall, MW, if it was reported.
  public func mw(ofHall hall: String) -> Double? {
    hallOrder.firstIndex(of: hall).map { hallMW[$0] }
  }

  /// Sets the draws a message reports, hall by hall; a hall not seen before goes last.
  ///
  /// Messages usually list the same halls in the same order each time: then the draws replace
  /// the old ones whole (and a decoder's shared names array is told apart from the one kept here
  /// by identity, without comparing names). Else each hall is first looked for where it was last
  /// time (no hashing), then by a search.
  mutating func set(_ draws: HallDraws) {
    if hallOrder.isEmpty || draws.names == hallOrder {
      // Keep the message's array of names: the next message's is likely the very same.
      hallOrder = draws.names
      hallMW = draws.mw
      return
    }
    for (k, (hall, mw)) in zip(draws.names, draws.mw).enumerated() {
      if k < hallOrder.count, hallOrder[k] == hall {
        hallMW[k] = mw
      } else if let i = hallOrder.firstIndex(of: hall) {
        hallMW[i] = mw
      } else {
        hallOrder.append(hall)
        hallMW.append(mw)
      }
    }
  }

  /// Forgets every hall's draw (the feed said `halls: null`).
  mutating func clearHalls() {
    hallOrder = []
    hallMW = []
  }
}

/// The training network.
public struct FabricStatus: Equatable, Sendable {
  public var linksTotal: Int?
  public var linksUp: Int?
  public var busbwGbps: Double?
  public var at: Double
}

/// A point of a time series kept for sparklines and forecasts.
public struct Sample: Equatable, Sendable {
  public var ts: Double
  public var value: Double
}

/// Counts of lines read, for the status bar and `summary`.
public struct FeedCounters: Equatable, Sendable {
  /// Non-blank lines read (applied + ignored + rejected).
  public var lines = 0
  public var applied = 0
  /// Lines of a type this version does not know.
  public var ignored = 0
  public var rejected = 0
  /// Fields this version did not know, in applied lines.
  public var unknownFields = 0

  public init() {}

  /// Adds what the counts went up by from `before` to `after` (lines, applied, ignored, unknown
  /// fields; rejections are counted apart).
  @inline(__always) mutating func add(from before: FeedCounters, to after: FeedCounters) {
    lines += after.lines - before.lines
    applied += after.applied - before.applied
    ignored += after.ignored - before.ignored
    unknownFields += after.unknownFields - before.unknownFields
  }
}
