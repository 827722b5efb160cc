//! The notification log (Alertmanager 0.25's `nflog/nflog.go`): per aggregation group and
//! receiver integration, which alerts were firing and which resolved at the last successful
//! notification, and when. The dedup stage reads it to decide whether a flush must notify; the
//! last stage writes it after a successful send. It is snapshotted to a JSON file so that a
//! restart neither re-sends what was already sent nor forgets what it must resolve.

use std::collections::HashMap;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use pharos_protocol::Labels;
use serde::{Deserialize, Serialize};

/// Version tag of the snapshot files written here and by the silences and the alert store.
const SNAPSHOT_VERSION: u32 = 1;

/// A snapshot file could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    /// An I/O error on the file or its directory.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The file does not hold a snapshot we can read.
    #[error("{path}: corrupt snapshot: {reason}")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// The decoder's message.
        reason: String,
    },
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, fsync, rename
/// over `path`, fsync of the directory, so a crash leaves either the old or the new snapshot.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), PersistError> {
    let io = |source| PersistError::Io { path: path.to_path_buf(), source };
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    {
        let mut f = File::create(&tmp).map_err(io)?;
        f.write_all(bytes).map_err(io)?;
        f.sync_all().map_err(io)?;
    }
    std::fs::rename(&tmp, path).map_err(io)?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // The rename is durable only once the directory entry is on disk.
        File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
    }
    Ok(())
}

/// Serialises `items` with the snapshot header and writes them with [`write_atomic`].
pub(crate) fn save_snapshot<T: Serialize>(path: &Path, items: &[T]) -> Result<(), PersistError> {
    #[derive(Serialize)]
    struct Out<'a, T> {
        version: u32,
        items: &'a [T],
    }
    let bytes = serde_json::to_vec(&Out { version: SNAPSHOT_VERSION, items })
        .map_err(|e| PersistError::Corrupt { path: path.to_path_buf(), reason: e.to_string() })?;
    write_atomic(path, &bytes)
}

/// Reads a snapshot written by [`save_snapshot`]; a missing file is an empty snapshot.
pub(crate) fn load_snapshot<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>, PersistError> {
    #[derive(Deserialize)]
    struct In<T> {
        version: u32,
        items: Vec<T>,
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(PersistError::Io { path: path.to_path_buf(), source }),
    };
    let corrupt = |reason: String| PersistError::Corrupt { path: path.to_path_buf(), reason };
    let parsed: In<T> = serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?;
    if parsed.version != SNAPSHOT_VERSION {
        return Err(corrupt(format!("unknown version {}", parsed.version)));
    }
    Ok(parsed.items)
}

/// The hash the dedup stage records per alert (upstream's `hashAlert`): XXH64 over each label
/// name and value in name order, each followed by the byte 0xFF.
pub fn hash_alert(labels: &Labels) -> u64 {
    let mut buf = Vec::with_capacity(256);
    for l in labels.iter() {
        buf.extend_from_slice(l.name.as_bytes());
        buf.push(0xFF);
        buf.extend_from_slice(l.value.as_bytes());
        buf.push(0xFF);
    }
    twox_hash::XxHash64::oneshot(0, &buf)
}

/// Identifies one integration of one receiver (upstream's `nflogpb.Receiver`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReceiverKey {
    /// The receiver's name.
    pub group_name: String,
    /// The integration's kind (`webhook`, `email`…).
    pub integration: String,
    /// The integration's index among the receiver's integrations of the same kind.
    pub idx: u32,
}

impl ReceiverKey {
    fn key(&self) -> String {
        format!("{}/{}/{}", self.group_name, self.integration, self.idx)
    }
}

