//! The [`Time`] type: an instant (Unix seconds and nanoseconds) in a fixed zone, its
//! constructors and accessors, the civil calendar, and Go's `Time.String()`.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds from 0001-01-01T00:00:00Z (Go's zero time) to the Unix epoch.
pub(super) const UNIX_TO_ZERO: i64 = 62_135_596_800;

/// Go's `time.Time`: an instant (Unix seconds and nanoseconds) in a fixed zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Time {
    pub(super) secs: i64,
    pub(super) nanos: u32,
    pub(super) offset: i32,
    pub(super) zone: String,
}

pub(super) const MONTHS: [&str; 12] = [
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
pub(super) const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

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
pub(super) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
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

/// The civil fields of a time in its own zone.
pub(super) struct Parts {
    pub(super) year: i64,
    pub(super) month: u32,
    pub(super) day: u32,
    pub(super) yday: u32,
    pub(super) weekday: usize,
    pub(super) hour: u32,
    pub(super) min: u32,
    pub(super) sec: u32,
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

    pub(super) fn parts(&self) -> Parts {
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

    pub(super) fn cmp_instant(&self, u: &Time) -> std::cmp::Ordering {
        (self.secs, self.nanos).cmp(&(u.secs, u.nanos))
    }
}

/// Go's `Time.String()`: `2006-01-02 15:04:05.999999999 -0700 MST`.
impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format("2006-01-02 15:04:05.999999999 -0700 MST"))
    }
}
