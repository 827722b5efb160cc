//! Go's reference-time layouts (`2006-01-02T15:04:05Z07:00`): `t.Format` and the layout
//! scanner (Go's `nextStdChunk`).

use super::instant::{Time, DAYS, MONTHS};

impl Time {
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
