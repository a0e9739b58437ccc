/// A fault on one node: what broke and how it shows in `node`, `gpu` and `alert` lines.
///
/// Burn-in faults follow common H100 XIDs; faults in training follow the mix Meta
/// reported for Llama 3 (faulty GPU 30%, HBM3 17%, software 13%, network 8%, ...).
struct ScenarioFault {
  /// What broke.
  enum Cause {
    case fellOffBus, doubleBitECC, nvlink, uncontainedECC
    case powerSupply, nicDown, leakSensor, dimm, software, network, hostMaintenance
  }

  let cause: Cause
  /// The GPU involved (0...7), for GPU faults.
  let gpuIndex: Int

  /// The GPU's XID, for GPU faults.
  var xid: Int? {
    switch cause {
    case .fellOffBus: return 79
    case .doubleBitECC: return 48
    case .nvlink: return 74
    case .uncontainedECC: return 95
    default: return nil
    }
  }

  /// The `gpu` state the fault leaves, for GPU faults.
  var gpuState: StaticString? {
    switch cause {
    case .nvlink: return "degraded"
    case .fellOffBus, .doubleBitECC, .uncontainedECC: return "failed"
    default: return nil
    }
  }

  /// Whether the GPU is swapped (a new serial) rather than reset.
  var replacesGPU: Bool {
    switch cause {
    case .fellOffBus, .doubleBitECC, .uncontainedECC: return true
    default: return false
    }
  }

  /// Whether the node leaves service (drained or failed) because of the fault.
  var takesNodeDown: Bool {
    switch cause {
    case .software, .network: return false
    default: return true
    }
  }

  /// The human reason, as in `"XID 79 on GPU 3"`.
  var reason: String {
    switch cause {
    case .fellOffBus: return "XID 79 on GPU \(gpuIndex) (fell off the bus)"
    case .doubleBitECC: return "XID 48 on GPU \(gpuIndex) (double-bit ECC)"
    case .nvlink: return "XID 74 on GPU \(gpuIndex) (NVLink error)"
    case .uncontainedECC: return "XID 95 on GPU \(gpuIndex) (uncontained ECC)"
    case .powerSupply: return "PSU \(gpuIndex % 6 + 1) fault"
    case .nicDown: return "NIC \(gpuIndex) link down"
    case .leakSensor: return "leak sensor tripped on cold plate"
    case .dimm: return "host DIMM uncorrectable ECC"
    case .software: return "NCCL watchdog timeout"
    case .network: return "optic flapping on leaf switch port"
    case .hostMaintenance: return "host maintenance: BMC firmware"
    }
  }

  /// A fault found in a node's first burn-in.
  static func burnIn(_ rng: inout ScenarioRandom) -> ScenarioFault {
    let causes: [(Cause, Double)] = [
      (.fellOffBus, 0.40), (.doubleBitECC, 0.25), (.nvlink, 0.15), (.uncontainedECC, 0.10),
      (.powerSupply, 0.04), (.nicDown, 0.03), (.leakSensor, 0.03),
    ]
    return ScenarioFault(cause: pick(causes, &rng), gpuIndex: rng.int(below: ScenarioLayout.gpusPerNode))
  }

  /// A fault that interrupts training, in the Llama 3 proportions.
  static func interruption(_ rng: inout ScenarioRandom) -> ScenarioFault {
    let causes: [(Cause, Double)] = [
      (.fellOffBus, 34.2), (.doubleBitECC, 17.2), (.software, 12.9), (.network, 10.1),
      (.hostMaintenance, 7.6), (.nvlink, 6.0), (.uncontainedECC, 4.5), (.dimm, 3.5),
      (.powerSupply, 4.0),
    ]
    return ScenarioFault(cause: pick(causes, &rng), gpuIndex: rng.int(below: ScenarioLayout.gpusPerNode))
  }

  private static func pick(_ weighted: [(Cause, Double)], _ rng: inout ScenarioRandom) -> Cause {
    let total = weighted.reduce(0) { $0 + $1.1 }
    var x = rng.unit() * total
    for (cause, weight) in weighted {
      if x < weight { return cause }
      x -= weight
    }
    return weighted[weighted.count - 1].0
  }
}
