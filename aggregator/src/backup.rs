//! Backups of the aggregator's data directory, consistent while it runs.
//!
//! A backup is a directory laid out like a `data_dir`: restored by copying it to an empty
//! `data_dir` (the aggregator stopped), an aggregator started on it serves the data.
//!
//! - `db/`: the store, as [`RocksStorage::snapshot`] copies it (RocksDB checkpoint and WAL);
//! - the small state files, copied as they are: `tls/` (the CA key: agents' certificates stay
//!   valid), `enroll/`, `parent-tls/`, `alertmanager/` (silences, notification log, alerts),
//!   `pushgateway.store`, and anything else directly under `data_dir`. Every writer of these
//!   replaces its file atomically (temporary file, fsync, rename), so a copy reads a whole
//!   version of each file, never a half-written one; temporary files (`*.tmp`) are left out.
//! - left out: [`EXCLUDED`]: earlier snapshots, and the forwarding queues of `[[remote_write]]`
//!   and `[parent]`, which hold samples already in the store (a restored aggregator would send
//!   them again to destinations that have them).
//!
//! Files that the configuration places outside `data_dir` (`[tls]` paths, the Pushgateway's
//! `persistence_file`) are not in a backup; back them up with the configuration.
//!
//! [`snapshot_in_data_dir`] serves `POST /api/v1/admin/tsdb/snapshot`; [`run`] is
//! `pharos-aggregator backup`.

use crate::alerting::config::receivers::TlsConfig;
use crate::alerting::receivers::http::rustls_config;
use crate::config::AggregatorConfig;
use crate::storage::rocks::RocksStorage;
use crate::storage::StorageError;
use crate::web::config::HttpTls;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where snapshots taken over HTTP go: `<data_dir>/snapshots/<name>`, as Prometheus'
/// `<storage.tsdb.path>/snapshots/<name>`.
pub const SNAPSHOTS_DIR: &str = "snapshots";

/// Entries of `data_dir` a backup leaves out: the store (copied by its own snapshot), earlier
/// snapshots, and the forwarding queues.
pub const EXCLUDED: &[&str] = &["db", SNAPSHOTS_DIR, "remote_write", "parent"];

/// How `backup` reaches a running aggregator whose `[http]` section wants credentials or TLS.
#[derive(Debug, Clone, Default)]
pub struct RemoteAccess {
    /// The aggregator's HTTP address; default [`default_url`].
    pub url: Option<String>,
    /// A file holding a bearer token of a credential with the `admin` role.
    pub bearer_token_file: Option<PathBuf>,
    /// The CA that signed the aggregator's HTTPS certificate; default: with `tls = "ca"` the
    /// aggregator's own CA, else the system's roots.
    pub ca_file: Option<PathBuf>,
}

/// Errors of a backup.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The store's snapshot failed.
    #[error("{0}")]
    Storage(#[from] StorageError),
    /// A file could not be read or written.
    #[error("{what} {path}: {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The target already exists.
    #[error("{0} already exists; name a directory that does not exist yet")]
    Exists(String),
    /// There is no store to back up.
    #[error("no store in {0} (is data_dir right? pass the aggregator's --config)")]
    NoStore(String),
    /// The running aggregator could not be asked, or refused.
    #[error("{0}")]
    Remote(String),
}

fn io_err<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> BackupError + 'a {
    move |source| BackupError::Io { what, path: path.display().to_string(), source }
}

/// A snapshot's name as Prometheus makes it: UTC time `%Y%m%dT%H%M%SZ`, a dash and 16 random
/// hex digits, e.g. `20171210T211224Z-2be650b6d019eb54`.
pub fn snapshot_name() -> String {
    format!("{}-{:016x}", chrono::Utc::now().format("%Y%m%dT%H%M%SZ"), rand::random::<u64>())
}

