import Foundation
import HTTPTypes
import Identity
import LinkTokens
import MemberStore

/// What a signup did: the member, and whether its address was confirmed already.
struct SignupOutcome {
  var memberID: Int64
  var alreadyConfirmed: Bool
  var locale: String?
}

/// A bot's signup, undone once its answer is known.
private struct DiscardedSignup: Error {}

extension IntakeRouter {
  /// `POST /v1/subscribe` (and its CORS preflight) and `GET /v1/confirm/TOKEN`; nil for other paths.
  func subscriptionResponse(_ request: HTTPRequest) -> HTTPResponse? {
    if request.path == "/v1/subscribe" { return subscribeAnswer(request) }
    if request.path.hasPrefix("/v1/confirm/") { return confirm(request) }
    return nil
  }

  // MARK: Subscribe

  /// CORS as for the browser API: shop pages may post from their own origin.
  private func subscribeAnswer(_ request: HTTPRequest) -> HTTPResponse {
    let origin = request.headers["origin"].flatMap {
      settings.allowedOrigins.contains($0) ? $0 : nil
    }
    if request.method == "OPTIONS" { return preflight(allowedOrigin: origin) }
    var response: HTTPResponse
    if request.method != "POST" {
      response = .methodNotAllowed(
        request.path, method: request.method, accepts: ["POST"], alsoAllowed: ["OPTIONS"])
    } else {
      do {
        response = try subscribe(request)
      } catch {
        response = error.response
      }
    }
    if let origin {
      response.headers["Access-Control-Allow-Origin"] = origin
      response.headers["Vary"] = "Origin"
    }
    return response
  }

  private func subscribe(_ request: HTTPRequest) throws(Refusal) -> HTTPResponse {
    guard request.body.count <= settings.maxBodyBytes else {
      throw Refusal(413, "the request body is larger than \(settings.maxBodyBytes) bytes")
    }
    guard let mailer = services.mailer else {
      throw Refusal(503, "signups are not available: no confirmation email can be sent")
    }
    let now = clock()
    if let wait = signupLimits.perIP.take(
      IntakeSettings.rateLimitKey(for: settings.clientAddress(of: request)), at: now)
    {
      var response = Refusal(
        429, "too many signups from this address; try again in \(wait) seconds"
      ).response
      response.headers["Retry-After"] = "\(wait)"
      return response
    }
    let form = try SignupForm(request)
    let outcome = try signUp(form, request, mailer: mailer)
    if form.wantsJSON {
      return .json(
        202,
        [
          "status": outcome.alreadyConfirmed ? ConsentStatus.confirmed : ConsentStatus.pending,
          "member_id": outcome.memberID,
        ])
    }
    if let returnTo = form.redirect(allowedOrigins: settings.allowedOrigins) {
      return HTTPResponse(
        status: 303, headers: ["Location": returnTo, "Cache-Control": "no-store"])
    }
    return page(
      .subscribed, status: 200, locale: outcome.locale ?? form.profile.locale, email: form.email)
  }

  /// One transaction: the member (created without `member_joined`; the
  /// form's profile waits in the link), a pending email consent and the
  /// confirmation email. A
  /// bot's (honeypot filled) is done the same way and rolled back, so it
  /// gets exactly the answer a person would and nothing is stored.
  private func signUp(
    _ form: SignupForm, _ request: HTTPRequest, mailer: any ConfirmationMailer
  ) throws(Refusal) -> SignupOutcome {
    var discarded: SignupOutcome?
    do {
      return try write { store, resolver in
        // Read under the store's lock, so signups of one address record in time order.
        let now = clock()
        let evidence = Self.evidenceJSON([
          "at": isoTime(now), "ip": settings.clientAddress(of: request), "form": form.form,
          "text": form.consentText, "user_agent": request.headers["user-agent"],
        ])
        let outcome = try register(
          form, evidence: evidence, mailer: mailer, limited: !form.isBot, store: store,
          resolver: resolver, at: now)
        if form.isBot {
          discarded = outcome
          throw DiscardedSignup()
        }
        return outcome
      }
    } catch {
      if let discarded { return discarded }
      throw error
    }
  }

