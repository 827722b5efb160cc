//! Redis check with redis_exporter 1.45's names, types, labels and values.
//!
//! One connection per check (as redis_exporter does per scrape), with a minimal RESP client over
//! TCP or a unix socket. The commands are pipelined in one write: `AUTH` (if a password is set),
//! `CONFIG GET` of the four settings redis_exporter exports or needs (`databases`, `maxclients`,
//! `maxmemory`, `io-threads`: one key each, which every Redis version accepts, rather than the
//! exporter's costly `CONFIG GET *`), `INFO ALL`, `SLOWLOG LEN`, `SLOWLOG GET 1`, `LATENCY LATEST`.
//! A refused `CONFIG` (renamed, or denied by an ACL) is ignored, as the exporter ignores it.
//!
//! What the exporter reports about itself (`redis_exporter_*`, scrape counters, key-group
//! timings) has no counterpart here: the agent's own self-metrics cover it.

use super::resp::{connect, encode, read_reply, Reply};
use super::{fields_and_schedule, read_password, Families, Schedule, ServiceError, UpState};
use crate::collect::{Collection, Collector, MetricFamily, MetricType};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::io::AsyncWriteExt;

/// One `[[collect.services.redis]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisConfig {
    /// `HOST:PORT`, `redis://HOST:PORT`, or the path of a unix socket. Default `127.0.0.1:6379`.
    pub address: String,
    /// ACL user name for `AUTH` (Redis 6+); without it `AUTH password` uses the default user.
    pub username: Option<String>,
    /// Password.
    pub password: Option<String>,
    /// File whose first line is the password (instead of `password`).
    pub password_file: Option<PathBuf>,
    /// `interval`, `timeout`, `job` (default `redis`).
    pub schedule: Schedule,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Fields {
    #[serde(default = "default_address")]
    address: String,
    username: Option<String>,
    password: Option<String>,
    password_file: Option<PathBuf>,
}

fn default_address() -> String {
    super::DEFAULT_REDIS_ADDRESS.to_string()
}

impl<'de> Deserialize<'de> for RedisConfig {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let (f, schedule): (Fields, _) = fields_and_schedule(d)?;
        if f.password.is_some() && f.password_file.is_some() {
            return Err(D::Error::custom("set either password or password_file, not both"));
        }
        Ok(RedisConfig {
            address: f.address,
            username: f.username,
            password: f.password,
            password_file: f.password_file,
            schedule,
        })
    }
}

/// Looks for a Redis server at its default local address: one that accepts a TCP connection.
pub(super) fn detect() -> Option<RedisConfig> {
    let addr: std::net::SocketAddr = super::DEFAULT_REDIS_ADDRESS.parse().ok()?;
    // A blocking connect is fine here: this runs once at start, and on loopback a connection is
    // accepted or refused at once.
    std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(300)).ok()?;
    Some(RedisConfig {
        address: super::DEFAULT_REDIS_ADDRESS.to_string(),
        username: None,
        password: None,
        password_file: None,
        schedule: Schedule::default(),
    })
}

/// Checks one Redis server.
pub struct RedisCollector {
    name: String,
    cfg: RedisConfig,
    deadline: Duration,
    state: UpState,
}

impl RedisCollector {
    /// A collector for `cfg` named `name`, giving up after `timeout`.
    pub fn new(name: String, cfg: RedisConfig, timeout: Duration) -> Self {
        RedisCollector { name, cfg, deadline: timeout, state: UpState::default() }
    }
}

impl Collector for RedisCollector {
    fn name(&self) -> &str {
        &self.name
    }

    fn collect(&mut self) -> Collection<'_> {
        Box::pin(async move {
            let result = match tokio::time::timeout(self.deadline, scrape(&self.cfg)).await {
                Ok(r) => r,
                Err(_) => Err(ServiceError::Timeout(self.deadline)),
            };
            self.state.record(&self.name, result.as_ref().map(|_| ()));
            Ok(match result {
                Ok(info) => info,
                Err(_) => super::down("redis_up", UP_HELP),
            })
        })
    }
}

const UP_HELP: &str = "Information about the Redis instance";

