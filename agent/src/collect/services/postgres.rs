//! PostgreSQL check with postgres_exporter 0.11's names, types, labels and values (its default
//! metrics and collectors), plus `pg_postmaster_start_time_seconds` and `pg_replication_lag` of
//! its example `queries.yaml`.
//!
//! Every metric but `pg_up` has the `server` label (`host:port` as in the exporter's DSN
//! fingerprint). The connection is kept between checks, as the exporter keeps its pool of one:
//! a new backend per check would cost the server a fork and an authentication each time. The
//! queries are sent together (tokio-postgres pipelines them) and one that fails (permissions,
//! version) only loses its own families, as in the exporter.
//!
//! The exporter's own figures (`pg_exporter_*`, `pg_scrape_collector_*`, build info) have no
//! counterpart: the agent's self-metrics cover them.

use super::pgvalue::{map_rows, val, Namespace, Usage, Val};
use super::{fields_and_schedule, read_password, Families, Schedule, ServiceError, UpState};
use crate::collect::{Collection, Collector, MetricFamily, MetricType};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio_postgres::{Client, NoTls, Row};
use tracing::debug;

/// One `[[collect.services.postgres]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostgresConfig {
    /// Host name or address, or a socket directory (starting with `/`). Default `127.0.0.1`.
    pub host: String,
    /// Port (also the socket file's number). Default 5432.
    pub port: u16,
    /// Role to connect as. Default `postgres`.
    pub user: String,
    /// Password.
    pub password: Option<String>,
    /// File whose first line is the password (instead of `password`).
    pub password_file: Option<PathBuf>,
    /// Database to connect to. Default `postgres`.
    pub dbname: String,
    /// `interval`, `timeout`, `job` (default `postgres`).
    pub schedule: Schedule,
    /// Set by detection: connect over the socket with peer authentication, which only works
    /// when the agent runs as the `postgres` system user.
    pub peer_detected: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fields {
    #[serde(default = "default_host")]
    host: String,
    #[serde(default = "default_port")]
    port: u16,
    #[serde(default = "default_user")]
    user: String,
    password: Option<String>,
    password_file: Option<PathBuf>,
    #[serde(default = "default_dbname")]
    dbname: String,
}

fn default_host() -> String {
    "127.0.0.1".into()
}

fn default_port() -> u16 {
    5432
}

fn default_user() -> String {
    "postgres".into()
}

fn default_dbname() -> String {
    "postgres".into()
}

impl<'de> Deserialize<'de> for PostgresConfig {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let (f, schedule): (Fields, _) = fields_and_schedule(d)?;
        if f.password.is_some() && f.password_file.is_some() {
            return Err(D::Error::custom("set either password or password_file, not both"));
        }
        Ok(PostgresConfig {
            host: f.host,
            port: f.port,
            user: f.user,
            password: f.password,
            password_file: f.password_file,
            dbname: f.dbname,
            schedule,
            peer_detected: false,
        })
    }
}

impl PostgresConfig {
    /// The exporter's `server` label: `host:port`.
    pub fn server_label(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

/// Looks for the local default server: Debian's socket `/var/run/postgresql/.s.PGSQL.5432`.
pub(super) fn detect() -> Option<PostgresConfig> {
    let dir = super::DEFAULT_POSTGRES_SOCKET_DIR;
    if !super::exists(&Path::new(dir).join(".s.PGSQL.5432")) {
        return None;
    }
    Some(PostgresConfig {
        host: dir.into(),
        port: 5432,
        user: "postgres".into(),
        password: None,
        password_file: None,
        dbname: "postgres".into(),
        schedule: Schedule::default(),
        peer_detected: true,
    })
}

/// The name of the user the agent runs as (effective uid), from `/etc/passwd`.
fn current_user() -> Option<String> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    let uid = unsafe { libc::geteuid() };
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|l| {
        let mut it = l.split(':');
        let (name, _, id) = (it.next()?, it.next()?, it.next()?);
        (id.parse::<u32>().ok()? == uid).then(|| name.to_string())
    })
}

/// Checks one PostgreSQL server.
pub struct PostgresCollector {
    name: String,
    cfg: PostgresConfig,
    deadline: Duration,
    client: Option<Client>,
    state: UpState,
}