  private func register(
    _ form: SignupForm, evidence: String, mailer: any ConfirmationMailer, limited: Bool,
    store: SQLiteFlowStore, resolver: IdentityResolver, at now: Int64
  ) throws -> SignupOutcome {
    let input = MemberInput(source: "signup", email: form.email)
    let memberID = try resolver.upsert(
      input, at: now, announcingJoin: false, updatingProfile: false
    ).memberID
    guard let stored = try store.member(id: memberID) else {
      throw Refusal(500, "member \(memberID) vanished while signing up")
    }
    // What the member would be once confirmed; nothing of it is stored yet.
    let member = Self.fillingBlanks(stored, from: form.profile)
    var outcome = SignupOutcome(memberID: memberID, alreadyConfirmed: false, locale: member.locale)
    if try store.consentStatus(memberID: memberID, channel: "email", at: now)
      == ConsentStatus.confirmed
    {
      outcome.alreadyConfirmed = true
      return outcome
    }
    try store.recordConsent(
      memberID: memberID, channel: "email", status: ConsentStatus.pending, source: "signup",
      occurredAt: now, recordedAt: now, evidence: evidence)
    // Signups from many addresses must not flood one inbox: past the limit
    // the signup is stored but no further email goes.
    if limited, signupLimits.confirmationsPerMember.take("\(memberID)", at: now) != nil {
      return outcome
    }
    let link = ConfirmLink(
      memberID: memberID, issuedAt: now, consentMark: try store.lastConsentRecordID(),
      profile: form.profile)
    let token = services.signer.token(for: link.payload)
    let message: [UInt8]
    do {
      message = try mailer.message(
        for: ConfirmationRequest(
          memberID: memberID, email: member.email, firstName: member.firstName,
          locale: member.locale,
          confirmURL: services.link("/v1/confirm/" + token), now: now))
    } catch {
      // The details (a template's file and line) are for the operator, not the visitor.
      services.log("signup refused: could not write the confirmation email: \(error)")
      throw Refusal(500, "could not write the confirmation email; please try again later")
    }
    _ = try store.enqueue(
      // Two signups in one second carry different links, and each is sent:
      // the key ends with the link's signature.
      idempotencyKey: "_signup:confirm:\(memberID):\(now):\(token.suffix(12))", instanceID: 0,
      memberID: memberID,
      flow: OutboxFlow.signup, step: "confirm", recipient: member.email, createdAt: now,
      message: message)
    return outcome
  }

  /// A signup fills what the member lacks and never overwrites what is known.
  static func fillingBlanks(
    _ member: MemberRecord, from profile: ConfirmLink.Profile
  ) -> MemberRecord {
    var result = member
    if (member.firstName ?? "").isEmpty, let value = profile.firstName { result.firstName = value }
    if (member.lastName ?? "").isEmpty, let value = profile.lastName { result.lastName = value }
    if (member.locale ?? "").isEmpty, let value = profile.locale { result.locale = value }
    return result
  }

  // MARK: Confirm

  /// The link in the confirmation email: records the confirmed consent and
  /// the member's `member_joined` once; later clicks show the page again.
  private func confirm(_ request: HTTPRequest) -> HTTPResponse {
    guard request.method == "GET" else {
      return .methodNotAllowed("/v1/confirm", method: request.method, accepts: ["GET"])
    }
    let now = clock()
    let token = String(request.path.dropFirst("/v1/confirm/".count))
    guard let payload = services.signer.verify(token), let link = ConfirmLink(payload: payload),
      link.issuedAt <= now, now - link.issuedAt <= ConfirmLink.lifetime
    else { return page(.invalidLink, status: 400) }
    let evidence = Self.evidenceJSON([
      "at": isoTime(now), "ip": settings.clientAddress(of: request),
      "user_agent": request.headers["user-agent"],
    ])
    let member: MemberRecord?
    do {
      member = try write { store, resolver in
        try confirmConsent(link, evidence: evidence, store: store, resolver: resolver, at: now)
      }
    } catch {
      return error.response
    }
    guard let member else { return page(.invalidLink, status: 400) }
    return page(.confirmed, status: 200, locale: member.locale, email: member.email)
  }

  /// The member the link confirms (the survivor, if merged since), or nil
  /// when the link may no longer confirm anything.
  private func confirmConsent(
    _ link: ConfirmLink, evidence: String, store: SQLiteFlowStore, resolver: IdentityResolver,
    at now: Int64
  ) throws -> MemberRecord? {
    guard let stored = try Self.survivor(of: link.memberID, in: store) else { return nil }
    let memberID = stored.id
    let current = try store.consentStatus(memberID: memberID, channel: "email", at: now)
    if current == ConsentStatus.confirmed { return stored }
    // Someone who unsubscribed (or complained) after the email went must not
    // be signed up again by its old link; a person who had left before and
    // signed up again is, since nothing was withdrawn after the link was made.
    if let current, ConsentStatus.withdraws(current),
      try store.withdrewConsent(
        memberID: memberID, channel: "email", recordedAfter: link.consentMark,
        occurredSince: link.issuedAt)
    {
      return nil
    }
    try store.recordConsent(
      memberID: memberID, channel: "email", status: ConsentStatus.confirmed, source: "signup",
      occurredAt: now, recordedAt: now, evidence: evidence)
    _ = try store.appendEvent(
      memberID: memberID, name: "member_joined", occurredAt: now, payload: "{}", externalID: nil)
    // The address is proven now: what the form said fills the member's blanks,
    // and the browser it came from joins it, merging that visitor's history
    // as `/v1/identify` would.
    let member = Self.fillingBlanks(stored, from: link.profile)
    if member != stored { try store.updateMember(member) }
    guard let visitorID = link.profile.visitorID else { return member }
    let linked = try resolver.upsert(
      MemberInput(source: "signup", email: member.email, visitorID: visitorID), at: now)
    return try store.member(id: linked.memberID) ?? member
  }

  // MARK: Answers

  /// Consent evidence as JSON text with sorted keys; absent values are left out.
  static func evidenceJSON(_ values: [String: String?]) -> String {
    let present = values.compactMapValues { $0 }
    guard
      let data = try? JSONSerialization.data(
        withJSONObject: present, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return "{}" }
    return String(decoding: data, as: UTF8.self)
  }
}