/// What one check read from the server.
struct Replies {
    config: Vec<Reply>,
    info: String,
    slowlog_len: Option<Reply>,
    slowlog_get: Option<Reply>,
    latency: Option<Reply>,
    cluster_info: Option<String>,
}

const CONFIG_KEYS: [&str; 4] = ["databases", "maxclients", "maxmemory", "io-threads"];

async fn query(cfg: &RedisConfig) -> Result<Replies, ServiceError> {
    let password = read_password(&cfg.password, &cfg.password_file)?;
    let mut conn = connect(&cfg.address).await?;
    let mut out = Vec::with_capacity(512);
    let auth = password.is_some();
    if let Some(p) = &password {
        match &cfg.username {
            Some(u) => encode(&["AUTH", u, p], &mut out),
            None => encode(&["AUTH", p], &mut out),
        }
    }
    for k in CONFIG_KEYS {
        encode(&["CONFIG", "GET", k], &mut out);
    }
    encode(&["INFO", "ALL"], &mut out);
    encode(&["SLOWLOG", "LEN"], &mut out);
    encode(&["SLOWLOG", "GET", "1"], &mut out);
    encode(&["LATENCY", "LATEST"], &mut out);
    conn.write_all(&out).await?;
    conn.flush().await?;
    if auth {
        if let Reply::Error(e) = read_reply(&mut conn, 0).await? {
            return Err(ServiceError::Server(format!("AUTH: {e}")));
        }
    }
    let mut config = Vec::new();
    for _ in CONFIG_KEYS {
        config.push(read_reply(&mut conn, 0).await?);
    }
    let info = read_reply(&mut conn, 0).await?;
    let ok = |r: Reply| if matches!(r, Reply::Error(_)) { None } else { Some(r) };
    let slowlog_len = ok(read_reply(&mut conn, 0).await?);
    let slowlog_get = ok(read_reply(&mut conn, 0).await?);
    let latency = ok(read_reply(&mut conn, 0).await?);
    let info = match info.text() {
        Some(t) if !t.is_empty() => t,
        _ => {
            // As redis_exporter: servers without INFO ALL (before 6.0 some forks) get plain INFO.
            let mut out = Vec::new();
            encode(&["INFO"], &mut out);
            conn.write_all(&out).await?;
            conn.flush().await?;
            match read_reply(&mut conn, 0).await? {
                Reply::Error(e) => return Err(ServiceError::Server(format!("INFO: {e}"))),
                r => r.text().ok_or_else(|| ServiceError::Protocol("INFO reply is not a string".into()))?,
            }
        }
    };
    let cluster_info = if info.contains("cluster_enabled:1") {
        let mut out = Vec::new();
        encode(&["CLUSTER", "INFO"], &mut out);
        conn.write_all(&out).await?;
        conn.flush().await?;
        read_reply(&mut conn, 0).await?.text()
    } else {
        None
    };
    Ok(Replies { config, info, slowlog_len, slowlog_get, latency, cluster_info })
}

async fn scrape(cfg: &RedisConfig) -> Result<Vec<MetricFamily>, ServiceError> {
    let replies = query(cfg).await?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    Ok(families(&replies, now as f64))
}

// ---------------------------------------------------------------------------------------------
// Metrics, as redis_exporter 1.45 derives them (exporter.go, info.go, metrics.go, slowlog.go,
// latency.go).

