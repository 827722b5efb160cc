//! Go's `time.Time` (formatting with Go's reference layouts, `String()`, and the methods
//! templates call) and `time.Duration` (as an [`Object`] printing like Go's `String()`).
//!
//! There is no time zone database: a time carries a fixed UTC offset and a zone abbreviation
//! (`UTC` for UTC, empty for an unnamed offset, printed `+0200` as Go does for a
//! `time.FixedZone("", 7200)`). `Local` is treated as UTC.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::value::{Object, Value};

/// Seconds from 0001-01-01T00:00:00Z (Go's zero time) to the Unix epoch.
const UNIX_TO_ZERO: i64 = 62_135_596_800;

/// Go's `time.Time`: an instant (Unix seconds and nanoseconds) in a fixed zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Time {
    secs: i64,
    nanos: u32,
    offset: i32,
    zone: String,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/// Civil date from days since 1970-01-01 (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days since 1970-01-01 of a civil date (months may be out of range: they carry).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = y + (m - 1).div_euclid(12);
    let m = (m - 1).rem_euclid(12) + 1;
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

struct Parts {
    year: i64,
    month: u32,
    day: u32,
    yday: u32,
    weekday: usize,
    hour: u32,
    min: u32,
    sec: u32,
}

impl Time {
    /// The instant `secs` seconds and `nanos` nanoseconds after the Unix epoch, in UTC.
    pub fn from_unix(secs: i64, nanos: u32) -> Time {
        let extra = (nanos / 1_000_000_000) as i64;
        Time { secs: secs + extra, nanos: nanos % 1_000_000_000, offset: 0, zone: "UTC".into() }
    }

    /// Go's `time.Unix(0, n).UTC()`.
    pub fn from_unix_nanos(n: i64) -> Time {
        Time::from_unix(n.div_euclid(1_000_000_000), n.rem_euclid(1_000_000_000) as u32)
    }

    /// Go's `time.UnixMilli(ms).UTC()`.
    pub fn from_unix_millis(ms: i64) -> Time {
        Time::from_unix(ms.div_euclid(1000), (ms.rem_euclid(1000) * 1_000_000) as u32)
    }

