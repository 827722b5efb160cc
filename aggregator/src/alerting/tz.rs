//! IANA time zones read from the system's TZif files (`/usr/share/zoneinfo`), enough to find
//! the UTC offset in force at an instant, for `time_intervals`' `location`.
//!
//! Transitions come from the file's 64-bit block; instants after the last transition use the
//! POSIX TZ rule in the file's footer (as Go's `time` package does).

use std::path::PathBuf;

/// A time zone that cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TzError {
    /// The name is not a valid zone name (absolute, `..`, empty element...).
    #[error("time: invalid location name")]
    InvalidName,
    /// No zoneinfo file holds this zone.
    #[error("unknown time zone {0}")]
    Unknown(String),
    /// The file exists but is not valid TZif data.
    #[error("malformed time zone information for {0}")]
    Malformed(String),
}

/// One local time type: offset from UTC in seconds and whether it is daylight saving time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LocalType {
    offset: i32,
    is_dst: bool,
}

/// A loaded time zone.
#[derive(Clone, PartialEq, Eq)]
pub struct Location {
    name: String,
    /// Transition instants (Unix seconds, ascending) and the type in force from each.
    transitions: Vec<(i64, LocalType)>,
    /// The type in force before the first transition.
    initial: LocalType,
    /// The footer rule for instants after the last transition.
    rule: Option<PosixRule>,
}

impl std::fmt::Debug for Location {
    /// Just the name: the transition table would drown any configuration dump.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Location({:?})", self.name)
    }
}

impl Location {
    /// UTC.
    pub fn utc() -> Self {
        let utc = LocalType { offset: 0, is_dst: false };
        Location { name: "UTC".into(), transitions: Vec::new(), initial: utc, rule: None }
    }

    /// Loads a zone like Go's `time.LoadLocation`: `""` and `UTC` are UTC; other names are read
    /// from `$ZONEINFO` (a directory) or `/usr/share/zoneinfo`.
    pub fn load(name: &str) -> Result<Self, TzError> {
        if name.is_empty() || name == "UTC" {
            return Ok(Location::utc());
        }
        if name.starts_with('/') || name.contains('\\') || name.split('/').any(|e| e.is_empty() || e == "..") {
            return Err(TzError::InvalidName);
        }
        let mut dirs: Vec<PathBuf> = Vec::new();
        if let Some(z) = std::env::var_os("ZONEINFO") {
            dirs.push(PathBuf::from(z));
        }
        dirs.extend(["/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ"].map(PathBuf::from));
        for dir in dirs {
            if let Ok(data) = std::fs::read(dir.join(name)) {
                return parse_tzif(name, &data).ok_or_else(|| TzError::Malformed(name.to_string()));
            }
        }
        Err(TzError::Unknown(name.to_string()))
    }

    /// The zone's name as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Offset from UTC, in seconds, at Unix time `t`.
    pub fn offset_at(&self, t: i64) -> i32 {
        match self.transitions.last() {
            None => return self.rule.as_ref().map_or(self.initial.offset, |r| r.offset_at(t)),
            Some((last, _)) if t >= *last => {
                if let Some(r) = &self.rule {
                    return r.offset_at(t);
                }
            }
            _ => {}
        }
        let i = self.transitions.partition_point(|(at, _)| *at <= t);
        if i == 0 {
            self.initial.offset
        } else {
            self.transitions[i - 1].1.offset
        }
    }
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.data.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(s)
    }
    fn be32(&mut self) -> Option<i32> {
        self.take(4).map(|b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn be64(&mut self) -> Option<i64> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Some(i64::from_be_bytes(a))
    }
    fn count(&mut self) -> Option<usize> {
        usize::try_from(self.be32()?).ok()
    }
}

struct Header {
    version: u8,
    isutcnt: usize,
    isstdcnt: usize,
    leapcnt: usize,
    timecnt: usize,
    typecnt: usize,
    charcnt: usize,
}

fn header(r: &mut Reader<'_>) -> Option<Header> {
    if r.take(4)? != b"TZif" {
        return None;
    }
    let version = r.take(1)?[0];
    r.take(15)?;
    Some(Header {
        version,
        isutcnt: r.count()?,
        isstdcnt: r.count()?,
        leapcnt: r.count()?,
        timecnt: r.count()?,
        typecnt: r.count()?,
        charcnt: r.count()?,
    })
}