/// INFO fields exported as gauges, and their metric names (without `redis_`).
const GAUGES: &[(&str, &str)] = &[
    ("uptime_in_seconds", "uptime_in_seconds"),
    ("process_id", "process_id"),
    ("io_threads_active", "io_threads_active"),
    ("connected_clients", "connected_clients"),
    ("blocked_clients", "blocked_clients"),
    ("tracking_clients", "tracking_clients"),
    ("clients_in_timeout_table", "clients_in_timeout_table"),
    ("client_longest_output_list", "client_longest_output_list"),
    ("client_biggest_input_buf", "client_biggest_input_buf"),
    ("client_recent_max_output_buffer", "client_recent_max_output_buffer_bytes"),
    ("client_recent_max_input_buffer", "client_recent_max_input_buffer_bytes"),
    ("allocator_active", "allocator_active_bytes"),
    ("allocator_allocated", "allocator_allocated_bytes"),
    ("allocator_resident", "allocator_resident_bytes"),
    ("allocator_frag_ratio", "allocator_frag_ratio"),
    ("allocator_frag_bytes", "allocator_frag_bytes"),
    ("allocator_rss_ratio", "allocator_rss_ratio"),
    ("allocator_rss_bytes", "allocator_rss_bytes"),
    ("used_memory", "memory_used_bytes"),
    ("used_memory_rss", "memory_used_rss_bytes"),
    ("used_memory_peak", "memory_used_peak_bytes"),
    ("used_memory_lua", "memory_used_lua_bytes"),
    ("used_memory_overhead", "memory_used_overhead_bytes"),
    ("used_memory_startup", "memory_used_startup_bytes"),
    ("used_memory_dataset", "memory_used_dataset_bytes"),
    ("used_memory_scripts", "memory_used_scripts_bytes"),
    ("number_of_cached_scripts", "number_of_cached_scripts"),
    ("maxmemory", "memory_max_bytes"),
    ("maxmemory_reservation", "memory_max_reservation_bytes"),
    ("maxmemory_desired_reservation", "memory_max_reservation_desired_bytes"),
    ("maxfragmentationmemory_reservation", "memory_max_fragmentation_reservation_bytes"),
    ("maxfragmentationmemory_desired_reservation", "memory_max_fragmentation_reservation_desired_bytes"),
    ("mem_fragmentation_ratio", "mem_fragmentation_ratio"),
    ("mem_fragmentation_bytes", "mem_fragmentation_bytes"),
    ("mem_clients_slaves", "mem_clients_slaves"),
    ("mem_clients_normal", "mem_clients_normal"),
    ("expired_stale_perc", "expired_stale_percentage"),
    ("mem_not_counted_for_evict", "mem_not_counted_for_eviction_bytes"),
    ("lazyfree_pending_objects", "lazyfree_pending_objects"),
    ("active_defrag_running", "active_defrag_running"),
    ("migrate_cached_sockets", "migrate_cached_sockets_total"),
    ("active_defrag_hits", "defrag_hits"),
    ("active_defrag_misses", "defrag_misses"),
    ("active_defrag_key_hits", "defrag_key_hits"),
    ("active_defrag_key_misses", "defrag_key_misses"),
    ("expired_time_cap_reached_count", "expired_time_cap_reached_total"),
    ("loading", "loading_dump_file"),
    ("rdb_changes_since_last_save", "rdb_changes_since_last_save"),
    ("rdb_bgsave_in_progress", "rdb_bgsave_in_progress"),
    ("rdb_last_save_time", "rdb_last_save_timestamp_seconds"),
    ("rdb_last_bgsave_status", "rdb_last_bgsave_status"),
    ("rdb_last_bgsave_time_sec", "rdb_last_bgsave_duration_sec"),
    ("rdb_current_bgsave_time_sec", "rdb_current_bgsave_duration_sec"),
    ("rdb_last_cow_size", "rdb_last_cow_size_bytes"),
    ("aof_enabled", "aof_enabled"),
    ("aof_rewrite_in_progress", "aof_rewrite_in_progress"),
    ("aof_rewrite_scheduled", "aof_rewrite_scheduled"),
    ("aof_last_rewrite_time_sec", "aof_last_rewrite_duration_sec"),
    ("aof_current_rewrite_time_sec", "aof_current_rewrite_duration_sec"),
    ("aof_last_cow_size", "aof_last_cow_size_bytes"),
    ("aof_current_size", "aof_current_size_bytes"),
    ("aof_base_size", "aof_base_size_bytes"),
    ("aof_pending_rewrite", "aof_pending_rewrite"),
    ("aof_buffer_length", "aof_buffer_length"),
    ("aof_rewrite_buffer_length", "aof_rewrite_buffer_length"),
    ("aof_pending_bio_fsync", "aof_pending_bio_fsync"),
    ("aof_delayed_fsync", "aof_delayed_fsync"),
    ("aof_last_bgrewrite_status", "aof_last_bgrewrite_status"),
    ("aof_last_write_status", "aof_last_write_status"),
    ("module_fork_in_progress", "module_fork_in_progress"),
    ("module_fork_last_cow_size", "module_fork_last_cow_size"),
    ("pubsub_channels", "pubsub_channels"),
    ("pubsub_patterns", "pubsub_patterns"),
    ("latest_fork_usec", "latest_fork_usec"),
    ("tracking_total_keys", "tracking_total_keys"),
    ("tracking_total_items", "tracking_total_items"),
    ("tracking_total_prefixes", "tracking_total_prefixes"),
    ("connected_slaves", "connected_slaves"),
    ("repl_backlog_size", "replication_backlog_bytes"),
    ("repl_backlog_active", "repl_backlog_is_active"),
    ("repl_backlog_first_byte_offset", "repl_backlog_first_byte_offset"),
    ("repl_backlog_histlen", "repl_backlog_history_bytes"),
    ("master_repl_offset", "master_repl_offset"),
    ("second_repl_offset", "second_repl_offset"),
    ("slave_expires_tracked_keys", "slave_expires_tracked_keys"),
    ("slave_priority", "slave_priority"),
    ("sync_full", "replica_resyncs_full"),
    ("sync_partial_ok", "replica_partial_resync_accepted"),
    ("sync_partial_err", "replica_partial_resync_denied"),
    ("cluster_stats_messages_sent", "cluster_messages_sent_total"),
    ("cluster_stats_messages_received", "cluster_messages_received_total"),
    ("server_threads", "server_threads_total"),
    ("long_lock_waits", "long_lock_waits_total"),
    ("current_client_thread", "current_client_thread"),
];

