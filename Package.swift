// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "gigatop",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "gigatop", targets: ["gigatop"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
  ],
  targets: [
    // C interop: ncursesw plus a few one-line getters Swift cannot import.
    .systemLibrary(
      name: "CNcursesw",
      pkgConfig: "ncursesw",
      providers: [.apt(["libncurses-dev"])]
    ),
    // Feeds, state, accounting, forecasts, the built-in scenario. No terminal code.
    .target(name: "GigatopModel"),
    // HTTP(S) feeds: a background HTTP client that hands bytes to the run loop through a pipe.
    .target(
      name: "GigatopNet",
      dependencies: [
        "GigatopModel",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ]
    ),
    // Layout, widgets, panels, key actions; renders into an in-memory cell grid.
    .target(name: "GigatopView", dependencies: ["GigatopModel"]),
    // The only Swift code that touches ncurses.
    .target(name: "GigatopTerminal", dependencies: ["CNcursesw", "GigatopView"]),
    .executableTarget(
      name: "gigatop",
      dependencies: [
        "GigatopModel", "GigatopView", "GigatopTerminal", "GigatopNet",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    // Helpers the test targets share (starting programs without Foundation's `Process`).
    .target(name: "GigatopTestSupport", path: "Tests/GigatopTestSupport"),
    .testTarget(name: "GigatopModelTests", dependencies: ["GigatopModel"]),
    .testTarget(name: "GigatopNetTests", dependencies: ["GigatopNet", "GigatopModel", "GigatopTestSupport"]),
    .testTarget(
      name: "GigatopViewTests", dependencies: ["GigatopView", "GigatopModel"],
      exclude: ["__Snapshots__"]),
    .testTarget(
      name: "GigatopTerminalTests", dependencies: ["GigatopTerminal", "GigatopView", "GigatopModel"]),
    .testTarget(
      name: "GigatopEndToEndTests", dependencies: ["gigatop", "GigatopTestSupport"]),
  ],
  swiftLanguageModes: [.v6]
)
