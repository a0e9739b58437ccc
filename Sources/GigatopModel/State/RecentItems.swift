/// The latest items of a stream, at most `limit`, oldest first.
///
/// They are kept in a list that grows to twice the limit and is then cut back to it in one step,
/// so adding an item costs no shift of the whole list (cutting back after every item shifted
/// `limit` items each time).
struct RecentItems<Element: Sendable>: Sendable {
  let limit: Int
  private var kept: [Element] = []

  init(limit: Int) { self.limit = limit }

  /// The latest items, at most `limit`, oldest first.
  var items: [Element] { kept.count > limit ? Array(kept.suffix(limit)) : kept }

  /// The latest item, if any.
  var last: Element? { kept.last }

  mutating func append(_ item: Element) {
    if kept.count >= 2 * limit { kept.removeFirst(kept.count - limit + 1) }
    kept.append(item)
  }
}
