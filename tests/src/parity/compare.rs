//! Reading Prometheus API answers and comparing two of them point by point.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Relative tolerance of the strict comparison.
pub const STRICT_REL: f64 = 1e-6;
/// Relative tolerance when checking an answer with every range 1 ms longer against Prometheus
/// 2.x for a query using `rate`, `increase` or `delta`: the range length enters their divisor
/// and extrapolation, and 1 ms of a window holding only a few samples near the end of the data
/// (sampled over 45 s, extrapolated by 7.5 s) is 2e-5; two samples 15 s apart give 7e-5. Other
/// functions see the same samples either way and are held to [`STRICT_REL`]. Off the grid every
/// query is compared strictly anyway.
pub const EXTRAPOLATED_WIDENED_REL: f64 = 1e-4;
/// Absolute tolerance for results that cancel to about zero (an `avg` or `stddev` summed in a
/// different order gives 1e-17 where the other gives 0).
pub const ABS_EPS: f64 = 1e-9;

/// One answer of `/api/v1/query` or `/api/v1/query_range`.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// `status: error` (or a transport failure), with the message.
    Error(String),
    /// A result.
    Data(Data),
}

/// A successful result, flattened to points.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Data {
    /// `resultType`.
    pub result_type: String,
    /// `(series labels, time in ms) → value`. Scalars use the series name `scalar`.
    pub points: BTreeMap<(String, i64), f64>,
    /// A string result.
    pub string: Option<String>,
    /// Instant vector series and values in answer order (for ordered comparisons).
    pub order: Vec<(String, f64)>,
}

/// What differs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum DiffKey {
    /// One point: series and time (ms).
    Point(String, i64),
    /// The order of an instant vector.
    Order,
    /// Error against result, result types, or string values.
    Kind,
}

/// One difference, with both sides rendered for the report.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    /// Where.
    pub key: DiffKey,
    /// Prometheus' side.
    pub prom: String,
    /// Pharos' side.
    pub pharos: String,
}

/// The comparison of one evaluation.
#[derive(Debug, Clone, Default)]
pub struct Comparison {
    /// Points (and order/kind checks) compared.
    pub compared: usize,
    /// The differences.
    pub diffs: Vec<Diff>,
}

fn parse_value(v: &Value) -> Option<f64> {
    match v.as_str()? {
        "NaN" => Some(f64::NAN),
        "+Inf" | "Inf" => Some(f64::INFINITY),
        "-Inf" => Some(f64::NEG_INFINITY),
        s => s.parse().ok(),
    }
}

fn parse_time_ms(v: &Value) -> Option<i64> {
    v.as_f64().map(|t| (t * 1000.0).round() as i64)
}

/// Canonical text of a label set: `{a="1",b="2"}`, sorted by name.
pub fn labels_key(m: &Value) -> String {
    let mut pairs: Vec<(&String, String)> = m
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string())).collect())
        .unwrap_or_default();
    pairs.sort();
    let inner: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    format!("{{{}}}", inner.join(","))
}

/// Reads a response body; anything but a well-formed success is an [`Answer::Error`].
pub fn parse_answer(body: &Value) -> Answer {
    if body["status"] != "success" {
        let msg = format!(
            "{}: {}",
            body["errorType"].as_str().unwrap_or("?"),
            body["error"].as_str().unwrap_or("no error message")
        );
        return Answer::Error(msg);
    }
    let data = &body["data"];
    let mut out = Data { result_type: data["resultType"].as_str().unwrap_or("").to_string(), ..Data::default() };
    let result = &data["result"];
    let bad = |what: &str| Answer::Error(format!("malformed answer ({what}): {body}"));
    match out.result_type.as_str() {
        "scalar" => match (parse_time_ms(&result[0]), parse_value(&result[1])) {
            (Some(t), Some(v)) => {
                out.points.insert(("scalar".into(), t), v);
            }
            _ => return bad("scalar"),
        },
        "string" => out.string = result[1].as_str().map(str::to_string),
        "vector" => {
            for s in result.as_array().map(Vec::as_slice).unwrap_or_default() {
                match (parse_time_ms(&s["value"][0]), parse_value(&s["value"][1])) {
                    (Some(t), Some(v)) => {
                        let key = labels_key(&s["metric"]);
                        out.order.push((key.clone(), v));
                        out.points.insert((key, t), v);
                    }
                    _ => return bad("vector"),
                }
            }
        }
        "matrix" => {
            for s in result.as_array().map(Vec::as_slice).unwrap_or_default() {
                let key = labels_key(&s["metric"]);
                for p in s["values"].as_array().map(Vec::as_slice).unwrap_or_default() {
                    match (parse_time_ms(&p[0]), parse_value(&p[1])) {
                        (Some(t), Some(v)) => {
                            out.points.insert((key.clone(), t), v);
                        }
                        _ => return bad("matrix"),
                    }
                }
            }
        }
        other => return bad(other),
    }
    Answer::Data(out)
}

