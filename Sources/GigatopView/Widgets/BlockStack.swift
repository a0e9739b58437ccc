/// A column of blocks that share a panel's rows by importance.
///
/// Each block asks for a least and a most number of rows. Blocks get their least in order of
/// priority (lower first) while rows remain; blocks that do not fit are left out. Rows left over
/// then grow blocks towards their most, in order of their grow priority. A block with `steps`
/// (a compact and a full form, say) only grows to one of those heights. Blocks are drawn in their
/// given order, so a panel reads the same at every size, only with more or less in it.
struct BlockStack {
  /// One part of a panel.
  struct Block {
    var priority: Int
    /// The priority for rows beyond `minHeight` (defaults to `priority`).
    var growPriority: Int
    var minHeight: Int
    var maxHeight: Int
    /// The only heights the block may take, when it has distinct forms (ascending).
    var steps: [Int]?
    /// Whether this is blank room between parts (dropped at the edges and next to a missing part).
    var isSpacer = false
    var draw: (inout Canvas, Rect) -> Void

    init(
      priority: Int, minHeight: Int = 1, maxHeight: Int? = nil, growPriority: Int? = nil,
      draw: @escaping (inout Canvas, Rect) -> Void
    ) {
      self.priority = priority
      self.growPriority = growPriority ?? priority
      self.minHeight = max(0, minHeight)
      self.maxHeight = max(self.minHeight, maxHeight ?? minHeight)
      self.draw = draw
    }

    /// A block with several forms, each drawn at its own height; the tallest that fits is drawn.
    init(priority: Int, growPriority: Int? = nil, forms: [(height: Int, draw: (inout Canvas, Rect) -> Void)])
    {
      let sorted = forms.filter { $0.height > 0 }.sorted { $0.height < $1.height }
      self.init(
        priority: priority, minHeight: sorted.first?.height ?? 0, maxHeight: sorted.last?.height ?? 0,
        growPriority: growPriority
      ) { canvas, rect in
        guard let form = sorted.last(where: { $0.height <= rect.height }) ?? sorted.first else { return }
        form.draw(
          &canvas, Rect(x: rect.x, y: rect.y, width: rect.width, height: min(rect.height, form.height)))
      }
      steps = sorted.map(\.height)
    }

    /// One blank row, given only when there is room to spare at this priority.
    static func spacer(priority: Int) -> Block {
      var block = Block(priority: priority, minHeight: 0, maxHeight: 1) { _, _ in }
      block.isSpacer = true
      return block
    }
  }

  var blocks: [Block]

  /// The rows each block gets out of `available`.
  ///
  /// Every block makes two requests: its least rows at `priority` and growth to its most at
  /// `growPriority`. Requests are served in priority order (a block's least before any growth at
  /// the same priority, then in block order); a block whose least did not fit does not grow.
  static func heights(_ blocks: [Block], available: Int) -> [Int] {
    var heights = [Int](repeating: 0, count: blocks.count)
    var placed = [Bool](repeating: false, count: blocks.count)
    var left = max(0, available)
    let requests = blocks.indices.flatMap {
      [(blocks[$0].priority, 0, $0), (blocks[$0].growPriority, 1, $0)]
    }
    .sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
    for (_, kind, i) in requests {
      let block = blocks[i]
      if kind == 0 {
        if block.minHeight <= left {
          heights[i] = block.minHeight
          left -= block.minHeight
          placed[i] = true
        }
        continue
      }
      guard placed[i], left > 0 else { continue }
      let target: Int
      if let steps = block.steps {
        target = steps.last { $0 <= heights[i] + left } ?? heights[i]
      } else {
        target = min(block.maxHeight, heights[i] + left)
      }
      left -= max(0, target - heights[i])
      heights[i] = max(heights[i], target)
    }
    return heights
  }

  /// Draws the blocks top-down in the rect.
  func draw(in rect: Rect, on canvas: inout Canvas) {
    guard !rect.isEmpty else { return }
    var heights = Self.heights(blocks, available: rect.height)
    // A spacer only separates two parts that are both shown.
    var lastShownWasContent = false
    for i in blocks.indices {
      if blocks[i].isSpacer {
        let hasNext = ((i + 1)..<blocks.count).contains { !blocks[$0].isSpacer && heights[$0] > 0 }
        if !lastShownWasContent || !hasNext { heights[i] = 0 }
        if heights[i] > 0 { lastShownWasContent = false }
      } else if heights[i] > 0 {
        lastShownWasContent = true
      }
    }
    var y = rect.y
    for (block, height) in zip(blocks, heights) where height > 0 {
      block.draw(&canvas, Rect(x: rect.x, y: y, width: rect.width, height: min(height, rect.maxY - y)))
      y += height
      if y >= rect.maxY { break }
    }
  }
}
