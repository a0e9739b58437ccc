import Testing

@testable import GigatopModel

/// The id table behaves as a value: copies do not see each other's additions, through growth,
/// reservation and many ids.
@Suite struct IDTableTests {
  @Test func copiesAreIndependentThroughGrowth() {
    var a = IDTable()
    for i in 0..<1000 { a["rack-\(i)"] = i }
    var b = a
    for i in 1000..<5000 { b["rack-\(i)"] = i }
    b["rack-7"] = 70
    #expect(a.count == 1000)
    #expect(b.count == 5000)
    #expect(a["rack-7"] == 7)
    #expect(b["rack-7"] == 70)
    #expect(a["rack-1500"] == nil)
    #expect(b["rack-1500"] == 1500)
    for i in stride(from: 0, to: 1000, by: 37) { #expect(a["rack-\(i)"] == (i == 7 ? 7 : i)) }
    // A write to a copy that did not grow (the slots are shared until then).
    var c = a
    c["new"] = -1
    #expect(a["new"] == nil)
    #expect(c["new"] == -1)
    #expect(a.ids.count == 1000 && c.ids.last == "new")
  }

  @Test(arguments: [false, true])
  func reservingKeepsWhatIsThereAndMakesRoom(atOnce: Bool) {
    var t = IDTable()
    t["a"] = 1
    t["b"] = 2
    t.reserve(200_000, atOnce: atOnce)
    for i in 0..<50_000 { t["n\(i)"] = i }
    #expect(t["a"] == 1)
    #expect(t["b"] == 2)
    #expect(t["n49999"] == 49_999)
    #expect(t["n50000"] == nil)
    #expect(t.count == 50_002)
    let empty = IDTable()
    #expect(empty["a"] == nil)
    #expect(empty.count == 0)
  }

  @Test func replacingAtTheEdgeOfGrowingKeepsOneEntry() {
    // Fill up to the point where one more id would grow the table, then set existing ids again:
    // they are replaced in place (no growth, no second entry), and a new id still goes in.
    var t = IDTable()
    var n = 0
    while true {
      t["id\(n)"] = n
      n += 1
      if n == 8 { break }
    }
    for i in 0..<n { t["id\(i)"] = 100 + i }
    #expect(t.count == n)
    #expect(t.ids == (0..<n).map { "id\($0)" })
    for i in 0..<n { #expect(t["id\(i)"] == 100 + i) }
    t["id\(n)"] = n
    #expect(t.count == n + 1)
    #expect(t["id\(n)"] == n)
    for i in 0..<n { #expect(t["id\(i)"] == 100 + i) }
  }
}

/// `lookup` then `add` puts an id where a plain set would, and falls back to a plain set when
/// the table changed in between.
@Suite struct IDTableLookupTests {
  @Test func lookupThenAddAgreesWithSetting() {
    var a = IDTable()
    var b = IDTable()
    var random = FuzzRandom(seed: 0x6964_7321)
    for i in 0..<30_000 {
      let id = "n\(random.below(20_000))"
      let found = a.lookup(id)
      #expect(found.value == b[id])
      if found.value == nil {
        if random.chance(1, in: 50) {
          // Other ids come between the lookup and the add (enough that some take the slot the
          // lookup found).
          for k in 0..<200 {
            a["other\(i)-\(k)"] = -i
            b["other\(i)-\(k)"] = -i
          }
        }
        if random.chance(1, in: 500) {
          a.reserve(a.count * 3)
          b.reserve(b.count * 3)
        }
        a.add(id, i, at: found)
        b[id] = i
      }
    }
    #expect(a.count == b.count)
    #expect(a.ids == b.ids)
    for id in b.ids { #expect(a[id] == b[id]) }
  }

  /// A lookup gone stale (ids added since, some into the slot it found) still adds right.
  @Test func aStaleLookupStillAdds() {
    var lost = 0
    for round in 0..<200 {
      var t = IDTable()
      t.reserve(64)
      t["first"] = 0
      let found = t.lookup("x\(round)")
      for k in 0..<60 { t["id\(round)-\(k)"] = k }
      t.add("x\(round)", -1, at: found)
      if t["x\(round)"] != -1 { lost += 1 }
      for k in 0..<60 where t["id\(round)-\(k)"] != k { lost += 1 }
    }
    #expect(lost == 0)
  }
}

/// Ids of every length (empty to 40 bytes), non-ASCII ones, and values replaced, against a
/// dictionary; copies stay apart.
@Suite struct IDTableAgainstDictionaryTests {
  @Test func idsOfEveryLengthAgreeWithADictionary() {
    var table = IDTable()
    var expected: [String: Int] = [:]
    var random = FuzzRandom(seed: 0x6C65_6E67)
    let alphabet = Array("ab-01é".unicodeScalars)
    var snapshot: (IDTable, [String: Int])?
    for i in 0..<40_000 {
      let length = random.below(41)
      var id = ""
      for _ in 0..<length { id.unicodeScalars.append(random.pick(alphabet)) }
      if random.chance(1, in: 3) {
        #expect(table[id] == expected[id], "\(id)")
      } else {
        table[id] = i
        expected[id] = i
      }
      if i == 20_000 { snapshot = (table, expected) }
    }
    #expect(table.count == expected.count)
    for (id, value) in expected { #expect(table[id] == value) }
    #expect(Set(table.ids) == Set(expected.keys))
    if let (old, oldExpected) = snapshot {
      #expect(old.count == oldExpected.count)
      for (id, value) in oldExpected { #expect(old[id] == value) }
    }
  }

  /// A value replaced in a copy (no id added: the slots are still shared) stays in that copy.
  @Test func replacingAValueInACopy() {
    var a = IDTable()
    for i in 0..<100 { a["id\(i)"] = i }
    let b = a
    a["id7"] = 700
    #expect(a["id7"] == 700)
    #expect(b["id7"] == 7)
  }
}

/// Ids that differ only in their last character (a rack's nodes, a row's racks) go to
/// neighbouring slots, and the table still tells them apart.
@Suite struct IDTableNeighbourTests {
  @Test func idsDifferingInTheirLastCharacterGoToNeighbouringSlots() {
    let base = IDTable.hash("A-R01-K05-S1")
    for n in 2...8 {
      let hash = IDTable.hash("A-R01-K05-S\(n)")
      // The slot bits are those of the first id, moved by the difference of the last bytes.
      #expect(hash & 0xFFFF_FFFF == (base &+ UInt64(n - 1)) & 0xFFFF_FFFF, "S\(n)")
      // The tag (the whole id's hash) still differs.
      #expect(hash >> 32 != base >> 32, "S\(n)")
    }
    // Another rack's nodes start elsewhere.
    let other = IDTable.hash("A-R01-K06-S1")
    #expect((other &- base) & 0xFFFF_FFFF > 64)
    #expect(IDTable.hash("") != IDTable.hash("a"))
  }

  /// A site's worth of such runs (halls, rows, racks, slots), looked up and added as the state
  /// does, against a dictionary.
  @Test func runsOfNeighboursAgreeWithADictionary() {
    var table = IDTable()
    var expected: [String: Int] = [:]
    for hall in ["A", "B", "AA"] {
      for row in 1...12 {
        for rack in 1...16 {
          for slot in 1...8 {
            let id = "\(hall)-R\(row < 10 ? "0" : "")\(row)-K\(rack < 10 ? "0" : "")\(rack)-S\(slot)"
            let found = table.lookup(id)
            #expect(found.value == nil, "\(id)")
            table.add(id, expected.count, at: found)
            expected[id] = expected.count
          }
        }
      }
    }
    #expect(table.count == expected.count)
    for (id, value) in expected { #expect(table[id] == value && table.lookup(id).value == value) }
    #expect(table["A-R01-K01-S9"] == nil && table["A-R01-K01-S"] == nil && table["A-R13-K01-S1"] == nil)
  }
}
