// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "flowc",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "flowc", targets: ["flowc"]),
    .executable(name: "liquid-conformance", targets: ["liquid-conformance"]),
  ],
  targets: [
    // C libraries from Debian's -dev packages.
    .systemLibrary(
      name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
    .systemLibrary(
      name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    // libcurl's variadic setters behind fixed-argument C functions.
    .target(name: "CCurlShim", linkerSettings: [.linkedLibrary("curl")]),
    .systemLibrary(
      name: "CMicroHTTPD", pkgConfig: "libmicrohttpd", providers: [.apt(["libmicrohttpd-dev"])]),
    // libmicrohttpd's variadic start call and per-request bookkeeping, in C.
    .target(name: "CHTTPServerShim", dependencies: ["CMicroHTTPD"]),

    // Compiler front end: syntax -> check -> IR.
    .target(name: "FlowDiagnostics"),
    .target(name: "FlowSyntax", dependencies: ["FlowDiagnostics"]),
    .target(name: "FlowIR"),
    .target(
      name: "FlowCheck", dependencies: ["FlowSyntax", "FlowIR", "FlowDiagnostics", "Templates"]),

    // Leaves below the runtime.
    .target(name: "Templates"),
    .target(name: "Mail"),
    .target(name: "MemberStore", dependencies: ["CSQLite"]),
    // Getting mail out of the process: DKIM signing and the SMTP transport.
    .target(name: "MailDelivery", dependencies: ["Mail", "COpenSSL", "CCurlShim"]),

    // HMAC-SHA256 signatures and their constant-time check (link tokens, webhooks).
    .target(name: "HMACSigning", dependencies: ["COpenSSL"]),
    // HTTP request and response values shared by the server and the intake handlers.
    .target(name: "HTTPTypes"),
    // The HTTP server (`flowc run --listen`) on libmicrohttpd.
    .target(name: "HTTPServer", dependencies: ["HTTPTypes", "CHTTPServerShim", "CMicroHTTPD"]),

    // One member per person: identity keys, merging, consent precedence.
    .target(name: "Identity", dependencies: ["FlowIR", "MemberStore"]),
    // Store exports and webhook bodies read into members and orders (`flowc import`).
    .target(name: "Imports", dependencies: ["Identity", "FlowIR", "MemberStore"]),
    // HTTP intake: tracked events, identify, and signed store webhooks into the member store.
    .target(
      name: "Intake",
      dependencies: [
        "HTTPTypes", "Identity", "Imports", "MemberStore", "FlowIR", "HMACSigning", "LinkTokens",
        "Templates",
      ]),

    // Interpreter and composition root.
    // Signed member-facing link tokens (unsubscribe, click, open, confirm).
    .target(name: "LinkTokens", dependencies: ["HMACSigning", "Templates"]),
    .target(
      name: "FlowRuntime",
      dependencies: ["FlowIR", "MemberStore", "Templates", "Mail", "LinkTokens"]),
    .target(
      name: "FlowHost",
      dependencies: [
        "FlowCheck", "FlowRuntime", "MemberStore", "Templates", "Mail", "MailDelivery",
        "FlowDiagnostics", "COpenSSL", "HMACSigning", "Identity", "HTTPTypes", "LinkTokens",
        "Intake",
      ]),
    // `flowc test`: scenario files run against the real interpreter.
    .target(
      name: "FlowTesting",
      dependencies: ["FlowHost", "FlowRuntime", "MemberStore", "FlowIR", "FlowDiagnostics"]),
    .executableTarget(
      name: "flowc",
      dependencies: [
        "FlowHost", "FlowSyntax", "FlowRuntime", "FlowIR", "MemberStore", "FlowDiagnostics",
        "FlowTesting", "Mail", "MailDelivery", "Imports", "Identity", "HTTPServer", "HTTPTypes",
        "Intake", "LinkTokens",
      ]),
    // Runs Golden Liquid conformance cases against Templates (scripts/liquid-conformance).
    .executableTarget(name: "liquid-conformance", dependencies: ["Templates"]),
    // Benchmarks/liquid-render: the reference template rendered (and built as MIME) N times.
    .executableTarget(
      name: "render-bench", dependencies: ["Templates", "Mail"], path: "Benchmarks/RenderBench"),
    // Benchmarks/members-scale: one member re-evaluated after an order, on a big store.
    .executableTarget(
      name: "member-bench", dependencies: ["FlowHost", "FlowRuntime", "MemberStore"],
      path: "Benchmarks/MemberBench"),

    .testTarget(name: "FlowSyntaxTests", dependencies: ["FlowSyntax"], exclude: ["Fixtures"]),
    .testTarget(
      name: "FlowCheckTests", dependencies: ["FlowCheck", "FlowSyntax", "Templates"],
      exclude: ["Fixtures"]),
    .testTarget(name: "TemplatesTests", dependencies: ["Templates"]),
    .testTarget(name: "MailTests", dependencies: ["Mail"], exclude: ["Fixtures"]),
    .testTarget(name: "MemberStoreTests", dependencies: ["MemberStore"]),
    .testTarget(
      name: "MailDeliveryTests", dependencies: ["MailDelivery", "Mail", "FlowHost", "MemberStore"],
      exclude: ["Support"]),
    .testTarget(
      name: "FlowRuntimeTests",
      dependencies: [
        "FlowRuntime", "FlowHost", "FlowCheck", "FlowIR", "FlowDiagnostics", "MemberStore",
        "Templates", "LinkTokens", "Intake", "Mail",
      ]),
    .testTarget(
      name: "FlowcTests", dependencies: ["FlowHost", "MemberStore"], exclude: ["Fixtures"]),
    .testTarget(name: "IdentityTests", dependencies: ["Identity", "MemberStore", "FlowIR"]),
    .testTarget(
      name: "FlowTestingTests", dependencies: ["FlowTesting", "FlowDiagnostics", "FlowIR"]),
    .testTarget(name: "ImportsTests", dependencies: ["Imports", "Identity", "FlowIR"]),
    .testTarget(
      name: "IntakeTests",
      dependencies: [
        "Intake", "HMACSigning", "HTTPTypes", "HTTPServer", "MemberStore", "FlowIR", "CSQLite",
        "LinkTokens",
      ]),
    .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "HTTPTypes"]),
  ]
)