/// INFO fields exported as counters, and their metric names (without `redis_`).
const COUNTERS: &[(&str, &str)] = &[
    ("total_connections_received", "connections_received_total"),
    ("total_commands_processed", "commands_processed_total"),
    ("rejected_connections", "rejected_connections_total"),
    ("total_net_input_bytes", "net_input_bytes_total"),
    ("total_net_output_bytes", "net_output_bytes_total"),
    ("expired_keys", "expired_keys_total"),
    ("cached_keys", "cached_keys_total"),
    ("evicted_keys", "evicted_keys_total"),
    ("keyspace_hits", "keyspace_hits_total"),
    ("keyspace_misses", "keyspace_misses_total"),
    ("used_cpu_sys", "cpu_sys_seconds_total"),
    ("used_cpu_user", "cpu_user_seconds_total"),
    ("used_cpu_sys_children", "cpu_sys_children_seconds_total"),
    ("used_cpu_user_children", "cpu_user_children_seconds_total"),
    ("used_cpu_sys_main_thread", "cpu_sys_main_thread_seconds_total"),
    ("used_cpu_user_main_thread", "cpu_user_main_thread_seconds_total"),
    ("unexpected_error_replies", "unexpected_error_replies"),
    ("total_error_replies", "total_error_replies"),
    ("total_reads_processed", "total_reads_processed"),
    ("total_writes_processed", "total_writes_processed"),
    ("io_threaded_reads_processed", "io_threaded_reads_processed"),
    ("io_threaded_writes_processed", "io_threaded_writes_processed"),
    ("dump_payload_sanitizations", "dump_payload_sanitizations"),
    ("storage_provider_read_hits", "storage_provider_read_hits"),
    ("storage_provider_read_misses", "storage_provider_read_misses"),
];

/// Family builder with redis_exporter's HELP texts.
struct Out<'a> {
    f: Families,
    gauges: &'a HashMap<&'static str, &'static str>,
    counters: &'a HashMap<&'static str, &'static str>,
}

