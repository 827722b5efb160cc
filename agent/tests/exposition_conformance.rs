//! The exposition conformance corpus (`shared/conformance/exposition/`): every OpenMetrics case
//! and every Prometheus text case gets the expected verdict from `checkmetrics::check`, and a few
//! go through the built binary's `check-metrics` command as well.

use pharos_agent::checkmetrics::check;
use pharos_protocol::exposition::Format;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance/exposition")
}

/// `(case name, input, must parse)` for every case of both formats.
fn cases() -> Vec<(String, Vec<u8>, bool, Format)> {
    let root = corpus();
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root.join("openmetrics"))
        .expect("the OpenMetrics corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("test.json").is_file())
        .collect();
    dirs.sort();
    for dir in dirs {
        let spec = std::fs::read_to_string(dir.join("test.json")).expect("test.json");
        let spec: serde_json::Value = serde_json::from_str(&spec).expect("test.json is JSON");
        let file = spec["file"].as_str().unwrap_or("metrics");
        let should_parse = spec["shouldParse"].as_bool().expect("shouldParse");
        let input = std::fs::read(dir.join(file)).expect("metrics");
        out.push((
            format!("openmetrics/{}", dir.file_name().unwrap().to_string_lossy()),
            input,
            should_parse,
            Format::OpenMetrics,
        ));
    }
    for (sub, must_parse) in [("valid", true), ("invalid", false)] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("prometheus-text").join(sub))
            .expect("the text corpus")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for f in files {
            let name = format!("prometheus-text/{sub}/{}", f.file_name().unwrap().to_string_lossy());
            out.push((name, std::fs::read(&f).expect("case"), must_parse, Format::Text));
        }
    }
    out
}

#[test]
fn every_case_gets_the_expected_verdict() {
    if !corpus().is_dir() {
        println!("NOTE: {} is missing; skipping the conformance corpus", corpus().display());
        return;
    }
    let cases = cases();
    let wrong: Vec<String> = cases
        .iter()
        .filter_map(|(name, input, should_parse, format)| {
            let got = check(input, *format);
            (got.is_ok() != *should_parse).then(|| format!("{name}: expected shouldParse={should_parse}, got {got:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{} of {} cases wrong:\n{}", wrong.len(), cases.len(), wrong.join("\n"));
    assert!(cases.len() >= 150, "only {} cases", cases.len());
    println!("{} exposition cases checked", cases.len());
}

/// Runs `pharos-agent check-metrics [--format F]` with `input` on stdin.
fn run_binary(input: &[u8], format: Option<&str>) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pharos-agent"));
    cmd.arg("check-metrics");
    if let Some(f) = format {
        cmd.args(["--format", f]);
    }
    let mut child =
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start pharos-agent");
    child.stdin.take().expect("stdin").write_all(input).expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    assert!(matches!(out.status.code(), Some(0 | 1)), "exit status {:?}", out.status);
    (out.status.success(), String::from_utf8_lossy(&out.stderr).to_string())
}

#[test]
fn the_binary_agrees_on_a_few_cases() {
    if !corpus().is_dir() {
        println!("NOTE: {} is missing; skipping", corpus().display());
        return;
    }
    let picked = [
        "simple_histogram",
        "bad_no_eof",
        "bad_histograms_9",
        "label_escaping",
        "from_test_parse_0",
        "from_test_parse_error_0",
    ];
    let mut ran = 0;
    for (name, input, should_parse, format) in cases() {
        if !picked.iter().any(|p| name.ends_with(&format!("/{p}"))) {
            continue;
        }
        let flag = match format {
            Format::OpenMetrics => Some("openmetrics"),
            Format::Text => None, // the default
        };
        let (ok, stderr) = run_binary(&input, flag);
        assert_eq!(ok, should_parse, "{name}: {stderr}");
        if !ok {
            assert!(stderr.starts_with("line "), "{name}: {stderr:?}");
        }
        ran += 1;
    }
    assert!(ran >= 4, "only {ran} picked cases found");
}

#[test]
fn the_binary_reports_the_line() {
    let (ok, stderr) = run_binary(b"a 1\nb{ 2\n", Some("text"));
    assert!(!ok);
    assert!(stderr.starts_with("line 2: "), "{stderr:?}");
    let (ok, _) = run_binary(b"# TYPE a counter\na_total 1\n# EOF\n", Some("openmetrics"));
    assert!(ok);
}
