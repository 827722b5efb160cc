//! Turns one collection (metric families from the collectors) into the series of one batch:
//! attaches the target labels (`job`, `instance`) a Prometheus scrape would have added, stamps
//! the collection time, and ends series that disappeared since the previous collection with
//! staleness markers, as Prometheus does when a scraped series vanishes.

use crate::packed::PackedSet;
use pharos_protocol::exposition::MetricFamily;
use pharos_protocol::{stale_nan, Labels, Sample, Series};

/// Assembles collections of one source into series, remembering what the last one contained.
#[derive(Debug)]
pub struct Assembler {
    job: String,
    instance: String,
    /// The series of the last collection, packed: kept between collections, so kept small.
    previous: PackedSet,
}

impl Assembler {
    /// An assembler whose series get `job` and `instance` labels (unless the collector set them).
    pub fn new(job: &str, instance: &str) -> Self {
        Assembler { job: job.to_string(), instance: instance.to_string(), previous: PackedSet::default() }
    }

    /// The label set a collected metric is stored under.
    pub fn target_labels(&self, labels: &Labels) -> Labels {
        let mut l = labels.clone();
        // A collector's own `job`/`instance` win, as with Prometheus' honor_labels.
        if l.get("job").is_none() {
            l.set("job", &self.job);
        }
        if l.get("instance").is_none() {
            l.set("instance", &self.instance);
        }
        l
    }

    /// Series for one collection at `timestamp_ms`, plus a staleness marker for every series of the
    /// previous collection that is missing from this one.
    pub fn assemble(&mut self, families: &[MetricFamily], timestamp_ms: i64) -> Vec<Series> {
        let mut out = Vec::new();
        for fam in families {
            for m in &fam.metrics {
                let labels = self.target_labels(&m.labels);
                let ts = m.timestamp_ms.unwrap_or(timestamp_ms);
                out.push(Series { labels, samples: vec![Sample { timestamp_ms: ts, value: m.value }] });
            }
        }
        let (current, repeated) = PackedSet::build(out.iter().map(|s| &s.labels));
        // A label set given twice in one collection is sent once, its first value.
        if repeated.contains(&true) {
            let mut r = repeated.iter();
            out.retain(|_| !r.next().copied().unwrap_or(false));
        }
        for gone in self.previous.missing_from(&current) {
            out.push(Series { labels: gone, samples: vec![Sample { timestamp_ms, value: stale_nan() }] });
        }
        self.previous = current;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pharos_protocol::exposition::{Metric, MetricType};
    use pharos_protocol::is_stale_nan;

    fn fam(names: &[&str]) -> Vec<MetricFamily> {
        vec![MetricFamily {
            name: "x".into(),
            help: None,
            kind: MetricType::Gauge,
            metrics: names
                .iter()
                .map(|d| Metric {
                    labels: Labels::from_pairs([("__name__", "x"), ("device", *d)]),
                    value: 1.0,
                    timestamp_ms: None,
                })
                .collect(),
        }]
    }

    #[test]
    fn vanished_series_get_a_staleness_marker_once() {
        let mut a = Assembler::new("node", "h1");
        let s = a.assemble(&fam(&["a", "b"]), 1000);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].labels.get("instance"), Some("h1"));
        assert_eq!(s[0].labels.get("job"), Some("node"));
        let s = a.assemble(&fam(&["a"]), 2000);
        assert_eq!(s.len(), 2);
        let stale: Vec<_> = s.iter().filter(|s| is_stale_nan(s.samples[0].value)).collect();
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].labels.get("device"), Some("b"));
        assert_eq!(stale[0].samples[0].timestamp_ms, 2000);
        let s = a.assemble(&fam(&["a"]), 3000);
        assert_eq!(s.len(), 1);
    }

    #[test]
    fn a_label_set_repeated_in_one_collection_is_sent_once_with_its_first_value() {
        let mut f = fam(&["a", "b", "a"]);
        f[0].metrics[2].value = 7.0;
        let mut a = Assembler::new("node", "h1");
        let s = a.assemble(&f, 1000);
        assert_eq!(s.len(), 2);
        let devices: Vec<_> = s.iter().map(|s| s.labels.get("device").unwrap_or("")).collect();
        assert_eq!(devices, ["a", "b"]);
        assert!(s.iter().all(|s| s.samples[0].value == 1.0));
    }
}
