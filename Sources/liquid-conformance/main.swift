// Runs Golden Liquid-style conformance cases (a JSON file of templates, data and expected
// output) against the Templates engine and prints "N passed, M failed" last.
import Foundation
import Templates

/// Any JSON value, decoded into the engine's value type. Booleans are tried before numbers
/// because JSONDecoder never reads `1` as a Bool, and integers before doubles.
struct JSONValue: Decodable {
  var value: TemplateValue
  init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      value = .null
    } else if let b = try? container.decode(Bool.self) {
      value = .bool(b)
    } else if let i = try? container.decode(Int.self) {
      value = .int(i)
    } else if let d = try? container.decode(Double.self) {
      value = .double(d)
    } else if let s = try? container.decode(String.self) {
      value = .string(s)
    } else if let a = try? container.decode([JSONValue].self) {
      value = .array(a.map(\.value))
    } else {
      value = .object(try container.decode([String: JSONValue].self).mapValues(\.value))
    }
  }
}

/// One Golden Liquid case; see the README beside the JSON file.
struct Case: Decodable {
  var name: String
  var template: String
  var data: JSONValue?
  var templates: [String: String]?
  var result: String?
  var results: [String]?
  var invalid: Bool?
  var tags: [String]?
}

struct Suite: Decodable { var tests: [Case] }

let arguments = CommandLine.arguments.dropFirst()
if arguments.contains("--bench") {
  try runBenchmark()
  exit(0)
}
let verbose = arguments.contains("-v")
guard let path = arguments.first(where: { $0 != "-v" }) else {
  FileHandle.standardError.write(Data("usage: liquid-conformance [-v] cases.json\n".utf8))
  exit(2)
}
guard let data = FileManager.default.contents(atPath: path),
  let cases = try? JSONDecoder().decode(Suite.self, from: data).tests
else {
  FileHandle.standardError.write(Data("cannot read test cases from \(path)\n".utf8))
  exit(2)
}

var passed = 0
var failed = 0
for testCase in cases {
  let name = testCase.name
  let source = testCase.template
  let tags = testCase.tags ?? []
  var context: [String: TemplateValue] = [:]
  if case .object(let o) = testCase.data?.value { context = o }
  var options = RenderOptions(strictVariables: tags.contains("strict"))
  if let partials = testCase.templates {
    options.partials = DictionaryTemplateLoader(partials)
  }
  let expected = testCase.results ?? testCase.result.map { [$0] } ?? []
  let invalid = testCase.invalid ?? false

  let outcome: Result<String, TemplateError>
  do {
    let template = try Template(source: source, name: name)
    outcome = .success(try template.render(context, options: options))
  } catch {
    outcome = .failure(error)
  }
  let ok: Bool
  switch outcome {
  case .success(let output): ok = !invalid && expected.contains(output)
  case .failure: ok = invalid
  }
  if ok {
    passed += 1
  } else {
    failed += 1
    if verbose {
      let got: String
      switch outcome {
      case .success(let output): got = "output \(output.debugDescription)"
      case .failure(let error): got = "error \(error.message)"
      }
      let want = invalid ? "an error" : expected.map(\.debugDescription).joined(separator: " or ")
      print("FAIL \(name)\n  template: \(source.debugDescription)\n  want: \(want)\n  got:  \(got)")
    }
  }
}
print("\(passed) passed, \(failed) failed")
