//! node_exporter's `loadavg` collector: `node_load1`, `node_load5`, `node_load15` from /proc/loadavg.

use super::{single, CollectError, Env, MetricFamily, MetricType, SubCollector};

pub(super) struct LoadavgCollector;

impl SubCollector for LoadavgCollector {
    fn name(&self) -> &'static str {
        "loadavg"
    }

    fn update(&mut self, env: &mut Env, out: &mut Vec<MetricFamily>) -> Result<(), CollectError> {
        let path = env.paths.proc("loadavg");
        let loads = {
            let text = env.reader.read(&path)?;
            parse_loadavg(&text)
        };
        let [l1, l5, l15] = loads.ok_or_else(|| CollectError::parse(&path, "unexpected content"))?;
        single(out, "node_load1", "1m load average.", MetricType::Gauge, l1);
        single(out, "node_load5", "5m load average.", MetricType::Gauge, l5);
        single(out, "node_load15", "15m load average.", MetricType::Gauge, l15);
        Ok(())
    }
}

/// The first three fields of /proc/loadavg (`0.23 0.92 0.95 1/123 4567`).
pub(super) fn parse_loadavg(text: &str) -> Option<[f64; 3]> {
    let mut it = text.split_ascii_whitespace().map(str::parse::<f64>);
    Some([it.next()?.ok()?, it.next()?.ok()?, it.next()?.ok()?])
}
