//! The agent's PostgreSQL check against Debian's PostgreSQL 15 (a cluster of its own made with
//! initdb in a temporary directory), side by side with Debian's `prometheus-postgres-exporter`
//! (postgres_exporter 0.11, default collectors, plus the `pg_postmaster` and `pg_replication`
//! queries of its example queries.yaml) connected as the same `pg_monitor` role: the same
//! families, types, label sets and agreeing values; `pg_up 0` alone once the server stops.

#[path = "support/services/mod.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::*;

const EXPORTER: &str = "/usr/bin/prometheus-postgres-exporter";
const PASSWORD: &str = "pharos-monitor-pw";

const REQUIRED: &[&str] = &[
    "pg_up",
    "pg_static",
    "pg_stat_activity_count",
    "pg_stat_activity_max_tx_duration",
    "pg_settings_max_connections",
    "pg_settings_shared_buffers_bytes",
    "pg_settings_checkpoint_timeout_seconds",
    "pg_stat_database_xact_commit",
    "pg_stat_database_numbackends",
    "pg_stat_database_blks_hit",
    "pg_stat_database_conflicts_confl_lock",
    "pg_database_size_bytes",
    "pg_postmaster_start_time_seconds",
    "pg_replication_lag",
    "pg_stat_bgwriter_checkpoints_timed_total",
    "pg_stat_bgwriter_buffers_alloc_total",
    "pg_stat_archiver_archived_count",
    "pg_locks_count",
];

/// The extra queries of postgres_exporter's example queries.yaml that the agent implements.
const QUERIES_YAML: &str = r#"pg_replication:
  query: "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 ELSE GREATEST (0, EXTRACT(EPOCH FROM (now() - pg_last_xact_replay_timestamp()))) END AS lag"
  master: true
  metrics:
    - lag:
        usage: "GAUGE"
        description: "Replication lag behind master in seconds"

pg_postmaster:
  query: "SELECT pg_postmaster_start_time as start_time_seconds from pg_postmaster_start_time()"
  master: true
  metrics:
    - start_time_seconds:
        usage: "GAUGE"
        description: "Time at which postmaster started"
"#;

/// PostgreSQL 15's server programs (Debian's `postgresql-15`, pulled in by `postgresql`).
fn pg_bin() -> PathBuf {
    let dir = PathBuf::from("/usr/lib/postgresql/15/bin");
    require(&dir.join("initdb").display().to_string(), "postgresql");
    require(&dir.join("postgres").display().to_string(), "postgresql");
    dir
}

fn tolerance(name: &str) -> Option<(f64, f64)> {
    match name {
        // Each reader's own query is the active transaction it sees.
        "pg_stat_activity_max_tx_duration" => Some((5.0, 0.0)),
        "pg_stat_activity_count" | "pg_stat_database_numbackends" => Some((2.0, 0.0)),
        "pg_locks_count" => Some((10.0, 0.0)),
        "pg_database_size_bytes" => Some((1024.0 * 1024.0, 0.2)),
        // Untyped pg_stat_database columns (session times) are counters that move with the reads.
        n if n.starts_with("pg_stat_database_") => Some((1000.0, 0.1)),
        _ => Some((1e-9, 0.0)),
    }
}

