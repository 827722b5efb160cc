//! Runs the upstream promqltest conformance scripts (`../shared/conformance/promql/`, next to
//! the workspace) through the shared runner and fails when any file passes fewer evals than its
//! entry in `tests/promqltest_baseline.tsv`. Regenerate the baseline with the `promqltest`
//! example's `--write-baseline` after an improvement. Outside `experimental/` no eval may fail:
//! each passes or is skipped as a native-histogram or experimental-feature eval.

use pharos_aggregator::promql::promqltest::{
    below_baseline, file_line, parse_baseline, run_paths, summary_lines, RunOptions,
};
use std::path::PathBuf;

#[test]
fn conformance_does_not_fall_below_baseline() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus = manifest.join("../../shared/conformance/promql");
    assert!(
        corpus.is_dir(),
        "the PromQL conformance corpus is missing: expected it at {} (CI provides it)",
        corpus.display()
    );
    let text = std::fs::read_to_string(manifest.join("tests/promqltest_baseline.tsv")).expect("read the baseline");
    let baseline = parse_baseline(&text).expect("parse the baseline");
    let reports = run_paths(&[corpus], &RunOptions::default());
    let mut table: Vec<String> = reports.iter().map(file_line).collect();
    table.extend(summary_lines(&reports));
    let table = table.join("\n");
    println!("{table}");
    let below = below_baseline(&reports, &baseline);
    assert!(below.is_empty(), "below the baseline:\n{}\n\nper file:\n{table}", below.join("\n"));
    // Outside experimental/, every eval passes or is a native-histogram or experimental eval.
    let failing: Vec<String> = reports
        .iter()
        .filter(|r| !r.name.starts_with("experimental/"))
        .flat_map(|r| r.failures.iter().map(move |f| format!("{}:{}: {}: {}", r.name, f.line, f.query, f.message)))
        .collect();
    assert!(failing.is_empty(), "failing float evals:\n{}", failing.join("\n"));
}
