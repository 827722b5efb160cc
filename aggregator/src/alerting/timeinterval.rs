//! `time_intervals`: named sets of periods (times of day, weekdays, days of month, months, years,
//! in a time zone) used by routes' `mute_time_intervals` and `active_time_intervals`.
//!
//! Within one [`TimeInterval`] every field that is set must match; a named interval holds
//! several of them, ORed. Semantics follow Alertmanager 0.25's `timeinterval` package.

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::Deserialize;

use super::config::types;
use super::tz::{days_in_month, Location};

/// A time of day range in minutes since midnight: start inclusive, end exclusive (`24:00` =
/// 1440 allowed as an end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    /// First minute of the day inside the range.
    pub start_minute: u32,
    /// First minute after the range.
    pub end_minute: u32,
}

/// An inclusive range of integers (weekdays 0 = Sunday, days of month with negative values
/// counting from the end, months 1-12, years).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InclusiveRange {
    /// First value.
    pub begin: i32,
    /// Last value.
    pub end: i32,
}

/// One period: all fields that are set must match.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimeInterval {
    /// Times of day; `None` matches any time. An empty list matches nothing, as upstream.
    pub times: Option<Vec<TimeRange>>,
    /// Weekday ranges (0 = Sunday .. 6 = Saturday).
    pub weekdays: Option<Vec<InclusiveRange>>,
    /// Day-of-month ranges (1..31 or -31..-1 from the end of the month).
    pub days_of_month: Option<Vec<InclusiveRange>>,
    /// Month ranges (1 = January).
    pub months: Option<Vec<InclusiveRange>>,
    /// Year ranges.
    pub years: Option<Vec<InclusiveRange>>,
    /// Time zone the fields are read in; `None` is UTC.
    pub location: Option<Location>,
}

/// An invalid time interval definition; messages are Alertmanager's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TimeIntervalError(pub String);

impl TimeInterval {
    /// Whether the instant falls inside this period.
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        let offset = self.location.as_ref().map_or(0, |l| l.offset_at(t.timestamp()));
        let local = t.naive_utc() + chrono::Duration::seconds(i64::from(offset));
        if let Some(times) = &self.times {
            let minute = local.hour() * 60 + local.minute();
            if !times.iter().any(|r| minute >= r.start_minute && minute < r.end_minute) {
                return false;
            }
        }
        if let Some(days) = &self.days_of_month {
            let dim = days_in_month(local.year(), local.month()) as i32;
            let day = local.day() as i32;
            let hit = days.iter().any(|r| {
                let begin = if r.begin < 0 { dim + r.begin + 1 } else { r.begin };
                let end = if r.end < 0 { dim + r.end + 1 } else { r.end };
                // A range starting after the end of this month never matches in it.
                if begin > dim {
                    return false;
                }
                let (begin, end) = (begin.clamp(-dim, dim), end.clamp(-dim, dim));
                day >= begin && day <= end
            });
            if !hit {
                return false;
            }
        }
        let in_any = |ranges: &Option<Vec<InclusiveRange>>, v: i32| {
            ranges.as_ref().is_none_or(|rs| rs.iter().any(|r| v >= r.begin && v <= r.end))
        };
        in_any(&self.months, local.month() as i32)
            && in_any(&self.weekdays, local.weekday().num_days_from_sunday() as i32)
            && in_any(&self.years, local.year())
    }
}

/// Whether any of the periods contains the instant.
pub fn any_contains(intervals: &[TimeInterval], t: DateTime<Utc>) -> bool {
    intervals.iter().any(|i| i.contains(t))
}

const WEEKDAYS: [&str; 7] = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Go's `strconv.Atoi`: optional sign, decimal digits.
fn atoi(s: &str) -> Result<i32, TimeIntervalError> {
    s.parse::<i32>().map_err(|_| TimeIntervalError(format!("strconv.Atoi: parsing {s:?}: invalid syntax")))
}

/// Splits `a:b` or `a` (lowercased) and maps both ends with `member`.
fn parse_range(
    input: &str,
    member: impl Fn(&str) -> Result<i32, TimeIntervalError>,
) -> Result<InclusiveRange, TimeIntervalError> {
    let lower = input.to_lowercase();
    if lower.contains(':') {
        let parts: Vec<&str> = lower.split(':').collect();
        if parts.len() != 2 {
            return Err(TimeIntervalError(format!("couldn't parse range {lower}, invalid format")));
        }
        return Ok(InclusiveRange { begin: member(parts[0])?, end: member(parts[1])? });
    }
    let v = member(&lower)?;
    Ok(InclusiveRange { begin: v, end: v })
}

/// Parses a weekday range such as `monday:friday`.
pub fn parse_weekday_range(s: &str) -> Result<InclusiveRange, TimeIntervalError> {
    let r = parse_range(s, |m| {
        WEEKDAYS
            .iter()
            .position(|d| *d == m)
            .map(|i| i as i32)
            .ok_or_else(|| TimeIntervalError(format!("{m} is not a valid weekday")))
    })?;
    if r.begin > r.end {
        return Err(TimeIntervalError("start day cannot be before end day".into()));
    }
    Ok(r)
}

