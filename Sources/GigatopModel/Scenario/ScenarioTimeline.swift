/// Maps the scenario's canonical days (0...122) onto the feed's clock for any `--days`.
///
/// Every event of the scenario is planned on the 122-day Colossus timeline and then
/// stretched or compressed proportionally; feed time starts at 2024-05-03T00:00:00Z.
struct ScenarioTimeline {
  /// The length of the canonical timeline the plan is written in.
  static let canonicalDays = 122.0
  /// 2024-05-03T00:00:00Z in Unix seconds.
  static let startUnix: Int64 = 1_714_694_400

  /// The feed's length in days.
  let days: Int
  /// Feed seconds at the deadline, the last instant of the feed.
  let endSeconds: Int64
  private let secondsPerCanonicalDay: Double

  /// Creates the mapping for a feed of `days` days.
  init(days: Int) {
    self.days = days
    endSeconds = Int64(days) * 86_400
    secondsPerCanonicalDay = Double(days) * 86_400 / Self.canonicalDays
  }

  /// Feed seconds (from the start) of a canonical day, clamped to the feed.
  func seconds(_ day: Double) -> Int64 {
    let s = Int64((day * secondsPerCanonicalDay).rounded())
    return min(max(s, 0), endSeconds)
  }

  /// Feed seconds of a canonical day, not clamped (for etas past the deadline).
  func unclampedSeconds(_ day: Double) -> Int64 {
    Int64((day * secondsPerCanonicalDay).rounded())
  }

  /// The canonical day of feed seconds.
  func day(ofSeconds seconds: Int64) -> Double {
    Double(seconds) / secondsPerCanonicalDay
  }

  /// Writes a quoted RFC 3339 UTC timestamp (`"2024-05-03T00:00:00Z"`) of feed seconds.
  static func writeTimestamp(_ seconds: Int64, into w: inout ScenarioLineWriter) {
    let unix = startUnix + seconds
    let days = unix >= 0 ? unix / 86_400 : (unix - 86_399) / 86_400
    let secondOfDay = Int(unix - days * 86_400)
    let (year, month, day) = civil(days: Int(days))
    w.byte(0x22)
    w.padded(year, width: 4)
    w.byte(0x2D)
    w.padded(month, width: 2)
    w.byte(0x2D)
    w.padded(day, width: 2)
    w.byte(0x54)
    w.padded(secondOfDay / 3600, width: 2)
    w.byte(0x3A)
    w.padded(secondOfDay / 60 % 60, width: 2)
    w.byte(0x3A)
    w.padded(secondOfDay % 60, width: 2)
    w.byte(0x5A)
    w.byte(0x22)
  }

  /// The proleptic Gregorian date of days since 1970-01-01.
  static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
    Timestamp.civilDate(days: days)
  }

  /// The RFC 3339 text of feed seconds, for alert and gate texts.
  static func text(_ seconds: Int64) -> String {
    var w = ScenarioLineWriter(capacity: 24)
    writeTimestamp(seconds, into: &w)
    return String(decoding: w.bytes.dropFirst().dropLast(), as: UTF8.self)
  }
}
