import CCurlShim

/// libcurl's process-wide setup, done once before the first handle (it is not thread-safe).
private let curlGlobalSetup: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

/// One libcurl easy handle: libcurl keeps its SMTP connection open between
/// messages and reconnects by itself when the server closed it.
///
/// Not thread-safe: one worker thread uses it at a time.
final class SMTPConnection: @unchecked Sendable {
  private let handle: UnsafeMutableRawPointer
  /// libcurl writes its last error text here (CURLOPT_ERRORBUFFER).
  private let errorText: UnsafeMutablePointer<CChar>

  init(_ settings: SMTPSettings) throws {
    _ = curlGlobalSetup
    guard let handle = curl_easy_init() else { throw DeliveryError("libcurl: out of memory") }
    self.handle = handle
    errorText = .allocate(capacity: Int(CURL_ERROR_SIZE))
    errorText.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    let tls: curl_usessl =
      switch settings.startTLS {
      case .required: CURLUSESSL_ALL
      case .opportunistic: CURLUSESSL_TRY
      case .off: CURLUSESSL_NONE
      }
    var failure = CURLE_OK
    func check(_ code: CURLcode) { if failure == CURLE_OK { failure = code } }
    check(flowc_curl_set_string(handle, CURLOPT_URL, settings.url))
    check(flowc_curl_set_long(handle, CURLOPT_UPLOAD, 1))
    // Worker threads must not get SIGALRM-based DNS timeouts.
    check(flowc_curl_set_long(handle, CURLOPT_NOSIGNAL, 1))
    check(flowc_curl_set_long(handle, CURLOPT_USE_SSL, Int(tls.rawValue)))
    check(flowc_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, min(settings.timeout, 30)))
    check(flowc_curl_set_long(handle, CURLOPT_TIMEOUT, settings.timeout))
    check(flowc_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorText))
    check(flowc_curl_set_read_function(handle, readUpload))
    if let username = settings.username {
      check(flowc_curl_set_string(handle, CURLOPT_USERNAME, username))
    }
    if let password = settings.password {
      check(flowc_curl_set_string(handle, CURLOPT_PASSWORD, password))
    }
    if let caFile = settings.caFile { check(flowc_curl_set_string(handle, CURLOPT_CAINFO, caFile)) }
    if failure != CURLE_OK {
      let reason = String(cString: curl_easy_strerror(failure))
      curl_easy_cleanup(handle)
      errorText.deallocate()
      throw DeliveryError("cannot use SMTP URL '\(settings.url)': \(reason)")
    }
  }

  deinit {
    curl_easy_cleanup(handle)
    errorText.deallocate()
  }

  /// One SMTP transaction: MAIL FROM, RCPT TO, DATA.
  func send(_ envelope: Envelope) -> DeliveryOutcome {
    let upload = Upload(envelope.message)
    let recipients = curl_slist_append(nil, "<\(envelope.recipient)>")
    defer {
      flowc_curl_set_pointer(handle, CURLOPT_MAIL_RCPT, nil)
      curl_slist_free_all(recipients)
    }
    errorText[0] = 0
    flowc_curl_set_string(handle, CURLOPT_MAIL_FROM, "<\(envelope.sender)>")
    flowc_curl_set_pointer(handle, CURLOPT_MAIL_RCPT, recipients)
    flowc_curl_set_size(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(envelope.message.count))
    let result = withExtendedLifetime(upload) {
      flowc_curl_set_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(upload).toOpaque())
      return curl_easy_perform(handle)
    }
    if result == CURLE_OK { return .delivered }
    let reply = flowc_curl_response_code(handle)
    var reason = String(cString: errorText)
    guard (500..<600).contains(reply), result != CURLE_LOGIN_DENIED else {
      return .deferred(
        reason: reason.isEmpty ? String(cString: curl_easy_strerror(result)) : reason)
    }
    // libcurl has no text of its own for a refusal of the message's content.
    if reason.isEmpty { reason = "message refused: \(reply)" }
    // libcurl names the refused command ("RCPT failed: 550"). A refused
    // sender (MAIL) is our setup's fault, so the message waits for a fix.
    if reason.hasPrefix("RCPT") { return .bounced(reason: reason) }
    if reason.hasPrefix("MAIL") { return .deferred(reason: reason) }
    return .failed(reason: reason)
  }
}

/// The bytes of the message being uploaded and how far libcurl has read.
private final class Upload {
  let bytes: [UInt8]
  var offset = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }
}

/// CURLOPT_READFUNCTION: copies the next piece of the `Upload` passed as userdata.
private func readUpload(
  _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
  _ userdata: UnsafeMutableRawPointer?
) -> Int {
  guard let buffer, let userdata else { return 0 }
  let upload = Unmanaged<Upload>.fromOpaque(userdata).takeUnretainedValue()
  let length = min(size * count, upload.bytes.count - upload.offset)
  upload.bytes.withUnsafeBytes { bytes in
    UnsafeMutableRawPointer(buffer).copyMemory(
      from: bytes.baseAddress! + upload.offset, byteCount: length)
  }
  upload.offset += length
  return length
}
