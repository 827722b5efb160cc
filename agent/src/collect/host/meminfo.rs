//! node_exporter's `meminfo` collector: every field of /proc/meminfo as `node_memory_<Field>`,
//! with `_bytes` appended (and the value multiplied by 1024) for fields given in kB.

use super::{push, CollectError, Env, MetricFamily, MetricType, SubCollector};
use pharos_protocol::model::is_valid_metric_name;

#[derive(Default)]
pub(super) struct MeminfoCollector {
    /// Parsed fields, reused across collections.
    fields: Vec<(String, f64)>,
}

impl SubCollector for MeminfoCollector {
    fn name(&self) -> &'static str {
        "meminfo"
    }

    fn update(&mut self, env: &mut Env, out: &mut Vec<MetricFamily>) -> Result<(), CollectError> {
        let path = env.paths.proc("meminfo");
        {
            let text = env.reader.read(&path)?;
            parse_meminfo(&text, &mut self.fields);
        }
        if self.fields.is_empty() {
            return Err(CollectError::parse(path, "no fields"));
        }
        for (key, value) in self.fields.drain(..) {
            let name = format!("node_memory_{key}");
            // node_exporter types fields ending in _total as counters; none exists today.
            let kind = if key.ends_with("_total") { MetricType::Counter } else { MetricType::Gauge };
            let mut f = MetricFamily {
                help: Some(format!("Memory information field {key}.")),
                name,
                kind,
                metrics: Vec::with_capacity(1),
            };
            push(&mut f, &[], value);
            out.push(f);
        }
        Ok(())
    }
}

/// Parses /proc/meminfo into (name suffix, value) pairs with node_exporter's naming:
/// `Active(anon):  123 kB` becomes `("Active_anon_bytes", 125952.0)`, `HugePages_Total:  0`
/// becomes `("HugePages_Total", 0.0)`. Malformed lines are skipped.
pub(super) fn parse_meminfo(text: &str, out: &mut Vec<(String, f64)>) {
    out.clear();
    for line in text.lines() {
        let mut parts = line.split_ascii_whitespace();
        let Some(raw_key) = parts.next() else { continue }; // blank lines happen on some kernels
        let (value, unit, extra) = (parts.next(), parts.next(), parts.next());
        let value = match value.map(str::parse::<f64>) {
            Some(Ok(v)) if extra.is_none() => v,
            _ => {
                tracing::warn!(line, "skipping malformed line in /proc/meminfo");
                continue;
            }
        };
        // node_exporter drops the last character of the key (the colon) whatever it is.
        let Some((cut, _)) = raw_key.char_indices().next_back() else { continue };
        let key = &raw_key[..cut];
        // `\((.*)\)` → `_$1`: from the first '(' to the last ')'.
        let mut name = match (key.find('('), key.rfind(')')) {
            (Some(open), Some(close)) if open < close => {
                format!("{}_{}{}", &key[..open], &key[open + 1..close], &key[close + 1..])
            }
            _ => key.to_string(),
        };
        let value = if unit.is_some() {
            // Any unit is taken as kB, which is all the kernel ever prints.
            name.push_str("_bytes");
            value * 1024.0
        } else {
            value
        };
        if !is_valid_metric_name(&name) {
            tracing::warn!(line, "skipping /proc/meminfo field that is no valid metric name");
            continue;
        }
        out.push((name, value));
    }
}