/// Writes a full backup of `data_dir` (whose store is `store`) to `out`, which must not exist.
/// It is built in a hidden sibling directory and renamed into place, so `out` appears complete
/// or not at all.
pub fn write_backup(data_dir: &Path, store: &RocksStorage, out: &Path, skip_head: bool) -> Result<(), BackupError> {
    if out.exists() {
        return Err(BackupError::Exists(out.display().to_string()));
    }
    let partial = partial_path(out);
    if partial.exists() {
        // Left by a backup that failed or was killed.
        fs::remove_dir_all(&partial).map_err(io_err("removing", &partial))?;
    }
    let result = (|| -> Result<(), BackupError> {
        store.snapshot(&partial.join("db"), skip_head)?;
        copy_state(data_dir, &partial)?;
        fs::rename(&partial, out).map_err(io_err("renaming into place", out))?;
        sync_dir(parent_of(out))
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&partial);
    }
    result
}

/// Takes a backup into `<data_dir>/snapshots/<name>` and returns the name
/// (`POST /api/v1/admin/tsdb/snapshot`).
pub fn snapshot_in_data_dir(data_dir: &Path, store: &RocksStorage, skip_head: bool) -> Result<String, BackupError> {
    let dir = data_dir.join(SNAPSHOTS_DIR);
    fs::create_dir_all(&dir).map_err(io_err("creating", &dir))?;
    let name = snapshot_name();
    write_backup(data_dir, store, &dir.join(&name), skip_head)?;
    Ok(name)
}

/// `<parent>/.<name>.partial`: where a backup to `out` is built.
fn partial_path(out: &Path) -> PathBuf {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "backup".into());
    out.with_file_name(format!(".{name}.partial"))
}

/// The directory holding `path` (`.` for a bare name).
fn parent_of(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

fn sync_dir(dir: &Path) -> Result<(), BackupError> {
    fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io_err("syncing", dir))
}

/// Copies everything under `data_dir` but [`EXCLUDED`] into `out` (which exists).
pub fn copy_state(data_dir: &Path, out: &Path) -> Result<(), BackupError> {
    let entries = fs::read_dir(data_dir).map_err(io_err("reading", data_dir))?;
    for e in entries {
        let e = e.map_err(io_err("reading", data_dir))?;
        let name = e.file_name();
        if EXCLUDED.iter().any(|x| name == *x) || name.to_string_lossy().starts_with('.') {
            continue;
        }
        copy_tree(&e.path(), &out.join(&name))?;
    }
    sync_dir(out)
}

/// Copies a file, symlink or directory tree, keeping permissions (the CA key stays 0600);
/// temporary files and anything but regular files, directories and symlinks are skipped.
fn copy_tree(from: &Path, to: &Path) -> Result<(), BackupError> {
    let meta = fs::symlink_metadata(from).map_err(io_err("reading", from))?;
    let kind = meta.file_type();
    if kind.is_dir() {
        fs::create_dir(to).map_err(io_err("creating", to))?;
        fs::set_permissions(to, meta.permissions()).map_err(io_err("setting permissions of", to))?;
        for e in fs::read_dir(from).map_err(io_err("reading", from))? {
            let e = e.map_err(io_err("reading", from))?;
            copy_tree(&e.path(), &to.join(e.file_name()))?;
        }
        sync_dir(to)
    } else if kind.is_symlink() {
        let target = fs::read_link(from).map_err(io_err("reading", from))?;
        std::os::unix::fs::symlink(target, to).map_err(io_err("creating", to))
    } else if kind.is_file() && !from.to_string_lossy().ends_with(".tmp") {
        // `fs::copy` opens the file once: a rename replacing it meanwhile leaves this copy with
        // the whole old version.
        match fs::copy(from, to) {
            Ok(_) => {}
            // Replaced and its old name gone between the listing and the copy: the new version
            // is under the same name; a file removed for good (a revoked state) is just absent.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(io_err("copying", from)(e)),
        }
        fs::File::open(to).and_then(|f| f.sync_all()).map_err(io_err("syncing", to))
    } else {
        Ok(())
    }
}

