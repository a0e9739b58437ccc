/// Writes a `BuildoutState` as one format-v1 `snapshot` line: the keyframes of a recording.
///
/// Decoding the line and applying it to an empty state gives the same racks, nodes, GPUs,
/// shipments, supply, power, power sources, fabric, gates and job (times of "since" fields
/// become the snapshot's `ts`, as for any snapshot). Alerts, counters and history are not part
/// of a snapshot (format v1).
public enum SnapshotWriter {
  /// The `src` that marks a snapshot line as a keyframe written by `gigatop --record`.
  ///
  /// Replay skips such lines when it plays (they repeat what the lines before them said) and
  /// uses them only to seek.
  public static let keyframeSource = "gigatop.keyframe"

  /// The bytes a keyframe line starts with, so that readers can skip one without parsing it.
  public static let keyframePrefix = Array("{\"type\":\"snapshot\",\"src\":\"gigatop.keyframe\"".utf8)

  /// The snapshot line for `state` at feed time `ts` (default: the state's `now`), without a newline.
  ///
  /// Returns nil when no time is known (an empty state has nothing to keep).
  public static func line(_ state: BuildoutState, ts: Double? = nil, keyframe: Bool = true) -> String? {
    guard let ts = ts ?? state.now else { return nil }
    var w = CompactJSON()
    w.open()
    w.string("type", "snapshot")
    if keyframe { w.string("src", keyframeSource) }
    w.number("ts", ts)
    if state.hasSite { site(state.site, &w) }
    w.openArray("racks")
    for rack in state.racks { self.rack(rack, &w) }
    w.closeArray()
    w.openArray("nodes")
    for node in state.nodes { self.node(node, &w) }
    w.closeArray()
    w.openArray("gpus")
    for node in state.nodes {
      for record in node.gpuRecords {
        gpu(record, node: node.id, serial: node.serial(ofGPU: record.index), &w)
      }
    }
    for id in state.pendingGPUs.keys.sorted() {
      let serials = state.pendingSerials[id]
      for record in state.pendingGPUs[id] ?? [] { gpu(record, node: id, serial: serials?[record.index], &w) }
    }
    w.closeArray()
    w.openArray("shipments")
    for s in state.shipments {
      w.open()
      w.string("id", s.id)
      w.string("po", s.po)
      w.string("vendor", s.vendor)
      w.string("sku", s.sku)
      w.int("gpus", s.gpus)
      w.string("status", s.status?.rawValue)
      w.number("eta", s.eta)
      w.close()
    }
    w.closeArray()
    w.openArray("supply")
    for s in state.supply {
      w.open()
      w.string("sku", s.sku)
      w.int("needed", s.needed)
      w.number("lead_time_days", s.leadTimeDays)
      w.close()
    }
    w.closeArray()
    if let p = state.power {
      w.open("power")
      w.number("facility_mw", p.facilityMW)
      w.number("it_mw", p.itMW)
      if !p.hallOrder.isEmpty {
        w.open("halls")
        for (hall, mw) in zip(p.hallOrder, p.hallMW) { w.number(hall, mw) }
        w.close()
      }
      w.close()
    }
    w.openArray("power_sources")
    for s in state.powerSources {
      w.open()
      w.string("id", s.id)
      w.string("kind", s.kind?.rawValue)
      w.number("cap_mw", s.capMW)
      w.string("status", s.status?.rawValue)
      w.number("eta", s.eta)
      w.number("mwh", s.mwh)
      w.close()
    }
    w.closeArray()
    if let f = state.fabric {
      w.open("fabric")
      w.int("links_total", f.linksTotal)
      w.int("links_up", f.linksUp)
      w.number("busbw_gbps", f.busbwGbps)
      w.close()
    }
    w.openArray("gates")
    for g in state.gates {
      w.open()
      w.string("id", g.id)
      w.string("name", g.name)
      w.string("status", g.status?.rawValue)
      w.string("detail", g.detail)
      w.close()
    }
    w.closeArray()
    if let j = state.job {
      w.open("job")
      w.string("id", j.id)
      w.string("state", j.state?.rawValue)
      w.int("gpus", j.gpus)
      w.close()
    }
    w.close()
    return w.text
  }

  private static func site(_ site: SitePlan, _ w: inout CompactJSON) {
    w.open("site")
    w.string("id", site.id)
    w.string("name", site.name)
    w.int("target_gpus", site.targetGPUs)
    w.number("deadline", site.deadline)
    w.string("gpu_model", site.gpuModel)
    w.int("gpus_per_node", site.gpusPerNode)
    w.int("nodes_per_rack", site.nodesPerRack)
    MessageWriter.halls(site.halls, &w)
    if let job = site.job {
      w.open("job")
      w.string("id", job.id)
      w.int("gpus", job.gpus)
      w.close()
    }
    w.close()
  }

  private static func rack(_ rack: Rack, _ w: inout CompactJSON) {
    w.open()
    w.string("id", rack.id)
    w.string("hall", rack.hall)
    w.int("row", rack.row)
    w.int("slot", rack.slot)
    w.string("pod", rack.pod)
    w.string("stage", rack.stage?.rawValue)
    w.number("kw", rack.kw)
    w.number("inlet_c", rack.inletC)
    w.int("links_up", rack.linksUp)
    w.int("links_total", rack.linksTotal)
    w.string("note", rack.note)
    w.close()
  }

  private static func node(_ node: Node, _ w: inout CompactJSON) {
    w.open()
    w.string("id", node.id)
    w.string("rack", node.rackID)
    w.int("slot", node.slot)
    w.int("u", node.u)
    w.string("stage", node.stage?.rawValue)
    w.number("kw", node.kw)
    w.int("gpus", node.gpus)
    w.int("gpus_ok", node.gpusOK)
    w.string("reason", node.reason)
    w.close()
  }

  private static func gpu(_ record: GPURecord, node: String, serial: String?, _ w: inout CompactJSON) {
    w.open()
    w.string("node", node)
    w.int("index", record.index)
    w.string("state", record.state?.rawValue)
    w.number("temp_c", record.tempC)
    w.number("power_w", record.powerW)
    w.int("xid", record.xid)
    w.string("serial", serial)
    w.close()
  }

  /// Whether a line (without its newline) is a keyframe written by a recorder.
  public static func isKeyframe(_ line: UnsafeRawBufferPointer) -> Bool {
    guard line.count >= keyframePrefix.count else { return false }
    for (i, b) in keyframePrefix.enumerated() where line[i] != b { return false }
    return true
  }
}
