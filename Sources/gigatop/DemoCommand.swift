import ArgumentParser
import GigatopModel

#if canImport(Glibc)
import Glibc
#endif

/// `gigatop demo`: writes the built-in scenario as a format-v1 feed to standard output.
struct DemoCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Write the built-in build-out scenario as an NDJSON feed to standard output.")

  @Option(help: "GPUs in the site (64 per rack).")
  var gpus: Int = 102_400

  @Option(help: "Length of the build-out in days.")
  var days: Int = 122

  @Option(help: "Seed for the scenario's random events.")
  var seed: UInt64 = 1

  func validate() throws {
    guard gpus >= 64 else { throw ValidationError("--gpus must be at least 64 (one rack)") }
    guard gpus <= 20_000_000 else { throw ValidationError("--gpus must be at most 20,000,000") }
    guard days >= 10 else { throw ValidationError("--days must be at least 10") }
  }

  func run() throws {
    let generator = ScenarioGenerator(options: ScenarioOptions(gpus: gpus, days: days, seed: seed))
    do {
      try generator.write(toFileDescriptor: STDOUT_FILENO)
    } catch {
      // A closed pipe (`| head`) is a normal end.
      if errno == EPIPE { return }
      throw CleanExit.message("gigatop demo: cannot write the feed: \(error)")
    }
  }
}