/// The last successful notification of one group to one integration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The aggregation group's key.
    pub group_key: String,
    /// The integration notified.
    pub receiver: ReceiverKey,
    /// When it was notified, milliseconds since the Unix epoch.
    pub timestamp_ms: i64,
    /// [`hash_alert`] of the alerts that were firing.
    pub firing_alerts: Vec<u64>,
    /// [`hash_alert`] of the alerts that were resolved.
    pub resolved_alerts: Vec<u64>,
    /// When the entry is dropped, milliseconds since the Unix epoch.
    pub expires_at_ms: i64,
}

impl Entry {
    /// Whether every hash of `subset` was firing at the last notification.
    pub fn is_firing_subset(&self, subset: &[u64]) -> bool {
        subset.iter().all(|h| self.firing_alerts.contains(h))
    }

    /// Whether every hash of `subset` was resolved at the last notification.
    pub fn is_resolved_subset(&self, subset: &[u64]) -> bool {
        subset.iter().all(|h| self.resolved_alerts.contains(h))
    }
}

/// The notification log. Thread-safe; all times are passed in by the caller.
#[derive(Debug)]
pub struct NotificationLog {
    entries: Mutex<HashMap<String, Entry>>,
    retention_ms: i64,
    path: Option<PathBuf>,
    // Set by `log`, cleared by a snapshot: lets the manager write the file within a second of a
    // notification, so even a crash right after one does not send it again.
    dirty: std::sync::atomic::AtomicBool,
}

impl NotificationLog {
    /// An empty log kept in memory only; entries live at most `retention`.
    pub fn new(retention: Duration) -> Self {
        NotificationLog {
            entries: Mutex::new(HashMap::new()),
            retention_ms: duration_ms(retention),
            path: None,
            dirty: Default::default(),
        }
    }

