/// Turns one feed line into an `Envelope`, or says why the line is rejected.
public enum MessageDecoder {
  /// Decodes one line (without its newline).
  public static func decode(line: UnsafeRawBufferPointer) -> Result<Envelope, LineError> {
    // The common flat lines straight from their bytes; everything else (and every error) below.
    if let envelope = FlatDecoder.decode(line) { return .success(envelope) }
    return decodeTree(line: line)
  }

  /// Decodes one line through a `JSONValue` tree: the full decoder, which says why a line is rejected.
  static func decodeTree(line: UnsafeRawBufferPointer) -> Result<Envelope, LineError> {
    let value: JSONValue
    do throws(JSONParser.Failure) {
      value = try JSONParser.parse(line)
    } catch {
      return .failure(LineError(reason: "invalid JSON: \(error.description)"))
    }
    return decode(value: value)
  }

  /// Decodes one line given as a string.
  public static func decode(line: String) -> Result<Envelope, LineError> {
    var copy = line
    return copy.withUTF8 { decode(line: UnsafeRawBufferPointer($0)) }
  }

  /// Decodes an already parsed JSON value (a member of a status document's array, say).
  public static func decode(value: JSONValue) -> Result<Envelope, LineError> {
    guard case .object(let object) = value else {
      return .failure(LineError(reason: "a message must be a JSON object, got \(value.typeName)"))
    }
    do throws(ReasonError) {
      return .success(try envelope(object))
    } catch {
      return .failure(LineError(reason: error.reason))
    }
  }

  static func envelope(_ object: JSONObject) throws(ReasonError) -> Envelope {
    var reader = FieldReader(object)
    let type = try reader.requiredString("type")
    guard let tsValue = try reader.time("ts") else { throw ReasonError("missing field ts") }
    guard let ts = tsValue else { throw ReasonError("field ts must not be null") }
    // A later version only adds fields and types: its lines are read with what v1 knows.
    _ = try reader.count("v", minimum: 1)
    let src = try reader.string("src") ?? nil
    let seq = try reader.count("seq") ?? nil
    var nestedUnknown = 0
    let message: FeedMessage
    switch type {
    case "site": message = .site(try site(&reader, nestedUnknown: &nestedUnknown))
    case "rack": message = .rack(try rack(&reader))
    case "node": message = .node(try node(&reader))
    case "gpu": message = .gpu(try gpu(&reader))
    case "shipment": message = .shipment(try shipment(&reader))
    case "supply": message = .supply(try supply(&reader))
    case "power": message = .power(try power(&reader))
    case "power_source": message = .powerSource(try powerSource(&reader))
    case "fabric": message = .fabric(try fabric(&reader))
    case "gate": message = .gate(try gate(&reader))
    case "job": message = .job(try job(&reader))
    case "alert": message = .alert(try alert(&reader))
    case "snapshot": message = .snapshot(try snapshot(&reader, nestedUnknown: &nestedUnknown))
    default:
      return Envelope(ts: ts, src: src, seq: seq, message: .unknown(type: type), unknownFields: 0)
    }
    return Envelope(
      ts: ts, src: src, seq: seq, message: message, unknownFields: reader.unknownCount + nestedUnknown)
  }

  static func site(_ r: inout FieldReader, nestedUnknown: inout Int) throws(ReasonError) -> SiteMessage {
    var m = SiteMessage()
    m.id = try r.string("id")
    m.name = try r.string("name")
    m.targetGPUs = try r.count("target_gpus")
    m.deadline = try r.time("deadline")
    m.gpuModel = try r.string("gpu_model")
    m.gpusPerNode = try r.count("gpus_per_node", minimum: 1, maximum: 1024)
    m.nodesPerRack = try r.count("nodes_per_rack", minimum: 1, maximum: 1024)
    if let halls = try r.array("halls") {
      guard let list = halls else {
        m.halls = .some(nil)
        return try siteJob(&r, m, nestedUnknown: &nestedUnknown)
      }
      var plans: [HallPlan] = []
      for (i, item) in list.enumerated() {
        guard case .object(let o) = item else {
          throw ReasonError("field \(r.path)halls[\(i)]: expected an object, got \(item.typeName)")
        }
        var h = FieldReader(o, path: "\(r.path)halls[\(i)].")
        let plan = HallPlan(
          id: try h.requiredString("id"), name: try h.string("name") ?? nil,
          rows: try h.count("rows", maximum: 100_000) ?? nil,
          racksPerRow: try h.count("racks_per_row", maximum: 100_000) ?? nil)
        nestedUnknown += h.unknownCount
        plans.append(plan)
      }
      m.halls = .some(plans)
    }
    return try siteJob(&r, m, nestedUnknown: &nestedUnknown)
  }

