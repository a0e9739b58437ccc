/// What the built-in scenario builds: how many GPUs, over how many days, from which seed.
///
/// The defaults describe a Colossus-like build-out: 102,400 H100 GPUs in 1,600 racks,
/// from 2024-05-03 to a deadline 122 days later (2024-09-02).
public struct ScenarioOptions: Sendable, Equatable {
  /// GPUs to build; the site gets `ceil(gpus / 64)` racks of 8 nodes x 8 GPUs.
  public var gpus: Int
  /// Days from the start (2024-05-03T00:00:00Z) to the deadline; the timeline stretches to fit.
  public var days: Int
  /// Seed of the generator's pseudo-random jitter; the same options always give the same feed.
  public var seed: UInt64

  /// Creates options; the defaults give the 102,400-GPU, 122-day demo.
  public init(gpus: Int = 102_400, days: Int = 122, seed: UInt64 = 1) {
    self.gpus = gpus
    self.days = days
    self.seed = seed
  }

  /// The options clamped to what the generator supports (1...20,000,000 GPUs, 1...36,500 days).
  var normalized: ScenarioOptions {
    ScenarioOptions(
      gpus: min(max(gpus, 1), 20_000_000), days: min(max(days, 1), 36_500), seed: seed)
  }
}