/// The HTTP address of the aggregator `cfg` describes: its `http_listen`, with an unspecified
/// address (`0.0.0.0`, `::`) replaced by loopback, and `https` when `[http]` serves TLS.
pub fn default_url(cfg: &AggregatorConfig) -> String {
    let scheme = if matches!(cfg.http.tls_mode(), Ok(HttpTls::Off)) { "http" } else { "https" };
    match cfg.server.http_listen.parse::<std::net::SocketAddr>() {
        Ok(mut a) => {
            if a.ip().is_unspecified() {
                a.set_ip(if a.is_ipv4() { [127, 0, 0, 1].into() } else { std::net::Ipv6Addr::LOCALHOST.into() });
            }
            format!("{scheme}://{a}")
        }
        Err(_) => format!("{scheme}://{}", cfg.server.http_listen),
    }
}

/// Whether opening the store failed because another process (a running aggregator) holds it.
fn is_locked(e: &StorageError) -> bool {
    // RocksDB: "IO error: While lock file: <dir>/LOCK: Resource temporarily unavailable".
    matches!(e, StorageError::Backend(m) if m.contains("lock file") || m.contains("/LOCK"))
}

/// `pharos-aggregator backup --out DIR [--url URL] [--bearer-token-file F] [--ca-file F]`: backs
/// up the aggregator of `cfg` into `out` and returns `out`. When the store is free (the
/// aggregator is stopped) it is opened here and snapshotted; when a running aggregator holds it,
/// that aggregator is asked over HTTP (`access`) to take a snapshot into its `data_dir`, which
/// is then moved to `out`.
pub async fn run(cfg: &AggregatorConfig, out: &Path, access: &RemoteAccess) -> Result<PathBuf, BackupError> {
    if out.exists() {
        return Err(BackupError::Exists(out.display().to_string()));
    }
    let data_dir = cfg.server.data_dir.clone();
    let db_dir = data_dir.join("db");
    if !db_dir.join("db").join("CURRENT").exists() {
        return Err(BackupError::NoStore(db_dir.display().to_string()));
    }
    let opened = {
        let (db_dir, opts) = (db_dir.clone(), cfg.storage.clone());
        tokio::task::spawn_blocking(move || RocksStorage::open(&db_dir, opts))
            .await
            .map_err(|e| BackupError::Remote(format!("opening the store: {e}")))?
    };
    match opened {
        Ok(store) => {
            let out = out.to_path_buf();
            tokio::task::spawn_blocking(move || {
                write_backup(&data_dir, &store, &out, false)?;
                // Dropping the store checkpoints it, as a stopped aggregator would have.
                drop(store);
                Ok(out)
            })
            .await
            .map_err(|e| BackupError::Remote(format!("backup task: {e}")))?
        }
        Err(e) if is_locked(&e) => {
            let url = access.url.clone().unwrap_or_else(|| default_url(cfg));
            let name = request_snapshot(cfg, &url, access).await?;
            let src = data_dir.join(SNAPSHOTS_DIR).join(&name);
            if !src.is_dir() {
                return Err(BackupError::Remote(format!(
                    "the aggregator at {url} wrote snapshot {name}, but {} does not exist: is {url} the \
                     aggregator whose data_dir is {}?",
                    src.display(),
                    data_dir.display()
                )));
            }
            let out = out.to_path_buf();
            tokio::task::spawn_blocking(move || move_tree(&src, &out).map(|()| out))
                .await
                .map_err(|e| BackupError::Remote(format!("moving the snapshot: {e}")))?
        }
        Err(e) => Err(e.into()),
    }
}

