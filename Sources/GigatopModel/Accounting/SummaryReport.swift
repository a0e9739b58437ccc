/// The JSON document `gigatop summary --json` prints: a fixed set of keys, documented in the README.
public enum SummaryReport {
  /// Renders the report as pretty-printed JSON with keys in a fixed order.
  public static func json(state: BuildoutState, summary: Summary, counters: FeedCounters) -> String {
    let w = JSONWriter()
    w.object {
      w.key("as_of") { w.optionalString(summary.asOf.map(Timestamp.format)) }
      w.key("site") {
        w.object {
          w.key("id") { w.optionalString(state.site.id) }
          w.key("name") { w.optionalString(state.site.name) }
        }
      }
      w.key("racks") {
        w.object {
          w.key("total") { w.int(summary.racksSeen) }
          w.key("by_stage") { stages(w, summary.racksByStage) }
        }
      }
      w.key("gpus") {
        w.object {
          w.key("target") { w.optionalInt(state.site.targetGPUs) }
          w.key("by_stage") { stages(w, summary.gpus.byStage) }
          w.key("failed") { w.int(summary.gpus.failed) }
          w.key("installed") { w.int(summary.gpus.installed) }
          w.key("in_pool") { w.int(summary.gpus.inPool) }
        }
      }
      w.key("supply") {
        w.object {
          let s = summary.supply
          w.key("needed") { w.int(s.needed) }
          w.key("allocated") { w.int(s.allocated) }
          w.key("in_transit") { w.int(s.inTransit) }
          w.key("delivered") { w.int(s.delivered) }
          w.key("shortage") { w.int(s.shortage) }
          w.key("late") { w.int(s.late) }
        }
      }
      w.key("power") {
        w.object {
          let p = summary.power
          w.key("capacity_mw") { w.number(round(p.capacityMW)) }
          w.key("facility_mw") { w.optionalNumber(p.facilityMW.map(round)) }
          w.key("it_mw") { w.optionalNumber(p.itMW.map(round)) }
          w.key("headroom_mw") { w.optionalNumber(p.headroomMW.map(round)) }
        }
      }
      w.key("readiness") {
        w.object {
          let r = summary.readiness
          w.key("job_gpus") { w.int(r.jobGPUs) }
          w.key("in_pool") { w.int(r.inPool) }
          w.key("ratio") { w.number((r.ratio * 10_000).rounded() / 10_000) }
          w.key("gates_passed") { w.int(r.gatesPassed) }
          w.key("gates_total") { w.int(r.gatesTotal) }
          w.key("links_up") { w.optionalInt(r.linksUp) }
          w.key("links_total") { w.optionalInt(r.linksTotal) }
          w.key("blocker") { w.string(r.blocker) }
        }
      }
      w.key("feed") {
        w.object {
          w.key("lines") { w.int(counters.lines) }
          w.key("applied") { w.int(counters.applied) }
          w.key("ignored") { w.int(counters.ignored) }
          w.key("rejected") { w.int(counters.rejected) }
        }
      }
    }
    return w.text + "\n"
  }

  /// Megawatts to the kilowatt, so sums print as `3.4`, not `3.3999999999999986`.
  private static func round(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

  private static func stages(_ w: JSONWriter, _ counts: [Int]) {
    w.object {
      for stage in Stage.allCases { w.key(stage.rawValue) { w.int(counts[stage.rank]) } }
    }
  }
}

/// A small pretty-printing JSON writer with keys in the order they are written.
final class JSONWriter {
  private(set) var text = ""
  private var depth = 0
  private var needsComma = [false]

  func object(_ body: () -> Void) {
    text += "{"
    depth += 1
    needsComma.append(false)
    body()
    needsComma.removeLast()
    depth -= 1
    text += "\n" + String(repeating: "  ", count: depth) + "}"
  }

  func key(_ name: String, _ value: () -> Void) {
    if needsComma[needsComma.count - 1] { text += "," }
    needsComma[needsComma.count - 1] = true
    text += "\n" + String(repeating: "  ", count: depth)
    appendString(name)
    text += ": "
    value()
  }

  func int(_ value: Int) { text += String(value) }
  func optionalInt(_ value: Int?) { text += value.map(String.init) ?? "null" }
  func number(_ value: Double) {
    if value.isFinite && value == value.rounded() && abs(value) < 1e15 {
      text += String(Int(value))
    } else if value.isFinite {
      text += String(value)
    } else {
      text += "null"
    }
  }
  func optionalNumber(_ value: Double?) {
    if let value { number(value) } else { text += "null" }
  }
  func string(_ value: String) { appendString(value) }
  func optionalString(_ value: String?) {
    if let value { appendString(value) } else { text += "null" }
  }

  private func appendString(_ value: String) {
    CompactJSON.appendQuoted(value, to: &text)
  }

}
