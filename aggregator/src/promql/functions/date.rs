//! Date functions (`minute`, `hour`, `day_of_week`, `day_of_month`, `day_of_year`,
//! `days_in_month`, `month`, `year`), following Prometheus' `dateWrapper` in
//! `promql/functions.go`: each value is read as Unix seconds (truncated) in UTC; without an
//! argument they use the evaluation time.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

/// Whether `name` is one of the date functions.
pub(crate) fn is_date_function(name: &str) -> bool {
    date_part(name, 0.0).is_some()
}

/// The date component `name` of `secs` (Unix seconds), or `None` for an unknown name. Values
/// that are no representable time (NaN, infinities, far-away years) yield NaN.
pub(crate) fn date_part(name: &str, secs: f64) -> Option<f64> {
    let t = if secs.is_finite() { DateTime::<Utc>::from_timestamp(secs as i64, 0) } else { None };
    let part = |f: fn(&DateTime<Utc>) -> f64| t.as_ref().map_or(f64::NAN, f);
    Some(match name {
        "minute" => part(|t| f64::from(t.minute())),
        "hour" => part(|t| f64::from(t.hour())),
        "day_of_week" => part(|t| f64::from(t.weekday().num_days_from_sunday())),
        "day_of_month" => part(|t| f64::from(t.day())),
        "day_of_year" => part(|t| f64::from(t.ordinal())),
        "days_in_month" => part(|t| days_in_month(t.year(), t.month())),
        "month" => part(|t| f64::from(t.month())),
        "year" => part(|t| f64::from(t.year())),
        _ => return None,
    })
}

/// The number of days in a month of the proleptic Gregorian calendar.
fn days_in_month(year: i32, month: u32) -> f64 {
    let first = NaiveDate::from_ymd_opt(year, month, 1);
    let next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) };
    match (first, next) {
        (Some(a), Some(b)) => (b - a).num_days() as f64,
        _ => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_parts_of_a_known_time() {
        // 2024-02-29T13:45:30Z, a Thursday.
        let t = 1_709_214_330.9;
        assert_eq!(date_part("minute", t), Some(45.0));
        assert_eq!(date_part("hour", t), Some(13.0));
        assert_eq!(date_part("day_of_week", t), Some(4.0));
        assert_eq!(date_part("day_of_month", t), Some(29.0));
        assert_eq!(date_part("day_of_year", t), Some(60.0));
        assert_eq!(date_part("days_in_month", t), Some(29.0));
        assert_eq!(date_part("month", t), Some(2.0));
        assert_eq!(date_part("year", t), Some(2024.0));
        assert_eq!(date_part("days_in_month", 0.0), Some(31.0));
        assert_eq!(date_part("nope", t), None);
        assert!(date_part("year", f64::NAN).is_some_and(f64::is_nan));
        assert!(date_part("year", 1e300).is_some_and(f64::is_nan));
    }
}
