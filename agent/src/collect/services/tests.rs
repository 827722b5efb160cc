//! Unit tests of the service checks' parsers and configuration (the comparisons with the real
//! exporters are in `agent/tests/services_*.rs`).

use super::nginx::{parse_stub_status, parse_url, response_body};
use super::postgres::{parse_version, setting};
use super::redis::families_from_info;
use super::resp::{encode, read_reply, Reply};
use super::*;
use crate::collect::MetricFamily;
use crate::config::AgentConfig;

fn find<'a>(fams: &'a [MetricFamily], name: &str) -> &'a MetricFamily {
    fams.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("no family {name}"))
}

fn value(fams: &[MetricFamily], name: &str, labels: &[(&str, &str)]) -> f64 {
    let f = fams.iter().find(|f| f.metrics.iter().any(|m| m.labels.metric_name() == Some(name)));
    let f = f.unwrap_or_else(|| panic!("no sample {name}"));
    let m = f
        .metrics
        .iter()
        .find(|m| m.labels.metric_name() == Some(name) && labels.iter().all(|(k, v)| m.labels.get(k) == Some(*v)))
        .unwrap_or_else(|| panic!("no sample {name}{labels:?}"));
    m.value
}

#[test]
fn config_defaults_and_entries() {
    let c = AgentConfig::parse("").unwrap();
    assert!(c.collect.services.detect);
    assert!(c.collect.services.redis.is_empty());
    let c = AgentConfig::parse(
        r#"
[agent]
name = "h1"
[collect.services]
detect = false
[[collect.services.redis]]
address = "127.0.0.1:7000"
password = "pw"
interval = "15s"
timeout = "2s"
job = "cache"
[[collect.services.postgres]]
host = "/var/run/postgresql"
user = "monitor"
password_file = "/etc/pharos/pg.pw"
[[collect.services.nginx]]
url = "http://127.0.0.1:8080/stub_status"
"#,
    )
    .unwrap();
    let s = &c.collect.services;
    assert!(!s.detect);
    assert_eq!(s.redis[0].address, "127.0.0.1:7000");
    assert_eq!(s.redis[0].password.as_deref(), Some("pw"));
    assert_eq!(s.redis[0].schedule.interval, Some(Duration::from_secs(15)));
    assert_eq!(s.redis[0].schedule.job.as_deref(), Some("cache"));
    assert_eq!(s.postgres[0].port, 5432);
    assert_eq!(s.postgres[0].dbname, "postgres");
    assert_eq!(s.postgres[0].server_label(), "/var/run/postgresql:5432");
    assert_eq!(s.nginx[0].url, "http://127.0.0.1:8080/stub_status");

    let specs = sources(s, &c.agent);
    assert_eq!(specs.len(), 3);
    assert_eq!(specs[0].job, "cache");
    assert_eq!(specs[0].instance, "h1");
    assert_eq!(specs[0].interval, Duration::from_secs(15));
    assert_eq!(specs[1].job, "postgres");
    assert_eq!(specs[1].interval, c.agent.interval);
    assert_eq!(specs[2].job, "nginx");
    assert_eq!(specs[2].collector.name(), "nginx/http://127.0.0.1:8080/stub_status");
}

#[test]
fn config_errors_name_the_key() {
    for (text, word) in [
        ("[[collect.services.redis]]\nadress = \"x\"\n", "adress"),
        ("[[collect.services.postgres]]\nport = \"x\"\n", "port"),
        ("[[collect.services.nginx]]\nurl = \"https://x/\"\n", "http://"),
        ("[[collect.services.nginx]]\ninterval = \"10\"\n", "interval"),
        ("[[collect.services.redis]]\npassword = \"a\"\npassword_file = \"b\"\n", "password_file"),
        ("[collect.services]\ndetetc = true\n", "detetc"),
    ] {
        let e = AgentConfig::parse(text).unwrap_err();
        assert!(e.contains(word), "{text}: {e}");
    }
}

#[test]
fn same_server_twice_gets_unique_names() {
    let c = AgentConfig::parse(
        "[collect.services]\ndetect = false\n[[collect.services.redis]]\n[[collect.services.redis]]\n",
    )
    .unwrap();
    let specs = sources(&c.collect.services, &c.agent);
    let names: Vec<_> = specs.iter().map(|s| s.collector.name().to_string()).collect();
    assert_eq!(names, ["redis/127.0.0.1:6379", "redis/127.0.0.1:6379#2"]);
}

