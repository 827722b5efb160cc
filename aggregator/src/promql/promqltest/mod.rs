//! A runner for Prometheus' promqltest scripts (`*.test`, the format of upstream's
//! `promql/promqltest/testdata/`), used by the engine's unit tests, the `promqltest` example and
//! the conformance integration test.
//!
//! - [`parse`] — scripts into commands (`load`, `clear`, `eval instant|range` with `expect`
//!   lines and the legacy `eval_fail`/`expected_fail_message` forms).
//! - [`run`] — runs commands against [`MemoryStorage`](crate::storage::memory::MemoryStorage)
//!   and the engine, comparing like upstream (relative tolerance 1e-6), with upstream's `@`
//!   variations and range-mode check for instant evals.
//! - This module — files and directories, the `INDEX.tsv` skip tags, per-file reports, and the
//!   pass-count baseline.
//!
//! Native histograms are not modelled: histogram samples are dropped on load, and an eval that
//! fails in a block that had some, or that expects one, counts as unsupported.

pub mod parse;
pub mod run;

pub use parse::{parse_script, Command, Eval, EvalKind, Expected};
pub use run::{almost_equal, run_script, EvalFailure, FileReport, RunOptions, SkipKind};

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Skip tags from an `INDEX.tsv` (columns file, line, kind, tags, query), by (file relative to
/// the index's directory, line).
#[derive(Debug, Default, Clone)]
pub struct Index {
    dir: PathBuf,
    tags: HashMap<(String, usize), SkipKind>,
}

impl Index {
    /// Reads `dir/INDEX.tsv`; `None` when there is none or it cannot be read.
    pub fn load(dir: &Path) -> Option<Index> {
        let text = std::fs::read_to_string(dir.join("INDEX.tsv")).ok()?;
        let mut tags = HashMap::new();
        for row in text.lines().skip(1) {
            let cols: Vec<&str> = row.split('\t').collect();
            let (Some(file), Some(line), Some(t)) = (cols.first(), cols.get(1), cols.get(3)) else { continue };
            let Ok(line) = line.parse::<usize>() else { continue };
            let t: Vec<&str> = t.split(',').map(str::trim).collect();
            let kind = if t.contains(&"nh") {
                SkipKind::NativeHistograms
            } else if t.iter().any(|t| t.starts_with("x:")) {
                SkipKind::Experimental
            } else {
                continue;
            };
            tags.insert((file.to_string(), line), kind);
        }
        Some(Index { dir: dir.to_path_buf(), tags })
    }

    /// The skip bucket of the eval at `line` of `file`, if tagged.
    pub fn skip_kind(&self, file: &Path, line: usize) -> Option<SkipKind> {
        let rel = file.strip_prefix(&self.dir).ok()?;
        let rel = rel.to_string_lossy().replace('\\', "/");
        self.tags.get(&(rel, line)).copied()
    }
}

/// The nearest `INDEX.tsv` at or above `dir`.
fn find_index(dir: &Path) -> Option<Index> {
    dir.ancestors().find_map(Index::load)
}

/// Every `*.test` file under `path` (recursively, sorted), or `path` itself when it is a file.
pub fn collect_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if !path.is_dir() {
        return if path.exists() {
            Ok(vec![path.to_path_buf()])
        } else {
            Err(format!("{}: not found", path.display()))
        };
    }
    let mut out = Vec::new();
    let mut dirs = vec![path.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries {
            let p = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e == "test") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Runs one file; `name` is how it is reported. An unreadable file gives a report with an error.
pub fn run_file(path: &Path, name: &str, opts: &RunOptions) -> FileReport {
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let index = canonical.parent().and_then(find_index);
    let mut report = match std::fs::read_to_string(path) {
        Ok(text) => run_script(&text, opts, &|line| index.as_ref().and_then(|i| i.skip_kind(&canonical, line))),
        Err(e) => FileReport { errors: vec![format!("cannot read: {e}")], ..Default::default() },
    };
    report.name = name.to_string();
    report
}

/// Runs every file under each path. Files found in a directory are named relative to it.
pub fn run_paths(paths: &[PathBuf], opts: &RunOptions) -> Vec<FileReport> {
    let mut reports = Vec::new();
    for root in paths {
        match collect_files(root) {
            Ok(files) => {
                for f in files {
                    let name = match f.strip_prefix(root) {
                        Ok(rel) if root.is_dir() => rel.to_string_lossy().replace('\\', "/"),
                        _ => f.display().to_string(),
                    };
                    reports.push(run_file(&f, &name, opts));
                }
            }
            Err(e) => {
                reports.push(FileReport { name: root.display().to_string(), errors: vec![e], ..Default::default() })
            }
        }
    }
    reports
}

/// `FILE: P passed, F failed, S skipped`.
pub fn file_line(r: &FileReport) -> String {
    format!("{}: {} passed, {} failed, {} skipped", r.name, r.passed, r.failed, r.skipped())
}

/// The closing lines: totals, then the skip breakdown.
pub fn summary_lines(reports: &[FileReport]) -> [String; 2] {
    let sum = |f: fn(&FileReport) -> usize| reports.iter().map(f).sum::<usize>();
    let (nh, x, untagged) = (sum(|r| r.skipped_nh), sum(|r| r.skipped_x), sum(|r| r.skipped_nh_untagged));
    [
        format!("{} passed, {} failed, {} skipped", sum(|r| r.passed), sum(|r| r.failed), nh + x),
        format!(
            "{} skipped (native histograms: {nh}, of which {untagged} not tagged nh but reading native-histogram samples; experimental: {x})",
            nh + x
        ),
    ]
}

/// Reads a baseline: lines `FILE<TAB>PASSED`, `#` comments and blank lines ignored.
pub fn parse_baseline(text: &str) -> Result<BTreeMap<String, usize>, String> {
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (file, count) = line.split_once('\t').ok_or_else(|| format!("baseline line {}: no tab", n + 1))?;
        let count = count.trim().parse().map_err(|_| format!("baseline line {}: bad count {count:?}", n + 1))?;
        out.insert(file.trim().to_string(), count);
    }
    Ok(out)
}

/// A baseline for `reports`, in the format [`parse_baseline`] reads.
pub fn format_baseline(reports: &[FileReport]) -> String {
    let mut out = String::from("# file\tpassed evals (promqltest runner; regenerate with --write-baseline)\n");
    for r in reports {
        out.push_str(&format!("{}\t{}\n", r.name, r.passed));
    }
    out
}

/// Files that pass fewer evals than their baseline entry (or are missing), as messages.
pub fn below_baseline(reports: &[FileReport], baseline: &BTreeMap<String, usize>) -> Vec<String> {
    let mut out = Vec::new();
    for (file, &want) in baseline {
        match reports.iter().find(|r| &r.name == file) {
            Some(r) if r.passed < want => out.push(format!("{file}: {} passed, baseline {want}", r.passed)),
            Some(_) => {}
            None => out.push(format!("{file}: not run, baseline {want}")),
        }
    }
    out
}