  private static func siteJob(
    _ r: inout FieldReader, _ site: SiteMessage, nestedUnknown: inout Int
  )
    throws(ReasonError) -> SiteMessage
  {
    var m = site
    if let job = try r.object("job") {
      if let o = job {
        var j = FieldReader(o, path: "\(r.path)job.")
        m.job = .some(JobPlan(id: try j.string("id") ?? nil, gpus: try j.count("gpus") ?? nil))
        nestedUnknown += j.unknownCount
      } else {
        m.job = .some(nil)
      }
    }
    return m
  }

  static func rack(_ r: inout FieldReader) throws(ReasonError) -> RackMessage {
    let m = RackMessage(
      id: try r.requiredString("id"), hall: try r.string("hall"), row: try r.count("row"),
      slot: try r.count("slot"), pod: try r.string("pod"), stage: try r.choice("stage", Stage.self),
      kw: try r.number("kw", minimum: 0), inletC: try r.number("inlet_c", minimum: -273.15, maximum: 10_000),
      linksUp: try r.count("links_up"), linksTotal: try r.count("links_total"), note: try r.string("note"))
    if let up = m.linksUp ?? nil, let total = m.linksTotal ?? nil, up > total {
      throw ReasonError("field \(r.path)links_up: \(up) is above links_total \(total)")
    }
    return m
  }

  static func node(_ r: inout FieldReader) throws(ReasonError) -> NodeMessage {
    let m = NodeMessage(
      id: try r.requiredString("id"), rack: try r.string("rack"),
      slot: try r.count("slot", minimum: 1, maximum: 1024),
      u: try r.count("u"), stage: try r.choice("stage", Stage.self), kw: try r.number("kw", minimum: 0),
      gpus: try r.count("gpus", maximum: 1024), gpusOK: try r.count("gpus_ok", maximum: 1024),
      reason: try r.string("reason"))
    if let ok = m.gpusOK ?? nil, let gpus = m.gpus ?? nil, ok > gpus {
      throw ReasonError("field \(r.path)gpus_ok: \(ok) is above gpus \(gpus)")
    }
    return m
  }

  static func gpu(_ r: inout FieldReader) throws(ReasonError) -> GPUMessage {
    GPUMessage(
      node: try r.requiredString("node"), index: try r.requiredCount("index", maximum: 1023),
      state: try r.choice("state", GPUState.self),
      tempC: try r.number("temp_c", minimum: -273.15, maximum: 10_000),
      powerW: try r.number("power_w", minimum: 0), xid: try r.count("xid"), serial: try r.string("serial"))
  }

  static func shipment(_ r: inout FieldReader) throws(ReasonError) -> ShipmentMessage {
    ShipmentMessage(
      id: try r.requiredString("id"), po: try r.string("po"), vendor: try r.string("vendor"),
      sku: try r.string("sku"), gpus: try r.count("gpus"),
      status: try r.choice("status", ShipmentStatus.self),
      eta: try r.time("eta"))
  }

  static func supply(_ r: inout FieldReader) throws(ReasonError) -> SupplyMessage {
    SupplyMessage(
      sku: try r.string("sku").flatMap { $0 } ?? "", needed: try r.count("needed"),
      leadTimeDays: try r.number("lead_time_days", minimum: 0, maximum: 36_500))
  }

  static func power(_ r: inout FieldReader) throws(ReasonError) -> PowerMessage {
    var m = PowerMessage(
      facilityMW: try r.number("facility_mw", minimum: 0), itMW: try r.number("it_mw", minimum: 0))
    if let halls = try r.object("halls") {
      if let o = halls {
        var pairs: [(String, Double)] = []
        for (key, value) in zip(o.keys, o.values) {
          guard case .number(let mw) = value else {
            throw ReasonError("field \(r.path)halls.\(key): expected a number, got \(value.typeName)")
          }
          guard mw >= 0 else { throw ReasonError("field \(r.path)halls.\(key): \(mw) is below 0") }
          pairs.append((key, mw))
        }
        m.halls = .some(HallDraws(pairs))
      } else {
        m.halls = .some(nil)
      }
    }
    return m
  }

