/// One message of a format-v1 feed, decoded and checked against its domains.
///
/// Optional-of-optional fields carry partial updates: `nil` means the field
/// was absent (leave the value as it is), `.some(nil)` means `null`
/// ("unknown now"), `.some(value)` sets it.
///
/// The large, rare payloads (`site`, `snapshot`) are boxed, so a message (and every event that
/// carries one) stays about the size of a `rack` message: copies of it are cheap.
public enum FeedMessage: Equatable, Sendable {
  indirect case site(SiteMessage)
  case rack(RackMessage)
  case node(NodeMessage)
  case gpu(GPUMessage)
  case shipment(ShipmentMessage)
  case supply(SupplyMessage)
  case power(PowerMessage)
  case powerSource(PowerSourceMessage)
  case fabric(FabricMessage)
  case gate(GateMessage)
  case job(JobMessage)
  case alert(AlertMessage)
  indirect case snapshot(SnapshotMessage)
  /// A type this version does not know: ignored and counted.
  case unknown(type: String)
}

/// A decoded message with its envelope.
public struct Envelope: Equatable, Sendable {
  /// When the fact was observed, in Unix seconds.
  public var ts: Double
  public var src: String?
  public var seq: Int?
  public var message: FeedMessage
  /// How many fields (at any depth) this version did not know and ignored.
  public var unknownFields: Int

  public init(ts: Double, src: String? = nil, seq: Int? = nil, message: FeedMessage, unknownFields: Int = 0) {
    self.ts = ts
    self.src = src
    self.seq = seq
    self.message = message
    self.unknownFields = unknownFields
  }
}

/// A hall of the site plan.
public struct HallPlan: Equatable, Sendable {
  public var id: String
  public var name: String?
  public var rows: Int?
  public var racksPerRow: Int?
}

/// The training job the site plan is for.
public struct JobPlan: Equatable, Sendable {
  public var id: String?
  public var gpus: Int?
}

/// `site`: the plan.
public struct SiteMessage: Equatable, Sendable {
  public var id: String??
  public var name: String??
  public var targetGPUs: Int??
  public var deadline: Double??
  public var gpuModel: String??
  public var gpusPerNode: Int??
  public var nodesPerRack: Int??
  public var halls: [HallPlan]??
  public var job: JobPlan??
}

/// `rack`: one rack's state, partially updated.
public struct RackMessage: Equatable, Sendable {
  public var id: String
  public var hall: String??
  public var row: Int??
  public var slot: Int??
  public var pod: String??
  public var stage: Stage??
  public var kw: Double??
  public var inletC: Double??
  public var linksUp: Int??
  public var linksTotal: Int??
  public var note: String??
}

/// `node`: one server in a rack.
public struct NodeMessage: Equatable, Sendable {
  public var id: String
  public var rack: String??
  public var slot: Int??
  public var u: Int??
  public var stage: Stage??
  public var kw: Double??
  public var gpus: Int??
  public var gpusOK: Int??
  public var reason: String??
}

/// `gpu`: one accelerator.
public struct GPUMessage: Equatable, Sendable {
  public var node: String
  public var index: Int
  public var state: GPUState??
  public var tempC: Double??
  public var powerW: Double??
  public var xid: Int??
  public var serial: String??
}

/// `shipment`: chips on their way.
public struct ShipmentMessage: Equatable, Sendable {
  public var id: String
  public var po: String??
  public var vendor: String??
  public var sku: String??
  public var gpus: Int??
  public var status: ShipmentStatus??
  public var eta: Double??
}

/// `supply`: what is needed of a chip.
public struct SupplyMessage: Equatable, Sendable {
  public var sku: String
  public var needed: Int??
  public var leadTimeDays: Double??
}

/// `power`: measured draw.
public struct PowerMessage: Equatable, Sendable {
  public var facilityMW: Double??
  public var itMW: Double??
  /// Draw per hall in MW, in the order the feed gave them.
  public var halls: HallDraws??
}

/// `power_source`: capacity.
public struct PowerSourceMessage: Equatable, Sendable {
  public var id: String
  public var kind: PowerKind??
  public var capMW: Double??
  public var status: PowerStatus??
  public var eta: Double??
  public var mwh: Double??
}

/// `fabric`: the training network.
public struct FabricMessage: Equatable, Sendable {
  public var linksTotal: Int??
  public var linksUp: Int??
  public var busbwGbps: Double??
}

/// `gate`: a readiness check.
public struct GateMessage: Equatable, Sendable {
  public var id: String
  public var name: String??
  public var status: GateStatus??
  public var detail: String??
}

/// `job`: the training job.
public struct JobMessage: Equatable, Sendable {
  public var id: String??
  public var state: JobState??
  public var gpus: Int??
}

/// `alert`: something a person should see.
public struct AlertMessage: Equatable, Sendable {
  public var severity: Severity
  public var ref: String?
  public var msg: String
}

/// `snapshot`: the whole state at once.
public struct SnapshotMessage: Equatable, Sendable {
  public var site: SiteMessage?
  public var racks: [RackMessage] = []
  public var nodes: [NodeMessage] = []
  public var gpus: [GPUMessage] = []
  public var shipments: [ShipmentMessage] = []
  public var supply: [SupplyMessage] = []
  public var power: PowerMessage?
  public var powerSources: [PowerSourceMessage] = []
  public var fabric: FabricMessage?
  public var gates: [GateMessage] = []
  public var job: JobMessage?
}