/// Moves a snapshot to `out`: a rename on the same file system, else a copy and removal.
fn move_tree(src: &Path, out: &Path) -> Result<(), BackupError> {
    if fs::rename(src, out).is_ok() {
        return sync_dir(parent_of(out));
    }
    let partial = partial_path(out);
    if partial.exists() {
        fs::remove_dir_all(&partial).map_err(io_err("removing", &partial))?;
    }
    copy_tree(src, &partial).and_then(|()| fs::rename(&partial, out).map_err(io_err("renaming into place", out)))?;
    fs::remove_dir_all(src).map_err(io_err("removing", src))
}

/// The client that asks the running aggregator: its CA (explicit, or the aggregator's own with
/// `tls = "ca"`, or the system's roots) and no proxy (the aggregator is normally on loopback).
fn snapshot_client(cfg: &AggregatorConfig, access: &RemoteAccess) -> Result<reqwest::Client, String> {
    let ca_file = match (&access.ca_file, cfg.http.tls_mode()) {
        (Some(f), _) => Some(f.clone()),
        (None, Ok(HttpTls::Ca)) => Some(cfg.ca_file()),
        (None, _) => None,
    };
    let tls =
        TlsConfig { ca_file: ca_file.map(|f| f.display().to_string()).unwrap_or_default(), ..TlsConfig::default() };
    let tls = rustls_config(&tls).map_err(|e| format!("TLS: {e}"))?;
    reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .connect_timeout(Duration::from_secs(10))
        .no_proxy()
        .build()
        .map_err(|e| e.to_string())
}