/// Parses a day-of-month range such as `1:5` or `-3:-1`.
pub fn parse_day_of_month_range(s: &str) -> Result<InclusiveRange, TimeIntervalError> {
    let r = parse_range(s, atoi)?;
    for v in [r.begin, r.end] {
        if v == 0 || !(-31..=31).contains(&v) {
            return Err(TimeIntervalError(format!("{v} is not a valid day of the month: out of range")));
        }
    }
    if r.begin < 0 && r.end > 0 {
        return Err(TimeIntervalError("end day must be negative if start day is negative".into()));
    }
    // Negative days are checked against the shortest month (28 days) to catch ranges that are
    // empty in every month.
    let check = |v: i32| if v < 0 { 28 + v } else { v };
    if check(r.begin) > check(r.end) {
        return Err(TimeIntervalError(format!("end day {} is always before start day {}", r.end, r.begin)));
    }
    Ok(r)
}

/// Parses a month range such as `january:march` or `11`.
pub fn parse_month_range(s: &str) -> Result<InclusiveRange, TimeIntervalError> {
    let r = parse_range(s, |m| match MONTHS.iter().position(|x| *x == m) {
        Some(i) => Ok(i as i32 + 1),
        None => m.parse::<i32>().map_err(|_| TimeIntervalError(format!("{m} is not a valid month"))),
    })?;
    if r.begin > r.end {
        let name = |v: i32| usize::try_from(v - 1).ok().and_then(|i| MONTHS.get(i)).copied().unwrap_or("");
        return Err(TimeIntervalError(format!("end month {} is before start month {}", name(r.end), name(r.begin))));
    }
    Ok(r)
}

/// Parses a year range such as `2024:2026`.
pub fn parse_year_range(s: &str) -> Result<InclusiveRange, TimeIntervalError> {
    let r = parse_range(s, atoi)?;
    if r.begin > r.end {
        return Err(TimeIntervalError(format!("end year {} is before start year {}", r.end, r.begin)));
    }
    Ok(r)
}

/// Parses `HH:MM` (00:00 to 23:59, or 24:00) into minutes since midnight.
pub fn parse_time(s: &str) -> Result<u32, TimeIntervalError> {
    let err = || TimeIntervalError(format!("couldn't parse timestamp {s}, invalid format"));
    let b = s.as_bytes();
    if s == "24:00" {
        return Ok(1440);
    }
    if b.len() != 5 || b[2] != b':' || !b.iter().enumerate().all(|(i, c)| i == 2 || c.is_ascii_digit()) {
        return Err(err());
    }
    let h = u32::from(b[0] - b'0') * 10 + u32::from(b[1] - b'0');
    let m = u32::from(b[3] - b'0') * 10 + u32::from(b[4] - b'0');
    if h > 23 || m > 59 {
        return Err(err());
    }
    Ok(h * 60 + m)
}

/// Parses a `{start_time, end_time}` pair.
pub fn parse_time_range(start: &str, end: &str) -> Result<TimeRange, TimeIntervalError> {
    if start.is_empty() || end.is_empty() {
        return Err(TimeIntervalError("both start and end times must be provided".into()));
    }
    let (s, e) = (parse_time(start)?, parse_time(end)?);
    if s >= e {
        return Err(TimeIntervalError("start time cannot be equal or greater than end time".into()));
    }
    Ok(TimeRange { start_minute: s, end_minute: e })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeRange {
    #[serde(default, deserialize_with = "types::string")]
    start_time: String,
    #[serde(default, deserialize_with = "types::string")]
    end_time: String,
}

/// The YAML shape of a [`TimeInterval`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTimeInterval {
    #[serde(default)]
    times: Option<Vec<RawTimeRange>>,
    #[serde(default)]
    weekdays: Option<Vec<String>>,
    #[serde(default)]
    days_of_month: Option<Vec<String>>,
    #[serde(default)]
    months: Option<Vec<String>>,
    #[serde(default)]
    years: Option<Vec<String>>,
    #[serde(default)]
    location: Option<String>,
}

fn parse_all(
    v: Option<Vec<String>>,
    f: fn(&str) -> Result<InclusiveRange, TimeIntervalError>,
) -> Result<Option<Vec<InclusiveRange>>, TimeIntervalError> {
    v.map(|v| v.iter().map(|s| f(s)).collect()).transpose()
}

impl TryFrom<RawTimeInterval> for TimeInterval {
    type Error = TimeIntervalError;
    fn try_from(r: RawTimeInterval) -> Result<Self, Self::Error> {
        let times = r
            .times
            .map(|ts| ts.iter().map(|t| parse_time_range(&t.start_time, &t.end_time)).collect::<Result<Vec<_>, _>>())
            .transpose()?;
        let location =
            r.location.map(|l| Location::load(&l).map_err(|e| TimeIntervalError(e.to_string()))).transpose()?;
        Ok(TimeInterval {
            times,
            weekdays: parse_all(r.weekdays, parse_weekday_range)?,
            days_of_month: parse_all(r.days_of_month, parse_day_of_month_range)?,
            months: parse_all(r.months, parse_month_range)?,
            years: parse_all(r.years, parse_year_range)?,
            location,
        })
    }
}

impl<'de> Deserialize<'de> for TimeInterval {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawTimeInterval::deserialize(d)?;
        TimeInterval::try_from(raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
#[path = "timeinterval_tests.rs"]
mod tests;
