// swift-tools-version:6.0
// qsh: a command-line shell for quantum tasks. See DESIGN.md in shared/ and README.md.
import PackageDescription

let package = Package(
    name: "qsh",
    products: [
        .executable(name: "qsh", targets: ["qsh"]),
        .library(name: "QshCore", targets: ["QshCore"]),
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
        // libcurl, opened with dlopen only in client mode (Sources/CCurl/include/ccurl.h).
        .target(name: "CCurl"),
        .target(
            name: "QshCore",
            dependencies: ["CSQLite", "CSIMD"]
        ),
        .executableTarget(
            name: "qsh",
            dependencies: ["QshCore", "CSQLite", "CReadline", "CCurl"]
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
            name: "EndToEndTests",
            dependencies: ["TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
