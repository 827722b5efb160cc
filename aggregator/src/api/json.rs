//! JSON encoding of query results, byte-compatible with Prometheus': vector and matrix points
//! follow `util/jsonutil` (values formatted like Go's `strconv.FormatFloat` with 'f', or 'e' below
//! 1e-6 and from 1e21 on; timestamps as seconds with three decimals when not whole), scalar and
//! string results follow Go's `encoding/json` of `[float64(t)/1000, ...]` with a plain 'f'
//! value, and strings are escaped like `encoding/json` (which also escapes `<`, `>` and `&`).
//!
//! Written by hand rather than through serde because the value/timestamp formats are not what
//! serde's float encoding produces, and because a range query can return millions of points.

use crate::promql::{InstantSample, RangeSeries, Value};
use pharos_protocol::Labels;
use std::fmt::Write as _;

/// A float as Prometheus renders sample values (without the surrounding quotes).
pub fn format_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        return go_exponent_format(f);
    }
    // Rust's Display prints the shortest round-trip digits without an exponent, like Go's 'f'
    // format with precision -1.
    format!("{f}")
}

/// Go's `FormatFloat(f, 'e', -1, 64)`: shortest digits, exponent with a sign and two digits.
fn go_exponent_format(f: f64) -> String {
    let s = format!("{f:e}");
    let Some((mantissa, exp)) = s.split_once('e') else { return s };
    let (sign, digits) = match exp.strip_prefix('-') {
        Some(d) => ('-', d),
        None => ('+', exp),
    };
    format!("{mantissa}e{sign}{digits:0>2}")
}

/// Go's `strconv.FormatFloat(f, 'f', -1, 64)`, which Prometheus uses for scalar results.
pub fn format_float_plain(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    format!("{f}")
}

/// A millisecond timestamp as Go's `encoding/json` renders `float64(t) / 1000`, which
/// Prometheus uses for scalar and string results (vectors and matrices use
/// [`format_timestamp`]): `1.5`, not `1.500`.
pub fn format_seconds_float(ms: i64) -> String {
    // Timestamps never reach the magnitudes where Go switches to exponent notation (< 1e-6
    // except 0, >= 1e21), so the shortest plain decimal is what Go prints.
    format!("{}", ms as f64 / 1000.0)
}

/// A millisecond timestamp as Prometheus renders it: seconds, with the millisecond fraction
/// only when non-zero (`1.5` is written `1.500`, as Prometheus does).
pub fn format_timestamp(ms: i64) -> String {
    let mut s = String::new();
    let abs = ms.unsigned_abs();
    if ms < 0 {
        s.push('-');
    }
    let _ = write!(s, "{}", abs / 1000);
    let frac = abs % 1000;
    if frac != 0 {
        let _ = write!(s, ".{frac:03}");
    }
    s
}

/// Appends `v` as a JSON string escaped like Go's `encoding/json`.
pub fn write_string(out: &mut String, v: &str) {
    out.push('"');
    for c in v.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends a label set as a JSON object in label order.
pub fn write_labels(out: &mut String, labels: &Labels) {
    out.push('{');
    for (i, l) in labels.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, &l.name);
        out.push(':');
        write_string(out, &l.value);
    }
    out.push('}');
}

/// Appends `[<timestamp>,"<value>"]`.
fn write_point(out: &mut String, t: i64, v: f64) {
    out.push('[');
    out.push_str(&format_timestamp(t));
    out.push_str(",\"");
    out.push_str(&format_float(v));
    out.push_str("\"]");
}

/// Appends `{"metric":{...},"value":[t,"v"]}`.
fn write_sample(out: &mut String, s: &InstantSample) {
    out.push_str("{\"metric\":");
    write_labels(out, &s.metric);
    out.push_str(",\"value\":");
    write_point(out, s.t, s.v);
    out.push('}');
}

/// Appends `{"metric":{...},"values":[[t,"v"],...]}`.
fn write_series(out: &mut String, s: &RangeSeries) {
    out.push_str("{\"metric\":");
    write_labels(out, &s.metric);
    out.push_str(",\"values\":[");
    for (i, p) in s.points.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_point(out, p.t, p.v);
    }
    out.push_str("]}");
}

/// The `data` object of a query response: `{"resultType":...,"result":...}`.
pub fn query_data(value: &Value) -> String {
    let mut out = String::with_capacity(256);
    out.push_str("{\"resultType\":\"");
    out.push_str(value.value_type().as_str());
    out.push_str("\",\"result\":");
    match value {
        // Prometheus' Scalar and String have their own MarshalJSON, formatted differently from
        // vector and matrix points.
        Value::Scalar { t, v } => {
            out.push('[');
            out.push_str(&format_seconds_float(*t));
            out.push_str(",\"");
            out.push_str(&format_float_plain(*v));
            out.push_str("\"]");
        }
        Value::String { t, v } => {
            out.push('[');
            out.push_str(&format_seconds_float(*t));
            out.push(',');
            write_string(&mut out, v);
            out.push(']');
        }
        Value::Vector(samples) => {
            out.push('[');
            for (i, s) in samples.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_sample(&mut out, s);
            }
            out.push(']');
        }
        Value::Matrix(series) => {
            out.push('[');
            for (i, s) in series.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_series(&mut out, s);
            }
            out.push(']');
        }
    }
    out.push('}');
    out
}