fn chown_to_postgres(path: &Path) {
    if is_root() {
        let ok = Command::new("chown").args(["-R", "postgres:postgres"]).arg(path).status().is_ok_and(|s| s.success());
        assert!(ok, "chown postgres {}: is the `postgres` system user there (package postgresql)?", path.display());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_check_matches_postgres_exporter() {
    let bin = pg_bin();
    require(EXPORTER, "prometheus-postgres-exporter");
    let dir = tempfile::tempdir().expect("tempdir");
    let base = dir.path();
    let (data, sock) = (base.join("data"), base.join("sock"));
    std::fs::create_dir_all(&sock).expect("socket dir");
    chown_to_postgres(base);

    let mut initdb = command_as("postgres", &bin.join("initdb").display().to_string());
    initdb.arg("-D").arg(&data).args([
        "-U",
        "postgres",
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "--no-sync",
    ]);
    initdb.current_dir(base);
    let out = initdb.output().expect("running initdb");
    assert!(
        out.status.success(),
        "initdb: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    let port = free_port();
    let mut cmd = command_as("postgres", &bin.join("postgres").display().to_string());
    cmd.arg("-D").arg(&data).current_dir(base);
    cmd.args(["-c", "listen_addresses=127.0.0.1", "-c", &format!("port={port}")]);
    cmd.arg("-c").arg(format!("unix_socket_directories={}", sock.display()));
    let mut server = Proc::start("postgres", cmd, base);

    // Set up as the superuser over the socket (trust), as run.sh does: a pg_monitor role and a
    // second database.
    let mut admin = tokio_postgres::Config::new();
    admin.host_path(&sock).port(port).user("postgres").dbname("postgres");
    let mut setup = None;
    for _ in 0..150 {
        server.assert_running();
        if let Ok((client, conn)) = admin.connect(tokio_postgres::NoTls).await {
            tokio::spawn(conn);
            setup = Some(client);
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let setup = setup.unwrap_or_else(|| panic!("postgres not ready:\n{}", server.log_tail()));
    // One statement at a time: several in one simple query form a transaction, which CREATE
    // DATABASE refuses.
    for sql in [
        format!("CREATE ROLE pharos_monitor LOGIN PASSWORD '{PASSWORD}'"),
        "GRANT pg_monitor TO pharos_monitor".to_string(),
        "CREATE DATABASE app".to_string(),
    ] {
        setup.batch_execute(&sql).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    drop(setup);

    let queries = base.join("queries.yaml");
    std::fs::write(&queries, QUERIES_YAML).expect("queries.yaml");
    let exporter_port = free_port();
    let mut cmd = Command::new(EXPORTER);
    cmd.env(
        "DATA_SOURCE_NAME",
        format!("postgresql://pharos_monitor:{PASSWORD}@127.0.0.1:{port}/postgres?sslmode=disable"),
    );
    cmd.arg(format!("--web.listen-address=127.0.0.1:{exporter_port}"));
    cmd.arg(format!("--extend.query-path={}", queries.display()));
    let mut exporter = Proc::start("postgres_exporter", cmd, base);
    wait_for("postgres_exporter", Duration::from_secs(20), || {
        exporter.assert_running();
        http_get(exporter_port, "/").is_ok()
    });

    let mut agent = collector(&format!(
        "[agent]\nname = \"h1\"\n[collect.services]\ndetect = false\n[[collect.services.postgres]]\n\
         host = \"127.0.0.1\"\nport = {port}\nuser = \"pharos_monitor\"\npassword = \"{PASSWORD}\"\n"
    ));
    // Warm-up: both connections exist (and are counted in pg_stat_activity) from now on.
    scrape(exporter_port);
    let first = collect(&mut agent).await;
    assert!(first.iter().any(|f| f.name == "pg_up" && f.metrics[0].value == 1.0), "pg_up: {first:?}");
    // Let both backends' statistics reach the shared counters (flushed at most once a second).
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let before = scrape(exporter_port);
    let ours = collect(&mut agent).await;
    let after = scrape(exporter_port);
    assert_families(&after, REQUIRED, "postgres_exporter");
    assert_families(&ours, REQUIRED, "the agent");
    let ignore = ignore_own(&["pg_exporter_", "pg_scrape_collector_", "postgres_exporter_build_info"]);
    let report = compare(&before, &ours, &after, &ignore, &tolerance);
    assert_parity(&report, "agent vs postgres_exporter", 300);

    // Fast shutdown; the agent's kept connection is cut and it cannot reconnect.
    server.stop(libc::SIGINT);
    let down = collect(&mut agent).await;
    assert_down(&down, "pg_up");
    exporter.stop(libc::SIGTERM);
}
