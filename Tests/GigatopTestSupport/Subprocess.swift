import Foundation

/// Runs a program and waits for it, with `posix_spawn` and `waitpid` rather than Foundation's `Process`.
///
/// Two things make `Process` unusable for tmux here. A spawned process
/// inherits the spawning thread's signal mask, and test code runs on dispatch
/// worker threads that block almost every signal: the tmux server (and the app
/// in its pane) would never see SIGCHLD, SIGWINCH or SIGTERM. And `Process`
/// on Linux never notices that a tmux client has exited (the server it forks
/// keeps a descriptor `Process` watches), so `isRunning` stays true and the
/// client stays a zombie. Here every signal starts unblocked and at its default
/// action, output goes to files, and the exit is collected with `waitpid`.
public enum Subprocess {
  /// A program that did not start or did not finish in time.
  public struct Failure: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) { self.description = description }
  }

  /// Runs `path` with `arguments` and `environment`; standard input is /dev/null,
  /// output and errors go to the files given. Returns the exit status, 128+n if killed by signal n.
  ///
  /// - Throws: `Failure` if it cannot start or runs longer than `timeout` seconds (it is then killed).
  public static func run(
    _ path: String, arguments: [String], environment: [String: String],
    standardOutput: String, standardError: String, timeout: Double = 10
  ) throws -> Int32 {
    let pid = try spawn(
      path, arguments: arguments, environment: environment, standardOutput: standardOutput,
      standardError: standardError)
    let deadline = Date().addingTimeInterval(timeout)
    var status: Int32 = 0
    while true {
      let result = waitpid(pid, &status, WNOHANG)
      if result == pid { return decode(status) }
      if result < 0 && errno != EINTR {
        throw Failure(description: "waitpid failed for \(path): errno \(errno)")
      }
      if Date() >= deadline {
        kill(pid, SIGKILL)
        _ = waitpid(pid, &status, 0)
        throw Failure(
          description: "\((path as NSString).lastPathComponent) \(arguments.joined(separator: " ")) "
            + "did not finish within \(Int(timeout)) s")
      }
      usleep(10_000)
    }
  }

  /// Starts a program with every signal unblocked and at its default action.
  public static func spawn(
    _ path: String, arguments: [String], environment: [String: String],
    standardOutput: String, standardError: String
  ) throws -> pid_t {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    sigdelset(&allSignals, SIGKILL)
    sigdelset(&allSignals, SIGSTOP)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

    let argv = ([path] + arguments).map { strdup($0) }
    let envp = environment.map { strdup("\($0.key)=\($0.value)") }
    defer {
      argv.forEach { free($0) }
      envp.forEach { free($0) }
    }
    var pid = pid_t()
    let result = posix_spawn(&pid, path, &actions, &attributes, argv + [nil], envp + [nil])
    guard result == 0 else { throw Failure(description: "cannot start \(path): error \(result)") }
    return pid
  }

  /// An exit status from `waitpid`: the exit code, or 128+n for a death by signal n.
  public static func decode(_ status: Int32) -> Int32 {
    let signal = status & 0x7F
    return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
  }
}
