/// Where a rack or node is in its bring-up, in order, plus the states off the line.
public enum Stage: String, CaseIterable, Sendable, Comparable, Codable {
  case planned, delivered, racked, cabled, powered, burnin, accepted
  case inPool = "in_pool"
  case failed, rma, drained

  /// The stages on the bring-up line, in order.
  public static let line: [Stage] = [
    .planned, .delivered, .racked, .cabled, .powered, .burnin, .accepted, .inPool,
  ]

  /// Whether the stage is on the bring-up line (not failed, rma or drained).
  public var isOnLine: Bool { rank < 8 }

  /// Whether GPUs at this stage count as installed (`racked` through `in_pool`).
  public var isInstalled: Bool { rank >= 2 && rank <= 7 }

  /// Whether GPUs at this stage draw real power: `powered`, `burnin` and `in_pool`.
  ///
  /// `accepted` GPUs passed acceptance and wait, usually for power, so they are left out.
  public var drawsPower: Bool { self == .powered || self == .burnin || self == .inPool }

  /// The position in `allCases`.
  public var rank: Int {
    switch self {
    case .planned: return 0
    case .delivered: return 1
    case .racked: return 2
    case .cabled: return 3
    case .powered: return 4
    case .burnin: return 5
    case .accepted: return 6
    case .inPool: return 7
    case .failed: return 8
    case .rma: return 9
    case .drained: return 10
    }
  }

  public static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.rank < rhs.rank }
}

/// A GPU's health as its feed reports it.
public enum GPUState: String, CaseIterable, Sendable { case ok, degraded, failed }

/// Where a shipment of chips is.
public enum ShipmentStatus: String, CaseIterable, Sendable {
  case allocated, shipped
  case inTransit = "in_transit"
  case delivered, short, diverted, cancelled

  /// Whether the chips have not arrived yet (and may still arrive).
  public var isPending: Bool { self == .allocated || self == .shipped || self == .inTransit }
}

/// The kind of a power source.
public enum PowerKind: String, CaseIterable, Sendable { case grid, turbine, battery, solar, other }

/// Whether a power source delivers.
public enum PowerStatus: String, CaseIterable, Sendable {
  case planned, commissioning, online, tripped, offline
}

/// The state of a readiness gate.
public enum GateStatus: String, CaseIterable, Sendable {
  case pending, running, passed, failed, waived

  /// Whether the gate no longer holds the job back.
  public var isCleared: Bool { self == .passed || self == .waived }
}

/// The state of the training job.
public enum JobState: String, CaseIterable, Sendable {
  case queued, running, checkpointing, restarting, stopped
}

/// How urgent an alert is.
public enum Severity: String, CaseIterable, Sendable, Comparable {
  case info, warn, crit

  /// The position in `allCases`: info 0, warn 1, crit 2.
  public var rank: Int {
    switch self {
    case .info: return 0
    case .warn: return 1
    case .crit: return 2
    }
  }

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