/// Whether two values agree within `rel` (NaN equals NaN, equal infinities are equal).
pub fn close(a: f64, b: f64, rel: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() && b.is_nan();
    }
    if a == b {
        return true;
    }
    if a.is_infinite() || b.is_infinite() {
        return false;
    }
    let d = (a - b).abs();
    d <= rel * a.abs().max(b.abs()) || d <= ABS_EPS
}

fn show(v: Option<f64>) -> String {
    v.map_or_else(|| "(none)".to_string(), |v| format!("{v}"))
}

fn show_answer(a: &Answer) -> String {
    match a {
        Answer::Error(e) => format!("error {e}"),
        Answer::Data(d) => format!("{} result", d.result_type),
    }
}

/// Compares Prometheus' answer with Pharos': kind, then every point of either side, then (for
/// `ordered` instant vectors) the sequence of values.
pub fn compare(prom: &Answer, pharos: &Answer, ordered: bool, rel: f64) -> Comparison {
    let mut c = Comparison::default();
    let (p, f) = match (prom, pharos) {
        (Answer::Error(_), Answer::Error(_)) => {
            c.compared = 1;
            return c;
        }
        (Answer::Data(p), Answer::Data(f)) if p.result_type == f.result_type => (p, f),
        _ => {
            c.compared = 1;
            c.diffs.push(Diff { key: DiffKey::Kind, prom: show_answer(prom), pharos: show_answer(pharos) });
            return c;
        }
    };
    if p.result_type == "string" {
        c.compared = 1;
        if p.string != f.string {
            c.diffs.push(Diff {
                key: DiffKey::Kind,
                prom: format!("{:?}", p.string),
                pharos: format!("{:?}", f.string),
            });
        }
        return c;
    }
    let keys: BTreeSet<&(String, i64)> = p.points.keys().chain(f.points.keys()).collect();
    c.compared = keys.len();
    for k in keys {
        let (a, b) = (p.points.get(k).copied(), f.points.get(k).copied());
        let same = matches!((a, b), (Some(a), Some(b)) if close(a, b, rel));
        if !same {
            c.diffs.push(Diff { key: DiffKey::Point(k.0.clone(), k.1), prom: show(a), pharos: show(b) });
        }
    }
    if ordered && p.result_type == "vector" {
        // The same series in the same order, or (where values tie) the same values in order.
        c.compared += 1;
        let series = |d: &Data| d.order.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
        let values =
            p.order.len() == f.order.len() && p.order.iter().zip(&f.order).all(|((_, a), (_, b))| close(*a, *b, rel));
        if series(p) != series(f) && !values {
            c.diffs.push(Diff {
                key: DiffKey::Order,
                prom: format!("{:?}", series(p)),
                pharos: format!("{:?}", series(f)),
            });
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn points_kinds_and_order_are_compared() {
        let a = parse_answer(&json!({"status":"success","data":{"resultType":"vector","result":[
            {"metric":{"b":"2","a":"1"},"value":[1.5,"NaN"]},{"metric":{},"value":[1.5,"+Inf"]}]}}));
        let b = parse_answer(&json!({"status":"success","data":{"resultType":"vector","result":[
            {"metric":{},"value":[1.5,"+Inf"]},{"metric":{"a":"1","b":"2"},"value":[1.5,"NaN"]}]}}));
        assert_eq!(compare(&a, &b, false, STRICT_REL).diffs, vec![]);
        assert_eq!(compare(&a, &b, true, STRICT_REL).diffs.len(), 1);
        let e = parse_answer(&json!({"status":"error","errorType":"bad_data","error":"x"}));
        assert_eq!(compare(&e, &e, false, STRICT_REL).diffs, vec![]);
        assert_eq!(compare(&a, &e, false, STRICT_REL).diffs[0].key, DiffKey::Kind);
        assert!(close(1.0, 1.0 + 1e-7, STRICT_REL) && !close(1.0, 1.0 + 1e-5, STRICT_REL));
    }
}
