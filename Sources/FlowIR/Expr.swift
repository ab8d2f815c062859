/// A typed expression. The checker guarantees operand types match.
public indirect enum Expr: Codable, Hashable, Sendable {
  case literal(Value)
  /// `member.NAME`: a built-in field (`order_count`, `consent.email`, ...) or a
  /// declared one; the path is dotted as written after `member.`.
  case member(String)
  /// `event.NAME`: a field of the event being tested (exit rules).
  case event(String)
  /// `trigger.NAME`: a field of the event that started the flow.
  case trigger(String)
  /// A named segment, true while the member is in it.
  case segment(String)
  case not(Expr)
  case and(Expr, Expr)
  case or(Expr, Expr)
  case compare(CompareOp, Expr, Expr)
  /// `X before D ago`: X is at least D before now (a null X is false).
  case before(Expr, Duration)
  /// `X within D`: X is less than D before now, and not in the future.
  case within(Expr, Duration)
  /// `member.tags has "vip"`: membership of a string in a set or list.
  case has(Expr, Expr)
}

/// Comparison operators; ordering applies to numbers, money, dates and times.
public enum CompareOp: String, Codable, Hashable, Sendable {
  case eq = "=="
  case ne = "!="
  case lt = "<"
  case le = "<="
  case gt = ">"
  case ge = ">="
}

/// The types of the language.
public indirect enum ValueType: Codable, Hashable, Sendable {
  case string
  case number
  /// An amount of money; the currency is part of each value.
  case money
  case bool
  /// A calendar date without time or zone.
  case date
  /// An instant, stored in UTC.
  case timestamp
  case duration
  case list(ValueType)
  /// A built-in or declared record such as `item`.
  case record(String)
  /// A set of strings (`member.tags`).
  case stringSet
  case optional(ValueType)
}

/// A runtime value. Money is exact: minor units at two decimal places.
public enum Value: Codable, Hashable, Sendable {
  case null
  case string(String)
  case number(Double)
  case money(Money)
  case bool(Bool)
  case date(CalendarDate)
  /// Seconds since 1970-01-01T00:00:00Z.
  case timestamp(Int64)
  case duration(Duration)
  case list([Value])
}

/// An exact amount of money: `cents` hundredths of `currency`.
public struct Money: Codable, Hashable, Sendable {
  public var cents: Int64
  /// ISO 4217 code, upper case.
  public var currency: String

  public init(cents: Int64, currency: String) {
    self.cents = cents
    self.currency = currency
  }
}

/// A calendar date.
public struct CalendarDate: Codable, Hashable, Sendable, Comparable {
  public var year: Int
  public var month: Int
  public var day: Int

  public init(year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }
}

/// A local wall-clock time of day, `HH:MM`.
public struct LocalTime: Codable, Hashable, Sendable {
  public var hour: Int
  public var minute: Int

  public init(hour: Int, minute: Int) {
    self.hour = hour
    self.minute = minute
  }
}

/// A length of time. Days and weeks are calendar units in the member's zone;
/// minutes and hours are elapsed time.
public struct Duration: Codable, Hashable, Sendable {
  public enum Unit: String, Codable, Hashable, Sendable {
    case minutes = "m"
    case hours = "h"
    case days = "d"
    case weeks = "w"
  }

  public var amount: Int
  public var unit: Unit

  public init(_ amount: Int, _ unit: Unit) {
    self.amount = amount
    self.unit = unit
  }
}