    /// A `SystemTime`, in UTC.
    pub fn from_system_time(t: SystemTime) -> Time {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => Time::from_unix(d.as_secs() as i64, d.subsec_nanos()),
            Err(e) => {
                let d = e.duration();
                let total = -(d.as_nanos() as i128);
                let secs = total.div_euclid(1_000_000_000) as i64;
                let nanos = total.rem_euclid(1_000_000_000) as u32;
                Time::from_unix(secs, nanos)
            }
        }
    }

    /// The current time, in UTC.
    pub fn now() -> Time {
        Time::from_system_time(SystemTime::now())
    }

    /// Go's zero `time.Time` (0001-01-01 00:00:00 UTC).
    pub fn zero() -> Time {
        Time::from_unix(-UNIX_TO_ZERO, 0)
    }

    /// The same instant in a fixed zone `offset_secs` east of UTC named `zone` (an empty name
    /// prints as the numeric offset, like Go's `time.FixedZone("", offset)`).
    pub fn with_zone(&self, offset_secs: i32, zone: &str) -> Time {
        Time { secs: self.secs, nanos: self.nanos, offset: offset_secs, zone: zone.to_string() }
    }

    /// Go's `t.UTC()`.
    pub fn utc(&self) -> Time {
        self.with_zone(0, "UTC")
    }

    /// Parses RFC 3339 (`2006-01-02T15:04:05.999999999Z07:00`), as Go's JSON decoding of a
    /// `time.Time` does. A zero offset is UTC; other offsets are unnamed fixed zones.
    pub fn parse_rfc3339(s: &str) -> Result<Time, String> {
        let dt = chrono::DateTime::parse_from_rfc3339(s).map_err(|e| format!("parsing time {:?}: {}", s, e))?;
        Ok(Time::from_chrono(&dt))
    }

    /// From a chrono time with a fixed offset.
    pub fn from_chrono<Tz: chrono::TimeZone>(dt: &chrono::DateTime<Tz>) -> Time {
        use chrono::Offset;
        let offset = dt.offset().fix().local_minus_utc();
        let t = Time::from_unix(dt.timestamp(), dt.timestamp_subsec_nanos());
        if offset == 0 {
            t
        } else {
            t.with_zone(offset, "")
        }
    }

    /// Unix seconds (Go's `t.Unix()`).
    pub fn unix(&self) -> i64 {
        self.secs
    }

    /// Nanoseconds within the second.
    pub fn nanosecond(&self) -> u32 {
        self.nanos
    }

    /// Unix nanoseconds (Go's `t.UnixNano()`; wraps outside 1678–2262 as Go's does).
    pub fn unix_nano(&self) -> i64 {
        self.secs.wrapping_mul(1_000_000_000).wrapping_add(self.nanos as i64)
    }

    /// Seconds east of UTC.
    pub fn offset(&self) -> i32 {
        self.offset
    }

    /// Go's `t.IsZero()`.
    pub fn is_zero(&self) -> bool {
        self.secs == -UNIX_TO_ZERO && self.nanos == 0
    }

    fn parts(&self) -> Parts {
        let local = self.secs.wrapping_add(self.offset as i64);
        let days = local.div_euclid(86_400);
        let sod = local.rem_euclid(86_400) as u32;
        let (year, month, day) = civil_from_days(days);
        let yday = (days - days_from_civil(year, 1, 1)) as u32 + 1;
        Parts {
            year,
            month,
            day,
            yday,
            weekday: (days + 4).rem_euclid(7) as usize,
            hour: sod / 3600,
            min: sod / 60 % 60,
            sec: sod % 60,
        }
    }

    /// Go's `t.Format(layout)` with Go's reference-time layouts (`2006-01-02T15:04:05Z07:00`).
    pub fn format(&self, layout: &str) -> String {
        let p = self.parts();
        let mut b = String::new();
        let mut layout = layout;
        while !layout.is_empty() {
            let (prefix, std, suffix) = next_std_chunk(layout);
            b.push_str(prefix);
            let Some(std) = std else { break };
            layout = suffix;
            match std {
                Std::Year => append_int(&mut b, (p.year.unsigned_abs() % 100) as i64, 2),
                Std::LongYear => append_int(&mut b, p.year, 4),
                Std::Month => b.push_str(&MONTHS[p.month as usize - 1][..3]),
                Std::LongMonth => b.push_str(MONTHS[p.month as usize - 1]),
                Std::NumMonth => append_int(&mut b, p.month as i64, 0),
                Std::ZeroMonth => append_int(&mut b, p.month as i64, 2),
                Std::WeekDay => b.push_str(&DAYS[p.weekday][..3]),
                Std::LongWeekDay => b.push_str(DAYS[p.weekday]),
                Std::Day => append_int(&mut b, p.day as i64, 0),
                Std::UnderDay => {
                    if p.day < 10 {
                        b.push(' ');
                    }
                    append_int(&mut b, p.day as i64, 0);
                }
                Std::ZeroDay => append_int(&mut b, p.day as i64, 2),
                Std::UnderYearDay => {
                    if p.yday < 100 {
                        b.push(' ');
                        if p.yday < 10 {
                            b.push(' ');
                        }
                    }
                    append_int(&mut b, p.yday as i64, 0);
                }
                Std::ZeroYearDay => append_int(&mut b, p.yday as i64, 3),
                Std::Hour => append_int(&mut b, p.hour as i64, 2),
                Std::Hour12 | Std::ZeroHour12 => {
                    let mut hr = p.hour % 12;
                    if hr == 0 {
                        hr = 12;
                    }
                    append_int(&mut b, hr as i64, if std == Std::Hour12 { 0 } else { 2 });
                }
                Std::Minute => append_int(&mut b, p.min as i64, 0),
                Std::ZeroMinute => append_int(&mut b, p.min as i64, 2),
                Std::Second => append_int(&mut b, p.sec as i64, 0),
                Std::ZeroSecond => append_int(&mut b, p.sec as i64, 2),
                Std::PM => b.push_str(if p.hour >= 12 { "PM" } else { "AM" }),
                Std::Pm => b.push_str(if p.hour >= 12 { "pm" } else { "am" }),
                Std::Tz(kind) => {
                    let offset = self.offset;
                    if offset == 0 && kind.iso {
                        b.push('Z');
                        continue;
                    }
                    let mut zone = offset / 60;
                    let mut absoffset = offset;
                    if zone < 0 {
                        b.push('-');
                        zone = -zone;
                        absoffset = -absoffset;
                    } else {
                        b.push('+');
                    }
                    append_int(&mut b, (zone / 60) as i64, 2);
                    if kind.colon {
                        b.push(':');
                    }
                    if !kind.short {
                        append_int(&mut b, (zone % 60) as i64, 2);
                    }
                    if kind.seconds {
                        if kind.colon {
                            b.push(':');
                        }
                        append_int(&mut b, (absoffset % 60) as i64, 2);
                    }
                }
                Std::TzName => {
                    if !self.zone.is_empty() {
                        b.push_str(&self.zone);
                        continue;
                    }
                    let mut zone = self.offset / 60;
                    if zone < 0 {
                        b.push('-');
                        zone = -zone;
                    } else {
                        b.push('+');
                    }
                    append_int(&mut b, (zone / 60) as i64, 2);
                    append_int(&mut b, (zone % 60) as i64, 2);
                }
                Std::Frac { digits, trim, sep } => {
                    if trim && (digits == 0 || self.nanos == 0) {
                        continue;
                    }
                    let mut s = format!("{:09}", self.nanos);
                    if digits < 9 {
                        s.truncate(digits);
                    }
                    if trim {
                        while s.ends_with('0') {
                            s.pop();
                        }
                        if s.is_empty() {
                            continue;
                        }
                    }
                    b.push(sep);
                    b.push_str(&s);
                }
            }
        }
        b
    }

    /// Go's `t.Add(d)`.
    pub fn add_nanos(&self, d: i64) -> Time {
        let total = self.nanos as i64 + d.rem_euclid(1_000_000_000);
        let secs = self.secs.wrapping_add(d.div_euclid(1_000_000_000)).wrapping_add(total / 1_000_000_000);
        Time { secs, nanos: (total % 1_000_000_000) as u32, offset: self.offset, zone: self.zone.clone() }
    }

    /// Go's `t.Sub(u)` in nanoseconds (saturating like Go's).
    pub fn sub_nanos(&self, u: &Time) -> i64 {
        let d = (self.secs as i128 - u.secs as i128) * 1_000_000_000 + self.nanos as i128 - u.nanos as i128;
        d.clamp(i64::MIN as i128, i64::MAX as i128) as i64
    }

    fn cmp_instant(&self, u: &Time) -> std::cmp::Ordering {
        (self.secs, self.nanos).cmp(&(u.secs, u.nanos))
    }

    /// The methods a template can call on a time.
    pub(crate) fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let want = |n: usize| -> Result<(), String> {
            if args.len() != n {
                Err(format!("wrong number of args for {}: want {} got {}", name, n, args.len()))
            } else {
                Ok(())
            }
        };
        let p = || self.parts();
        let r = (|| -> Result<Value, String> {
            Ok(match name {
                "Format" => {
                    want(1)?;
                    match &args[0] {
                        Value::String(l) => Value::String(self.format(l)),
                        other => return Err(arg_type_error(other, "string")),
                    }
                }
                "String" => {
                    want(0)?;
                    Value::String(self.to_string())
                }
                "Unix" => {
                    want(0)?;
                    Value::Int(self.secs)
                }
                "UnixMilli" => {
                    want(0)?;
                    Value::Int(self.secs.wrapping_mul(1000) + (self.nanos / 1_000_000) as i64)
                }
                "UnixMicro" => {
                    want(0)?;
                    Value::Int(self.secs.wrapping_mul(1_000_000) + (self.nanos / 1000) as i64)
                }
                "UnixNano" => {
                    want(0)?;
                    Value::Int(self.unix_nano())
                }
                "UTC" | "Local" => {
                    want(0)?;
                    Value::Time(self.utc())
                }
                "Year" => {
                    want(0)?;
                    Value::Int(p().year)
                }
                "Month" => {
                    want(0)?;
                    Value::object(Month(p().month))
                }
                "Day" => {
                    want(0)?;
                    Value::Int(p().day as i64)
                }
                "YearDay" => {
                    want(0)?;
                    Value::Int(p().yday as i64)
                }
                "Weekday" => {
                    want(0)?;
                    Value::object(Weekday(p().weekday))
                }
                "Hour" => {
                    want(0)?;
                    Value::Int(p().hour as i64)
                }
                "Minute" => {
                    want(0)?;
                    Value::Int(p().min as i64)
                }
                "Second" => {
                    want(0)?;
                    Value::Int(p().sec as i64)
                }
                "Nanosecond" => {
                    want(0)?;
                    Value::Int(self.nanos as i64)
                }
                "IsZero" => {
                    want(0)?;
                    Value::Bool(self.is_zero())
                }
                "Add" => {
                    want(1)?;
                    Value::Time(self.add_nanos(duration_arg(&args[0])?))
                }
                "Sub" => {
                    want(1)?;
                    match &args[0] {
                        Value::Time(u) => Duration::value(self.sub_nanos(u)),
                        other => return Err(arg_type_error(other, "time.Time")),
                    }
                }
                "AddDate" => {
                    want(3)?;
                    let mut n = [0i64; 3];
                    for (i, a) in args.iter().enumerate() {
                        match a {
                            Value::Int(x) => n[i] = *x,
                            other => return Err(arg_type_error(other, "int")),
                        }
                    }
                    let p = p();
                    // Go's AddDate wraps on overflow; so does this (without panicking).
                    let clamp = |x: i64| x.clamp(-(1 << 40), 1 << 40);
                    let days = days_from_civil(
                        clamp(p.year.wrapping_add(n[0])),
                        clamp((p.month as i64).wrapping_add(n[1])),
                        clamp((p.day as i64).wrapping_add(n[2])),
                    );
                    let local_sod = (p.hour * 3600 + p.min * 60 + p.sec) as i64;
                    let secs = days.wrapping_mul(86_400).wrapping_add(local_sod).wrapping_sub(self.offset as i64);
                    Value::Time(Time { secs, nanos: self.nanos, offset: self.offset, zone: self.zone.clone() })
                }
                "Before" | "After" | "Equal" | "Compare" => {
                    want(1)?;
                    let u = match &args[0] {
                        Value::Time(u) => u,
                        other => return Err(arg_type_error(other, "time.Time")),
                    };
                    let o = self.cmp_instant(u);
                    match name {
                        "Before" => Value::Bool(o.is_lt()),
                        "After" => Value::Bool(o.is_gt()),
                        "Equal" => Value::Bool(o.is_eq()),
                        _ => Value::Int(o as i64),
                    }
                }
                "Truncate" | "Round" => {
                    want(1)?;
                    let d = duration_arg(&args[0])?;
                    if d <= 0 {
                        return Ok(Value::Time(self.clone()));
                    }
                    // Relative to the zero time, as Go does.
                    let since_zero = (self.secs as i128 + UNIX_TO_ZERO as i128) * 1_000_000_000 + self.nanos as i128;
                    let r = since_zero.rem_euclid(d as i128) as i64;
                    if name == "Round" && r + r >= d {
                        Value::Time(self.add_nanos(d - r))
                    } else {
                        Value::Time(self.add_nanos(-r))
                    }
                }
                _ => return Err(String::new()),
            })
        })();
        match r {
            Err(e) if e.is_empty() => None,
            r => Some(r),
        }
    }
}

