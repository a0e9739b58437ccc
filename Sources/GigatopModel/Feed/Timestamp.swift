/// Feed times: Unix seconds as a Double, parsed from RFC 3339 or a number.
public enum Timestamp {
  /// Parses an RFC 3339 date-time (`2024-07-22T04:20:00Z`, fractions and offsets allowed).
  public static func parse(_ text: String) -> Double? {
    var copy = text
    return copy.withUTF8 { parse(bytes: UnsafeRawBufferPointer($0)) }
  }

  /// Parses an RFC 3339 date-time from its UTF-8 bytes (what `parse(_:)` does, without a `String`).
  public static func parse(bytes b: UnsafeRawBufferPointer) -> Double? {
    parse(bytes: b, memo: nil)
  }

  /// `parse(bytes:)` remembering the last whole-second UTC date read in `memo` (for one thread).
  static func parse(bytes b: UnsafeRawBufferPointer, memo: UnsafeMutablePointer<DayMemo>?) -> Double? {
    // Most feed times are whole seconds in UTC (`2024-07-22T04:20:09Z`): read a word at a time.
    if b.count == 20, let seconds = parseWholeUTC(b, memo: memo) { return Double(seconds) }
    return parseGeneral(bytes: b)
  }

  /// The last date `parseWholeUTC` read and its day number: the lines of a feed mostly share
  /// their date, and its checks and its day number are then not worked out again.
  struct DayMemo {
    /// Bytes 0-7 (`YYYY-MM-`) of the time, and bytes 8-9 (`DD`) in the low 16 bits of `day`
    /// (0: nothing remembered; digits are never zero bytes).
    var yearMonth: UInt64 = 0
    var day: UInt64 = 0
    var days = 0
  }

  /// `YYYY-MM-DDTHH:MM:SSZ` exactly, as Unix seconds; nil for anything else (which
  /// `parseGeneral` then reads, or rejects).
  ///
  /// The separators are compared as one masked word; the digits are checked eight bytes at a
  /// time: a byte is a digit when its high nibble is 3 both as it is and with 6 added. (A carry
  /// from a byte above 0xF9 can only make the next byte fail, never pass: such a line goes to
  /// `parseGeneral`, which says what it is.)
  @inline(__always) static func parseWholeUTC(
    _ b: UnsafeRawBufferPointer, memo: UnsafeMutablePointer<DayMemo>? = nil
  ) -> Int? {
    guard b.count == 20, let base = b.baseAddress else { return nil }
    // Bytes 0-7 `YYYY-MM-`, 8-15 `DDTHH:MM`, 12-19 `HH:MM:SSZ` (little-endian: byte k of a word
    // is its bits 8k to 8k+7).
    let w0 = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
    let w1 = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    let w2 = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 12, as: UInt64.self))
    // '-' at 4 and 7; 'T' at 10 and ':' at 13; ':' at 16 and 'Z' at 19.
    guard w0 & 0xFF00_00FF_0000_0000 == 0x2D00_002D_0000_0000,
      w1 & 0x0000_FF00_00FF_0000 == 0x0000_3A00_0054_0000,
      w2 & 0xFF00_00FF_0000_0000 == 0x5A00_003A_0000_0000
    else { return nil }
    // Digits at 0-3 and 5-6; at 8-9, 11-12 and 14-15; at 17-18.
    @inline(__always) func allDigits(_ w: UInt64, _ m: UInt64) -> Bool {
      let nibbles = 0xF0F0_F0F0_F0F0_F0F0 & m
      let threes = 0x3030_3030_3030_3030 & m
      return w & nibbles == threes && (w &+ 0x0606_0606_0606_0606) & nibbles == threes
    }
    guard allDigits(w0, 0x00FF_FF00_FFFF_FFFF), allDigits(w1, 0xFFFF_00FF_FF00_FFFF),
      allDigits(w2, 0x00FF_FF00_0000_0000)
    else { return nil }
    @inline(__always) func digit(_ w: UInt64, _ k: UInt64) -> Int {
      Int(truncatingIfNeeded: (w >> (8 * k)) & 0x0F)
    }
    let hour = digit(w1, 3) * 10 + digit(w1, 4)
    let minute = digit(w1, 6) * 10 + digit(w1, 7)
    let second = digit(w2, 5) * 10 + digit(w2, 6)
    guard hour < 24, minute < 60, second <= 60 else { return nil }
    let days: Int
    if let memo, memo.pointee.yearMonth == w0, memo.pointee.day == w1 & 0xFFFF {
      days = memo.pointee.days
    } else {
      let year = digit(w0, 0) * 1000 + digit(w0, 1) * 100 + digit(w0, 2) * 10 + digit(w0, 3)
      let month = digit(w0, 5) * 10 + digit(w0, 6)
      let day = digit(w1, 0) * 10 + digit(w1, 1)
      guard month >= 1, month <= 12, day >= 1, day <= daysIn(month: month, year: year) else { return nil }
      days = daysFromCivil(year: year, month: month, day: day)
      memo?.pointee = DayMemo(yearMonth: w0, day: w1 & 0xFFFF, days: days)
    }
    return days * 86_400 + hour * 3600 + minute * 60 + second
  }

  /// `parse(bytes:)` for every form RFC 3339 allows: fractions, offsets, `t`, `z` or a space.
  static func parseGeneral(bytes b: UnsafeRawBufferPointer) -> Double? {
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