impl PostgresCollector {
    /// A collector for `cfg` named `name`, giving up after `timeout`.
    pub fn new(name: String, cfg: PostgresConfig, timeout: Duration) -> Self {
        PostgresCollector { name, cfg, deadline: timeout, client: None, state: UpState::default() }
    }

    async fn connect(&self) -> Result<Client, ServiceError> {
        if self.cfg.peer_detected {
            // Peer authentication maps the OS user to the role of the same name: only the
            // `postgres` system user may connect as `postgres` over Debian's socket.
            let me = current_user().unwrap_or_else(|| "unknown".into());
            if me != "postgres" {
                return Err(ServiceError::NotPossible(format!(
                    "detected PostgreSQL at {}, but the agent runs as {me:?}, not \"postgres\", so peer authentication \
                     would refuse it; configure [[collect.services.postgres]] with a monitoring role (pg_monitor)",
                    self.cfg.server_label()
                )));
            }
        }
        let mut c = tokio_postgres::Config::new();
        c.host(&self.cfg.host)
            .port(self.cfg.port)
            .user(&self.cfg.user)
            .dbname(&self.cfg.dbname)
            .application_name("pharos-agent")
            // lib/pq (postgres_exporter's driver) starts sessions with extra_float_digits=2, which
            // then shows in pg_settings_extra_float_digits; it changes nothing in binary results.
            .options("-c extra_float_digits=2")
            .connect_timeout(self.deadline);
        if let Some(p) = read_password(&self.cfg.password, &self.cfg.password_file)? {
            c.password(p);
        }
        let (client, connection) = c.connect(NoTls).await?;
        let name = self.name.clone();
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                debug!(source = %name, error = %e, "postgres connection ended");
            }
        });
        Ok(client)
    }

    async fn scrape(&mut self) -> Result<Vec<MetricFamily>, ServiceError> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            self.client = Some(self.connect().await?);
        }
        let Some(client) = self.client.as_ref() else {
            return Err(ServiceError::NotPossible("no connection".into()));
        };
        let version: String = match client.query_one("SELECT version()", &[]).await {
            Ok(row) => row.try_get(0)?,
            Err(e) => {
                self.client = None;
                return Err(e.into());
            }
        };
        Ok(collect(client, &version, &self.cfg.server_label(), &self.name).await)
    }
}

impl Collector for PostgresCollector {
    fn name(&self) -> &str {
        &self.name
    }

    fn collect(&mut self) -> Collection<'_> {
        Box::pin(async move {
            let deadline = self.deadline;
            let result = match tokio::time::timeout(deadline, self.scrape()).await {
                Ok(r) => r,
                Err(_) => Err(ServiceError::Timeout(deadline)),
            };
            if result.is_err() {
                // A connection in an unknown state (timed out mid-query) is not reused.
                self.client = None;
            }
            self.state.record(&self.name, result.as_ref().map(|_| ()));
            Ok(result.unwrap_or_else(|_| super::down("pg_up", UP_HELP)))
        })
    }
}

const UP_HELP: &str =
    "Whether the last scrape of metrics from PostgreSQL was able to connect to the server (1 for yes, 0 for no).";

// ---------------------------------------------------------------------------------------------
// Queries and mappings of postgres_exporter 0.11 (postgres_exporter.go, queries.go,
// pg_setting.go, collector/pg_stat_bgwriter.go, collector/pg_database.go, queries.yaml).

const SETTINGS: &str = "SELECT name, setting, COALESCE(unit, ''), short_desc, vartype FROM pg_settings \
     WHERE vartype IN ('bool', 'integer', 'real') AND name != 'sync_commit_cancel_wait'";

const LOCKS: &str = "SELECT pg_database.datname,tmp.mode,COALESCE(count,0) as count
    FROM (VALUES ('accesssharelock'), ('rowsharelock'), ('rowexclusivelock'), ('shareupdateexclusivelock'),
                 ('sharelock'), ('sharerowexclusivelock'), ('exclusivelock'), ('accessexclusivelock'),
                 ('sireadlock')) AS tmp(mode) CROSS JOIN pg_database
    LEFT JOIN (SELECT database, lower(mode) AS mode,count(*) AS count FROM pg_locks
               WHERE database IS NOT NULL GROUP BY database, lower(mode)) AS tmp2
    ON tmp.mode=tmp2.mode and pg_database.oid = tmp2.database ORDER BY 1";

