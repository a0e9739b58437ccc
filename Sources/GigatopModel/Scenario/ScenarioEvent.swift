/// One planned feed line: when it happens, what kind it is, and a few integers for the rest.
///
/// Lines whose content depends on the running state (rack stages, job, power, fabric)
/// are rendered when the feed is written; all others are pre-rendered into the plan's
/// byte arena and referenced by `b` (offset) and `c` (length).
struct ScenarioEvent {
  /// Feed seconds in the high bits, plan order in the low 28: sorting by key sorts by
  /// time, then by the order the planner added events.
  var key: UInt64
  var kind: Kind
  var a: Int32
  var b: Int32
  var c: Int32

  /// How the line of an event is made.
  enum Kind: UInt8 {
    /// A pre-rendered message; `a` is its `ScenarioMessageType`, `b`/`c` its arena bytes.
    case raw
    /// A rack update; `a` rack, `b` stage (or `noStage`), `c` links and note (`RackDetail`).
    case rack
    /// A job update; `a` `ScenarioJobState`, `b` GPUs.
    case job
    /// A power reading from the running state; `a` is 1 for a reading during a load swing.
    case power
    /// A fabric reading; `a` 0 hourly (only if links changed), 1 forced, 2 with `b` busbw Gb/s.
    case fabric
  }

  static let seqBits: UInt64 = 28

  /// Feed seconds of the event.
  var seconds: Int64 { Int64(key >> Self.seqBits) }
}

/// Bring-up stages of racks and nodes, in feed order, plus the states off the line.
enum ScenarioStage: UInt8 {
  case planned, delivered, racked, cabled, powered, burnin, accepted, inPool, failed, rma, drained

  /// The feed's name of the stage.
  var name: StaticString {
    switch self {
    case .planned: return "planned"
    case .delivered: return "delivered"
    case .racked: return "racked"
    case .cabled: return "cabled"
    case .powered: return "powered"
    case .burnin: return "burnin"
    case .accepted: return "accepted"
    case .inPool: return "in_pool"
    case .failed: return "failed"
    case .rma: return "rma"
    case .drained: return "drained"
    }
  }

  /// The `b` of a rack event that carries telemetry only, no stage.
  static let noStage: Int32 = 255
}

/// The message types the scenario writes.
enum ScenarioMessageType: Int32 {
  case site, rack, node, gpu, shipment, supply, power, powerSource, fabric, gate, job, alert

  /// The line's opening up to the timestamp: `{"type":"rack","ts":`.
  var opening: StaticString {
    switch self {
    case .site: return "{\"type\":\"site\",\"ts\":"
    case .rack: return "{\"type\":\"rack\",\"ts\":"
    case .node: return "{\"type\":\"node\",\"ts\":"
    case .gpu: return "{\"type\":\"gpu\",\"ts\":"
    case .shipment: return "{\"type\":\"shipment\",\"ts\":"
    case .supply: return "{\"type\":\"supply\",\"ts\":"
    case .power: return "{\"type\":\"power\",\"ts\":"
    case .powerSource: return "{\"type\":\"power_source\",\"ts\":"
    case .fabric: return "{\"type\":\"fabric\",\"ts\":"
    case .gate: return "{\"type\":\"gate\",\"ts\":"
    case .job: return "{\"type\":\"job\",\"ts\":"
    case .alert: return "{\"type\":\"alert\",\"ts\":"
    }
  }
}

/// States of the training job.
enum ScenarioJobState: Int32 {
  case queued, running, checkpointing, restarting, stopped

  var name: StaticString {
    switch self {
    case .queued: return "queued"
    case .running: return "running"
    case .checkpointing: return "checkpointing"
    case .restarting: return "restarting"
    case .stopped: return "stopped"
    }
  }

  /// How hard the job's GPUs work in this state, from idle (0) to training (1).
  var load: Double {
    switch self {
    case .running: return 1
    case .checkpointing: return 0.25
    case .restarting: return 0.08
    case .queued, .stopped: return 0
    }
  }
}

/// The `c` of a rack event: links up (or none) and an optional note.
enum ScenarioRackDetail {
  /// No `links_up` field.
  static let noLinks: Int32 = 0xFF

  /// Notes a rack message may carry.
  enum Note: Int32 {
    case none = 0, opticsReseated, opticReseated

    var text: StaticString {
      switch self {
      case .none: return ""
      case .opticsReseated: return "2 optics reseated"
      case .opticReseated: return "1 optic reseated"
      }
    }
  }

  static func pack(links: Int32 = noLinks, note: Note = .none) -> Int32 {
    links | note.rawValue << 8
  }

  static func links(_ c: Int32) -> Int32 { c & 0xFF }
  static func note(_ c: Int32) -> Note { Note(rawValue: c >> 8 & 0xFF) ?? .none }
}