  static func powerSource(_ r: inout FieldReader) throws(ReasonError) -> PowerSourceMessage {
    PowerSourceMessage(
      id: try r.requiredString("id"), kind: try r.choice("kind", PowerKind.self),
      capMW: try r.number("cap_mw", minimum: 0), status: try r.choice("status", PowerStatus.self),
      eta: try r.time("eta"), mwh: try r.number("mwh", minimum: 0))
  }

  static func fabric(_ r: inout FieldReader) throws(ReasonError) -> FabricMessage {
    let m = FabricMessage(
      linksTotal: try r.count("links_total"), linksUp: try r.count("links_up"),
      busbwGbps: try r.number("busbw_gbps", minimum: 0))
    if let up = m.linksUp ?? nil, let total = m.linksTotal ?? nil, up > total {
      throw ReasonError("field \(r.path)links_up: \(up) is above links_total \(total)")
    }
    return m
  }

  static func gate(_ r: inout FieldReader) throws(ReasonError) -> GateMessage {
    GateMessage(
      id: try r.requiredString("id"), name: try r.string("name"),
      status: try r.choice("status", GateStatus.self), detail: try r.string("detail"))
  }

  static func job(_ r: inout FieldReader) throws(ReasonError) -> JobMessage {
    JobMessage(id: try r.string("id"), state: try r.choice("state", JobState.self), gpus: try r.count("gpus"))
  }

  static func alert(_ r: inout FieldReader) throws(ReasonError) -> AlertMessage {
    guard let severity = try r.choice("severity", Severity.self) ?? nil else {
      throw ReasonError("missing field \(r.path)severity")
    }
    let ref = try r.string("ref") ?? nil
    guard let msg = try r.string("msg") ?? nil else { throw ReasonError("missing field \(r.path)msg") }
    return AlertMessage(severity: severity, ref: ref, msg: msg)
  }

  static func snapshot(
    _ r: inout FieldReader, nestedUnknown: inout Int
  ) throws(ReasonError) -> SnapshotMessage {
    var m = SnapshotMessage()
    func members(_ key: String, _ r: inout FieldReader) throws(ReasonError) -> [(FieldReader)] {
      guard let list = try r.array(key), let items = list else { return [] }
      var readers: [FieldReader] = []
      for (i, item) in items.enumerated() {
        guard case .object(let o) = item else {
          throw ReasonError("field \(key)[\(i)]: expected an object, got \(item.typeName)")
        }
        readers.append(FieldReader(o, path: "\(key)[\(i)]."))
      }
      return readers
    }
    func single(_ key: String, _ r: inout FieldReader) throws(ReasonError) -> FieldReader? {
      guard let value = try r.object(key), let o = value else { return nil }
      return FieldReader(o, path: "\(key).")
    }
    if var s = try single("site", &r) {
      m.site = try site(&s, nestedUnknown: &nestedUnknown)
      nestedUnknown += s.unknownCount
    }
    for var x in try members("racks", &r) {
      m.racks.append(try rack(&x))
      nestedUnknown += x.unknownCount
    }
    for var x in try members("nodes", &r) {
      m.nodes.append(try node(&x))
      nestedUnknown += x.unknownCount
    }
    for var x in try members("gpus", &r) {
      m.gpus.append(try gpu(&x))
      nestedUnknown += x.unknownCount
    }
    for var x in try members("shipments", &r) {
      m.shipments.append(try shipment(&x))
      nestedUnknown += x.unknownCount
    }
    for var x in try members("supply", &r) {
      m.supply.append(try supply(&x))
      nestedUnknown += x.unknownCount
    }
    if var x = try single("power", &r) {
      m.power = try power(&x)
      nestedUnknown += x.unknownCount
    }
    for var x in try members("power_sources", &r) {
      m.powerSources.append(try powerSource(&x))
      nestedUnknown += x.unknownCount
    }
    if var x = try single("fabric", &r) {
      m.fabric = try fabric(&x)
      nestedUnknown += x.unknownCount
    }
    for var x in try members("gates", &r) {
      m.gates.append(try gate(&x))
      nestedUnknown += x.unknownCount
    }
    if var x = try single("job", &r) {
      m.job = try job(&x)
      nestedUnknown += x.unknownCount
    }
    return m
  }
}

/// Why a line was rejected. The feed name and line number are added by the reader.
public struct LineError: Error, Equatable, Sendable {
  public var reason: String
  public init(reason: String) { self.reason = reason }
}