/// `POST <url>/api/v1/admin/tsdb/snapshot`; returns the snapshot's name.
async fn request_snapshot(cfg: &AggregatorConfig, url: &str, access: &RemoteAccess) -> Result<String, BackupError> {
    let endpoint = format!("{}/api/v1/admin/tsdb/snapshot", url.trim_end_matches('/'));
    let remote = |m: String| BackupError::Remote(format!("the store is in use (the aggregator is running), and {m}"));
    let client = snapshot_client(cfg, access).map_err(|e| remote(format!("no HTTP client: {e}")))?;
    let mut req = client.post(&endpoint);
    if let Some(f) = &access.bearer_token_file {
        let token = fs::read_to_string(f).map_err(|e| remote(format!("reading {}: {e}", f.display())))?;
        req = req.bearer_auth(token.trim());
    }
    let resp = req.send().await.map_err(|e| remote(format!("POST {endpoint} failed: {e}")))?;
    let status = resp.status();
    let body = resp.text().await.map_err(|e| remote(format!("reading the answer of {endpoint}: {e}")))?;
    let json: serde_json::Value = serde_json::from_str(&body)
        .map_err(|_| remote(format!("{endpoint} answered {status} with a body that is not the API's JSON: {body}")))?;
    match (json["status"].as_str(), json["data"]["name"].as_str()) {
        (Some("success"), Some(name)) if !name.is_empty() && !name.contains(['/', '\0']) && name != ".." => {
            Ok(name.to_string())
        }
        _ => {
            let error = json["error"].as_str().unwrap_or(&body);
            let hint = if json["errorType"] == "unavailable" {
                " (enable it with `admin_api = true` in the aggregator's [server] section)"
            } else if status == reqwest::StatusCode::UNAUTHORIZED {
                " (the aggregator wants [http] credentials: pass --bearer-token-file with a token of the admin role)"
            } else if status == reqwest::StatusCode::FORBIDDEN {
                " (the token's credential lacks the admin role)"
            } else {
                ""
            };
            Err(remote(format!("{endpoint} answered {status}: {error}{hint}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::rocks::RocksOptions;
    use crate::storage::Storage;

    #[test]
    fn names_look_like_prometheus_ones() {
        let n = snapshot_name();
        let (time, rand) = n.split_once('-').unwrap();
        assert_eq!(time.len(), 16, "{n}");
        assert!(chrono::NaiveDateTime::parse_from_str(time, "%Y%m%dT%H%M%SZ").is_ok(), "{n}");
        assert_eq!(rand.len(), 16, "{n}");
        assert!(rand.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()), "{n}");
        assert_ne!(snapshot_name(), snapshot_name());
    }

    #[test]
    fn the_packaged_configuration_lets_backup_ask_the_running_aggregator() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../packaging/etc/aggregator.toml");
        let cfg = AggregatorConfig::load(&path).unwrap();
        assert!(cfg.server.admin_api, "backup needs the admin API while the aggregator runs");
        let addr: std::net::SocketAddr = cfg.server.http_listen.parse().unwrap();
        assert!(addr.ip().is_loopback(), "the admin API is only on by default on a loopback listener");
        assert_eq!(default_url(&cfg), format!("http://{addr}"));
    }

    #[test]
    fn default_url_uses_loopback_for_unspecified_addresses() {
        let mut cfg = AggregatorConfig::default();
        assert_eq!(default_url(&cfg), "http://127.0.0.1:9700");
        cfg.server.http_listen = "[::]:9800".into();
        assert_eq!(default_url(&cfg), "http://[::1]:9800");
        cfg.server.http_listen = "10.0.0.5:9700".into();
        assert_eq!(default_url(&cfg), "http://10.0.0.5:9700");
    }

    #[test]
    fn a_backup_is_a_data_dir_with_the_state_files_and_without_the_queues() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let data = d.path().join("data");
        fs::create_dir_all(data.join("tls")).unwrap();
        fs::write(data.join("tls/ca-key.pem"), "KEY").unwrap();
        fs::set_permissions(data.join("tls/ca-key.pem"), fs::Permissions::from_mode(0o600)).unwrap();
        fs::create_dir_all(data.join("alertmanager")).unwrap();
        fs::write(data.join("alertmanager/silences"), "S").unwrap();
        fs::write(data.join("alertmanager/nflog.tmp"), "half").unwrap();
        fs::write(data.join("pushgateway.store"), "P").unwrap();
        fs::create_dir_all(data.join("remote_write/x")).unwrap();
        fs::write(data.join("remote_write/x/q"), "Q").unwrap();
        fs::create_dir_all(data.join("parent")).unwrap();
        let store = RocksStorage::open(&data.join("db"), RocksOptions::unbounded()).unwrap();
        let s = pharos_protocol::Series {
            labels: pharos_protocol::Labels::from_pairs([("__name__", "up")]),
            samples: vec![pharos_protocol::Sample { timestamp_ms: 5, value: 1.0 }],
        };
        store.append(&[s], None).unwrap();

        let name = snapshot_in_data_dir(&data, &store, false).unwrap();
        let snap = data.join(SNAPSHOTS_DIR).join(&name);
        assert_eq!(fs::read_to_string(snap.join("tls/ca-key.pem")).unwrap(), "KEY");
        assert_eq!(fs::metadata(snap.join("tls/ca-key.pem")).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(fs::read_to_string(snap.join("alertmanager/silences")).unwrap(), "S");
        assert_eq!(fs::read_to_string(snap.join("pushgateway.store")).unwrap(), "P");
        for absent in ["alertmanager/nflog.tmp", "remote_write", "parent", SNAPSHOTS_DIR] {
            assert!(!snap.join(absent).exists(), "{absent} must not be in a backup");
        }
        // A second one does not contain the first, and no partial directory stays behind.
        let second = snapshot_in_data_dir(&data, &store, false).unwrap();
        assert_ne!(name, second);
        let left: Vec<_> = fs::read_dir(data.join(SNAPSHOTS_DIR)).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left.len(), 2, "{left:?}");
        drop(store);
        let copy = RocksStorage::open(&snap.join("db"), RocksOptions::unbounded()).unwrap();
        let m = crate::storage::Matcher::new("__name__", crate::storage::MatchOp::Equal, "up").unwrap();
        assert_eq!(copy.select(&[m], 0, 10).unwrap()[0].samples.len(), 1);
        assert!(matches!(write_backup(&data, &copy, &snap, false), Err(BackupError::Exists(_))));
    }
}
