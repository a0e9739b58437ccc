/// A value a headless command hands over when it is done with it, so that it is never freed.
///
/// A loaded site is millions of small pieces (a million GPU records, a hundred thousand nodes'
/// arrays): freeing them one by one when the command returns took about 10 ms of a 0.3 s
/// `summary`, only for the process to exit right after, when the kernel takes all of its memory
/// back at once. Handing the value over keeps one reference to it alive until then.
final class KeptUntilExit<Value>: Sendable where Value: Sendable {
  private let value: Value

  private init(_ value: Value) { self.value = value }

  /// Keeps `value` (its storage, shared with the caller's copy) until the process exits.
  static func keep(_ value: Value) {
    _ = Unmanaged.passRetained(KeptUntilExit(value))
  }
}
