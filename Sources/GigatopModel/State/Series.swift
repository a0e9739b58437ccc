/// A bounded time series: when full, every other point is dropped, so it always spans all of feed time.
public struct Series: Equatable, Sendable {
  public private(set) var samples: [Sample] = []
  /// Points kept at most.
  public static let capacity = 4096

  public init() {}

  /// Adds a point at the end (points are expected in feed-time order; earlier ones are merged in place).
  public mutating func append(_ sample: Sample) {
    if let last = samples.last, sample.ts < last.ts {
      let position = samples.firstIndex { $0.ts > sample.ts } ?? samples.count
      samples.insert(sample, at: position)
    } else {
      samples.append(sample)
    }
    if samples.count > Self.capacity {
      samples = samples.enumerated().compactMap {
        $0.offset % 2 == 0 || $0.offset == samples.count - 1 ? $0.element : nil
      }
    }
  }

  /// The value at or before a time, if any.
  public func value(atOrBefore ts: Double) -> Double? {
    var result: Double?
    for s in samples {
      if s.ts > ts { break }
      result = s.value
    }
    return result
  }
}