const ACTIVITY: &str = "SELECT pg_database.datname, tmp.state, COALESCE(count,0) as count,
        COALESCE(max_tx_duration,0) as max_tx_duration
    FROM (VALUES ('active'), ('idle'), ('idle in transaction'), ('idle in transaction (aborted)'),
                 ('fastpath function call'), ('disabled')) AS tmp(state) CROSS JOIN pg_database
    LEFT JOIN (SELECT datname, state, count(*) AS count,
                      MAX(EXTRACT(EPOCH FROM now() - xact_start))::float AS max_tx_duration
               FROM pg_stat_activity GROUP BY datname,state) AS tmp2
    ON tmp.state = tmp2.state AND pg_database.datname = tmp2.datname";

const REPLICATION: &str = "SELECT *,
    (case pg_is_in_recovery() when 't' then null else pg_current_wal_lsn() end) AS pg_current_wal_lsn,
    (case pg_is_in_recovery() when 't' then null else pg_wal_lsn_diff(pg_current_wal_lsn(), pg_lsn('0/0'))::float end)
        AS pg_current_wal_lsn_bytes,
    (case pg_is_in_recovery() when 't' then null else pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::float end)
        AS pg_wal_lsn_diff
    FROM pg_stat_replication";

const SLOTS: &str =
    "SELECT slot_name, database, active, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) FROM pg_replication_slots";

const ARCHIVER: &str =
    "SELECT *, extract(epoch from now() - last_archived_time) AS last_archive_age FROM pg_stat_archiver";

const BGWRITER: &str = "SELECT checkpoints_timed, checkpoints_req, checkpoint_write_time, checkpoint_sync_time,
    buffers_checkpoint, buffers_clean, maxwritten_clean, buffers_backend, buffers_backend_fsync, buffers_alloc,
    stats_reset FROM pg_stat_bgwriter";

const DATABASE_SIZE: &str = "SELECT pg_database.datname, pg_database_size(pg_database.datname) FROM pg_database";

const POSTMASTER: &str = "SELECT pg_postmaster_start_time as start_time_seconds from pg_postmaster_start_time()";

const REPLICATION_LAG: &str = "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 ELSE GREATEST (0, \
     EXTRACT(EPOCH FROM (now() - pg_last_xact_replay_timestamp()))) END AS lag";

use Usage::{Counter as C, Discard as D, Gauge as G, Label as L};

const STAT_DATABASE: Namespace = Namespace {
    name: "pg_stat_database",
    columns: &[
        ("datid", L, "OID of a database"),
        ("datname", L, "Name of this database"),
        ("numbackends", G, "Number of backends currently connected to this database. This is the only column in this view that returns a value reflecting current state; all other columns return the accumulated values since the last reset."),
        ("xact_commit", C, "Number of transactions in this database that have been committed"),
        ("xact_rollback", C, "Number of transactions in this database that have been rolled back"),
        ("blks_read", C, "Number of disk blocks read in this database"),
        ("blks_hit", C, "Number of times disk blocks were found already in the buffer cache, so that a read was not necessary (this only includes hits in the PostgreSQL buffer cache, not the operating system's file system cache)"),
        ("tup_returned", C, "Number of rows returned by queries in this database"),
        ("tup_fetched", C, "Number of rows fetched by queries in this database"),
        ("tup_inserted", C, "Number of rows inserted by queries in this database"),
        ("tup_updated", C, "Number of rows updated by queries in this database"),
        ("tup_deleted", C, "Number of rows deleted by queries in this database"),
        ("conflicts", C, "Number of queries canceled due to conflicts with recovery in this database. (Conflicts occur only on standby servers; see pg_stat_database_conflicts for details.)"),
        ("temp_files", C, "Number of temporary files created by queries in this database. All temporary files are counted, regardless of why the temporary file was created (e.g., sorting or hashing), and regardless of the log_temp_files setting."),
        ("temp_bytes", C, "Total amount of data written to temporary files by queries in this database. All temporary files are counted, regardless of why the temporary file was created, and regardless of the log_temp_files setting."),
        ("deadlocks", C, "Number of deadlocks detected in this database"),
        ("blk_read_time", C, "Time spent reading data file blocks by backends in this database, in milliseconds"),
        ("blk_write_time", C, "Time spent writing data file blocks by backends in this database, in milliseconds"),
        ("stats_reset", C, "Time at which these statistics were last reset"),
    ],
};