const INFO: &str = "# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\nos:Linux 6.1 x86_64\r\n\
process_id:27528\r\nrun_id:abc\r\ntcp_port:41379\r\nuptime_in_seconds:604\r\n\r\n\
# Clients\r\nconnected_clients:1\r\n\r\n\
# Memory\r\nused_memory:1258872\r\nmaxmemory:0\r\nmaxmemory_policy:noeviction\r\nmem_fragmentation_ratio:10.31\r\n\r\n\
# Persistence\r\nrdb_last_bgsave_status:ok\r\naof_last_write_status:err\r\n\r\n\
# Stats\r\ntotal_commands_processed:1466\r\nkeyspace_hits:3\r\nlatest_fork_usec:1500\r\n\r\n\
# Replication\r\nrole:master\r\nconnected_slaves:1\r\nslave0:ip=10.0.0.2,port=6379,state=online,offset=100,lag=1\r\n\
master_repl_offset:100\r\n\r\n\
# CPU\r\nused_cpu_sys:0.397119\r\n\r\n\
# Commandstats\r\ncmdstat_info:calls=60,usec=9312,usec_per_call=155.20,rejected_calls=0,failed_calls=1\r\n\
cmdstat_get:calls=2,usec=4,usec_per_call=2.00\r\n\r\n\
# Errorstats\r\nerrorstat_ERR:count=4\r\n\r\n\
# Latencystats\r\nlatency_percentiles_usec_info:p50=131.071,p99=468.991,p99.9=577.535\r\n\r\n\
# Keyspace\r\ndb0:keys=1000,expires=2,avg_ttl=5000\r\ndb1:keys=100,expires=0,avg_ttl=0\r\n";

#[test]
fn redis_info_becomes_redis_exporter_families() {
    let f = families_from_info(INFO, &[("databases", "16"), ("maxclients", "10000"), ("maxmemory", "0")], 1000.0);
    assert_eq!(value(&f, "redis_up", &[]), 1.0);
    assert_eq!(value(&f, "redis_connected_clients", &[]), 1.0);
    assert_eq!(value(&f, "redis_memory_used_bytes", &[]), 1258872.0);
    assert_eq!(value(&f, "redis_memory_max_bytes", &[]), 0.0);
    assert_eq!(value(&f, "redis_config_maxclients", &[]), 10000.0);
    assert_eq!(find(&f, "redis_commands_processed_total").kind, MetricType::Counter);
    assert_eq!(find(&f, "redis_memory_used_bytes").kind, MetricType::Gauge);
    assert_eq!(value(&f, "redis_keyspace_hits_total", &[]), 3.0);
    assert_eq!(value(&f, "redis_rdb_last_bgsave_status", &[]), 1.0);
    assert_eq!(value(&f, "redis_aof_last_write_status", &[]), 0.0);
    assert_eq!(value(&f, "redis_latest_fork_seconds", &[]), 0.0015);
    assert_eq!(value(&f, "redis_start_time_seconds", &[]), 396.0);
    assert_eq!(value(&f, "redis_db_keys", &[("db", "db0")]), 1000.0);
    assert_eq!(value(&f, "redis_db_keys_expiring", &[("db", "db0")]), 2.0);
    assert_eq!(value(&f, "redis_db_avg_ttl_seconds", &[("db", "db0")]), 5.0);
    // Every configured database has db_keys, not only those INFO lists.
    assert_eq!(value(&f, "redis_db_keys", &[("db", "db15")]), 0.0);
    assert_eq!(find(&f, "redis_db_keys").metrics.len(), 16);
    assert_eq!(value(&f, "redis_commands_total", &[("cmd", "info")]), 60.0);
    assert_eq!(value(&f, "redis_commands_duration_seconds_total", &[("cmd", "info")]), 0.009312);
    assert_eq!(value(&f, "redis_commands_failed_calls_total", &[("cmd", "info")]), 1.0);
    // Before Redis 6.2 there are no rejected/failed figures.
    assert_eq!(find(&f, "redis_commands_rejected_calls_total").metrics.len(), 1);
    assert_eq!(value(&f, "redis_errors_total", &[("err", "ERR")]), 4.0);
    let lat = find(&f, "redis_latency_percentiles_usec");
    assert_eq!(lat.kind, MetricType::Summary);
    assert_eq!(value(&f, "redis_latency_percentiles_usec", &[("cmd", "info"), ("quantile", "99.9")]), 577.535);
    assert_eq!(value(&f, "redis_latency_percentiles_usec_sum", &[("cmd", "info")]), 9312.0);
    assert_eq!(value(&f, "redis_latency_percentiles_usec_count", &[("cmd", "info")]), 60.0);
    let slave = [("slave_ip", "10.0.0.2"), ("slave_port", "6379"), ("slave_state", "online")];
    assert_eq!(value(&f, "redis_connected_slave_offset_bytes", &slave), 100.0);
    assert_eq!(value(&f, "redis_connected_slave_lag_seconds", &slave), 1.0);
    assert_eq!(
        value(&f, "redis_instance_info", &[("redis_version", "7.0.15"), ("maxmemory_policy", "noeviction")]),
        1.0
    );
    assert_eq!(value(&f, "redis_slowlog_length", &[]), 0.0);
    // Fields redis_exporter does not map are not exported.
    assert!(f.iter().all(|x| x.name != "redis_redis_version" && x.name != "redis_role"));
}

