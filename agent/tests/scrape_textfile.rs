//! The textfile collector, run as the agent runs it (a source from `[collect.scrape]`, on the
//! blocking pool), against a directory of `*.prom` files written by the test.

use pharos_agent::assemble::Assembler;
use pharos_agent::collect::scrape::sources;
use pharos_agent::collect::scrape::textfile::collect_dir;
use pharos_agent::collect::{Metric, MetricFamily, MetricType};
use pharos_agent::config::AgentConfig;

fn all(fams: &[MetricFamily]) -> Vec<&Metric> {
    fams.iter().flat_map(|f| &f.metrics).collect()
}

fn scrape_error(fams: &[MetricFamily]) -> f64 {
    all(fams).iter().find(|m| m.labels.metric_name() == Some("node_textfile_scrape_error")).expect("error gauge").value
}

#[tokio::test]
async fn prom_files_are_merged_with_mtimes_and_the_textfile_source_labels() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    std::fs::write(p("a.prom"), "# HELP backup_ok Backup succeeded.\n# TYPE backup_ok gauge\nbackup_ok{db=\"x\"} 1\n")
        .unwrap();
    std::fs::write(
        p("b.prom"),
        "# HELP backup_ok Backup succeeded.\n# TYPE backup_ok gauge\nbackup_ok{db=\"y\"} 0\nraid_ok 1\n",
    )
    .unwrap();
    std::fs::write(p("notes.txt"), "not a metric file").unwrap();
    let cfg = AgentConfig::parse(&format!(
        "[agent]\nname = \"web1\"\n[collect.scrape]\ntextfile_directory = \"{}\"\n",
        dir.path().display()
    ))
    .unwrap();
    let mut specs = sources(&cfg.collect.scrape, &cfg.agent);
    assert_eq!(specs.len(), 1, "the directory exists, so the textfile source runs");
    let mut spec = specs.remove(0);
    assert_eq!(spec.collector.name(), "textfile");
    let fams = spec.collector.collect().await.unwrap();
    let backup = fams.iter().find(|f| f.name == "backup_ok").unwrap();
    assert_eq!((backup.kind, backup.metrics.len()), (MetricType::Gauge, 2), "families merge across files");
    let raid = fams.iter().find(|f| f.name == "raid_ok").unwrap();
    assert_eq!(raid.help.as_deref(), Some(format!("Metric read from {}", p("b.prom").display()).as_str()));
    let mtimes: Vec<&Metric> =
        all(&fams).into_iter().filter(|m| m.labels.metric_name() == Some("node_textfile_mtime_seconds")).collect();
    let files: Vec<&str> = mtimes.iter().filter_map(|m| m.labels.get("file")).collect();
    assert_eq!(files, [p("a.prom").display().to_string(), p("b.prom").display().to_string()]);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64();
    assert!((mtimes[0].value - now).abs() < 60.0, "{}", mtimes[0].value);
    assert_eq!(scrape_error(&fams), 0.0);
    // job "node" (the default textfile_job) and the agent's name, as for node_exporter's series.
    let series = Assembler::new(&spec.job, &spec.instance).assemble(&fams, 1000);
    let s = series.iter().find(|s| s.labels.get("db") == Some("y")).unwrap();
    assert_eq!((s.labels.get("job"), s.labels.get("instance")), (Some("node"), Some("web1")));
}

#[test]
fn a_broken_file_is_skipped_and_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    std::fs::write(p("good.prom"), "good 1\n").unwrap();
    std::fs::write(p("bad.prom"), "bad{ 1\n").unwrap();
    std::fs::write(p("stamped.prom"), "stamped 1 1700000000000\n").unwrap();
    let fams = collect_dir(dir.path());
    assert_eq!(scrape_error(&fams), 1.0);
    let names: Vec<&str> = all(&fams).iter().filter_map(|m| m.labels.metric_name()).collect();
    assert!(names.contains(&"good"));
    assert!(!names.contains(&"bad") && !names.contains(&"stamped"), "{names:?}");
    let files: Vec<&str> = all(&fams).iter().filter_map(|m| m.labels.get("file")).collect();
    assert_eq!(files, [p("good.prom").display().to_string()], "no mtime for files that failed");
}

#[test]
fn a_missing_directory_is_an_error_gauge_not_a_failure() {
    let fams = collect_dir(std::path::Path::new("/nonexistent/pharos-textfile"));
    assert_eq!(scrape_error(&fams), 1.0);
    assert_eq!(all(&fams).len(), 1);
}

#[test]
fn inconsistent_types_across_files_are_flagged() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.prom"), "# TYPE x gauge\nx 1\n").unwrap();
    std::fs::write(dir.path().join("b.prom"), "# TYPE x counter\nx{b=\"1\"} 1\n").unwrap();
    let fams = collect_dir(dir.path());
    assert_eq!(scrape_error(&fams), 1.0);
    let x = fams.iter().find(|f| f.name == "x").unwrap();
    assert_eq!((x.kind, x.metrics.len()), (MetricType::Gauge, 1));
}
