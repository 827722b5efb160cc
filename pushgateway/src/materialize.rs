//! Pushed groups as series, what Prometheus scraping a Pushgateway with `honor_labels: true`
//! would store: every group's current samples at one timestamp, and a staleness marker for each
//! series a group had at the previous write and no longer has (a family dropped by a PUT, a
//! DELETE, the wipe, a TTL expiry), as a scrape that no longer returns it would write.
//!
//! One implementation for both users: the aggregator appends the series to its storage, the
//! agent sends them through its buffer.

use crate::grouping::GroupingKey;
use crate::Pushgateway;
use pharos_protocol::model::{stale_nan, Labels, Sample, Series};
use std::collections::{BTreeMap, HashSet};
use std::time::SystemTime;

/// Remembers the series last written for each group and turns the gateway's groups into series.
#[derive(Debug, Default)]
pub struct SeriesTracker {
    /// The series last written for each group.
    written: BTreeMap<GroupingKey, HashSet<Labels>>,
    /// Timestamp of the last write: every write gets a later one, so two writes in the same
    /// millisecond never give one series two values at one time.
    last_ms: i64,
}

impl SeriesTracker {
    /// A tracker that has written nothing yet.
    pub fn new() -> Self {
        SeriesTracker::default()
    }

    /// Series for one group's current samples (staleness markers for the series it no longer
    /// has, all of them if it is gone), stamped `now_ms` or just after the previous write.
    pub fn group(&mut self, gateway: &Pushgateway, key: &GroupingKey, now_ms: i64) -> Vec<Series> {
        let current = gateway.group_samples(key, SystemTime::now());
        let mut by_group = BTreeMap::new();
        by_group.insert(key.clone(), current);
        self.series(by_group, now_ms)
    }

    /// Series for every group, and staleness markers for the groups that are gone.
    pub fn all(&mut self, gateway: &Pushgateway, now_ms: i64) -> Vec<Series> {
        let mut by_group = gateway.samples_by_group(SystemTime::now());
        for key in self.written.keys() {
            by_group.entry(key.clone()).or_default();
        }
        self.series(by_group, now_ms)
    }

    /// The series of the groups in `by_group` (each with its complete current samples), against
    /// what was last written for them. Groups not in `by_group` are left as they are.
    pub fn series(&mut self, by_group: BTreeMap<GroupingKey, Vec<(Labels, f64)>>, now_ms: i64) -> Vec<Series> {
        let ts = now_ms.max(self.last_ms.saturating_add(1));
        let mut out: Vec<Series> = Vec::new();
        let mut seen: HashSet<Labels> = HashSet::new();
        for (key, samples) in by_group {
            let current: HashSet<Labels> = samples.iter().map(|(l, _)| l.clone()).collect();
            if let Some(old) = self.written.remove(&key) {
                for gone in old.difference(&current) {
                    out.push(Series {
                        labels: gone.clone(),
                        samples: vec![Sample { timestamp_ms: ts, value: stale_nan() }],
                    });
                }
            }
            for (labels, value) in samples {
                // Groups whose labels only differ by empty values give the same series: the
                // first one written wins, as Prometheus keeps one of duplicate scraped series.
                if seen.insert(labels.clone()) {
                    out.push(Series { labels, samples: vec![Sample { timestamp_ms: ts, value }] });
                }
            }
            if !current.is_empty() {
                self.written.insert(key, current);
            }
        }
        if !out.is_empty() {
            self.last_ms = ts;
        }
        out
    }

    /// Number of groups with written series.
    pub fn groups(&self) -> usize {
        self.written.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{grouping, Options, PushRequest};
    use pharos_protocol::model::is_stale_nan;

    fn push(gw: &Pushgateway, method: &str, path: &str, body: &str) {
        let req =
            PushRequest { method, path, content_type: None, content_encoding: None, ttl: None, body: body.as_bytes() };
        assert!(gw.handle(&req).status < 300, "{method} {path}");
    }

    fn find<'a>(out: &'a [Series], name: &str) -> Vec<&'a Series> {
        out.iter().filter(|s| s.labels.get("__name__") == Some(name)).collect()
    }

    #[test]
    fn samples_then_staleness_markers_with_increasing_timestamps() {
        let gw = Pushgateway::new(Options::default()).unwrap();
        let mut t = SeriesTracker::new();
        push(&gw, "PUT", "/metrics/job/a", "x 1\ny 2\n");
        let key = grouping::parse_path("/metrics/job/a").unwrap();
        let out = t.group(&gw, &key, 1000);
        assert_eq!(find(&out, "x")[0].samples[0], Sample { timestamp_ms: 1000, value: 1.0 });
        assert_eq!(find(&out, "x")[0].labels.get("job"), Some("a"));
        assert_eq!(find(&out, "x")[0].labels.get("instance"), None, "no instance in the key: none added");
        assert_eq!(find(&out, "push_time_seconds").len(), 1);
        // Same millisecond: the next write is one later.
        push(&gw, "PUT", "/metrics/job/a", "x 3\n");
        let out = t.group(&gw, &key, 1000);
        assert_eq!(find(&out, "x")[0].samples[0], Sample { timestamp_ms: 1001, value: 3.0 });
        assert!(is_stale_nan(find(&out, "y")[0].samples[0].value));
        // A full write after a DELETE: everything of the group stale, once.
        push(&gw, "DELETE", "/metrics/job/a", "");
        let out = t.all(&gw, 2000);
        assert_eq!(out.len(), 3, "x, push_time_seconds, push_failure_time_seconds: {out:?}");
        assert!(out.iter().all(|s| is_stale_nan(s.samples[0].value)));
        assert_eq!(t.groups(), 0);
        assert!(t.all(&gw, 3000).is_empty());
    }
}
