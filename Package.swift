// swift-tools-version:6.1
// qsh: a command-line shell for quantum tasks. See DESIGN.md in shared/ and README.md.
import PackageDescription

let package = Package(
    name: "qsh",
    products: [
        .executable(name: "qsh", targets: ["qsh"]),
        .executable(name: "qsh-server", targets: ["qsh-server"]),
        .library(name: "QshCore", targets: ["QshCore"]),
    ],
    dependencies: [
        // The HTTP server of `qsh serve`, linked only into qsh-server (never into qsh).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0", traits: []),
        // Already Hummingbird's own dependencies: named for the modules the server uses directly.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.14.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CReadline",
            pkgConfig: "readline",
            providers: [.apt(["libreadline-dev"])]
        ),
        // Header only: whole-vector fused multiply-add for the simulator's kernels.
        .systemLibrary(name: "CSIMD"),
        // libpq, opened with dlopen only for a PostgreSQL database (Sources/CPostgres/include/cpq.h).
        .target(name: "CPostgres"),
        // libcurl, opened with dlopen only in client mode (Sources/CCurl/include/ccurl.h).
        .target(name: "CCurl"),
        .target(
            name: "QshCore",
            dependencies: ["CSQLite", "CSIMD", "CPostgres"]
        ),
        .executableTarget(
            name: "qsh",
            dependencies: ["QshCore", "CSQLite", "CReadline", "CCurl"]
        ),
        // The HTTP API (`qsh serve`): routes, auth, SSE, metrics; no CLI code.
        .target(
            name: "QshServer",
            dependencies: [
                "QshCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("openapi.json")]
        ),
        // The server's executable, which `qsh serve` runs: flags, signals, the terminal.
        .executableTarget(
            name: "qsh-server",
            dependencies: ["QshServer", "QshCore"]
        ),
        .target(
            name: "TestSupport",
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "QshCoreTests",
            dependencies: ["QshCore", "TestSupport"]
        ),
        .testTarget(
            name: "qshTests",
            dependencies: ["qsh", "QshCore", "TestSupport"]
        ),
        .testTarget(
            name: "QshServerTests",
            dependencies: [
                "QshServer", "QshCore", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// `make test` runs the simulator's suites a second time at 256 bits (QSH_SIMULATOR_ONLY=1, its
// own scratch folder): that pass needs no server, so Hummingbird, NIO and BoringSSL are left
// out rather than built twice.
if Context.environment["QSH_SIMULATOR_ONLY"] != nil {
    let server: Set<String> = ["QshServer", "qsh-server", "QshServerTests"]
    package.targets.removeAll { server.contains($0.name) }
    package.products.removeAll { $0.name == "qsh-server" }
    package.dependencies.removeAll()
}