#[tokio::test]
async fn resp_replies_are_parsed_with_limits() {
    let mut out = Vec::new();
    encode(&["CONFIG", "GET", "maxmemory"], &mut out);
    assert_eq!(out, b"*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$9\r\nmaxmemory\r\n");

    let input: &[u8] = b"+OK\r\n-ERR no\r\n:42\r\n$3\r\nabc\r\n$-1\r\n*2\r\n$1\r\na\r\n*1\r\n:1\r\n";
    let mut r = tokio::io::BufReader::new(input);
    assert_eq!(read_reply(&mut r, 0).await.unwrap(), Reply::Simple("OK".into()));
    assert_eq!(read_reply(&mut r, 0).await.unwrap(), Reply::Error("ERR no".into()));
    assert_eq!(read_reply(&mut r, 0).await.unwrap(), Reply::Int(42));
    assert_eq!(read_reply(&mut r, 0).await.unwrap(), Reply::Bulk(Some(b"abc".to_vec())));
    assert_eq!(read_reply(&mut r, 0).await.unwrap(), Reply::Bulk(None));
    assert_eq!(
        read_reply(&mut r, 0).await.unwrap(),
        Reply::Array(Some(vec![Reply::Bulk(Some(b"a".to_vec())), Reply::Array(Some(vec![Reply::Int(1)]))]))
    );
    assert!(read_reply(&mut r, 0).await.is_err(), "end of input is an error");

    for bad in [&b"$999999999999\r\n"[..], b"*x\r\n", b"?what\r\n", b"$3\r\nabcd\r\n", b":1\n", &[b'*'; 20]] {
        let mut r = tokio::io::BufReader::new(bad);
        assert!(read_reply(&mut r, 0).await.is_err(), "{:?}", String::from_utf8_lossy(bad));
    }
    // Nesting beyond the limit is refused rather than recursed into.
    let deep = "*1\r\n".repeat(100);
    let mut r = tokio::io::BufReader::new(deep.as_bytes());
    assert!(read_reply(&mut r, 0).await.is_err());
}

#[test]
fn stub_status_is_parsed() {
    let raw = b"HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\n\r\nActive connections: 1 \nserver accepts handled requests\n 62 62 123 \nReading: 0 Writing: 1 Waiting: 0 \n";
    let s = parse_stub_status(response_body(raw).unwrap()).unwrap();
    assert_eq!((s.active, s.accepted, s.handled, s.requests), (1, 62, 62, 123));
    assert_eq!((s.reading, s.writing, s.waiting), (0, 1, 0));
    let f = super::nginx::families(&s);
    assert_eq!(find(&f, "nginx_http_requests_total").kind, MetricType::Counter);
    assert_eq!(find(&f, "nginx_connections_active").kind, MetricType::Gauge);
    assert!(response_body(b"HTTP/1.1 404 Not Found\r\n\r\nnope").is_err());
    assert!(parse_stub_status("<html>hello</html>").is_err());
    assert!(parse_stub_status(
        "Active connections: x\nserver accepts handled requests\n 1 1 1\nReading: 0 Writing: 1 Waiting: 0"
    )
    .is_err());
}

#[test]
fn urls_are_split() {
    let t = parse_url("http://127.0.0.1/stub_status").unwrap();
    assert_eq!((t.connect.as_str(), t.host.as_str(), t.path.as_str()), ("127.0.0.1:80", "127.0.0.1", "/stub_status"));
    let t = parse_url("http://[::1]:8080/s?x=1").unwrap();
    assert_eq!((t.connect.as_str(), t.path.as_str()), ("[::1]:8080", "/s?x=1"));
    assert_eq!(parse_url("http://[::1]").unwrap().connect, "[::1]:80");
    assert!(parse_url("https://x/").is_err());
    assert!(parse_url("http:///x").is_err());
}

