//! `GET /metrics` of the agent's Pushgateway: the pushed groups in the text format, as a
//! Pushgateway shows them to a scrape (families merged across groups, the grouping labels on
//! every metric, the push-time gauges). Unlike Pushgateway 1.5.1 it has no `go_*`/`process_*`
//! metrics of its own (the agent's are `pharos_agent_*`, sent through the uplink) and writes no
//! empty `instance=""` labels (a scrape drops them anyway).

use pharos_protocol::exposition::{self, Metric, MetricFamily, MetricType};
use pharos_pushgateway::proto::MetricType as PushedType;
use pharos_pushgateway::series::expand;
use pharos_pushgateway::Store;
use std::collections::BTreeMap;

fn kind(t: Option<PushedType>) -> MetricType {
    match t {
        Some(PushedType::Counter) => MetricType::Counter,
        Some(PushedType::Gauge) => MetricType::Gauge,
        Some(PushedType::Summary) => MetricType::Summary,
        Some(PushedType::Histogram) => MetricType::Histogram,
        Some(PushedType::Untyped) | None => MetricType::Untyped,
    }
}

/// The store's groups as one text exposition: families by name, metrics in the order of their
/// groups' keys.
pub fn render(store: &Store) -> String {
    let mut families: BTreeMap<&str, MetricFamily> = BTreeMap::new();
    let mut samples = Vec::new();
    for group in store.groups() {
        for (name, stored) in &group.families {
            let f = &stored.family;
            let family = families.entry(name.as_str()).or_insert_with(|| MetricFamily {
                name: name.clone(),
                help: f.help.clone().filter(|h| !h.is_empty()),
                kind: kind(f.kind()),
                metrics: Vec::new(),
            });
            // Groups may disagree on HELP; the first one given is kept.
            if family.help.is_none() {
                family.help = f.help.clone().filter(|h| !h.is_empty());
            }
            samples.clear();
            expand(f, &mut samples);
            family.metrics.extend(samples.drain(..).map(|(labels, value)| Metric {
                labels,
                value,
                timestamp_ms: None,
            }));
        }
    }
    let families: Vec<MetricFamily> = families.into_values().collect();
    let mut out = String::new();
    exposition::write(&families, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pharos_pushgateway::{Options, PushRequest, Pushgateway};

    #[test]
    fn groups_merge_into_families_and_parse_back() {
        let gw = Pushgateway::new(Options::default()).unwrap();
        for (path, body) in [
            ("/metrics/job/a", "# HELP m Help.\n# TYPE m counter\nm{x=\"1\"} 1\n"),
            (
                "/metrics/job/b/instance/i",
                "# TYPE m counter\nm 2\n# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 2\n",
            ),
        ] {
            let req = PushRequest {
                method: "PUT",
                path,
                content_type: None,
                content_encoding: None,
                ttl: None,
                body: body.as_bytes(),
            };
            assert_eq!(gw.handle(&req).status, 200);
        }
        let text = render(&gw.snapshot());
        assert!(
            text.contains("# HELP m Help.\n# TYPE m counter\nm{instance=\"i\",job=\"b\"} 2\nm{job=\"a\",x=\"1\"} 1\n"),
            "{text}"
        );
        assert!(text.contains("h_bucket{instance=\"i\",job=\"b\",le=\"+Inf\"} 2\n"), "{text}");
        let parsed = exposition::parse(&text).unwrap();
        let names: Vec<&str> = parsed.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["h", "m", "push_failure_time_seconds", "push_time_seconds"]);
        assert_eq!(parsed[3].metrics.len(), 2, "one push time per group");
    }
}
