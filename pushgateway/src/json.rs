//! `GET /api/v1/metrics` and `GET /api/v1/status` bodies in Pushgateway 1.5.1's JSON shape:
//! all numbers as strings (Go's `fmt.Sprint`), object keys sorted (Go marshals maps sorted).

use crate::proto::{Metric, MetricFamily, MetricType};
use crate::store::{Group, Store};
use pharos_protocol::exposition::format_float;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// `{"status":"success","data":[group, ...]}`, groups in key order.
pub fn metrics(store: &Store) -> Value {
    json!({"status": "success", "data": store.groups().map(group).collect::<Vec<_>>()})
}

fn group(g: &Group) -> Value {
    let mut obj = Map::new();
    obj.insert("labels".into(), json!(g.key));
    obj.insert("last_push_successful".into(), json!(g.last_push_successful()));
    for (name, sf) in &g.families {
        let f = &sf.family;
        let mut fam = Map::new();
        fam.insert("time_stamp".into(), json!(rfc3339_nano(sf.written_ns)));
        let type_name = f.kind().map_or("UNKNOWN", MetricType::go_name);
        fam.insert("type".into(), json!(type_name));
        if let Some(help) = f.help.as_deref().filter(|h| !h.is_empty()) {
            fam.insert("help".into(), json!(help));
        }
        fam.insert("metrics".into(), Value::Array(f.metric.iter().map(|m| metric(f, m)).collect()));
        obj.insert(name.clone(), Value::Object(fam));
    }
    Value::Object(obj)
}

fn metric(f: &MetricFamily, m: &Metric) -> Value {
    let labels: BTreeMap<&str, &str> = m.label.iter().map(|l| (l.name(), l.value())).collect();
    let mut obj = Map::new();
    obj.insert("labels".into(), json!(labels));
    match f.kind() {
        Some(MetricType::Summary) => {
            let s = m.summary.clone().unwrap_or_default();
            let q: BTreeMap<String, String> = s
                .quantile
                .iter()
                .map(|q| (format_float(q.quantile.unwrap_or(0.0)), format_float(q.value.unwrap_or(0.0))))
                .collect();
            obj.insert("quantiles".into(), json!(q));
            obj.insert("count".into(), json!(s.sample_count.unwrap_or(0).to_string()));
            obj.insert("sum".into(), json!(format_float(s.sample_sum.unwrap_or(0.0))));
        }
        Some(MetricType::Histogram) => {
            let h = m.histogram.clone().unwrap_or_default();
            let b: BTreeMap<String, String> = h
                .bucket
                .iter()
                .map(|b| (format_float(b.upper_bound.unwrap_or(0.0)), b.cumulative_count.unwrap_or(0).to_string()))
                .collect();
            obj.insert("buckets".into(), json!(b));
            obj.insert("count".into(), json!(h.sample_count.unwrap_or(0).to_string()));
            obj.insert("sum".into(), json!(format_float(h.sample_sum.unwrap_or(0.0))));
        }
        _ => {
            obj.insert("value".into(), json!(format_float(m.simple_value())));
        }
    }
    Value::Object(obj)
}

/// `{"status":"success","data":{"build_information":…,"flags":…,"start_time":…}}`.
pub fn status(flags: &BTreeMap<String, String>, start_ns: i64) -> Value {
    json!({
        "status": "success",
        "data": {
            "build_information": {
                "version": env!("CARGO_PKG_VERSION"),
                "revision": "",
                "branch": "",
                "buildUser": "",
                "buildDate": "",
                "goVersion": "",
            },
            "flags": flags,
            "start_time": rfc3339_nano(start_ns),
        }
    })
}

/// Go's `time.Time` JSON form in UTC: RFC 3339 with the fraction's trailing zeros removed.
pub fn rfc3339_nano(ns: i64) -> String {
    let secs = ns.div_euclid(1_000_000_000);
    let frac = ns.rem_euclid(1_000_000_000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let mut s = format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", sod / 3600, sod % 3600 / 60, sod % 60);
    if frac != 0 {
        let f = format!("{frac:09}");
        s.push('.');
        s.push_str(f.trim_end_matches('0'));
    }
    s.push('Z');
    s
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (Howard Hinnant's method).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::parse_body;
    use crate::grouping::GroupingKey;

    #[test]
    fn times() {
        assert_eq!(rfc3339_nano(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_nano(1_700_000_000_123_000_000), "2023-11-14T22:13:20.123Z");
        assert_eq!(rfc3339_nano(951_782_400_000_000_001), "2000-02-29T00:00:00.000000001Z");
    }

    #[test]
    fn metrics_shape() {
        let mut s = Store::new();
        let key: GroupingKey = [("job".to_string(), "j".to_string())].into_iter().collect();
        let text = "# HELP c A counter.\n# TYPE c counter\nc 1e6\n# TYPE h histogram\nh_bucket{le=\"0.5\"} 1\n\
                    h_bucket{le=\"+Inf\"} 2\nh_sum 1.5\nh_count 2\n# TYPE s summary\ns{quantile=\"0.9\"} 3\ns_count 4\n";
        s.push(&key, parse_body(None, None, text.as_bytes()).unwrap(), true, 1_000_000_000, None).unwrap();
        let v = metrics(&s);
        let g = &v["data"][0];
        assert_eq!(g["labels"], json!({"job": "j"}));
        assert_eq!(g["last_push_successful"], json!(true));
        assert_eq!(g["c"]["type"], "COUNTER");
        assert_eq!(g["c"]["help"], "A counter.");
        assert_eq!(g["c"]["time_stamp"], "1970-01-01T00:00:01Z");
        assert_eq!(g["c"]["metrics"][0], json!({"labels": {"instance": "", "job": "j"}, "value": "1e+06"}));
        assert!(g["h"].get("help").is_none());
        assert_eq!(g["h"]["metrics"][0]["buckets"], json!({"0.5": "1", "+Inf": "2"}));
        assert_eq!(g["h"]["metrics"][0]["sum"], "1.5");
        assert_eq!(g["s"]["metrics"][0]["quantiles"], json!({"0.9": "3"}));
        assert_eq!(g["s"]["metrics"][0]["count"], "4");
        assert_eq!(g["s"]["metrics"][0]["sum"], "0");
        assert_eq!(g["push_time_seconds"]["metrics"][0]["value"], "1");
        assert_eq!(g["push_failure_time_seconds"]["type"], "GAUGE");
    }
}
