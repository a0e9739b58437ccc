/// Number formats shared by the panels, the words of constraints and the headless output.
public enum Format {
  /// `98,304`.
  public static func count(_ value: Int) -> String {
    let digits = String(abs(value))
    var out = ""
    for (i, ch) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return value < 0 ? "-" + out : out
  }

  /// `98.3k`, `1.02M`, `512`: a count in at most five characters.
  public static func compact(_ value: Int) -> String {
    let v = Double(abs(value))
    let sign = value < 0 ? "-" : ""
    if v < 1000 { return sign + String(abs(value)) }
    if v < 10_000 { return sign + fixed(v / 1000, 1) + "k" }
    if v < 1_000_000 { return sign + String(Int((v / 1000).rounded())) + "k" }
    return sign + fixed(v / 1_000_000, 2) + "M"
  }

  /// `43 MW`, `8.5 MW`.
  public static func megawatts(_ value: Double) -> String {
    abs(value) >= 100 || value == value.rounded() ? "\(Int(value.rounded())) MW" : fixed(value, 1) + " MW"
  }

  /// `97%` or `99.8%`.
  public static func percent(_ ratio: Double) -> String {
    let p = ratio * 100
    if p >= 99.5 && p < 100 { return fixed(p, 1) + "%" }
    return "\(Int(p.rounded(.down)))%"
  }

  /// A number with a fixed count of decimals (no Foundation).
  public static func fixed(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return "-" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let whole = Int(scaled / scale)
    let fraction = Int(scaled - Double(whole) * scale)
    let sign = value < 0 && scaled > 0 ? "-" : ""
    if decimals == 0 { return sign + String(whole) }
    var digits = String(fraction)
    while digits.count < decimals { digits = "0" + digits }
    return sign + String(whole) + "." + digits
  }

  /// A duration in feed time: `3d 4h`, `5h 10m`, `42s`.
  public static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "-" }
    let s = Int(max(0, seconds))
    if s >= 86_400 { return "\(s / 86_400)d \((s % 86_400) / 3600)h" }
    if s >= 3600 { return "\(s / 3600)h \((s % 3600) / 60)m" }
    if s >= 60 { return "\(s / 60)m \(s % 60)s" }
    return "\(s)s"
  }
}
