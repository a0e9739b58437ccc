/// The planned scenario: every event in feed order, plus the bytes of pre-rendered lines.
struct ScenarioPlan {
  let layout: ScenarioLayout
  let timeline: ScenarioTimeline
  let seed: UInt64
  /// Size relative to the 102,400-GPU demo (scales power capacities and building load).
  let scale: Double
  /// Events sorted by time, then by plan order.
  let events: [ScenarioEvent]
  /// Bodies of pre-rendered (`raw`) events.
  let arena: [UInt8]
}
