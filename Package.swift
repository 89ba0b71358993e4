// swift-tools-version: 6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "sqslite",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "sqslite", targets: ["sqslite"]),
        .executable(name: "sqslite-bench-host", targets: ["sqslite-bench-host"]),
        .library(name: "SQSServer", targets: ["SQSServer"]),
        .library(name: "SQSHTTP", targets: ["SQSHTTP"]),
        .library(name: "SQSLambda", targets: ["SQSLambda"]),
        .library(name: "SQSEngine", targets: ["SQSEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(name: "CMalloc"),
        // A VFS that writes each transaction's WAL frames in one write (see WALBufferVFS.c).
        .target(name: "CSQLiteWALBuffer"),
        .target(
            name: "SQSEngine",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SQSAuth",
            dependencies: [
                "SQSEngine",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SQSStore",
            dependencies: [
                "CSQLite",
                "CSQLiteWALBuffer",
                "SQSEngine",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SQSLogs",
            dependencies: [
                "SQSStore",
                "SQSEngine",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SQSProtocol",
            dependencies: [
                "SQSEngine",
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "SNSFilterPolicy", swiftSettings: swiftSettings),
        .target(
            name: "SQSMail",
            dependencies: [
                "SQSStore",
                "SQSEngine",
                "SQSProtocol",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SQSNotify",
            dependencies: [
                "SNSFilterPolicy",
                "SQSMail",
                "SQSStore",
                "SQSEngine",
                "SQSProtocol",
                "SQSLambda",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SQSHTTP",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SQSLambda",
            dependencies: [
                "SQSEngine",
                "SQSHTTP",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SQSServer",
            dependencies: [
                "CMalloc",
                "SQSAuth",
                "SQSHTTP",
                "SQSLambda",
                "SQSEngine",
                "SQSStore",
                "SQSProtocol",
                "SQSLogs",
                "SQSMail",
                "SQSNotify",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The benchmark's in-process function host (scripts/bench.py); not installed.
        .executableTarget(
            name: "sqslite-bench-host",
            dependencies: ["SQSServer", "SQSLambda", .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sqslite",
            dependencies: [
                "SQSServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SQSEngineTests", dependencies: ["SQSEngine"], swiftSettings: swiftSettings),
        .testTarget(name: "SQSStoreTests", dependencies: ["SQSStore", "SQSEngine"], swiftSettings: swiftSettings),
        .testTarget(name: "SQSAuthTests", dependencies: ["SQSAuth"], swiftSettings: swiftSettings),
        .testTarget(name: "SQSLogsTests", dependencies: ["SQSLogs", "SQSEngine", "SQSStore"], swiftSettings: swiftSettings),
        .testTarget(name: "SNSFilterPolicyTests", dependencies: ["SNSFilterPolicy"], swiftSettings: swiftSettings),
        .testTarget(name: "SQSMailTests", dependencies: ["SQSMail", "SQSEngine"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SQSNotifyTests",
            dependencies: [
                "SQSNotify", "SQSMail", "SQSEngine", "SQSLambda", "SQSProtocol",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "SQSProtocolTests", dependencies: ["SQSProtocol", "SQSEngine"], swiftSettings: swiftSettings),
        .testTarget(
            name: "SQSLambdaTests",
            dependencies: [
                "SQSLambda", "SQSEngine", "SQSHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SQSServerTests",
            dependencies: [
                "SQSServer", "SQSEngine", "SQSHTTP", "SQSLambda", "SQSLogs", "SQSAuth",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
