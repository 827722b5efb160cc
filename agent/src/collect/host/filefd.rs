//! node_exporter's `filefd` collector: `node_filefd_allocated` and `node_filefd_maximum` from
//! /proc/sys/fs/file-nr.

use super::{single, CollectError, Env, MetricFamily, MetricType, SubCollector};

pub(super) struct FilefdCollector;

impl SubCollector for FilefdCollector {
    fn name(&self) -> &'static str {
        "filefd"
    }

    fn update(&mut self, env: &mut Env, out: &mut Vec<MetricFamily>) -> Result<(), CollectError> {
        let path = env.paths.proc("sys/fs/file-nr");
        let parsed = {
            let text = env.reader.read(&path)?;
            parse_file_nr(&text)
        };
        let (allocated, maximum) = parsed.ok_or_else(|| CollectError::parse(&path, "unexpected content"))?;
        single(out, "node_filefd_allocated", "File descriptor statistics: allocated.", MetricType::Gauge, allocated);
        single(out, "node_filefd_maximum", "File descriptor statistics: maximum.", MetricType::Gauge, maximum);
        Ok(())
    }
}

/// `allocated \t unused \t maximum`: the second value has been 0 since Linux 2.6 and is skipped.
pub(super) fn parse_file_nr(text: &str) -> Option<(f64, f64)> {
    let mut it = text.trim().split('\t');
    let allocated = it.next()?.trim().parse().ok()?;
    let _unused = it.next()?;
    let maximum = it.next()?.trim().parse().ok()?;
    Some((allocated, maximum))
}
