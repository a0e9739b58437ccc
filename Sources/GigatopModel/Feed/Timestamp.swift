/// Feed times: Unix seconds as a Double, parsed from RFC 3339 or a number.
public enum Timestamp {
  /// Parses an RFC 3339 date-time (`2024-07-22T04:20:00Z`, fractions and offsets allowed).
  public static func parse(_ text: String) -> Double? {
    var copy = text
    return copy.withUTF8 { parse(bytes: UnsafeRawBufferPointer($0)) }
  }

  /// Parses an RFC 3339 date-time from its UTF-8 bytes (what `parse(_:)` does, without a `String`).
  public static func parse(bytes b: UnsafeRawBufferPointer) -> Double? {
    guard b.count >= 20 else { return nil }
    func digits(_ from: Int, _ count: Int) -> Int? {
      guard from + count <= b.count else { return nil }
      var value = 0
      for i in from..<(from + count) {
        let d = b[i]
        guard d >= 0x30, d <= 0x39 else { return nil }
        value = value * 10 + Int(d - 0x30)
      }
      return value
    }
    // Two digits at `i` (below 19, so within the 20 bytes checked above), or -1.
    @inline(__always) func pair(_ i: Int) -> Int {
      let high = b[i] &- 0x30
      let low = b[i + 1] &- 0x30
      return high < 10 && low < 10 ? Int(high) * 10 + Int(low) : -1
    }
    let (century, yy, month, day) = (pair(0), pair(2), pair(5), pair(8))
    let (hour, minute, second) = (pair(11), pair(14), pair(17))
    guard century >= 0, yy >= 0, month >= 0, day >= 0, hour >= 0, minute >= 0, second >= 0,
      b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x74 || b[10] == 0x20, b[13] == 0x3A,
      b[16] == 0x3A
    else { return nil }
    let year = century * 100 + yy
    guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24,
      minute < 60, second <= 60
    else { return nil }
    var index = 19
    var fraction = 0.0
    if index < b.count, b[index] == 0x2E {
      index += 1
      var scale = 0.1
      let start = index
      while index < b.count, b[index] >= 0x30, b[index] <= 0x39 {
        fraction += Double(b[index] - 0x30) * scale
        scale /= 10
        index += 1
      }
      guard index > start else { return nil }
    }
    guard index < b.count else { return nil }
    var offset = 0
    switch b[index] {
    case 0x5A, 0x7A:
      index += 1
    case 0x2B, 0x2D:
      guard let oh = digits(index + 1, 2), index + 3 < b.count, b[index + 3] == 0x3A,
        let om = digits(index + 4, 2), oh < 24, om < 60
      else { return nil }
      offset = (oh * 3600 + om * 60) * (b[index] == 0x2B ? 1 : -1)
      index += 6
    default:
      return nil
    }
    guard index == b.count else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
    return Double(seconds) + fraction
  }

  /// Days since 1970-01-01 for a proleptic Gregorian date.
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  static func daysIn(month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// The civil date and time of Unix seconds, in UTC.
  static func civil(
    _ seconds: Double
  ) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
    let whole = Int(seconds.rounded(.down))
    let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
    let secs = whole - days * 86_400
    let (year, month, day) = civilDate(days: days)
    return (year, month, day, secs / 3600, (secs % 3600) / 60, secs % 60)
  }

  /// The proleptic Gregorian date of a count of days since 1970-01-01.
  static func civilDate(days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day)
  }

  /// Formats Unix seconds as `2024-07-22T04:20:00Z`.
  public static func format(_ seconds: Double) -> String {
    let c = civil(seconds)
    return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))Z"
  }

  /// Formats Unix seconds as `2024-07-22 04:20`.
  public static func formatShort(_ seconds: Double) -> String {
    let c = civil(seconds)
    return "\(pad(c.year, 4))-\(pad(c.month))-\(pad(c.day)) \(pad(c.hour)):\(pad(c.minute))"
  }

  /// Formats Unix seconds as `Jul 22`.
  public static func formatDay(_ seconds: Double) -> String {
    let c = civil(seconds)
    let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return "\(names[c.month - 1]) \(pad(c.day))"
  }

  static func pad(_ value: Int, _ width: Int = 2) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
  }

  /// Parses a time given on the command line: RFC 3339, a date `2024-07-22`, or Unix seconds.
  public static func parseArgument(_ text: String) -> Double? {
    if let value = Double(text), value.isFinite { return value }
    if let value = parse(text) { return value }
    if text.utf8.count == 10, let value = parse(text + "T00:00:00Z") { return value }
    if text.utf8.count == 16, let value = parse(String(text.map { $0 == " " ? "T" : $0 }) + ":00Z") {
      return value
    }
    return nil
  }
}
