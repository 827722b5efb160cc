//! Pushed families as the samples a Prometheus scrape of the Pushgateway (`honor_labels: true`)
//! would store: counters, gauges and untyped metrics as one sample each; summaries as their
//! quantiles plus `_sum` and `_count`; histograms as `_bucket` (with `le="+Inf"` added when
//! missing, as the text exposition adds it), `_sum` and `_count`. Empty label values vanish, as
//! they do in Prometheus.

use crate::proto::{Metric, MetricFamily, MetricType};
use pharos_protocol::exposition::format_float;
use pharos_protocol::model::{Label, Labels, METRIC_NAME_LABEL};

/// How many samples a metric expands to.
pub fn sample_count(m: &Metric) -> usize {
    if let Some(s) = &m.summary {
        return s.quantile.len() + 2;
    }
    if let Some(h) = &m.histogram {
        let has_inf = h.bucket.iter().any(|b| b.upper_bound == Some(f64::INFINITY));
        return h.bucket.len() + usize::from(!has_inf) + 2;
    }
    1
}

/// Appends `(labels, value)` for every sample of `family` to `out`.
pub fn expand(family: &MetricFamily, out: &mut Vec<(Labels, f64)>) {
    let name = family.name();
    let Some(kind) = family.kind() else { return };
    for m in &family.metric {
        let base: Vec<Label> =
            m.label.iter().filter(|l| !l.value().is_empty()).map(|l| Label::new(l.name(), l.value())).collect();
        let mut push = |suffix: &str, extra: Option<(&str, f64)>, value: f64| {
            let mut labels = base.clone();
            labels.push(Label::new(METRIC_NAME_LABEL, format!("{name}{suffix}")));
            if let Some((n, v)) = extra {
                labels.push(Label::new(n, format_float(v)));
            }
            out.push((Labels::from_vec(labels), value));
        };
        match kind {
            MetricType::Summary => {
                let s = m.summary.clone().unwrap_or_default();
                for q in &s.quantile {
                    push("", Some(("quantile", q.quantile.unwrap_or(0.0))), q.value.unwrap_or(0.0));
                }
                push("_sum", None, s.sample_sum.unwrap_or(0.0));
                push("_count", None, s.sample_count.unwrap_or(0) as f64);
            }
            MetricType::Histogram => {
                let h = m.histogram.clone().unwrap_or_default();
                let mut has_inf = false;
                for b in &h.bucket {
                    let le = b.upper_bound.unwrap_or(0.0);
                    has_inf |= le == f64::INFINITY;
                    push("_bucket", Some(("le", le)), b.cumulative_count.unwrap_or(0) as f64);
                }
                let count = h.sample_count.unwrap_or(0) as f64;
                if !has_inf {
                    push("_bucket", Some(("le", f64::INFINITY)), count);
                }
                push("_sum", None, h.sample_sum.unwrap_or(0.0));
                push("_count", None, count);
            }
            MetricType::Counter | MetricType::Gauge | MetricType::Untyped => push("", None, m.simple_value()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::parse_body;

    fn expand_text(text: &str) -> Vec<String> {
        let fams = parse_body(None, None, text.as_bytes()).unwrap();
        let mut out = Vec::new();
        for f in fams.values() {
            expand(f, &mut out);
        }
        out.iter()
            .map(|(l, v)| {
                let ls: Vec<String> = l.iter().map(|l| format!("{}={}", l.name, l.value)).collect();
                format!("{} {}", ls.join(","), format_float(*v))
            })
            .collect()
    }

    #[test]
    fn expands_like_a_scrape() {
        let got = expand_text(
            "# TYPE h histogram\nh_bucket{le=\"0.5\",a=\"\"} 1\nh_sum 2\nh_count 3\n# TYPE s summary\n\
             s{quantile=\"0.99\"} 7\ns_count 1\ng{b=\"x\"} 4\n",
        );
        assert_eq!(
            got,
            [
                "__name__=g,b=x 4",
                "__name__=h_bucket,le=0.5 1",
                "__name__=h_bucket,le=+Inf 3",
                "__name__=h_sum 2",
                "__name__=h_count 3",
                "__name__=s,quantile=0.99 7",
                "__name__=s_sum 0",
                "__name__=s_count 1",
            ]
        );
        let fams =
            parse_body(None, None, b"# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 1\n").unwrap();
        assert_eq!(sample_count(&fams["h"].metric[0]), 4);
    }
}