/// The Go signature of a time method, for argument checking.
pub(crate) fn method_sig(name: &str) -> Option<crate::funcs::Sig> {
    use crate::funcs::Ty;
    let params: Vec<Ty> = match name {
        "Format" => vec![Ty::Str],
        "String" | "Unix" | "UnixMilli" | "UnixMicro" | "UnixNano" | "UTC" | "Local" | "Year" | "Month" | "Day"
        | "YearDay" | "Weekday" | "Hour" | "Minute" | "Second" | "Nanosecond" | "IsZero" => vec![],
        "Add" | "Truncate" | "Round" => vec![Ty::Duration],
        "Sub" | "Before" | "After" | "Equal" | "Compare" => vec![Ty::Time],
        "AddDate" => vec![Ty::Int, Ty::Int, Ty::Int],
        _ => return None,
    };
    Some(crate::funcs::Sig { params, variadic: None })
}

fn arg_type_error(v: &Value, want: &str) -> String {
    format!("wrong type for value; expected {}; got {}", want, v.go_type_name())
}

fn duration_arg(v: &Value) -> Result<i64, String> {
    match v {
        Value::Int(n) => Ok(*n),
        Value::Object(o) if o.type_name() == "time.Duration" => match o.to_value() {
            Some(Value::Int(n)) => Ok(n),
            _ => Err(arg_type_error(v, "time.Duration")),
        },
        other => Err(arg_type_error(other, "time.Duration")),
    }
}