const STAT_DATABASE_CONFLICTS: Namespace = Namespace {
    name: "pg_stat_database_conflicts",
    columns: &[
        ("datid", L, "OID of a database"),
        ("datname", L, "Name of this database"),
        (
            "confl_tablespace",
            C,
            "Number of queries in this database that have been canceled due to dropped tablespaces",
        ),
        ("confl_lock", C, "Number of queries in this database that have been canceled due to lock timeouts"),
        ("confl_snapshot", C, "Number of queries in this database that have been canceled due to old snapshots"),
        ("confl_bufferpin", C, "Number of queries in this database that have been canceled due to pinned buffers"),
        ("confl_deadlock", C, "Number of queries in this database that have been canceled due to deadlocks"),
    ],
};

const LOCKS_NS: Namespace = Namespace {
    name: "pg_locks",
    columns: &[("datname", L, "Name of this database"), ("mode", L, "Type of Lock"), ("count", G, "Number of locks")],
};

const ACTIVITY_NS: Namespace = Namespace {
    name: "pg_stat_activity",
    columns: &[
        ("datname", L, "Name of this database"),
        ("state", L, "connection state"),
        ("count", G, "number of connections in this state"),
        ("max_tx_duration", G, "max duration in seconds any active transaction has been running"),
    ],
};

const ARCHIVER_NS: Namespace = Namespace {
    name: "pg_stat_archiver",
    columns: &[
        ("archived_count", C, "Number of WAL files that have been successfully archived"),
        ("last_archived_wal", D, ""),
        ("last_archived_time", D, ""),
        ("failed_count", C, "Number of failed attempts for archiving WAL files"),
        ("last_failed_wal", D, ""),
        ("last_failed_time", D, ""),
        ("stats_reset", D, ""),
        ("last_archive_age", G, "Time in seconds since last WAL segment was successfully archived"),
    ],
};

const SLOTS_NS: Namespace = Namespace {
    name: "pg_replication_slots",
    columns: &[
        ("slot_name", L, "Name of the replication slot"),
        ("database", L, "Name of the database"),
        ("active", G, "Flag indicating if the slot is active"),
        ("pg_wal_lsn_diff", G, "Replication lag in bytes"),
    ],
};

/// pg_stat_replication for PostgreSQL 10 and later (the columns earlier versions discard are left out).
const REPLICATION_NS: Namespace = Namespace {
    name: "pg_stat_replication",
    columns: &[
        ("pid", D, ""),
        ("usesysid", D, ""),
        ("usename", D, ""),
        ("application_name", L, "Name of the application that is connected to this WAL sender"),
        ("client_addr", L, "IP address of the client connected to this WAL sender. If this field is null, it indicates that the client is connected via a Unix socket on the server machine."),
        ("client_hostname", D, ""),
        ("client_port", D, ""),
        ("backend_start", D, ""),
        ("backend_xmin", D, ""),
        ("state", L, "Current WAL sender state"),
        ("sent_lsn", D, ""),
        ("write_lsn", D, ""),
        ("flush_lsn", D, ""),
        ("replay_lsn", D, ""),
        ("sync_priority", D, ""),
        ("sync_state", D, ""),
        ("slot_name", L, "A unique, cluster-wide identifier for the replication slot"),
        ("plugin", D, ""),
        ("slot_type", D, ""),
        ("datoid", D, ""),
        ("database", D, ""),
        ("active", D, ""),
        ("active_pid", D, ""),
        ("xmin", D, ""),
        ("catalog_xmin", D, ""),
        ("restart_lsn", D, ""),
        ("pg_current_xlog_location", D, ""),
        ("pg_current_wal_lsn", D, ""),
        ("pg_current_wal_lsn_bytes", G, "WAL position in bytes"),
        ("pg_xlog_location_diff", D, ""),
        ("pg_wal_lsn_diff", G, "Lag in bytes between master and slave"),
        ("confirmed_flush_lsn", D, ""),
        ("write_lag", D, ""),
        ("flush_lag", D, ""),
        ("replay_lag", D, ""),
    ],
};

