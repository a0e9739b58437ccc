/// Writes a decoded feed event back as one format-v1 line: how a recording keeps what a live view read.
///
/// The line decodes to the same message (a partial update stays partial, `null` stays `null`).
/// Fields this version does not know are not kept. A rejected line is written as a line that is
/// rejected again on replay (`{"gigatop_rejected": reason}`, which has no `type`), so counts agree.
public enum MessageWriter {
  /// The line for one event, without a newline.
  public static func line(_ event: FeedEvent) -> String {
    switch event {
    case .rejected(let error):
      var w = CompactJSON()
      w.open()
      w.string("gigatop_rejected", "\(error.feed):\(error.line): \(error.reason)")
      w.close()
      return w.text
    case .message(let envelope, _):
      return line(envelope)
    }
  }

  /// The line for one message with its envelope.
  public static func line(_ envelope: Envelope) -> String {
    var w = CompactJSON()
    w.open()
    w.string("type", typeName(envelope.message))
    w.number("ts", envelope.ts)
    w.string("src", envelope.src)
    w.int("seq", envelope.seq)
    body(envelope.message, &w)
    w.close()
    return w.text
  }

  static func typeName(_ message: FeedMessage) -> String {
    switch message {
    case .site: return "site"
    case .rack: return "rack"
    case .node: return "node"
    case .gpu: return "gpu"
    case .shipment: return "shipment"
    case .supply: return "supply"
    case .power: return "power"
    case .powerSource: return "power_source"
    case .fabric: return "fabric"
    case .gate: return "gate"
    case .job: return "job"
    case .alert: return "alert"
    case .snapshot: return "snapshot"
    case .unknown(let type): return type
    }
  }

  static func body(_ message: FeedMessage, _ w: inout CompactJSON) {
    switch message {
    case .site(let m): site(m, &w)
    case .rack(let m): rack(m, &w)
    case .node(let m): node(m, &w)
    case .gpu(let m): gpu(m, &w)
    case .shipment(let m): shipment(m, &w)
    case .supply(let m): supply(m, &w)
    case .power(let m): power(m, &w)
    case .powerSource(let m): powerSource(m, &w)
    case .fabric(let m): fabric(m, &w)
    case .gate(let m): gate(m, &w)
    case .job(let m): job(m, &w)
    case .alert(let m):
      w.string("severity", m.severity.rawValue)
      w.string("ref", m.ref)
      w.string("msg", m.msg)
    case .snapshot(let m): snapshot(m, &w)
    case .unknown: break
    }
  }

  /// Writes a site's `halls` array (live `site` messages and keyframes alike).
  static func halls(_ halls: [HallPlan], _ w: inout CompactJSON) {
    w.openArray("halls")
    for hall in halls {
      w.open()
      w.string("id", hall.id)
      w.string("name", hall.name)
      w.int("rows", hall.rows)
      w.int("racks_per_row", hall.racksPerRow)
      w.close()
    }
    w.closeArray()
  }

  static func site(_ m: SiteMessage, _ w: inout CompactJSON) {
    w.field("id", m.id)
    w.field("name", m.name)
    w.field("target_gpus", m.targetGPUs)
    w.field("deadline", m.deadline)
    w.field("gpu_model", m.gpuModel)
    w.field("gpus_per_node", m.gpusPerNode)
    w.field("nodes_per_rack", m.nodesPerRack)
    if let halls = m.halls {
      if let halls {
        Self.halls(halls, &w)
      } else {
        w.null("halls")
      }
    }
    if let job = m.job {
      if let job {
        w.open("job")
        w.string("id", job.id)
        w.int("gpus", job.gpus)
        w.close()
      } else {
        w.null("job")
      }
    }
  }

  static func rack(_ m: RackMessage, _ w: inout CompactJSON) {
    w.string("id", m.id)
    w.field("hall", m.hall)
    w.field("row", m.row)
    w.field("slot", m.slot)
    w.field("pod", m.pod)
    w.field("stage", m.stage)
    w.field("kw", m.kw)
    w.field("inlet_c", m.inletC)
    w.field("links_up", m.linksUp)
    w.field("links_total", m.linksTotal)
    w.field("note", m.note)
  }

