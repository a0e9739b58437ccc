/// The floor plan of the scenario's site: halls of 25 rows x 16 racks, pods of 8 racks.
///
/// Racks are numbered 0 ..< rackCount hall by hall, row by row; pods are numbered
/// `hall * 50 + pod-in-hall`, so every pod number below `podCount` exists.
struct ScenarioLayout {
  static let gpusPerNode = 8
  static let nodesPerRack = 8
  static let gpusPerRack = 64
  static let racksPerPod = 8
  static let rowsPerHall = 25
  static let racksPerRow = 16
  static let racksPerHall = 400
  static let podsPerHall = 50
  /// Network links per rack: one 400GbE NIC per GPU plus one per server.
  static let linksPerRack = 72

  /// The GPUs the site is built for (`target_gpus`).
  let targetGPUs: Int
  let rackCount: Int
  let hallCount: Int
  let podCount: Int
  /// Each hall's id as UTF-8 bytes: A ... Z, AA, AB, ...
  let hallIDs: [[UInt8]]

  /// Lays out `ceil(gpus / 64)` racks.
  init(gpus: Int) {
    targetGPUs = gpus
    rackCount = max(1, (gpus + Self.gpusPerRack - 1) / Self.gpusPerRack)
    hallCount = (rackCount + Self.racksPerHall - 1) / Self.racksPerHall
    let lastRack = rackCount - 1
    podCount =
      lastRack / Self.racksPerHall * Self.podsPerHall + lastRack % Self.racksPerHall / Self.racksPerPod + 1
    hallIDs = (0..<hallCount).map { Array(Self.hallName($0).utf8) }
  }

  /// The GPUs in all racks (a multiple of 64, at least `targetGPUs`).
  var installedGPUs: Int { rackCount * Self.gpusPerRack }

  /// The hall id of hall `index`: A ... Z, then AA, AB, ... like spreadsheet columns.
  static func hallName(_ index: Int) -> String {
    var n = index + 1
    var letters: [UInt8] = []
    while n > 0 {
      n -= 1
      letters.append(UInt8(0x41 + n % 26))
      n /= 26
    }
    return String(decoding: letters.reversed(), as: UTF8.self)
  }

  func hall(ofRack rack: Int) -> Int { rack / Self.racksPerHall }
  /// The rack's row in its hall, from 1.
  func row(ofRack rack: Int) -> Int { rack % Self.racksPerHall / Self.racksPerRow + 1 }
  /// The rack's slot in its row, from 1.
  func slot(ofRack rack: Int) -> Int { rack % Self.racksPerRow + 1 }
  /// The rack's pod number.
  func pod(ofRack rack: Int) -> Int {
    rack / Self.racksPerHall * Self.podsPerHall + rack % Self.racksPerHall / Self.racksPerPod
  }

  /// The racks of pod `pod` (fewer than 8 only for the site's last pod).
  func racks(inPod pod: Int) -> Range<Int> {
    let first = pod / Self.podsPerHall * Self.racksPerHall + pod % Self.podsPerHall * Self.racksPerPod
    return min(first, rackCount)..<min(first + Self.racksPerPod, rackCount)
  }

  func racksInHall(_ hall: Int) -> Int {
    min(Self.racksPerHall, max(0, rackCount - hall * Self.racksPerHall))
  }

  func rowsInHall(_ hall: Int) -> Int {
    (racksInHall(hall) + Self.racksPerRow - 1) / Self.racksPerRow
  }

  /// Pods in the order crews fill them: the first pod of every hall, then the second, ...
  func podInstallOrder() -> [Int] {
    var order: [Int] = []
    order.reserveCapacity(podCount)
    for local in 0..<Self.podsPerHall {
      for hall in 0..<hallCount {
        let pod = hall * Self.podsPerHall + local
        if pod < podCount, !racks(inPod: pod).isEmpty { order.append(pod) }
      }
    }
    return order
  }

  /// Writes a rack id such as `"A-R03-K07"`, quoted.
  func writeRackID(_ rack: Int, into w: inout ScenarioLineWriter) {
    w.byte(0x22)
    writeBareRackID(rack, into: &w)
    w.byte(0x22)
  }

  /// Writes a node id such as `"A-R03-K07-N5"` (node slots count from 1), quoted.
  func writeNodeID(rack: Int, slot: Int, into w: inout ScenarioLineWriter) {
    w.byte(0x22)
    writeBareRackID(rack, into: &w)
    w.raw("-N")
    w.int(slot)
    w.byte(0x22)
  }

  /// Writes a pod id such as `"A-P06"`, quoted.
  func writePodID(_ pod: Int, into w: inout ScenarioLineWriter) {
    w.byte(0x22)
    w.raw(hallIDs[pod / Self.podsPerHall])
    w.raw("-P")
    w.padded(pod % Self.podsPerHall + 1, width: 2)
    w.byte(0x22)
  }

  /// Writes a hall id, quoted.
  func writeHallID(_ hall: Int, into w: inout ScenarioLineWriter) {
    w.byte(0x22)
    w.raw(hallIDs[hall])
    w.byte(0x22)
  }

  private func writeBareRackID(_ rack: Int, into w: inout ScenarioLineWriter) {
    w.raw(hallIDs[hall(ofRack: rack)])
    w.raw("-R")
    w.padded(row(ofRack: rack), width: 2)
    w.raw("-K")
    w.padded(slot(ofRack: rack), width: 2)
  }

  /// A rack id as a `String`, for alert texts.
  func rackName(_ rack: Int) -> String {
    var w = ScenarioLineWriter(capacity: 16)
    writeBareRackID(rack, into: &w)
    return String(decoding: w.bytes, as: UTF8.self)
  }

  /// A node id as a `String`, for alert texts.
  func nodeName(rack: Int, slot: Int) -> String {
    rackName(rack) + "-N" + String(slot)
  }

  /// A pod id as a `String`, for alert and gate texts.
  func podName(_ pod: Int) -> String {
    var w = ScenarioLineWriter(capacity: 16)
    writePodID(pod, into: &w)
    return String(decoding: w.bytes.dropFirst().dropLast(), as: UTF8.self)
  }
}
