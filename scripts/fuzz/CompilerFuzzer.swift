// libFuzzer entry point for the compiler front end (built by scripts/fuzz-compiler).
// Each input is one .flow file; parsing, checking and rendering the diagnostics
// must never crash or hang, whatever the bytes.
import FlowCheck
import FlowDiagnostics

private let templates: Set<String> = [
  "welcome", "welcome-offer", "birthday", "vip", "second-order",
  "winback", "winback-loyal", "winback-reminder",
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let file = SourceFile(path: "fuzz.flow", bytes: bytes)
  let result = compileProgram(files: [file], templates: templates)
  // Spans must stay renderable: the text renderer indexes the source with them.
  _ = TextRenderer().render(result.diagnostics, files: [file])
  return 0
}