fn parse_tzif(name: &str, data: &[u8]) -> Option<Location> {
    let mut r = Reader { data, pos: 0 };
    let mut h = header(&mut r)?;
    let mut time_size = 4;
    if h.version >= b'2' {
        // Skip the 32-bit block; the 64-bit one after it covers all instants.
        let v1 = h.timecnt * 5 + h.typecnt * 6 + h.charcnt + h.leapcnt * 8 + h.isstdcnt + h.isutcnt;
        r.take(v1)?;
        h = header(&mut r)?;
        time_size = 8;
    }
    let mut times = Vec::with_capacity(h.timecnt);
    for _ in 0..h.timecnt {
        times.push(if time_size == 8 { r.be64()? } else { i64::from(r.be32()?) });
    }
    let indices = r.take(h.timecnt)?.to_vec();
    let mut types = Vec::with_capacity(h.typecnt);
    for _ in 0..h.typecnt {
        let offset = r.be32()?;
        let b = r.take(2)?;
        types.push(LocalType { offset, is_dst: b[0] != 0 });
    }
    if types.is_empty() {
        return None;
    }
    r.take(h.charcnt + h.leapcnt * (time_size + 4) + h.isstdcnt + h.isutcnt)?;
    let mut transitions = Vec::with_capacity(times.len());
    for (t, i) in times.into_iter().zip(indices) {
        transitions.push((t, *types.get(usize::from(i))?));
    }
    // Before the first transition, Go uses the first standard-time type (RFC 8536 3.2).
    let initial = types.iter().copied().find(|t| !t.is_dst).unwrap_or(types[0]);
    let rule = if h.version >= b'2' {
        let footer = &data[r.pos..];
        let text = std::str::from_utf8(footer).ok()?;
        let tz = text.trim_matches('\n');
        if tz.is_empty() {
            None
        } else {
            PosixRule::parse(tz)
        }
    } else {
        None
    };
    Some(Location { name: name.to_string(), transitions, initial, rule })
}