/// Go's `Time.String()`: `2006-01-02 15:04:05.999999999 -0700 MST`.
impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format("2006-01-02 15:04:05.999999999 -0700 MST"))
    }
}

fn append_int(b: &mut String, x: i64, width: usize) {
    if x < 0 {
        b.push('-');
    }
    let s = x.unsigned_abs().to_string();
    for _ in s.len()..width {
        b.push('0');
    }
    b.push_str(&s);
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct TzKind {
    iso: bool,
    colon: bool,
    short: bool,
    seconds: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Std {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    TzName,
    Tz(TzKind),
    Frac { digits: usize, trim: bool, sep: char },
}

fn starts_with_lower(s: &str) -> bool {
    s.as_bytes().first().is_some_and(|c| c.is_ascii_lowercase())
}

/// Go's `nextStdChunk`: the text before the first layout element, the element, the rest.
fn next_std_chunk(layout: &str) -> (&str, Option<Std>, &str) {
    let b = layout.as_bytes();
    let has = |i: usize, s: &str| layout[i..].starts_with(s);
    for i in 0..b.len() {
        let c = b[i];
        let found: Option<(Std, usize)> = match c {
            b'J' if has(i, "Jan") => {
                if has(i, "January") {
                    Some((Std::LongMonth, 7))
                } else if !starts_with_lower(&layout[i + 3..]) {
                    Some((Std::Month, 3))
                } else {
                    None
                }
            }
            b'M' if b.len() >= i + 3 => {
                if has(i, "Mon") {
                    if has(i, "Monday") {
                        Some((Std::LongWeekDay, 6))
                    } else if !starts_with_lower(&layout[i + 3..]) {
                        Some((Std::WeekDay, 3))
                    } else if has(i, "MST") {
                        Some((Std::TzName, 3))
                    } else {
                        None
                    }
                } else if has(i, "MST") {
                    Some((Std::TzName, 3))
                } else {
                    None
                }
            }
            b'0' => {
                if b.len() >= i + 2 && (b'1'..=b'6').contains(&b[i + 1]) {
                    let s =
                        [Std::ZeroMonth, Std::ZeroDay, Std::ZeroHour12, Std::ZeroMinute, Std::ZeroSecond, Std::Year]
                            [(b[i + 1] - b'1') as usize];
                    Some((s, 2))
                } else if b.len() >= i + 3 && b[i + 1] == b'0' && b[i + 2] == b'2' {
                    Some((Std::ZeroYearDay, 3))
                } else {
                    None
                }
            }
            b'1' => {
                if b.len() >= i + 2 && b[i + 1] == b'5' {
                    Some((Std::Hour, 2))
                } else {
                    Some((Std::NumMonth, 1))
                }
            }
            b'2' => {
                if has(i, "2006") {
                    Some((Std::LongYear, 4))
                } else {
                    Some((Std::Day, 1))
                }
            }
            b'_' => {
                if b.len() >= i + 2 && b[i + 1] == b'2' {
                    if has(i + 1, "2006") {
                        // "_2006" is a literal "_" and the long year.
                        return (&layout[..i + 1], Some(Std::LongYear), &layout[i + 5..]);
                    }
                    Some((Std::UnderDay, 2))
                } else if b.len() >= i + 3 && b[i + 1] == b'_' && b[i + 2] == b'2' {
                    Some((Std::UnderYearDay, 3))
                } else {
                    None
                }
            }
            b'3' => Some((Std::Hour12, 1)),
            b'4' => Some((Std::Minute, 1)),
            b'5' => Some((Std::Second, 1)),
            b'P' if b.len() >= i + 2 && b[i + 1] == b'M' => Some((Std::PM, 2)),
            b'p' if b.len() >= i + 2 && b[i + 1] == b'm' => Some((Std::Pm, 2)),
            b'-' => {
                let k = |colon, short, seconds| Std::Tz(TzKind { iso: false, colon, short, seconds });
                if has(i, "-070000") {
                    Some((k(false, false, true), 7))
                } else if has(i, "-07:00:00") {
                    Some((k(true, false, true), 9))
                } else if has(i, "-0700") {
                    Some((k(false, false, false), 5))
                } else if has(i, "-07:00") {
                    Some((k(true, false, false), 6))
                } else if has(i, "-07") {
                    Some((k(false, true, false), 3))
                } else {
                    None
                }
            }
            b'Z' => {
                let k = |colon, short, seconds| Std::Tz(TzKind { iso: true, colon, short, seconds });
                if has(i, "Z070000") {
                    Some((k(false, false, true), 7))
                } else if has(i, "Z07:00:00") {
                    Some((k(true, false, true), 9))
                } else if has(i, "Z0700") {
                    Some((k(false, false, false), 5))
                } else if has(i, "Z07:00") {
                    Some((k(true, false, false), 6))
                } else if has(i, "Z07") {
                    Some((k(false, true, false), 3))
                } else {
                    None
                }
            }
            b'.' | b',' if i + 1 < b.len() && (b[i + 1] == b'0' || b[i + 1] == b'9') => {
                let ch = b[i + 1];
                let mut j = i + 1;
                while j < b.len() && b[j] == ch {
                    j += 1;
                }
                if !(j < b.len() && b[j].is_ascii_digit()) {
                    Some((Std::Frac { digits: j - (i + 1), trim: ch == b'9', sep: c as char }, j - i))
                } else {
                    None
                }
            }
            _ => None,
        };
        if let Some((std, len)) = found {
            return (&layout[..i], Some(std), &layout[i + len..]);
        }
    }
    (layout, None, "")
}

/// Go's `time.Month` (prints as its name, compares as its number).
#[derive(Debug, Clone, Copy)]
struct Month(u32);

impl Object for Month {
    fn type_name(&self) -> String {
        "time.Month".into()
    }
    fn field(&self, _: &str) -> Option<Value> {
        None
    }
    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        (name == "String" && args.is_empty()).then(|| Ok(Value::str(MONTHS[self.0 as usize - 1])))
    }
    fn to_value(&self) -> Option<Value> {
        Some(Value::Int(self.0 as i64))
    }
    fn string(&self) -> Option<String> {
        Some(MONTHS[self.0 as usize - 1].to_string())
    }
}

/// Go's `time.Weekday`.
#[derive(Debug, Clone, Copy)]
struct Weekday(usize);

impl Object for Weekday {
    fn type_name(&self) -> String {
        "time.Weekday".into()
    }
    fn field(&self, _: &str) -> Option<Value> {
        None
    }
    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        (name == "String" && args.is_empty()).then(|| Ok(Value::str(DAYS[self.0])))
    }
    fn to_value(&self) -> Option<Value> {
        Some(Value::Int(self.0 as i64))
    }
    fn string(&self) -> Option<String> {
        Some(DAYS[self.0].to_string())
    }
}

