import GigatopModel
import GigatopView

/// The plain-text form of `gigatop summary`.
enum SummaryText {
  /// A short report, one figure per line, grouped like the dashboard's panels.
  static func render(state: BuildoutState, summary: Summary) -> String {
    let s = summary
    var lines: [String] = []
    let site = [state.site.name, state.site.id.map { "(\($0))" }].compactMap { $0 }.joined(separator: " ")
    lines.append("Site       \(site.isEmpty ? "-" : site)   as of \(s.asOf.map(Timestamp.format) ?? "-")")
    lines.append(
      "Racks      \(Format.count(s.racksInstalled)) of \(Format.count(s.plannedRacks)) installed, "
        + "\(Format.count(s.racksByStage[Stage.inPool.rank])) in pool; "
        + "\(Format.fixed(s.forecast.installRatePerDay, 1)) racks/day"
        + (s.forecast.racksDoneAt.map { "; all in by \(Timestamp.formatShort($0))" } ?? ""))
    let stages = Stage.allCases.filter { s.racksByStage[$0.rank] > 0 }
      .map { "\($0.rawValue) \(Format.count(s.racksByStage[$0.rank]))" }
    lines.append("           " + (stages.isEmpty ? "no racks yet" : stages.joined(separator: ", ")))
    lines.append(
      "GPUs       \(Format.count(s.gpus.installed)) installed, \(Format.count(s.gpus.inPool)) in pool, "
        + "\(Format.count(s.gpus.failed)) failed, target \(state.site.targetGPUs.map(Format.count) ?? "-")")
    let sp = s.supply
    lines.append(
      "Chips      needed \(Format.count(sp.needed)): allocated \(Format.count(sp.allocated)), in transit "
        + "\(Format.count(sp.inTransit)), delivered \(Format.count(sp.delivered)); shortage \(Format.count(sp.shortage)), "
        + "late \(Format.count(sp.late))")
    let p = s.power
    lines.append(
      "Power      capacity \(Format.megawatts(p.capacityMW)), facility \(p.facilityMW.map(Format.megawatts) ?? "-"), "
        + "IT \(p.itMW.map(Format.megawatts) ?? "-"), headroom \(p.headroomMW.map(Format.megawatts) ?? "-")"
        + (p.pue.map { ", PUE \(Format.fixed($0, 2))" } ?? ""))
    let r = s.readiness
    lines.append(
      "Readiness  \(Format.count(r.inPool)) of \(Format.count(r.jobGPUs)) GPUs in pool (\(Format.percent(r.ratio))); "
        + "gates \(r.gatesPassed)/\(r.gatesTotal)"
        + (r.linksTotal.map { ", links \(Format.count(r.linksUp ?? 0))/\(Format.count($0))" } ?? ""))
    lines.append("Held back  " + (r.binding?.words ?? "nothing holds the job back"))
    if let at = s.forecast.fullJobAt { lines.append("Full job   \(Timestamp.formatShort(at))") }
    let c = state.counters
    lines.append(
      "Feed       \(c.lines) lines: \(c.applied) applied, \(c.ignored) ignored, \(c.rejected) rejected")
    return lines.map { TextWidth.sanitized($0) }.joined(separator: "\n") + "\n"
  }
}