/// A POSIX TZ rule such as `CET-1CEST,M3.5.0,M10.5.0/3`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PosixRule {
    std_offset: i32,
    dst: Option<DstRule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct DstRule {
    offset: i32,
    start: (DateRule, i32),
    end: (DateRule, i32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateRule {
    /// `Jn`: day 1..=365, February 29 never counted.
    Julian(u16),
    /// `n`: zero-based day of year, leap days counted.
    Zero(u16),
    /// `Mm.w.d`: day `d` (0 = Sunday) of week `w` (5 = last) of month `m`.
    Month(u32, u32, u32),
}

impl PosixRule {
    fn parse(s: &str) -> Option<Self> {
        let mut p = s;
        p = skip_name(p)?;
        let (std, rest) = parse_offset(p)?;
        p = rest;
        // POSIX offsets are west-positive; ours are east-positive.
        let std_offset = -std;
        if p.is_empty() {
            return Some(PosixRule { std_offset, dst: None });
        }
        p = skip_name(p)?;
        let mut dst_offset = std_offset + 3600;
        if !p.starts_with(',') && !p.is_empty() {
            let (o, rest) = parse_offset(p)?;
            dst_offset = -o;
            p = rest;
        }
        // A DST name without rules means the US default (not used by tzdata footers).
        let p = p.strip_prefix(',').unwrap_or("M3.2.0,M11.1.0");
        let (start, end) = p.split_once(',')?;
        Some(PosixRule {
            std_offset,
            dst: Some(DstRule { offset: dst_offset, start: parse_date_time(start)?, end: parse_date_time(end)? }),
        })
    }

    fn offset_at(&self, t: i64) -> i32 {
        let Some(dst) = &self.dst else { return self.std_offset };
        let year = chrono::DateTime::from_timestamp(t + i64::from(self.std_offset), 0)
            .map_or(1970, |d| chrono::Datelike::year(&d.naive_utc()));
        // Transition instants in UTC: the start is given in standard time, the end in DST.
        let start =
            year_start(year) + dst.start.0.day_offset(year) + i64::from(dst.start.1) - i64::from(self.std_offset);
        let end = year_start(year) + dst.end.0.day_offset(year) + i64::from(dst.end.1) - i64::from(dst.offset);
        let in_dst = if start < end { t >= start && t < end } else { !(t >= end && t < start) };
        if in_dst {
            dst.offset
        } else {
            self.std_offset
        }
    }
}

fn year_start(year: i32) -> i64 {
    chrono::NaiveDate::from_ymd_opt(year, 1, 1)
        .map_or(0, |d| d.and_hms_opt(0, 0, 0).map_or(0, |dt| dt.and_utc().timestamp()))
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

impl DateRule {
    /// Seconds from January 1st 00:00 to the rule's day at 00:00.
    fn day_offset(self, year: i32) -> i64 {
        let day = match self {
            DateRule::Julian(n) => {
                let mut d = i64::from(n) - 1;
                if is_leap(year) && n >= 60 {
                    d += 1;
                }
                d
            }
            DateRule::Zero(n) => i64::from(n),
            DateRule::Month(m, w, wd) => {
                use chrono::Datelike;
                let Some(first) = chrono::NaiveDate::from_ymd_opt(year, m, 1) else { return 0 };
                let first_wd = first.weekday().num_days_from_sunday();
                let mut day = 1 + (7 + wd - first_wd) % 7 + (w - 1) * 7;
                let dim = days_in_month(year, m);
                while day > dim {
                    day -= 7;
                }
                i64::from(first.ordinal0() + day - 1)
            }
        };
        day * 86400
    }
}

/// Days in a month of the proleptic Gregorian calendar.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn skip_name(p: &str) -> Option<&str> {
    if let Some(rest) = p.strip_prefix('<') {
        return rest.split_once('>').map(|(_, r)| r);
    }
    let n = p.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(p.len());
    (n >= 3).then(|| &p[n..])
}

/// Parses `[+-]hh[:mm[:ss]]`, returning seconds.
fn parse_offset(p: &str) -> Option<(i32, &str)> {
    let (sign, p) = match p.as_bytes().first() {
        Some(b'-') => (-1, &p[1..]),
        Some(b'+') => (1, &p[1..]),
        _ => (1, p),
    };
    let (secs, rest) = parse_hms(p)?;
    Some((sign * secs, rest))
}

fn parse_hms(p: &str) -> Option<(i32, &str)> {
    let mut total = 0;
    let mut rest = p;
    for (i, mult) in [3600, 60, 1].into_iter().enumerate() {
        if i > 0 {
            match rest.strip_prefix(':') {
                Some(r) => rest = r,
                None => break,
            }
        }
        let n = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if n == 0 {
            return None;
        }
        total += rest[..n].parse::<i32>().ok()? * mult;
        rest = &rest[n..];
    }
    Some((total, rest))
}

fn parse_date_time(s: &str) -> Option<(DateRule, i32)> {
    let (date, time) = match s.split_once('/') {
        Some((d, t)) => (d, parse_offset(t)?.0),
        None => (s, 7200),
    };
    let rule = if let Some(m) = date.strip_prefix('M') {
        let mut it = m.split('.').map(|x| x.parse::<u32>().ok());
        let (m, w, d) = (it.next()??, it.next()??, it.next()??);
        if !(1..=12).contains(&m) || !(1..=5).contains(&w) || d > 6 {
            return None;
        }
        DateRule::Month(m, w, d)
    } else if let Some(j) = date.strip_prefix('J') {
        DateRule::Julian(j.parse().ok()?)
    } else {
        DateRule::Zero(date.parse().ok()?)
    };
    Some((rule, time))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp()
    }

    #[test]
    fn sydney_offsets_from_tzif_and_footer() {
        let syd = Location::load("Australia/Sydney").unwrap();
        assert_eq!(syd.offset_at(ts("2021-04-06T03:00:00Z")), 10 * 3600);
        assert_eq!(syd.offset_at(ts("2021-11-01T00:00:00Z")), 11 * 3600);
        // DST ended 2021-04-04 03:00 local (16:00 UTC the day before).
        assert_eq!(syd.offset_at(ts("2021-04-03T15:59:59Z")), 11 * 3600);
        assert_eq!(syd.offset_at(ts("2021-04-03T16:00:00Z")), 10 * 3600);
        // Far beyond any transition in the file: the footer rule decides.
        assert_eq!(syd.offset_at(ts("2090-01-15T00:00:00Z")), 11 * 3600);
        assert_eq!(syd.offset_at(ts("2090-07-15T00:00:00Z")), 10 * 3600);
    }

    #[test]
    fn posix_rules() {
        let r = PosixRule::parse("CET-1CEST,M3.5.0,M10.5.0/3").unwrap();
        // 2100-03-28 is the last Sunday of March 2100; DST starts 01:00 UTC.
        assert_eq!(r.offset_at(ts("2100-03-28T00:59:59Z")), 3600);
        assert_eq!(r.offset_at(ts("2100-03-28T01:00:00Z")), 7200);
        assert_eq!(PosixRule::parse("<+0530>-5:30").unwrap().offset_at(0), 19800);
        let ny = PosixRule::parse("EST5EDT,M3.2.0,M11.1.0").unwrap();
        assert_eq!(ny.offset_at(ts("2100-07-01T00:00:00Z")), -4 * 3600);
        assert_eq!(ny.offset_at(ts("2100-12-01T00:00:00Z")), -5 * 3600);
    }

    #[test]
    fn bad_names() {
        assert_eq!(Location::load("../etc/passwd"), Err(TzError::InvalidName));
        assert!(matches!(Location::load("Nowhere/Atlantis"), Err(TzError::Unknown(_))));
        assert_eq!(Location::load("UTC").unwrap().offset_at(0), 0);
    }
}
