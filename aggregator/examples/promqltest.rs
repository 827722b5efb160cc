//! Runs Prometheus promqltest scripts (`*.test`) against the Pharos engine.
//!
//! ```text
//! cargo run --release -p pharos-aggregator --example promqltest -- [--verbose]
//!     [--fail-below-baseline FILE] [--write-baseline FILE] PATH...
//! ```
//!
//! Each PATH is a file or a directory (searched recursively for `*.test`). Prints one line per
//! file and the totals; unsupported evals tagged `nh` or `x:*` in the nearest `INDEX.tsv` count
//! as skipped. Exits 0 unless `--fail-below-baseline` is given and a file passes fewer evals
//! than its baseline entry (exit 1), or the arguments are wrong (exit 2).

use pharos_aggregator::promql::promqltest::{
    below_baseline, file_line, format_baseline, parse_baseline, run_paths, summary_lines, RunOptions,
};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: promqltest [--verbose] [--fail-below-baseline FILE] [--write-baseline FILE] PATH...";

fn main() -> ExitCode {
    let mut verbose = false;
    let mut baseline: Option<PathBuf> = None;
    let mut write_baseline: Option<PathBuf> = None;
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--verbose" | "-v" => verbose = true,
            "--fail-below-baseline" | "--write-baseline" => {
                let Some(file) = args.next() else {
                    eprintln!("{arg} needs a FILE\n{USAGE}");
                    return ExitCode::from(2);
                };
                if arg == "--write-baseline" {
                    write_baseline = Some(file.into());
                } else {
                    baseline = Some(file.into());
                }
            }
            "--help" | "-h" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            _ if arg.starts_with('-') => {
                eprintln!("unknown option {arg}\n{USAGE}");
                return ExitCode::from(2);
            }
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    if paths.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }
    // Evals that panic are counted as failed; keep the default panic report short.
    std::panic::set_hook(Box::new(|info| eprintln!("panic: {info}")));
    let reports = run_paths(&paths, &RunOptions::default());
    for r in &reports {
        println!("{}", file_line(r));
        for e in &r.errors {
            println!("  {}: error: {e}", r.name);
        }
        if verbose {
            for f in &r.failures {
                let kind = if f.unsupported { " [unsupported]" } else { "" };
                println!("  {}:{}{kind}: {}\n      {}", r.name, f.line, f.query, f.message);
            }
            for f in &r.untagged_nh {
                println!("  {}:{} [skipped: reads native histograms, not tagged nh]: {}", r.name, f.line, f.query);
            }
        }
    }
    for line in summary_lines(&reports) {
        println!("{line}");
    }
    if let Some(file) = write_baseline {
        if let Err(e) = std::fs::write(&file, format_baseline(&reports)) {
            eprintln!("cannot write {}: {e}", file.display());
            return ExitCode::from(2);
        }
    }
    let Some(file) = baseline else { return ExitCode::SUCCESS };
    let parsed = std::fs::read_to_string(&file).map_err(|e| e.to_string()).and_then(|t| parse_baseline(&t));
    let base = match parsed {
        Ok(b) => b,
        Err(e) => {
            eprintln!("baseline {}: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    let below = below_baseline(&reports, &base);
    if below.is_empty() {
        return ExitCode::SUCCESS;
    }
    for b in below {
        eprintln!("below baseline: {b}");
    }
    ExitCode::from(1)
}
