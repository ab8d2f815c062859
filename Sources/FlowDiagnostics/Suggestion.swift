/// "Did you mean" suggestions for misspelled names.
public enum Suggestion {
  /// The candidate closest to `name`: edit distance at most 2, or one is a
  /// prefix of the other. Ties go to the smaller distance, then alphabetical
  /// order, so the result is deterministic.
  public static func closest<S: Sequence>(to name: String, among candidates: S) -> String?
  where S.Element == String {
    let target = Array(name.utf8)
    var best: (distance: Int, name: String)?
    for candidate in candidates where candidate != name {
      let bytes = Array(candidate.utf8)
      var distance = editDistance(target, bytes, limit: 2)
      if distance > 2 {
        // A prefix match is a weaker hint than a typo fix; rank it after them.
        let isPrefix = !target.isEmpty && (bytes.starts(with: target) || target.starts(with: bytes))
        guard isPrefix else { continue }
        distance = 3
      }
      if let current = best,
        current.distance < distance || (current.distance == distance && current.name < candidate)
      {
        continue
      }
      best = (distance, candidate)
    }
    return best?.name
  }

  /// Levenshtein distance between two byte strings; returns `limit + 1` as
  /// soon as the answer is known to exceed `limit` (keeps long names cheap).
  public static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
    if abs(a.count - b.count) > limit { return limit + 1 }
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      var rowMin = current[0]
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        rowMin = min(rowMin, current[j])
      }
      if rowMin > limit { return limit + 1 }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
