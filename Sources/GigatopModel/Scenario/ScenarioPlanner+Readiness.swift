/// Readiness gates (power, cooling, fabric, NCCL, HPL) and the fabric's bandwidth tests.
extension ScenarioPlanner {
  /// The full-fabric all-reduce target in Gb/s.
  static let busbwTarget = 380.0

  /// Plans every gate's progress and an NCCL bandwidth reading every six hours from day 64.
  mutating func planReadiness() {
    var rng = ScenarioRandom(seed: seed, .fabric)
    var day = 64.0
    while day <= ScenarioTimeline.canonicalDays {
      let busbw = min(400, max(0, ScenarioCurve.busBandwidth.value(at: day) + rng.uniform(-2, 2)))
      add(.fabric, day: day, a: 2, b: Int(busbw.rounded()))
      day += 0.25
    }
    let gbps = { (d: Double) in String(Int(ScenarioCurve.busBandwidth.value(at: d).rounded())) }

    // Cooling: CDUs and dry coolers commissioned before the racks arrive in numbers.
    gate("cooling-loop", status: "running", day: 52, src: "bms", detail: "commissioning CDUs and dry coolers")
    gate("cooling-loop", status: "passed", day: 79, src: "bms", detail: "flow at 100% of design")

    // Per-pod NCCL: pods pass as they finish burn-in.
    let podCount = layout.podCount
    var podReady = [Double](repeating: 0, count: podCount)
    for pod in 0..<podCount {
      for rack in layout.racks(inPod: pod) { podReady[pod] = max(podReady[pod], rackAccepted[rack]) }
    }
    podReady.sort()
    let allPods = podReady.last ?? 64
    gate("nccl-pod", status: "running", day: 64, src: "fabric", detail: "0 of \(podCount) pods tested")
    var check = 68.0
    while check < allPods {
      var passed = 0
      while passed < podReady.count, podReady[passed] <= check { passed += 1 }
      gate(
        "nccl-pod", status: "running", day: check, src: "fabric",
        detail: "\(passed) of \(podCount) pods at 370+ Gb/s")
      check += 4
    }
    gate(
      "nccl-pod", status: "passed", day: max(allPods, 64) + 0.3, src: "fabric",
      detail: "\(podCount) of \(podCount) pods at 370+ Gb/s")

    // Fabric burn-in: a soak of every link once the last rack is cabled.
    let links = ScenarioLineWriter.grouped(layout.rackCount * ScenarioLayout.linksPerRack)
    gate("fabric-burnin", status: "running", day: 64, src: "fabric", detail: "BER soak on cabled links")
    gate(
      "fabric-burnin", status: "passed", day: max(lastCabled, 64) + 3, src: "fabric",
      detail: "\(links) of \(links) links up, BER below 1e-12")

    // Power for the full job: passes once online capacity covers the full-load draw.
    let needed = ScenarioEmitter.facilityMW(gpusTraining: layout.installedGPUs, scale: scale)
    let mw = { (x: Double) in ScenarioLineWriter.text(x, digits: x >= 10 ? 0 : 1) }
    gate(
      "power-cap", status: "running", day: 90, src: "bms",
      detail: "\(mw(onlineMW(at: 90))) of \(mw(needed)) MW online")
    let passDay = powerSteps.first { $0.day >= 90 && onlineMW(at: $0.day) >= needed }?.day
    if let passDay {
      gate(
        "power-cap", status: "passed", day: passDay + 0.05, src: "bms",
        detail: "\(mw(onlineMW(at: passDay))) of \(mw(needed)) MW online")
    }

    // The full-fabric all-reduce: fails once on slow links, passes on day 118.
    let hall = layout.hallCount >= 3 ? "C" : "A"
    let target = Int(Self.busbwTarget)
    gate(
      "nccl-full", status: "running", day: 110, src: "fabric", detail: "busbw \(gbps(110)) of \(target) Gb/s")
    gate(
      "nccl-full", status: "failed", day: 113.9, src: "fabric",
      detail: "busbw \(gbps(113.9)) of \(target) Gb/s: 3 slow links in hall \(hall)")
    alert(
      .warn, day: 113.9, src: "fabric", ref: "nccl-full",
      "Full-fabric all-reduce failed: busbw \(gbps(113.9)) of \(target) Gb/s (3 slow links in hall \(hall))")
    gate(
      "nccl-full", status: "running", day: 115, src: "fabric",
      detail: "retest after optics swap in hall \(hall)")
    gate(
      "nccl-full", status: "passed", day: 118, src: "fabric", detail: "busbw \(gbps(118)) of \(target) Gb/s")
    alert(
      .info, day: 118, src: "fabric", ref: "nccl-full",
      "Full-fabric all-reduce passed: busbw \(gbps(118)) Gb/s")

    // HPL on the whole machine (FP64 Tensor Core peak ~67 TF per H100).
    let peak = Double(layout.installedGPUs) * 67e12
    let flops = { (x: Double) in
      x >= 1e18
        ? ScenarioLineWriter.text(x / 1e18, digits: 2) + " EF"
        : ScenarioLineWriter.text(x / 1e15, digits: 1) + " PF"
    }
    gate("hpl", status: "running", day: 119, src: "scheduler", detail: "Rpeak \(flops(peak))")
    gate(
      "hpl", status: "passed", day: 121, src: "scheduler",
      detail: "Rmax \(flops(peak * 0.65)) of \(flops(peak)) Rpeak")
  }
}
