//! node_exporter's textfile collector: every `*.prom` file of a directory (not recursive, in
//! name order) is parsed as the text format and its families are merged into one collection.
//!
//! As in node_exporter: a file that does not parse, or that carries client-side timestamps, is
//! skipped whole and sets `node_textfile_scrape_error` to 1; families without HELP get
//! `Metric read from <path>`; a family whose HELP differs between files keeps the first and flags
//! an error; `node_textfile_mtime_seconds{file="<path>"}` reports each file read successfully
//! (mtime only looked at after parsing, so a broken file never looks fresh).

use crate::collect::{BlockingCollector, CollectError, Metric, MetricFamily, MetricType};
use pharos_protocol::exposition::parse;
use pharos_protocol::Labels;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;
use tracing::warn;

/// Reads the `*.prom` files of one directory.
pub struct TextfileCollector {
    dir: PathBuf,
}

impl TextfileCollector {
    /// A collector for `dir`.
    pub fn new(dir: PathBuf) -> Self {
        TextfileCollector { dir }
    }
}

impl BlockingCollector for TextfileCollector {
    fn name(&self) -> &str {
        "textfile"
    }

    fn collect(&mut self) -> Result<Vec<MetricFamily>, CollectError> {
        Ok(collect_dir(&self.dir))
    }
}

/// One collection of `dir`; problems are reported in `node_textfile_scrape_error`, never as an
/// error of the collector, as node_exporter does.
pub fn collect_dir(dir: &Path) -> Vec<MetricFamily> {
    let mut errored = false;
    let mut merged = Merged::default();
    let mut mtimes: Vec<(String, f64)> = Vec::new();
    match list_prom_files(dir) {
        Ok(files) => {
            for path in files {
                match read_file(&path) {
                    Ok((families, mtime)) => {
                        errored |= merged.add(families, &path);
                        mtimes.push((path.display().to_string(), mtime));
                    }
                    Err(e) => {
                        warn!(error = %e, "textfile collector");
                        errored = true;
                    }
                }
            }
        }
        Err(e) => {
            warn!(error = %e, "textfile collector");
            errored = true;
        }
    }
    let mut out = merged.families;
    mtimes.sort_by(|a, b| a.0.cmp(&b.0));
    if !mtimes.is_empty() {
        out.push(MetricFamily {
            name: "node_textfile_mtime_seconds".into(),
            help: Some("Unixtime mtime of textfiles successfully read.".into()),
            kind: MetricType::Gauge,
            metrics: mtimes
                .into_iter()
                .map(|(file, mtime)| Metric {
                    labels: Labels::from_pairs([("__name__", "node_textfile_mtime_seconds"), ("file", file.as_str())]),
                    value: mtime,
                    timestamp_ms: None,
                })
                .collect(),
        });
    }
    out.push(MetricFamily {
        name: "node_textfile_scrape_error".into(),
        help: Some("1 if there was an error opening or reading a file, 0 otherwise".into()),
        kind: MetricType::Gauge,
        metrics: vec![Metric {
            labels: Labels::from_pairs([("__name__", "node_textfile_scrape_error")]),
            value: if errored { 1.0 } else { 0.0 },
            timestamp_ms: None,
        }],
    });
    out
}

/// The `*.prom` entries of `dir`, sorted by name.
fn list_prom_files(dir: &Path) -> Result<Vec<PathBuf>, CollectError> {
    let entries = std::fs::read_dir(dir).map_err(|e| CollectError::io(dir, e))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "prom"))
        .collect();
    files.sort();
    Ok(files)
}

/// Parses one file; returns its families and its mtime in seconds (millisecond precision).
fn read_file(path: &Path) -> Result<(Vec<MetricFamily>, f64), CollectError> {
    let text = std::fs::read_to_string(path).map_err(|e| CollectError::io(path, e))?;
    let mut families = parse(&text).map_err(|e| CollectError::parse(path, e.to_string()))?;
    if families.iter().flat_map(|f| &f.metrics).any(|m| m.timestamp_ms.is_some()) {
        return Err(CollectError::parse(path, "contains unsupported client-side timestamps, skipping entire file"));
    }
    for f in &mut families {
        if f.help.is_none() {
            f.help = Some(format!("Metric read from {}", path.display()));
        }
    }
    let meta = std::fs::metadata(path).map_err(|e| CollectError::io(path, e))?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| (d.as_millis() as f64) / 1e3)
        .unwrap_or(0.0);
    Ok((families, mtime))
}

/// Families of all files so far, merged by name.
#[derive(Default)]
struct Merged {
    families: Vec<MetricFamily>,
    by_name: HashMap<String, usize>,
    series: HashSet<Labels>,
}

impl Merged {
    /// Adds one file's families; returns whether something conflicted (a different HELP or type).
    fn add(&mut self, families: Vec<MetricFamily>, path: &Path) -> bool {
        let mut errored = false;
        for f in families {
            let i = match self.by_name.get(&f.name) {
                Some(&i) => {
                    let existing = &self.families[i];
                    if existing.kind != f.kind {
                        warn!(family = %f.name, file = %path.display(), "textfile family has a different type than in another file; skipped");
                        errored = true;
                        continue;
                    }
                    if existing.help != f.help {
                        warn!(family = %f.name, file = %path.display(), "inconsistent metric help text; the first is kept");
                        errored = true;
                    }
                    i
                }
                None => {
                    self.by_name.insert(f.name.clone(), self.families.len());
                    self.families.push(MetricFamily {
                        name: f.name.clone(),
                        help: f.help.clone(),
                        kind: f.kind,
                        metrics: Vec::new(),
                    });
                    self.families.len() - 1
                }
            };
            for m in f.metrics {
                // The same series in two files: the first is kept, as a registry would refuse the second.
                if self.series.insert(m.labels.clone()) {
                    self.families[i].metrics.push(m);
                }
            }
        }
        errored
    }
}