/// Bgwriter columns in query order, their metric names (after `pg_stat_bgwriter_`) and HELP.
const BGWRITER_COLUMNS: [(&str, &str); 11] = [
    ("checkpoints_timed_total", "Number of scheduled checkpoints that have been performed"),
    ("checkpoints_req_total", "Number of requested checkpoints that have been performed"),
    ("checkpoint_write_time_total", "Total amount of time that has been spent in the portion of checkpoint processing where files are written to disk, in milliseconds"),
    ("checkpoint_sync_time_total", "Total amount of time that has been spent in the portion of checkpoint processing where files are synchronized to disk, in milliseconds"),
    ("buffers_checkpoint_total", "Number of buffers written during checkpoints"),
    ("buffers_clean_total", "Number of buffers written by the background writer"),
    ("maxwritten_clean_total", "Number of times the background writer stopped a cleaning scan because it had written too many buffers"),
    ("buffers_backend_total", "Number of buffers written directly by a backend"),
    ("buffers_backend_fsync_total", "Number of times a backend had to execute its own fsync call (normally the background writer handles those even when the backend does its own write)"),
    ("buffers_alloc_total", "Number of buffers allocated"),
    ("stats_reset_total", "Time at which these statistics were last reset"),
];

/// `parseVersion` + semver's `ParseTolerant`: `PostgreSQL 15.18 (Debian ...)` → (15, 18, 0).
pub(crate) fn parse_version(v: &str) -> Option<(u64, u64, u64)> {
    let rest = v.split_once(' ')?.1;
    let num: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    let mut it = num.split('.').filter(|s| !s.is_empty()).map(|s| s.parse::<u64>());
    let major = it.next()?.ok()?;
    let minor = it.next().and_then(Result::ok).unwrap_or(0);
    let patch = it.next().and_then(Result::ok).unwrap_or(0);
    Some((major, minor, patch))
}

/// Runs every query (pipelined) and builds the families.
async fn collect(client: &Client, version: &str, server: &str, source: &str) -> Vec<MetricFamily> {
    let v10 = parse_version(version).is_some_and(|v| v.0 >= 10);
    let q = |sql: &'static str| async move { client.query(sql, &[]).await };
    let (settings, stat_db, conflicts, locks, repl, slots, archiver, activity, bgwriter, sizes, postmaster, lag) = tokio::join!(
        q(SETTINGS),
        q("SELECT * FROM pg_stat_database"),
        q("SELECT * FROM pg_stat_database_conflicts"),
        q(LOCKS),
        async {
            if v10 {
                q(REPLICATION).await
            } else {
                Ok(Vec::new())
            }
        },
        async {
            if v10 {
                q(SLOTS).await
            } else {
                Ok(Vec::new())
            }
        },
        q(ARCHIVER),
        q(ACTIVITY),
        q(BGWRITER),
        q(DATABASE_SIZE),
        q(POSTMASTER),
        q(REPLICATION_LAG),
    );
    let mut f = Families::default();
    let ok = |what: &str, r: Result<Vec<Row>, tokio_postgres::Error>| -> Vec<Row> {
        r.unwrap_or_else(|e| {
            // As the exporter, a failed query loses its own families only.
            debug!(source, query = what, error = %e, "query failed");
            Vec::new()
        })
    };
    let srv = [("server", server)];
    if let Some((major, minor, patch)) = parse_version(version) {
        let short = format!("{major}.{minor}.{patch}");
        f.add(
            "pg_static",
            "Version string as reported by postgres",
            MetricType::Untyped,
            &[("version", version), ("short_version", &short), ("server", server)],
            1.0,
        );
    }
    for row in ok("pg_settings", settings) {
        settings_metric(&mut f, &row, server);
    }
    map_rows(&mut f, &STAT_DATABASE, &ok("pg_stat_database", stat_db), server);
    map_rows(&mut f, &STAT_DATABASE_CONFLICTS, &ok("pg_stat_database_conflicts", conflicts), server);
    map_rows(&mut f, &LOCKS_NS, &ok("pg_locks", locks), server);
    map_rows(&mut f, &REPLICATION_NS, &ok("pg_stat_replication", repl), server);
    map_rows(&mut f, &SLOTS_NS, &ok("pg_replication_slots", slots), server);
    map_rows(&mut f, &ARCHIVER_NS, &ok("pg_stat_archiver", archiver), server);
    map_rows(&mut f, &ACTIVITY_NS, &ok("pg_stat_activity", activity), server);
    for row in ok("pg_stat_bgwriter", bgwriter) {
        // The exporter scans into typed Go variables: one NULL (or other surprise) fails them all.
        let vals: Vec<Option<f64>> = (0..BGWRITER_COLUMNS.len())
            .map(|i| match val(&row, i) {
                Val::Num(v) => Some(v.trunc()),
                Val::Time(t) => Some(t as f64),
                _ => None,
            })
            .collect();
        if vals.iter().all(Option::is_some) {
            for ((name, help), v) in BGWRITER_COLUMNS.iter().zip(vals) {
                f.add(&format!("pg_stat_bgwriter_{name}"), help, MetricType::Counter, &srv, v.unwrap_or(0.0));
            }
        }
    }
    for row in ok("pg_database", sizes) {
        if let (Val::Text(datname), Val::Num(size)) = (val(&row, 0), val(&row, 1)) {
            let l = [("datname", datname.as_str()), ("server", server)];
            f.add("pg_database_size_bytes", "Disk space used by the database", MetricType::Gauge, &l, size);
        }
    }
    for row in ok("pg_postmaster", postmaster) {
        if let Some(v) = val(&row, 0).to_f64() {
            f.add("pg_postmaster_start_time_seconds", "Time at which postmaster started", MetricType::Gauge, &srv, v);
        }
    }
    for row in ok("pg_replication", lag) {
        if let Some(v) = val(&row, 0).to_f64() {
            f.add("pg_replication_lag", "Replication lag behind master in seconds", MetricType::Gauge, &srv, v);
        }
    }
    f.add("pg_up", UP_HELP, MetricType::Gauge, &[], 1.0);
    f.into_vec()
}