impl Out<'_> {
    fn gauge(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        self.add(name, MetricType::Gauge, labels, value);
    }

    fn add(&mut self, name: &str, kind: MetricType, labels: &[(&str, &str)], value: f64) {
        let help = help(name);
        self.f.add(&format!("redis_{name}"), &help, kind, labels, value);
    }

    /// `parseAndRegisterConstMetric`: an INFO field kept by `includeMetric`.
    fn field(&mut self, key: &str, value: &str) {
        let org: String = key.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
        let mapped = self.gauges.get(org.as_str()).or_else(|| self.counters.get(org.as_str()));
        let mut name = mapped.map_or_else(|| org.clone(), |s| s.to_string());
        let mut val = match value {
            "ok" | "true" => 1.0,
            "err" | "fail" | "false" => 0.0,
            // Go's ParseFloat leaves 0 on a syntax error and the exporter exports that.
            v => v.parse::<f64>().unwrap_or(0.0),
        };
        let kind = if self.counters.contains_key(org.as_str()) { MetricType::Counter } else { MetricType::Gauge };
        if name == "latest_fork_usec" {
            name = "latest_fork_seconds".into();
            val /= 1e6;
        }
        self.add(&name, kind, &[], val);
    }
}

/// redis_exporter's HELP text of a family (name without `redis_`).
fn help(name: &str) -> String {
    let fixed = match name {
        "commands_duration_seconds_total" => "Total amount of time in seconds spent per command",
        "commands_failed_calls_total" => "Total number of errors prior command execution per command",
        "commands_rejected_calls_total" => "Total number of errors within command execution per command",
        "commands_total" => "Total number of calls per command",
        "latency_percentiles_usec" => "A summary of latency percentile distribution per command",
        "connected_slave_lag_seconds" => "Lag of connected slave",
        "connected_slave_offset_bytes" => "Offset of connected slave",
        "db_avg_ttl_seconds" => "Avg TTL in seconds",
        "db_keys" => "Total number of keys by DB",
        "db_keys_expiring" => "Total number of expiring keys by DB",
        "db_keys_cached" => "Total number of cached keys by DB",
        "errors_total" => "Total number of errors per error type",
        "instance_info" => "Information about the Redis instance",
        "last_slow_execution_duration_seconds" => "The amount of time needed for last slow execution, in seconds",
        "latency_spike_duration_seconds" => "Length of the last latency spike in seconds",
        "latency_spike_last" => "When the latency spike last occurred",
        "master_last_io_seconds_ago" => "Master last io seconds ago",
        "master_link_up" => "Master link status on Redis slave",
        "master_sync_in_progress" => "Master sync in progress",
        "slave_info" => "Information about the Redis slave",
        "slave_repl_offset" => "Slave replication offset",
        "slowlog_last_id" => "Last id of slowlog",
        "slowlog_length" => "Total slowlog",
        "start_time_seconds" => "Start time of the Redis instance since unix epoch in seconds.",
        "up" => UP_HELP,
        _ => return format!("{name} metric"),
    };
    fixed.to_string()
}

/// `^master(_[0-9]+)?_<suffix>` of redis_exporter's regexes (KeyDB multi-master numbering).
fn master_field(key: &str, suffix: &str) -> bool {
    let Some(rest) = key.strip_prefix("master") else { return false };
    if let Some(r) = rest.strip_prefix('_') {
        if r.starts_with(suffix) {
            return true;
        }
        let digits = r.bytes().take_while(u8::is_ascii_digit).count();
        return digits > 0 && r[digits..].strip_prefix('_').is_some_and(|t| t.starts_with(suffix));
    }
    false
}