    /// A log snapshotted to `path`, loaded from it when the file exists (entries expired at
    /// `now_ms` are dropped).
    pub fn open(path: &Path, retention: Duration, now_ms: i64) -> Result<Self, PersistError> {
        let items: Vec<Entry> = load_snapshot(path)?;
        let entries = items
            .into_iter()
            .filter(|e| e.expires_at_ms > now_ms)
            .map(|e| (state_key(&e.group_key, &e.receiver), e))
            .collect();
        Ok(NotificationLog {
            entries: Mutex::new(entries),
            retention_ms: duration_ms(retention),
            path: Some(path.to_path_buf()),
            dirty: Default::default(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        // A panic while holding the lock leaves the map consistent (single inserts/removes).
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records a successful notification. The entry expires after `expiry` (the dedup stage
    /// passes twice the repeat interval) or the retention, whichever is shorter; an existing
    /// entry with a later timestamp is kept.
    pub fn log(
        &self,
        receiver: &ReceiverKey,
        group_key: &str,
        firing: Vec<u64>,
        resolved: Vec<u64>,
        expiry: Duration,
        now_ms: i64,
    ) {
        let key = state_key(group_key, receiver);
        let expiry_ms = duration_ms(expiry);
        let expires_at_ms = if expiry_ms > 0 && self.retention_ms > expiry_ms {
            now_ms.saturating_add(expiry_ms)
        } else {
            now_ms.saturating_add(self.retention_ms)
        };
        let mut map = self.lock();
        if map.get(&key).is_some_and(|prev| prev.timestamp_ms > now_ms) {
            return;
        }
        map.insert(
            key,
            Entry {
                group_key: group_key.to_string(),
                receiver: receiver.clone(),
                timestamp_ms: now_ms,
                firing_alerts: firing,
                resolved_alerts: resolved,
                expires_at_ms,
            },
        );
        self.dirty.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// The entry of this group and integration, if any.
    pub fn query(&self, group_key: &str, receiver: &ReceiverKey) -> Option<Entry> {
        self.lock().get(&state_key(group_key, receiver)).cloned()
    }

    /// Drops entries expired at `now_ms`; returns how many.
    pub fn gc(&self, now_ms: i64) -> usize {
        let mut map = self.lock();
        let before = map.len();
        map.retain(|_, e| e.expires_at_ms > now_ms);
        before - map.len()
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether the log is empty.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    /// Writes the log to its file if an entry was logged since the last snapshot.
    pub fn snapshot_if_changed(&self) -> Result<(), PersistError> {
        if self.dirty.load(std::sync::atomic::Ordering::SeqCst) {
            self.snapshot()?;
        }
        Ok(())
    }

    /// Writes the log to its file (no-op for an in-memory log).
    pub fn snapshot(&self) -> Result<(), PersistError> {
        let Some(path) = &self.path else { return Ok(()) };
        // Cleared before reading the entries: a `log` racing with this write marks it again.
        self.dirty.store(false, std::sync::atomic::Ordering::SeqCst);
        let mut items: Vec<Entry> = self.lock().values().cloned().collect();
        items.sort_by(|a, b| (&a.group_key, a.receiver.key()).cmp(&(&b.group_key, b.receiver.key())));
        save_snapshot(path, &items)
    }
}

fn state_key(group_key: &str, r: &ReceiverKey) -> String {
    format!("{}:{}", group_key, r.key())
}

pub(crate) fn duration_ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recv() -> ReceiverKey {
        ReceiverKey { group_name: "team".into(), integration: "webhook".into(), idx: 0 }
    }

    #[test]
    fn hash_is_xxh64_of_labels() {
        // XXH64 of the empty input with seed 0 (the reference value of the algorithm).
        assert_eq!(hash_alert(&Labels::default()), 0xEF46_DB37_51D8_E999);
        let a = Labels::from_pairs([("a", "bc")]);
        let b = Labels::from_pairs([("ab", "c")]);
        assert_ne!(hash_alert(&a), hash_alert(&b));
    }

    #[test]
    fn log_query_and_expiry() {
        let l = NotificationLog::new(Duration::from_secs(120 * 3600));
        assert!(l.query("g", &recv()).is_none());
        l.log(&recv(), "g", vec![1, 2], vec![3], Duration::from_secs(60), 1_000);
        let e = l.query("g", &recv()).unwrap();
        assert_eq!(e.timestamp_ms, 1_000);
        assert_eq!(e.expires_at_ms, 61_000, "expiry shorter than retention wins");
        assert!(e.is_firing_subset(&[2]));
        assert!(!e.is_firing_subset(&[2, 4]));
        assert!(e.is_resolved_subset(&[3]));
        assert!(l.query("g", &ReceiverKey { idx: 1, ..recv() }).is_none());
        // An older write never replaces a newer entry.
        l.log(&recv(), "g", vec![9], vec![], Duration::from_secs(60), 500);
        assert_eq!(l.query("g", &recv()).unwrap().firing_alerts, vec![1, 2]);
        assert_eq!(l.gc(60_999), 0);
        assert_eq!(l.gc(61_000), 1);
        assert!(l.is_empty());
        // A zero expiry falls back to the retention.
        let short = NotificationLog::new(Duration::from_secs(10));
        short.log(&recv(), "g", vec![], vec![], Duration::ZERO, 0);
        assert_eq!(short.query("g", &recv()).unwrap().expires_at_ms, 10_000);
    }

    #[test]
    fn snapshot_round_trip_drops_expired() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nflog.json");
        let l = NotificationLog::open(&path, Duration::from_secs(3600), 0).unwrap();
        l.log(&recv(), "g1", vec![1], vec![], Duration::from_secs(10), 0);
        l.log(&recv(), "g2", vec![2], vec![5], Duration::from_secs(100), 0);
        l.snapshot().unwrap();
        let back = NotificationLog::open(&path, Duration::from_secs(3600), 50_000).unwrap();
        assert!(back.query("g1", &recv()).is_none(), "expired at load time");
        assert_eq!(back.query("g2", &recv()).unwrap(), l.query("g2", &recv()).unwrap());
        std::fs::write(&path, b"{not json").unwrap();
        assert!(matches!(NotificationLog::open(&path, Duration::from_secs(1), 0), Err(PersistError::Corrupt { .. })));
    }
}
