/// Generates the built-in scenario: a deterministic format-v1 feed of a Colossus-like build-out.
///
/// The feed follows the public timeline of xAI's Colossus (a factory turned into a
/// 100,000-GPU cluster in 122 days): shipments and an allocation swap, racks walking from
/// delivery to the training pool, burn-in failures and RMAs, power that gates the pool,
/// fabric tests, readiness gates, and the training job with its checkpoints and faults.
/// The same options always give the same bytes.
public struct ScenarioGenerator: Sendable {
  private let options: ScenarioOptions

  /// Creates a generator; out-of-range options are clamped (1...20,000,000 GPUs, 1...36,500 days).
  public init(options: ScenarioOptions) {
    self.options = options.normalized
  }

  /// Calls `emit` with each feed line (one JSON object, no trailing newline, UTF-8 bytes) in timestamp order.
  ///
  /// The buffer is valid only during the call.
  public func generate(_ emit: (UnsafeRawBufferPointer) -> Void) {
    var planner = ScenarioPlanner(options: options)
    var emitter = ScenarioEmitter(plan: planner.makePlan())
    emitter.run(emit)
  }

  /// Convenience: all lines as Strings in timestamp order.
  public func lines() -> [String] {
    var lines: [String] = []
    generate { bytes in lines.append(String(decoding: bytes, as: UTF8.self)) }
    return lines
  }

  /// Writes the whole feed, newline-terminated lines, to a file descriptor with large buffered writes. Throws on write error.
  public func write(toFileDescriptor fd: Int32) throws {
    var sink = ScenarioFileSink(fd: fd)
    generate { bytes in sink.append(line: bytes) }
    try sink.finish()
  }
}