/// Go's `time.Duration`: nanoseconds, printing like `1h2m3.5s`; compares as an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration(pub i64);

impl Duration {
    /// The duration as a template value.
    pub fn value(nanos: i64) -> Value {
        Value::object(Duration(nanos))
    }
}

/// Formats v/10^prec's fraction (".12345", trailing zeros dropped) in front of `buf`.
fn fmt_frac(buf: &mut Vec<u8>, v: u64, prec: usize) -> u64 {
    let mut v = v;
    let mut print = false;
    let mut digits = Vec::new();
    for _ in 0..prec {
        let digit = v % 10;
        print = print || digit != 0;
        if print {
            digits.push(b'0' + digit as u8);
        }
        v /= 10;
    }
    if print {
        digits.push(b'.');
    }
    buf.extend(digits);
    v
}

fn fmt_int(buf: &mut Vec<u8>, v: u64) {
    if v == 0 {
        buf.push(b'0');
        return;
    }
    let mut v = v;
    while v > 0 {
        buf.push(b'0' + (v % 10) as u8);
        v /= 10;
    }
}

/// Go's `Duration.String()`.
impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        let neg = d < 0;
        let mut u = d.unsigned_abs();
        let mut buf: Vec<u8> = Vec::new(); // reversed
        if u < 1_000_000_000 {
            if u == 0 {
                return f.write_str("0s");
            }
            buf.push(b's');
            let prec;
            if u < 1000 {
                prec = 0;
                buf.push(b'n');
            } else if u < 1_000_000 {
                prec = 3;
                // "µ" reversed (UTF-8 0xC2 0xB5).
                buf.push(0xB5);
                buf.push(0xC2);
            } else {
                prec = 6;
                buf.push(b'm');
            }
            u = fmt_frac(&mut buf, u, prec);
            fmt_int(&mut buf, u);
        } else {
            buf.push(b's');
            u = fmt_frac(&mut buf, u, 9);
            fmt_int(&mut buf, u % 60);
            u /= 60;
            if u > 0 {
                buf.push(b'm');
                fmt_int(&mut buf, u % 60);
                u /= 60;
                if u > 0 {
                    buf.push(b'h');
                    fmt_int(&mut buf, u);
                }
            }
        }
        if neg {
            buf.push(b'-');
        }
        buf.reverse();
        f.write_str(&String::from_utf8(buf).unwrap())
    }
}