#[test]
fn pg_settings_units_as_postgres_exporter() {
    let s = |n, v, u, t| setting(n, v, u, "d", t).map(|(name, _, v)| (name, v));
    assert_eq!(s("max_connections", "100", "", "integer"), Some(("pg_settings_max_connections".into(), 100.0)));
    assert_eq!(s("fsync", "on", "", "bool"), Some(("pg_settings_fsync".into(), 1.0)));
    assert_eq!(
        s("shared_buffers", "16384", "8kB", "integer"),
        Some(("pg_settings_shared_buffers_bytes".into(), 134217728.0))
    );
    assert_eq!(
        s("checkpoint_timeout", "300", "s", "integer"),
        Some(("pg_settings_checkpoint_timeout_seconds".into(), 300.0))
    );
    assert_eq!(
        s("autovacuum_vacuum_cost_delay", "2", "ms", "real"),
        Some(("pg_settings_autovacuum_vacuum_cost_delay_seconds".into(), 0.002))
    );
    assert_eq!(
        s("autovacuum_work_mem", "-1", "kB", "integer"),
        Some(("pg_settings_autovacuum_work_mem_bytes".into(), -1.0))
    );
    assert_eq!(
        s("max_wal_size", "1024", "MB", "integer"),
        Some(("pg_settings_max_wal_size_bytes".into(), 1073741824.0))
    );
    assert_eq!(s("x.y", "1", "", "integer"), Some(("pg_settings_x_y".into(), 1.0)));
    assert_eq!(s("x", "1", "parsecs", "integer"), None);
    assert_eq!(s("x", "a", "", "string"), None);
}

#[test]
fn pg_versions_parse_tolerantly() {
    let v = "PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc";
    assert_eq!(parse_version(v), Some((15, 18, 0)));
    assert_eq!(parse_version("PostgreSQL 9.6.24 on x86_64"), Some((9, 6, 24)));
    assert_eq!(parse_version("PostgreSQL 16beta1"), Some((16, 0, 0)));
    assert_eq!(parse_version("nonsense"), None);
}

#[test]
fn pg_binary_values_decode_as_lib_pq_text_would() {
    use super::pgvalue::Val;
    use tokio_postgres::types::{FromSql, Type};
    let num = |raw: &[u8]| match Val::from_sql(&Type::NUMERIC, raw).unwrap() {
        Val::Num(v) => v,
        other => panic!("{other:?}"),
    };
    // 12345.678: digits [1, 2345, 6780], weight 1, dscale 3.
    assert_eq!(num(&[0, 3, 0, 1, 0, 0, 0, 3, 0, 1, 0x09, 0x29, 0x1a, 0x7c]), 12345.678);
    // -0.5: digits [5000], weight -1, negative.
    assert_eq!(num(&[0, 1, 0xff, 0xff, 0x40, 0, 0, 4, 0x13, 0x88]), -0.5);
    // 0.00001: digits [1000], weight -2.
    assert_eq!(num(&[0, 1, 0xff, 0xfe, 0, 0, 0, 5, 0x03, 0xe8]), 0.00001);
    // 20000: digits [2], weight 1.
    assert_eq!(num(&[0, 1, 0, 1, 0, 0, 0, 0, 0, 2]), 20000.0);
    assert!(num(&[0, 0, 0, 0, 0xC0, 0, 0, 0]).is_nan());
    assert!(Val::from_sql(&Type::NUMERIC, &[0, 5]).is_err());
    // 2000-01-01 00:00:01.5 UTC → 946684801 (rounded down like Go's Unix()).
    let t = Val::from_sql(&Type::TIMESTAMPTZ, &1_500_000i64.to_be_bytes()).unwrap();
    assert_eq!(t, Val::Time(946_684_801));
    let t = Val::from_sql(&Type::TIMESTAMPTZ, &(-1i64).to_be_bytes()).unwrap();
    assert_eq!(t, Val::Time(946_684_799));
    let ip = Val::from_sql(&Type::INET, &[2, 32, 0, 4, 127, 0, 0, 1]).unwrap();
    assert_eq!(ip.to_label(), "127.0.0.1");
    assert_eq!(Val::from_sql_null(&Type::INT8).unwrap().to_f64().map(f64::is_nan), Some(true));
    assert_eq!(Val::Text("postgres".into()).to_f64(), None);
    assert_eq!(Val::Num(16385.0).to_label(), "16385");
    assert!(Val::from_sql(&Type::INT4, &[1, 2]).is_err());
}