  static func node(_ m: NodeMessage, _ w: inout CompactJSON) {
    w.string("id", m.id)
    w.field("rack", m.rack)
    w.field("slot", m.slot)
    w.field("u", m.u)
    w.field("stage", m.stage)
    w.field("kw", m.kw)
    w.field("gpus", m.gpus)
    w.field("gpus_ok", m.gpusOK)
    w.field("reason", m.reason)
  }

  static func gpu(_ m: GPUMessage, _ w: inout CompactJSON) {
    w.string("node", m.node)
    w.int("index", m.index)
    w.field("state", m.state)
    w.field("temp_c", m.tempC)
    w.field("power_w", m.powerW)
    w.field("xid", m.xid)
    w.field("serial", m.serial)
  }

  static func shipment(_ m: ShipmentMessage, _ w: inout CompactJSON) {
    w.string("id", m.id)
    w.field("po", m.po)
    w.field("vendor", m.vendor)
    w.field("sku", m.sku)
    w.field("gpus", m.gpus)
    w.field("status", m.status)
    w.field("eta", m.eta)
  }

  static func supply(_ m: SupplyMessage, _ w: inout CompactJSON) {
    w.string("sku", m.sku)
    w.field("needed", m.needed)
    w.field("lead_time_days", m.leadTimeDays)
  }

  static func power(_ m: PowerMessage, _ w: inout CompactJSON) {
    w.field("facility_mw", m.facilityMW)
    w.field("it_mw", m.itMW)
    if let halls = m.halls {
      if let halls {
        w.open("halls")
        for (hall, mw) in zip(halls.names, halls.mw) { w.number(hall, mw) }
        w.close()
      } else {
        w.null("halls")
      }
    }
  }

  static func powerSource(_ m: PowerSourceMessage, _ w: inout CompactJSON) {
    w.string("id", m.id)
    w.field("kind", m.kind)
    w.field("cap_mw", m.capMW)
    w.field("status", m.status)
    w.field("eta", m.eta)
    w.field("mwh", m.mwh)
  }

  static func fabric(_ m: FabricMessage, _ w: inout CompactJSON) {
    w.field("links_total", m.linksTotal)
    w.field("links_up", m.linksUp)
    w.field("busbw_gbps", m.busbwGbps)
  }

  static func gate(_ m: GateMessage, _ w: inout CompactJSON) {
    w.string("id", m.id)
    w.field("name", m.name)
    w.field("status", m.status)
    w.field("detail", m.detail)
  }

  static func job(_ m: JobMessage, _ w: inout CompactJSON) {
    w.field("id", m.id)
    w.field("state", m.state)
    w.field("gpus", m.gpus)
  }

  static func snapshot(_ m: SnapshotMessage, _ w: inout CompactJSON) {
    func members<T>(_ key: String, _ items: [T], _ write: (T, inout CompactJSON) -> Void) {
      guard !items.isEmpty else { return }
      w.openArray(key)
      for item in items {
        w.open()
        write(item, &w)
        w.close()
      }
      w.closeArray()
    }
    if let site = m.site {
      w.open("site")
      self.site(site, &w)
      w.close()
    }
    members("racks", m.racks, rack)
    members("nodes", m.nodes, node)
    members("gpus", m.gpus, gpu)
    members("shipments", m.shipments, shipment)
    members("supply", m.supply, supply)
    if let power = m.power {
      w.open("power")
      self.power(power, &w)
      w.close()
    }
    members("power_sources", m.powerSources, powerSource)
    if let fabric = m.fabric {
      w.open("fabric")
      self.fabric(fabric, &w)
      w.close()
    }
    members("gates", m.gates, gate)
    if let job = m.job {
      w.open("job")
      self.job(job, &w)
      w.close()
    }
  }
}