impl Object for Duration {
    fn type_name(&self) -> String {
        "time.Duration".into()
    }
    fn field(&self, _: &str) -> Option<Value> {
        None
    }
    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let d = self.0;
        let v = match name {
            "String" => Value::String(self.to_string()),
            "Hours" => Value::Float((d / 3_600_000_000_000) as f64 + (d % 3_600_000_000_000) as f64 / 3.6e12),
            "Minutes" => Value::Float((d / 60_000_000_000) as f64 + (d % 60_000_000_000) as f64 / 6e10),
            "Seconds" => Value::Float((d / 1_000_000_000) as f64 + (d % 1_000_000_000) as f64 / 1e9),
            "Milliseconds" => Value::Int(d / 1_000_000),
            "Microseconds" => Value::Int(d / 1000),
            "Nanoseconds" => Value::Int(d),
            "Abs" => Duration::value(if d == i64::MIN { i64::MAX } else { d.abs() }),
            "Round" | "Truncate" => {
                return Some(match args {
                    [a] => duration_arg(a).map(|m| {
                        if m <= 0 {
                            return Duration::value(d);
                        }
                        let r = d % m;
                        let t = d - r;
                        if name == "Truncate" {
                            return Duration::value(t);
                        }
                        if d < 0 {
                            if -r + -r < m {
                                Duration::value(t)
                            } else {
                                Duration::value(t.saturating_sub(m))
                            }
                        } else if r + r < m {
                            Duration::value(t)
                        } else {
                            Duration::value(t.saturating_add(m))
                        }
                    }),
                    _ => Err(format!("wrong number of args for {}: want 1 got {}", name, args.len())),
                });
            }
            _ => return None,
        };
        if !args.is_empty() {
            return Some(Err(format!("wrong number of args for {}: want 0 got {}", name, args.len())));
        }
        Some(Ok(v))
    }
    fn to_value(&self) -> Option<Value> {
        Some(Value::Int(self.0))
    }
    fn string(&self) -> Option<String> {
        Some(self.to_string())
    }
    fn truth(&self) -> bool {
        self.0 != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts() {
        // 2009-11-10 23:04:05.123456789 UTC, a Tuesday.
        let t = Time::from_unix(1_257_894_245, 123_456_789);
        let cases: &[(&str, &str)] = &[
            ("2006-01-02 15:04:05", "2009-11-10 23:04:05"),
            ("2006-01-02T15:04:05Z07:00", "2009-11-10T23:04:05Z"),
            ("2006-01-02T15:04:05.999999999Z07:00", "2009-11-10T23:04:05.123456789Z"),
            ("Mon Jan _2 15:04:05 MST 2006", "Tue Nov 10 23:04:05 UTC 2009"),
            ("Monday, 02-Jan-06 15:04:05 MST", "Tuesday, 10-Nov-09 23:04:05 UTC"),
            ("3:04PM", "11:04PM"),
            ("03:04:05.000 pm", "11:04:05.123 pm"),
            ("Jan 2, 2006 at 3:04pm (MST)", "Nov 10, 2009 at 11:04pm (UTC)"),
            ("2006-01-02 15:04:05.999", "2009-11-10 23:04:05.123"),
            ("15:04:05,000000", "23:04:05,123456"),
            ("002 __2", "314 314"),
            ("-07:00 -0700 -07 Z0700", "+00:00 +0000 +00 Z"),
            ("January Janx", "November Janx"),
            ("1/2/06", "11/10/09"),
            ("no layout", "no layout"),
            ("_2006", "_2009"),
        ];
        for (layout, want) in cases {
            assert_eq!(t.format(layout), *want, "layout {:?}", layout);
        }
        let t2 = t.with_zone(-7 * 3600, "");
        assert_eq!(t2.format("2006-01-02T15:04:05Z07:00 MST"), "2009-11-10T16:04:05-07:00 -0700");
        let t3 = t.with_zone(5 * 3600 + 30 * 60, "IST");
        assert_eq!(t3.format("15:04 -07:00 MST Z07:00:00"), "04:34 +05:30 IST +05:30:00");
        assert_eq!(t3.format("Monday 2"), "Wednesday 11");
    }

    #[test]
    fn strings() {
        assert_eq!(Time::from_unix(0, 0).to_string(), "1970-01-01 00:00:00 +0000 UTC");
        assert_eq!(Time::from_unix(1_435_065_584, 128_000_000).to_string(), "2015-06-23 13:19:44.128 +0000 UTC");
        assert_eq!(Time::zero().to_string(), "0001-01-01 00:00:00 +0000 UTC");
        assert!(Time::zero().is_zero());
        assert_eq!(Time::from_unix_nanos(-1).to_string(), "1969-12-31 23:59:59.999999999 +0000 UTC");
        assert_eq!(Time::from_unix(0, 0).with_zone(7200, "").to_string(), "1970-01-01 02:00:00 +0200 +0200");
        let t = Time::parse_rfc3339("2023-03-04T05:06:07.5+01:00").unwrap();
        assert_eq!(t.to_string(), "2023-03-04 05:06:07.5 +0100 +0100");
        assert_eq!(Time::parse_rfc3339("2023-03-04T05:06:07Z").unwrap().to_string(), "2023-03-04 05:06:07 +0000 UTC");
        assert_eq!(Time::from_unix(9_223_372_036, 0).to_string(), "2262-04-11 23:47:16 +0000 UTC");
    }

    #[test]
    fn durations() {
        let cases: &[(i64, &str)] = &[
            (0, "0s"),
            (1, "1ns"),
            (1100, "1.1µs"),
            (2_200_000, "2.2ms"),
            (3_300_000_000, "3.3s"),
            (-4_000_000_000 * 60 - 5_000_000_000, "-4m5s"),
            (3_600_000_000_000 + 2 * 60_000_000_000 + 3_500_000_000, "1h2m3.5s"),
            (60_000_000_000, "1m0s"),
            (i64::MAX, "2562047h47m16.854775807s"),
            (i64::MIN, "-2562047h47m16.854775808s"),
        ];
        for (d, want) in cases {
            assert_eq!(Duration(*d).to_string(), *want);
        }
    }

    #[test]
    fn methods() {
        let t = Time::from_unix(1_257_894_245, 0);
        let m = |name: &str, args: &[Value]| t.method(name, args).unwrap().unwrap();
        assert_eq!(m("Unix", &[]), Value::Int(1_257_894_245));
        assert_eq!(m("Year", &[]), Value::Int(2009));
        assert_eq!(format!("{}", m("Month", &[])), "November");
        assert_eq!(format!("{}", m("Weekday", &[])), "Tuesday");
        assert_eq!(m("Add", &[Value::Int(3_600_000_000_000)]), Value::Time(Time::from_unix(1_257_897_845, 0)));
        assert_eq!(format!("{}", m("Sub", &[Value::Time(Time::from_unix(1_257_894_000, 0))])), "4m5s");
        assert_eq!(
            m("AddDate", &[Value::Int(0), Value::Int(2), Value::Int(0)]),
            Value::Time(Time::parse_rfc3339("2010-01-10T23:04:05Z").unwrap())
        );
        assert_eq!(m("Truncate", &[Value::Int(3_600_000_000_000)]).to_string(), "2009-11-10 23:00:00 +0000 UTC");
        assert!(t.method("Nope", &[]).is_none());
    }
}
