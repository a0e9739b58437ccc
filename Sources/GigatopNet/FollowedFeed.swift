import GigatopModel

/// A feed the live run loop follows: a file, a pipe, standard input, or an HTTP(S) URL.
public protocol FollowedFeed: AnyObject {
  /// The feed's name on the status bar and in messages.
  var name: String { get }
  /// How the text read last is laid out: lines are recorded raw through `lineTap`, documents are not.
  var layout: FeedSource.Layout? { get }
  /// What is wrong with the source now, or its state; nil when there is nothing to say.
  var condition: String? { get }
  /// Called with the bytes of every line read, before it is decoded (what `--record` writes).
  var lineTap: ((UnsafeRawBufferPointer) -> Void)? { get set }
  /// Whether the source has ended for good.
  var closed: Bool { get }
  /// A descriptor that turns readable when there is something to read; nil to be polled on a timer.
  var pollableDescriptor: Int32? { get }
  /// Reads what has arrived, at most about `budget` bytes; never blocks.
  func poll(budget: Int) -> [FeedEvent]
}

extension FeedSource: FollowedFeed {}