/// `extractVal`: the number after `=` in `k=v`.
fn extract_val(s: &str) -> Option<f64> {
    let mut it = s.split('=');
    let (_, v) = (it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    v.parse().ok()
}

/// `parseDBKeyspaceString`: `keys=1,expires=0,avg_ttl=0[,cached_keys=0]`.
fn parse_keyspace(value: &str) -> Option<(f64, f64, f64, f64)> {
    let split: Vec<&str> = value.split(',').collect();
    if split.len() < 2 || split.len() > 4 {
        return None;
    }
    let keys = extract_val(split[0])?;
    let expires = extract_val(split[1])?;
    let avg_ttl = match split.get(2) {
        Some(s) => extract_val(s)? / 1000.0,
        None => -1.0,
    };
    let cached = match split.get(3) {
        Some(s) => extract_val(s)?,
        None => -1.0,
    };
    Some((keys, expires, avg_ttl, cached))
}

/// Builds every family from the replies; `now` is the Unix time in seconds.
fn families(r: &Replies, now: f64) -> Vec<MetricFamily> {
    let gauges: HashMap<&str, &str> = GAUGES.iter().copied().collect();
    let counters: HashMap<&str, &str> = COUNTERS.iter().copied().collect();
    let mut o = Out { f: Families::default(), gauges: &gauges, counters: &counters };

    // CONFIG GET: the database count and three settings as gauges.
    let mut db_count = 0usize;
    for reply in &r.config {
        let Some(kv) = reply.array() else { continue };
        for pair in kv.chunks(2) {
            let (Some(k), Some(v)) = (pair.first().and_then(Reply::text), pair.get(1).and_then(Reply::text)) else {
                continue;
            };
            if k == "databases" {
                db_count = v.parse().unwrap_or(0);
            }
            if matches!(k.as_str(), "io-threads" | "maxclients" | "maxmemory") {
                if let Ok(val) = v.parse::<f64>() {
                    o.gauge(&format!("config_{}", k.replace('-', "_")), &[], val);
                }
            }
        }
    }
    if let Some(ci) = &r.cluster_info {
        for line in ci.split("\r\n") {
            let parts: Vec<&str> = line.split(':').collect();
            if parts.len() == 2 && include(parts[0], &gauges, &counters) {
                o.field(parts[0], parts[1]);
            }
        }
        // In cluster mode Redis has only one database.
        db_count = 1;
    } else if db_count == 0 {
        db_count = 16;
    }

    info_metrics(&mut o, &r.info, db_count, now);

    if let Some(l) = r.latency.as_ref().and_then(Reply::array) {
        for ev in l {
            let Some(ev) = ev.array() else { continue };
            if let (Some(name), Some(last), Some(dur)) =
                (ev.first().and_then(Reply::text), ev.get(1).and_then(Reply::int), ev.get(2).and_then(Reply::int))
            {
                o.gauge("latency_spike_last", &[("event_name", &name)], last as f64);
                o.gauge("latency_spike_duration_seconds", &[("event_name", &name)], dur as f64 / 1e3);
            }
        }
    }
    if let Some(n) = r.slowlog_len.as_ref().and_then(Reply::int) {
        o.gauge("slowlog_length", &[], n as f64);
    }
    if let Some(entries) = r.slowlog_get.as_ref().and_then(Reply::array) {
        let (mut id, mut dur) = (0.0, 0.0);
        if let Some(first) = entries.first().and_then(Reply::array) {
            id = first.first().and_then(Reply::int).unwrap_or(0) as f64;
            dur = first.get(2).and_then(Reply::int).unwrap_or(0) as f64 / 1e6;
        }
        o.gauge("slowlog_last_id", &[], id);
        o.gauge("last_slow_execution_duration_seconds", &[], dur);
    }
    o.gauge("up", &[], 1.0);
    o.f.into_vec()
}

/// `includeMetric`.
fn include(key: &str, gauges: &HashMap<&str, &str>, counters: &HashMap<&str, &str>) -> bool {
    key.starts_with("db")
        || key.starts_with("cmdstat_")
        || key.starts_with("cluster_")
        || gauges.contains_key(key)
        || counters.contains_key(key)
}

/// `extractInfoMetrics`.
fn info_metrics(o: &mut Out<'_>, info: &str, db_count: usize, now: f64) {
    let mut kv: HashMap<&str, &str> = HashMap::new();
    let mut handled_dbs = HashSet::new();
    let mut cmd_count: HashMap<String, f64> = HashMap::new();
    let mut cmd_sum: HashMap<String, f64> = HashMap::new();
    let mut latency: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    let (mut class, mut master_host, mut master_port) = ("", "", "");
    for line in info.split('\n') {
        let line = line.trim();
        if let Some(c) = line.strip_prefix("# ") {
            class = c;
            continue;
        }
        if line.len() < 2 {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else { continue };
        kv.insert(key, value);
        if master_field(key, "host") {
            master_host = value;
        }
        if master_field(key, "port") {
            master_port = value;
        }
        match class {
            "Replication" if replication(o, master_host, master_port, key, value) => continue,
            "Server" if key == "uptime_in_seconds" => {
                if let Ok(up) = value.parse::<f64>() {
                    o.gauge("start_time_seconds", &[], now - up);
                }
            }
            "Commandstats" => {
                if let Some((cmd, calls, usec, extended)) = command_stats(key, value) {
                    let l = [("cmd", cmd)];
                    o.add("commands_total", MetricType::Counter, &l, calls);
                    o.add("commands_duration_seconds_total", MetricType::Counter, &l, usec / 1e6);
                    if let Some((rejected, failed)) = extended {
                        o.add("commands_rejected_calls_total", MetricType::Counter, &l, rejected);
                        o.add("commands_failed_calls_total", MetricType::Counter, &l, failed);
                    }
                    cmd_count.insert(cmd.to_string(), calls);
                    cmd_sum.insert(cmd.to_string(), usec);
                }
                continue;
            }
            "Latencystats" => {
                if let Some((cmd, percentiles)) = latency_stats(key, value) {
                    latency.insert(cmd.to_string(), percentiles);
                }
                continue;
            }
            "Errorstats" => {
                if let Some(err) = key.strip_prefix("errorstat_") {
                    if let Some(count) = extract_val(value) {
                        o.add("errors_total", MetricType::Counter, &[("err", err)], count);
                    }
                }
                continue;
            }
            "Keyspace" if key.starts_with("db") => {
                // A line that does not parse falls through to the generic handling, as in the
                // exporter.
                if let Some((keys, expires, avg_ttl, cached)) = parse_keyspace(value) {
                    o.gauge("db_keys", &[("db", key)], keys);
                    o.gauge("db_keys_expiring", &[("db", key)], expires);
                    if cached > -1.0 {
                        o.gauge("db_keys_cached", &[("db", key)], cached);
                    }
                    if avg_ttl > -1.0 {
                        o.gauge("db_avg_ttl_seconds", &[("db", key)], avg_ttl);
                    }
                    handled_dbs.insert(key.to_string());
                    continue;
                }
            }
            _ => {}
        }
        if include(key, o.gauges, o.counters) {
            o.field(key, value);
        }
    }
    // Summaries need the count and sum from Commandstats and the percentiles from Latencystats.
    for (cmd, percentiles) in &latency {
        let (Some(count), Some(sum)) = (cmd_count.get(cmd), cmd_sum.get(cmd)) else { continue };
        let fam = "redis_latency_percentiles_usec";
        let h = help("latency_percentiles_usec");
        let mut sorted = percentiles.clone();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (q, v) in sorted {
            let q = pharos_protocol::exposition::format_float(q);
            o.f.add_sample(fam, fam, &h, MetricType::Summary, &[("cmd", cmd), ("quantile", &q)], v);
        }
        o.f.add_sample(fam, &format!("{fam}_sum"), &h, MetricType::Summary, &[("cmd", cmd)], *sum);
        o.f.add_sample(fam, &format!("{fam}_count"), &h, MetricType::Summary, &[("cmd", cmd)], count.trunc());
    }
    for i in 0..db_count {
        let db = format!("db{i}");
        if !handled_dbs.contains(&db) {
            o.gauge("db_keys", &[("db", &db)], 0.0);
            o.gauge("db_keys_expiring", &[("db", &db)], 0.0);
        }
    }
    let g = |k: &str| kv.get(k).copied().unwrap_or("");
    o.gauge(
        "instance_info",
        &[
            ("role", g("role")),
            ("redis_version", g("redis_version")),
            ("redis_build_id", g("redis_build_id")),
            ("redis_mode", g("redis_mode")),
            ("os", g("os")),
            ("maxmemory_policy", g("maxmemory_policy")),
            ("tcp_port", g("tcp_port")),
            ("run_id", g("run_id")),
            ("process_id", g("process_id")),
        ],
        1.0,
    );
    if g("role") == "slave" {
        o.gauge(
            "slave_info",
            &[
                ("master_host", g("master_host")),
                ("master_port", g("master_port")),
                ("read_only", g("slave_read_only")),
            ],
            1.0,
        );
    }
}

/// `handleMetricsReplication`: true when the field was handled.
fn replication(o: &mut Out<'_>, host: &str, port: &str, key: &str, value: &str) -> bool {
    let labels = [("master_host", host), ("master_port", port)];
    if master_field(key, "link_status") {
        o.gauge("master_link_up", &labels, if value == "up" { 1.0 } else { 0.0 });
        return true;
    }
    let direct = master_field(key, "last_io_seconds_ago") || master_field(key, "sync_in_progress");
    if direct || key.starts_with("slave_repl_offset") {
        let name = if key.ends_with("last_io_seconds_ago") {
            "master_last_io_seconds_ago"
        } else if key.ends_with("sync_in_progress") {
            "master_sync_in_progress"
        } else {
            key
        };
        // Go's Atoi: an integer or 0.
        o.gauge(name, &labels, value.parse::<i64>().unwrap_or(0) as f64);
        return true;
    }
    // `slaveN:ip=...,port=...,state=online,offset=...,lag=0` on a master.
    let is_slave_n = key.strip_prefix("slave").is_some_and(|r| r.bytes().next().is_some_and(|b| b.is_ascii_digit()));
    if !is_slave_n {
        return false;
    }
    let mut m = HashMap::new();
    for part in value.split(',') {
        let x: Vec<&str> = part.split('=').collect();
        if x.len() != 2 {
            return false;
        }
        m.insert(x[0], x[1]);
    }
    let Some(offset) = m.get("offset").and_then(|v| v.parse::<f64>().ok()) else { return false };
    let lag = match m.get("lag") {
        None => -1.0,
        Some(l) => match l.parse::<f64>() {
            Ok(v) => v,
            Err(_) => return false,
        },
    };
    let g = |k: &str| m.get(k).copied().unwrap_or("");
    let labels = [("slave_ip", g("ip")), ("slave_port", g("port")), ("slave_state", g("state"))];
    o.gauge("connected_slave_offset_bytes", &labels, offset);
    if lag > -1.0 {
        o.gauge("connected_slave_lag_seconds", &labels, lag);
    }
    true
}

/// `parseMetricsCommandStats`: command, calls, µs, and (rejected, failed) from Redis 6.2 on.
#[allow(clippy::type_complexity)]
fn command_stats<'a>(key: &'a str, value: &str) -> Option<(&'a str, f64, f64, Option<(f64, f64)>)> {
    let cmd = key.strip_prefix("cmdstat_")?;
    let split: Vec<&str> = value.split(',').collect();
    if split.len() < 3 {
        return None;
    }
    let calls = extract_val(split[0])?;
    let usec = extract_val(split[1])?;
    if split.len() < 5 {
        return Some((cmd, calls, usec, None));
    }
    Some((cmd, calls, usec, Some((extract_val(split[3])?, extract_val(split[4])?))))
}

/// `parseMetricsLatencyStats`: `latency_percentiles_usec_<cmd>:p50=1.003,p99=...`.
fn latency_stats<'a>(key: &'a str, value: &str) -> Option<(&'a str, Vec<(f64, f64)>)> {
    let cmd = key.strip_prefix("latency_percentiles_usec_")?;
    let mut out = Vec::new();
    for kv in value.split(',') {
        let (p, v) = kv.split_once('=')?;
        let p: f64 = p.get(1..)?.parse().ok()?;
        out.push((p, v.parse().ok()?));
    }
    Some((cmd, out))
}

#[cfg(test)]
pub(super) fn families_from_info(info: &str, config: &[(&str, &str)], now: f64) -> Vec<MetricFamily> {
    let config: Vec<Reply> = config
        .iter()
        .map(|(k, v)| {
            Reply::Array(Some(vec![Reply::Bulk(Some(k.as_bytes().to_vec())), Reply::Bulk(Some(v.as_bytes().to_vec()))]))
        })
        .collect();
    let r = Replies {
        config,
        info: info.to_string(),
        slowlog_len: Some(Reply::Int(0)),
        slowlog_get: Some(Reply::Array(Some(Vec::new()))),
        latency: Some(Reply::Array(Some(Vec::new()))),
        cluster_info: None,
    };
    families(&r, now)
}