/// `pgSetting.metric`: one `pg_settings_*` gauge, with the unit converted to seconds or bytes.
fn settings_metric(f: &mut Families, row: &Row, server: &str) {
    let text = |i| match val(row, i) {
        Val::Text(s) => s,
        _ => String::new(),
    };
    let (name, value, unit, desc, vartype) = (text(0), text(1), text(2), text(3), text(4));
    if let Some((metric, help, v)) = setting(&name, &value, &unit, &desc, &vartype) {
        f.add(&metric, &help, MetricType::Gauge, &[("server", server)], v);
    }
}

/// Name, HELP and value of a setting; None for one the exporter would panic on (unknown unit).
pub(crate) fn setting(name: &str, value: &str, unit: &str, desc: &str, vartype: &str) -> Option<(String, String, f64)> {
    let name = name.replace('.', "_");
    match vartype {
        "bool" => Some((format!("pg_settings_{name}"), desc.to_string(), if value == "on" { 1.0 } else { 0.0 })),
        "integer" | "real" => {
            let (suffix, factor) = match unit {
                "" => ("", 1.0),
                "ms" => ("seconds", 1e-3),
                "s" => ("seconds", 1.0),
                "min" => ("seconds", 60.0),
                "h" => ("seconds", 3600.0),
                "d" => ("seconds", 86400.0),
                "B" => ("bytes", 1.0),
                "kB" => ("bytes", 1024.0),
                "MB" => ("bytes", 1024.0 * 1024.0),
                "GB" => ("bytes", 1024.0 * 1024.0 * 1024.0),
                "TB" => ("bytes", 1024.0 * 1024.0 * 1024.0 * 1024.0),
                "8kB" => ("bytes", 8192.0),
                "16kB" => ("bytes", 16384.0),
                "32kB" => ("bytes", 32768.0),
                "16MB" => ("bytes", 16.0 * 1024.0 * 1024.0),
                "32MB" => ("bytes", 32.0 * 1024.0 * 1024.0),
                "64MB" => ("bytes", 64.0 * 1024.0 * 1024.0),
                _ => return None,
            };
            let raw: f64 = value.parse().ok()?;
            // -1 is special (disabled, default): not converted, as in the exporter.
            let v = if raw == -1.0 {
                raw
            } else if unit == "ms" {
                // Go divides by 1000; multiplying by 1e-3 would round differently.
                raw / 1000.0
            } else {
                raw * factor
            };
            if suffix.is_empty() {
                Some((format!("pg_settings_{name}"), desc.to_string(), v))
            } else {
                Some((format!("pg_settings_{name}_{suffix}"), format!("{desc} [Units converted to {suffix}.]"), v))
            }
        }
        _ => None,
    }
}
