import Foundation
import Testing

@testable import Mail

/// A rough throughput check, off by default because debug builds on a
/// shared machine make timings meaningless. Run with
/// `FLOW_MAIL_BENCH=1 swift test -c release --filter ThroughputTests`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["FLOW_MAIL_BENCH"] == "1"))
struct ThroughputTests {
  @Test func typicalMessageRendersQuickly() {
    let paragraph =
      "<p>Hello there, this is a typical marketing paragraph with a "
      + "<a href=\"https://shop.example.com/p/123?utm_source=email\">link</a> and more text.</p>\n"
    var message = Samples.plainASCII
    message.html = String(repeating: paragraph, count: 10)
    message.text = HTMLText.plainText(fromHTML: message.html)
    let count = 20_000
    var bytes = 0
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      for index in 0..<count {
        message.date = Int64(index)
        bytes &+= MIMEWriter.render(message, boundary: "=_b").count
      }
    }
    let perMessage = elapsed / count
    print("MIMEWriter.render: \(perMessage) per \(bytes / count)-byte message")
    #expect(perMessage < .microseconds(20))
  }
}