/// A success envelope around already-encoded `data`.
pub fn success(data: &str) -> String {
    let mut out = String::with_capacity(data.len() + 32);
    out.push_str("{\"status\":\"success\",\"data\":");
    out.push_str(data);
    out.push('}');
    out
}

/// A success envelope with Prometheus' `warnings` and `infos` lists, each left out when empty.
pub fn success_with_annotations(data: &str, warnings: &[String], infos: &[String]) -> String {
    let mut out = success(data);
    out.pop();
    for (key, list) in [("warnings", warnings), ("infos", infos)] {
        if list.is_empty() {
            continue;
        }
        out.push_str(",\"");
        out.push_str(key);
        out.push_str("\":[");
        for (i, m) in list.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_string(&mut out, m);
        }
        out.push(']');
    }
    out.push('}');
    out
}

/// An error envelope.
pub fn error(error_type: &str, message: &str) -> String {
    let mut out = String::from("{\"status\":\"error\",\"errorType\":");
    write_string(&mut out, error_type);
    out.push_str(",\"error\":");
    write_string(&mut out, message);
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::promql::Point;
    use std::sync::Arc;

    #[test]
    fn floats_format_like_go() {
        assert_eq!(format_float(1.5), "1.5");
        assert_eq!(format_float(1.0), "1");
        assert_eq!(format_float(0.0), "0");
        assert_eq!(format_float(-0.0), "-0");
        assert_eq!(format_float(f64::NAN), "NaN");
        assert_eq!(format_float(f64::INFINITY), "+Inf");
        assert_eq!(format_float(f64::NEG_INFINITY), "-Inf");
        assert_eq!(format_float(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(format_float(1e-6), "0.000001");
        assert_eq!(format_float(1e-7), "1e-07");
        assert_eq!(format_float(-1.5e-10), "-1.5e-10");
        assert_eq!(format_float(1e21), "1e+21");
        assert_eq!(format_float(1.2345e100), "1.2345e+100");
        assert_eq!(format_float(123456789012345680000.0), "123456789012345680000");
    }

    #[test]
    fn timestamps_format_like_prometheus() {
        assert_eq!(format_timestamp(1_435_781_451_781), "1435781451.781");
        assert_eq!(format_timestamp(1_500), "1.500");
        assert_eq!(format_timestamp(1_050), "1.050");
        assert_eq!(format_timestamp(1_005), "1.005");
        assert_eq!(format_timestamp(2_000), "2");
        assert_eq!(format_timestamp(-1_500), "-1.500");
        assert_eq!(format_timestamp(0), "0");
    }

    #[test]
    fn strings_escape_like_go() {
        let mut s = String::new();
        write_string(&mut s, "a\"b\\c\n<&>\u{1}");
        assert_eq!(s, r#""a\"b\\c\n\u003c\u0026\u003e\u0001""#);
    }

    #[test]
    fn query_data_shapes() {
        let metric = Arc::new(Labels::from_pairs([("__name__", "up"), ("job", "x")]));
        let v = Value::Vector(vec![InstantSample { metric: metric.clone(), t: 1_000, v: 1.0 }]);
        assert_eq!(
            query_data(&v),
            r#"{"resultType":"vector","result":[{"metric":{"__name__":"up","job":"x"},"value":[1,"1"]}]}"#
        );
        let m = Value::Matrix(vec![RangeSeries {
            metric,
            points: vec![Point { t: 0, v: f64::NAN }, Point { t: 15_000, v: f64::INFINITY }],
        }]);
        assert_eq!(
            query_data(&m),
            r#"{"resultType":"matrix","result":[{"metric":{"__name__":"up","job":"x"},"values":[[0,"NaN"],[15,"+Inf"]]}]}"#
        );
        assert_eq!(query_data(&Value::Scalar { t: 1_500, v: 2.0 }), r#"{"resultType":"scalar","result":[1.5,"2"]}"#);
        assert_eq!(
            query_data(&Value::Scalar { t: 1, v: 1e-7 }),
            r#"{"resultType":"scalar","result":[0.001,"0.0000001"]}"#
        );
        assert_eq!(
            query_data(&Value::Scalar { t: -1_250, v: 1e22 }),
            r#"{"resultType":"scalar","result":[-1.25,"10000000000000000000000"]}"#
        );
        assert_eq!(query_data(&Value::String { t: 0, v: "a".into() }), r#"{"resultType":"string","result":[0,"a"]}"#);
        assert_eq!(error("bad_data", "x"), r#"{"status":"error","errorType":"bad_data","error":"x"}"#);
    }
}
