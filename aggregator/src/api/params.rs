//! Request parameters the way Prometheus reads them (Go's `Request.ParseForm`): URL query
//! parameters plus, for POST/PUT/PATCH with `application/x-www-form-urlencoded`, the body's,
//! body values first. Also the time and duration syntaxes of `web/api/v1/api.go`.

use super::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, Method};

/// Prometheus' `MinTime` (the default `start` of metadata queries) in milliseconds.
pub const MIN_TIME_MS: i64 = -9_223_309_901_257_974_000;
/// Prometheus' `MaxTime` (the default `end` of metadata queries) in milliseconds.
pub const MAX_TIME_MS: i64 = 9_223_309_901_257_974_999;
/// `MinTime` formatted as RFC 3339, which clients send back verbatim.
const MIN_TIME_FORMATTED: &str = "-292273086-05-16T16:47:06Z";
/// `MaxTime` formatted as RFC 3339, which clients send back verbatim.
const MAX_TIME_FORMATTED: &str = "292277025-08-18T07:12:54.999999999Z";

/// Form parameters of one request, in Go's `r.Form` order.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Reads the URL query and, for form posts, the body.
    pub async fn from_request(req: Request) -> Result<Params, ApiError> {
        let query = req.uri().query().unwrap_or("").to_owned();
        let is_form = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH)
            && req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(';').next())
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"));
        let mut pairs = Vec::new();
        if is_form {
            let body = Bytes::from_request(req, &())
                .await
                .map_err(|e| ApiError::bad_data(format!("error parsing form values: {e}")))?;
            pairs.extend(form_urlencoded::parse(&body).into_owned());
        }
        pairs.extend(form_urlencoded::parse(query.as_bytes()).into_owned());
        Ok(Params(pairs))
    }

    /// Builds parameters from pairs (for tests and internal callers).
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Params(pairs)
    }

    /// The first value of `name`, or `""` when absent (Go's `FormValue`).
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name` in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }
}

/// Parses a time given as Unix seconds (float) or RFC 3339, returning milliseconds.
pub fn parse_time(s: &str) -> Result<i64, String> {
    if let Ok(f) = s.parse::<f64>() {
        // ±9.2e15 s is where milliseconds stop fitting in an i64.
        if f.is_finite() && f.abs() < 9.2e15 {
            let secs = f.trunc();
            let ms = (f.fract() * 1000.0).round();
            return Ok(secs as i64 * 1000 + ms as i64);
        }
    }
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Ok(t.timestamp_millis());
    }
    // chrono, like Go's time package, cannot parse these far-away years; Prometheus special-cases
    // its own boundary times, and so do we.
    match s {
        MIN_TIME_FORMATTED => Ok(MIN_TIME_MS),
        MAX_TIME_FORMATTED => Ok(MAX_TIME_MS),
        _ => Err(format!("cannot parse {s:?} to a valid timestamp")),
    }
}

/// A time parameter with a default, with Prometheus' error wording.
pub fn time_param(params: &Params, name: &str, default: i64) -> Result<i64, ApiError> {
    match params.get(name) {
        "" => Ok(default),
        v => parse_time(v).map_err(|e| ApiError::invalid_param(name, format!("invalid time value for '{name}': {e}"))),
    }
}

/// Parses a duration given as float seconds or as a Prometheus duration (`1h30m`, `15s`,
/// `100ms`), returning nanoseconds.
pub fn parse_duration_ns(s: &str) -> Result<i128, String> {
    if let Ok(f) = s.parse::<f64>() {
        let ns = f * 1e9;
        if !ns.is_finite() || ns > i64::MAX as f64 || ns < i64::MIN as f64 {
            return Err(format!("cannot parse {s:?} to a valid duration. It overflows int64"));
        }
        // Go converts with truncation toward zero.
        return Ok(ns as i128);
    }
    parse_prometheus_duration(s).ok_or_else(|| format!("cannot parse {s:?} to a valid duration"))
}

/// Prometheus' `model.ParseDuration`: units y, w, d, h, m, s, ms, each at most once and in that
/// order; `0` alone is allowed.
fn parse_prometheus_duration(s: &str) -> Option<i128> {
    const UNITS: [(&str, i128); 7] = [
        ("y", 365 * 24 * 3600 * 1_000_000_000),
        ("w", 7 * 24 * 3600 * 1_000_000_000),
        ("d", 24 * 3600 * 1_000_000_000),
        ("h", 3600 * 1_000_000_000),
        ("m", 60 * 1_000_000_000),
        ("s", 1_000_000_000),
        ("ms", 1_000_000),
    ];
    if s == "0" {
        return Some(0);
    }
    if s.is_empty() {
        return None;
    }
    let mut rest = s;
    let mut total: i128 = 0;
    let mut next_unit = 0;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        if digits == 0 {
            return None;
        }
        let n: i128 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        // "ms" must be tried before "m".
        let unit_len = if rest.starts_with("ms") { 2 } else { 1 };
        let unit = rest.get(..unit_len)?;
        let idx = UNITS.iter().position(|(u, _)| *u == unit)?;
        if idx < next_unit {
            return None;
        }
        next_unit = idx + 1;
        total = total.checked_add(n.checked_mul(UNITS[idx].1)?)?;
        rest = &rest[unit_len..];
    }
    if total > i64::MAX as i128 {
        return None;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_as_prometheus_does() {
        assert_eq!(parse_time("1435781451.781"), Ok(1_435_781_451_781));
        assert_eq!(parse_time("1435781451"), Ok(1_435_781_451_000));
        assert_eq!(parse_time("-1.5"), Ok(-1_500));
        assert_eq!(parse_time("2015-07-01T20:10:51.781Z"), Ok(1_435_781_451_781));
        assert_eq!(parse_time("2015-07-01T22:10:51+02:00"), Ok(1_435_781_451_000));
        assert_eq!(parse_time(MIN_TIME_FORMATTED), Ok(MIN_TIME_MS));
        assert_eq!(parse_time(MAX_TIME_FORMATTED), Ok(MAX_TIME_MS));
        assert!(parse_time("abc").is_err());
        assert!(parse_time("").is_err());
        assert!(parse_time("NaN").is_err());
        assert!(parse_time("1e300").is_err());
    }

    #[test]
    fn durations_parse_as_prometheus_does() {
        assert_eq!(parse_duration_ns("15"), Ok(15_000_000_000));
        assert_eq!(parse_duration_ns("0.5"), Ok(500_000_000));
        assert_eq!(parse_duration_ns("15s"), Ok(15_000_000_000));
        assert_eq!(parse_duration_ns("1m30s"), Ok(90_000_000_000));
        assert_eq!(parse_duration_ns("1h"), Ok(3_600_000_000_000));
        assert_eq!(parse_duration_ns("100ms"), Ok(100_000_000));
        assert_eq!(parse_duration_ns("1d"), Ok(86_400_000_000_000));
        assert_eq!(parse_duration_ns("0"), Ok(0));
        assert_eq!(parse_duration_ns("-15"), Ok(-15_000_000_000));
        assert!(parse_duration_ns("").is_err());
        assert!(parse_duration_ns("1x").is_err());
        assert!(parse_duration_ns("30s1m").is_err());
        assert!(parse_duration_ns("s").is_err());
        assert!(parse_duration_ns("1e300").is_err());
        assert!(parse_duration_ns("NaN").is_err());
    }

    #[test]
    fn form_values_take_the_first_occurrence() {
        let p = Params::from_pairs(vec![("a".into(), "1".into()), ("a".into(), "2".into())]);
        assert_eq!(p.get("a"), "1");
        assert_eq!(p.all("a"), ["1", "2"]);
        assert_eq!(p.get("b"), "");
    }
}
