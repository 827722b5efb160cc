//! Durations in Prometheus' notation (`1h30m`, `10s`, `500ms`, `2d`), used by both binaries'
//! configuration files and by the HTTP API's `step` and `timeout` parameters.

use std::time::Duration;

/// A duration string that is not in Prometheus' notation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid duration string: {0:?}")]
pub struct DurationError(pub String);

/// Units in the order Prometheus requires them, with their length in milliseconds.
const UNITS: [(&str, u64); 7] = [
    ("y", 365 * 24 * 3600 * 1000),
    ("w", 7 * 24 * 3600 * 1000),
    ("d", 24 * 3600 * 1000),
    ("h", 3600 * 1000),
    ("m", 60 * 1000),
    ("s", 1000),
    ("ms", 1),
];

/// Parses `[Ny][Nw][Nd][Nh][Nm][Ns][Nms]` (at least one part, units in that order, each once).
/// `"0"` is accepted as zero, as Prometheus does.
pub fn parse_duration(s: &str) -> Result<Duration, DurationError> {
    let err = || DurationError(s.to_string());
    if s == "0" {
        return Ok(Duration::ZERO);
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut next_unit = 0; // index into UNITS: units must appear in decreasing order
    let mut total: u64 = 0;
    if bytes.is_empty() {
        return Err(err());
    }
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(err());
        }
        let n: u64 = s[start..i].parse().map_err(|_| err())?;
        let ustart = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let unit = &s[ustart..i];
        let pos = UNITS[next_unit..].iter().position(|(u, _)| *u == unit).ok_or_else(err)? + next_unit;
        next_unit = pos + 1;
        total = n.checked_mul(UNITS[pos].1).and_then(|v| total.checked_add(v)).ok_or_else(err)?;
    }
    Ok(Duration::from_millis(total))
}

/// Formats a duration the way Prometheus prints one (`1h30m`, `500ms`, `0s`).
pub fn format_duration(d: Duration) -> String {
    let mut ms = d.as_millis() as u64;
    if ms == 0 {
        return "0s".into();
    }
    let mut out = String::new();
    for (unit, len) in UNITS {
        if ms >= len {
            out.push_str(&format!("{}{}", ms / len, unit));
            ms %= len;
        }
    }
    out
}

/// Serde adapter for `Duration` fields written as Prometheus duration strings:
/// `#[serde(with = "pharos_protocol::duration::serde_str")]`.
pub mod serde_str {
    use super::{format_duration, parse_duration};
    use serde::{Deserialize, Deserializer, Serializer};
    use std::time::Duration;

    /// Serializes as a duration string.
    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_duration(*d))
    }

    /// Deserializes from a duration string.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let s = String::deserialize(d)?;
        parse_duration(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_prometheus_durations() {
        assert_eq!(parse_duration("10s").unwrap(), Duration::from_secs(10));
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("1m500ms").unwrap(), Duration::from_millis(60_500));
        assert_eq!(parse_duration("0").unwrap(), Duration::ZERO);
        for bad in ["", "s", "10", "1m1h", "1s1s", "1.5s", "-1s", "10x", "99999999999999999999y"] {
            assert!(parse_duration(bad).is_err(), "{bad} should fail");
        }
    }

    #[test]
    fn formats_round_trip() {
        for s in ["1h30m", "500ms", "10s", "1d", "1m500ms"] {
            assert_eq!(format_duration(parse_duration(s).unwrap()), s);
        }
    }
}
