//! The alert store (Alertmanager 0.25's `provider/mem` over `store`): alerts by fingerprint,
//! merged when re-received (`types.Alert.Merge`), garbage-collected once resolved, with
//! subscribers told of every stored alert; and the marker holding each alert's status for the
//! API (`active`, `suppressed` with `silencedBy` / `inhibitedBy`, `unprocessed`).
//!
//! Unlike Alertmanager, the store can be snapshotted to a file, so that an alert that was firing
//! before a restart still gets its resolved notification after it.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use pharos_protocol::model::is_valid_label_name;
use pharos_protocol::{Label, Labels};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use super::nflog::{duration_ms, load_snapshot, save_snapshot, PersistError};
use super::types::Alert;

/// Why a received alert was rejected (Alertmanager's `model.Alert.Validate` messages).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlertValidationError {
    /// Neither a start nor an end was given.
    #[error("start time missing")]
    StartMissing,
    /// The end is before the start.
    #[error("start time must be before end time")]
    EndBeforeStart,
    /// A label name is not a valid Prometheus label name.
    #[error("invalid label set: invalid name {0:?}")]
    InvalidLabelName(String),
    /// The alert has no labels.
    #[error("at least one label pair required")]
    NoLabels,
    /// An annotation name is not a valid label name.
    #[error("invalid annotations: invalid name {0:?}")]
    InvalidAnnotationName(String),
}

/// Prepares a received alert as Alertmanager's `POST /api/v2/alerts` does, then validates it:
/// `updated_at` is now; a missing start is the end (or now); a missing end is
/// `now + resolve_timeout` with `timeout` set.
pub fn prepare_alert(mut a: Alert, now_ms: i64, resolve_timeout: Duration) -> Result<Alert, AlertValidationError> {
    a.updated_at_ms = now_ms;
    if a.starts_at_ms == 0 {
        a.starts_at_ms = if a.ends_at_ms == 0 { now_ms } else { a.ends_at_ms };
    }
    if a.ends_at_ms == 0 {
        a.timeout = true;
        a.ends_at_ms = now_ms.saturating_add(duration_ms(resolve_timeout));
    }
    validate_alert(&a)?;
    Ok(a)
}

/// Alertmanager's `model.Alert.Validate`.
pub fn validate_alert(a: &Alert) -> Result<(), AlertValidationError> {
    if a.starts_at_ms == 0 {
        return Err(AlertValidationError::StartMissing);
    }
    if a.ends_at_ms != 0 && a.ends_at_ms < a.starts_at_ms {
        return Err(AlertValidationError::EndBeforeStart);
    }
    if let Some(l) = a.labels.iter().find(|l| !is_valid_label_name(&l.name)) {
        return Err(AlertValidationError::InvalidLabelName(l.name.clone()));
    }
    if a.labels.is_empty() {
        return Err(AlertValidationError::NoLabels);
    }
    if let Some(n) = a.annotations.keys().find(|n| !is_valid_label_name(n)) {
        return Err(AlertValidationError::InvalidAnnotationName(n.clone()));
    }
    Ok(())
}

/// `types.Alert.Merge`: combines two versions of one alert. The more recently updated one
/// wins, keeping the earliest start; for the end, the later explicit resolution wins when both
/// are resolved, and otherwise a later end that was not set by the resolve timeout.
pub fn merge(a: &Alert, o: &Alert, now_ms: i64) -> Alert {
    if o.updated_at_ms < a.updated_at_ms {
        return merge(o, a, now_ms);
    }
    let mut res = o.clone();
    if a.starts_at_ms < o.starts_at_ms {
        res.starts_at_ms = a.starts_at_ms;
    }
    if o.resolved_at(now_ms) {
        if a.resolved_at(now_ms) && a.ends_at_ms > o.ends_at_ms {
            res.ends_at_ms = a.ends_at_ms;
        }
    } else if a.ends_at_ms > o.ends_at_ms && !a.timeout {
        res.ends_at_ms = a.ends_at_ms;
    }
    res
}

/// Upstream's `AlertSlice` order: by `job`, then `instance` (an alert having the label sorts
/// first), then by label set (fewer labels first, then names and values).
pub fn alert_order(a: &Alert, b: &Alert) -> Ordering {
    for key in ["job", "instance"] {
        match (a.labels.get(key), b.labels.get(key)) {
            (None, None) => continue,
            (None, Some(_)) => return Ordering::Greater,
            (Some(_), None) => return Ordering::Less,
            (Some(x), Some(y)) if x != y => return x.cmp(y),
            _ => {}
        }
    }
    a.labels.len().cmp(&b.labels.len()).then_with(|| a.labels.cmp(&b.labels))
}

struct StoreInner {
    alerts: HashMap<u64, Alert>,
    listeners: Vec<mpsc::UnboundedSender<Alert>>,
    dirty: bool,
}

/// Alerts by fingerprint. Thread-safe.
pub struct AlertStore {
    inner: Mutex<StoreInner>,
}

impl Default for AlertStore {
    fn default() -> Self {
        Self::new()
    }
}

impl AlertStore {
    /// An empty store.
    pub fn new() -> Self {
        AlertStore { inner: Mutex::new(StoreInner { alerts: HashMap::new(), listeners: Vec::new(), dirty: false }) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, StoreInner> {
        // Mutations are single inserts/removes; a poisoned map is still consistent.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Stores an alert and returns what was stored: merged with the stored version when their
    /// activity ranges overlap (as upstream's `Put`), else replacing it. Subscribers receive it.
    pub fn put(&self, alert: Alert, now_ms: i64) -> Alert {
        let fp = alert.fingerprint();
        let mut inner = self.lock();
        let stored = match inner.alerts.get(&fp) {
            Some(old)
                if (alert.ends_at_ms > old.starts_at_ms && alert.ends_at_ms < old.ends_at_ms)
                    || (alert.starts_at_ms > old.starts_at_ms && alert.starts_at_ms < old.ends_at_ms) =>
            {
                merge(old, &alert, now_ms)
            }
            _ => alert,
        };
        inner.alerts.insert(fp, stored.clone());
        inner.dirty = true;
        inner.listeners.retain(|l| l.send(stored.clone()).is_ok());
        stored
    }

    /// The alert with this fingerprint.
    pub fn get(&self, fp: u64) -> Option<Alert> {
        self.lock().alerts.get(&fp).cloned()
    }

    /// All stored alerts (resolved ones until they are garbage-collected), in upstream's order.
    pub fn list(&self) -> Vec<Alert> {
        let mut v: Vec<Alert> = self.lock().alerts.values().cloned().collect();
        v.sort_by(alert_order);
        v
    }

    /// The alerts firing at `now_ms` (the candidates for inhibiting others).
    pub fn firing(&self, now_ms: i64) -> Vec<Alert> {
        self.lock().alerts.values().filter(|a| !a.resolved_at(now_ms)).cloned().collect()
    }

    /// Number of stored alerts.
    pub fn len(&self) -> usize {
        self.lock().alerts.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.lock().alerts.is_empty()
    }

    /// Removes alerts resolved at `now_ms` and returns them (their marker entries should go
    /// too). Aggregation groups hold their own copies until the resolution is notified.
    pub fn gc(&self, now_ms: i64) -> Vec<Alert> {
        let mut inner = self.lock();
        let gone: Vec<u64> = inner.alerts.iter().filter(|(_, a)| a.resolved_at(now_ms)).map(|(fp, _)| *fp).collect();
        let removed: Vec<Alert> = gone.iter().filter_map(|fp| inner.alerts.remove(fp)).collect();
        inner.dirty |= !removed.is_empty();
        inner.listeners.retain(|l| !l.is_closed());
        removed
    }

    /// The current alerts and a channel receiving every alert stored from now on.
    pub fn subscribe(&self) -> (Vec<Alert>, mpsc::UnboundedReceiver<Alert>) {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut inner = self.lock();
        inner.listeners.push(tx);
        (inner.alerts.values().cloned().collect(), rx)
    }

    /// Writes the alerts to `path` when they changed since the last snapshot.
    pub fn snapshot(&self, path: &Path) -> Result<(), PersistError> {
        let items: Vec<StoredAlert> = {
            let mut inner = self.lock();
            if !inner.dirty {
                return Ok(());
            }
            inner.dirty = false;
            inner.alerts.values().map(StoredAlert::from).collect()
        };
        let res = save_snapshot(path, &items);
        if res.is_err() {
            self.lock().dirty = true;
        }
        res
    }

    /// Loads alerts from a snapshot written by [`AlertStore::snapshot`], dropping those
    /// resolved before `now_ms - keep_resolved` (long resolved: nothing left to notify).
    pub fn load(
        &self,
        path: &Path,
        now_ms: i64,
        keep_resolved: Duration,
        restart_hold: Duration,
    ) -> Result<usize, PersistError> {
        let items: Vec<StoredAlert> = load_snapshot(path)?;
        let cutoff = now_ms.saturating_sub(duration_ms(keep_resolved));
        // The alerts still active when the snapshot was written (its mtime) stay active for
        // `restart_hold` from now, so their senders (the rules, other Prometheus servers) can
        // send them again before they would resolve: an alert that went on firing across the
        // restart is then not resolved and notified anew, and one that stopped still resolves.
        let written_ms = std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        let hold_until = now_ms.saturating_add(duration_ms(restart_hold));
        let mut inner = self.lock();
        let mut n = 0;
        for mut a in items.into_iter().map(Alert::from) {
            if a.ends_at_ms > 0 && a.ends_at_ms < cutoff {
                continue;
            }
            if written_ms.is_some_and(|w| a.ends_at_ms > w) {
                a.ends_at_ms = a.ends_at_ms.max(hold_until);
            }
            inner.alerts.insert(a.fingerprint(), a);
            n += 1;
        }
        Ok(n)
    }
}

/// An alert as written in the snapshot.
#[derive(Serialize, Deserialize)]
struct StoredAlert {
    labels: Vec<(String, String)>,
    annotations: std::collections::BTreeMap<String, String>,
    starts_at_ms: i64,
    ends_at_ms: i64,
    generator_url: String,
    updated_at_ms: i64,
    timeout: bool,
}

impl From<&Alert> for StoredAlert {
    fn from(a: &Alert) -> Self {
        StoredAlert {
            labels: a.labels.iter().map(|l| (l.name.clone(), l.value.clone())).collect(),
            annotations: a.annotations.clone(),
            starts_at_ms: a.starts_at_ms,
            ends_at_ms: a.ends_at_ms,
            generator_url: a.generator_url.clone(),
            updated_at_ms: a.updated_at_ms,
            timeout: a.timeout,
        }
    }
}

impl From<StoredAlert> for Alert {
    fn from(s: StoredAlert) -> Self {
        Alert {
            labels: Labels::from_vec(s.labels.into_iter().map(|(n, v)| Label::new(n, v)).collect()),
            annotations: s.annotations,
            starts_at_ms: s.starts_at_ms,
            ends_at_ms: s.ends_at_ms,
            generator_url: s.generator_url,
            updated_at_ms: s.updated_at_ms,
            timeout: s.timeout,
        }
    }
}

/// An alert's state as the API reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertState {
    /// Received but not yet looked at by the pipeline or the API.
    Unprocessed,
    /// Neither silenced nor inhibited.
    Active,
    /// Silenced or inhibited.
    Suppressed,
}

impl AlertState {
    /// The API's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertState::Unprocessed => "unprocessed",
            AlertState::Active => "active",
            AlertState::Suppressed => "suppressed",
        }
    }
}

/// An alert's status: state and what suppresses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertStatus {
    /// The state.
    pub state: AlertState,
    /// IDs of the active silences muting it, sorted.
    pub silenced_by: Vec<String>,
    /// Fingerprints (16 hex digits) of the alerts inhibiting it.
    pub inhibited_by: Vec<String>,
}

#[derive(Default, Clone)]
struct Mark {
    silenced_by: Vec<String>,
    pending_silences: Vec<String>,
    inhibited_by: Vec<String>,
}

/// Each alert's status by fingerprint (upstream's `types.Marker`). Thread-safe.
#[derive(Default)]
pub struct Marker {
    m: Mutex<HashMap<u64, Mark>>,
}

impl Marker {
    /// An empty marker: every alert is unprocessed.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Mark>> {
        self.m.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records the complete set of active and pending silences matching the alert.
    pub fn set_silenced(&self, fp: u64, active: Vec<String>, pending: Vec<String>) {
        let mut m = self.lock();
        let e = m.entry(fp).or_default();
        e.silenced_by = active;
        e.pending_silences = pending;
    }

    /// Records the alerts inhibiting this one (empty: not inhibited).
    pub fn set_inhibited(&self, fp: u64, by: Vec<String>) {
        self.lock().entry(fp).or_default().inhibited_by = by;
    }

    /// The alert's status; `unprocessed` when never marked.
    pub fn status(&self, fp: u64) -> AlertStatus {
        match self.lock().get(&fp) {
            None => AlertStatus { state: AlertState::Unprocessed, silenced_by: Vec::new(), inhibited_by: Vec::new() },
            Some(e) => AlertStatus {
                state: if e.silenced_by.is_empty() && e.inhibited_by.is_empty() {
                    AlertState::Active
                } else {
                    AlertState::Suppressed
                },
                silenced_by: e.silenced_by.clone(),
                inhibited_by: e.inhibited_by.clone(),
            },
        }
    }

    /// The pending silences last recorded for the alert.
    pub fn pending_silences(&self, fp: u64) -> Vec<String> {
        self.lock().get(&fp).map(|e| e.pending_silences.clone()).unwrap_or_default()
    }

    /// Forgets the alert.
    pub fn delete(&self, fp: u64) {
        self.lock().remove(&fp);
    }

    /// Number of marked alerts in `state` (upstream's `alertmanager_marked_alerts`).
    pub fn count(&self, state: AlertState) -> usize {
        let fps: Vec<u64> = self.lock().keys().copied().collect();
        fps.into_iter().filter(|fp| self.status(*fp).state == state).count()
    }
}

/// An alert fingerprint as the API writes it (`%016x`).
pub fn fingerprint_hex(fp: u64) -> String {
    format!("{fp:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn alert(name: &str, start: i64, end: i64, updated: i64, timeout: bool) -> Alert {
        Alert {
            labels: Labels::from_pairs([("alertname", name)]),
            annotations: BTreeMap::new(),
            starts_at_ms: start,
            ends_at_ms: end,
            generator_url: String::new(),
            updated_at_ms: updated,
            timeout,
        }
    }

    #[test]
    fn prepare_fills_and_validates() {
        let rt = Duration::from_secs(300);
        let a = prepare_alert(alert("A", 0, 0, 0, false), 1_000, rt).unwrap();
        assert_eq!((a.starts_at_ms, a.ends_at_ms, a.updated_at_ms, a.timeout), (1_000, 301_000, 1_000, true));
        let b = prepare_alert(alert("A", 0, 500, 0, false), 1_000, rt).unwrap();
        assert_eq!((b.starts_at_ms, b.ends_at_ms, b.timeout), (500, 500, false));
        assert_eq!(prepare_alert(alert("A", 900, 800, 0, false), 1_000, rt), Err(AlertValidationError::EndBeforeStart));
        let mut none = alert("A", 1, 0, 0, false);
        none.labels = Labels::default();
        assert_eq!(prepare_alert(none, 1_000, rt).unwrap_err().to_string(), "at least one label pair required");
        let mut bad = alert("A", 1, 0, 0, false);
        bad.labels = Labels::from_pairs([("0x", "y")]);
        assert_eq!(prepare_alert(bad, 1_000, rt).unwrap_err().to_string(), "invalid label set: invalid name \"0x\"");
    }

    #[test]
    fn merge_follows_upstream() {
        // The newer update wins and the earliest start is kept.
        let old = alert("A", 100, 1_000, 10, true);
        let new = alert("A", 200, 2_000, 20, true);
        let m = merge(&old, &new, 50);
        assert_eq!((m.starts_at_ms, m.ends_at_ms, m.updated_at_ms), (100, 2_000, 20));
        assert_eq!(merge(&new, &old, 50), m, "argument order does not matter");
        // An explicit later end of the older version rules over a timeout end of the newer.
        let explicit = alert("A", 100, 5_000, 10, false);
        assert_eq!(merge(&explicit, &new, 50).ends_at_ms, 5_000);
        // ... but not when it came from the resolve timeout.
        let timeout = alert("A", 100, 5_000, 10, true);
        assert_eq!(merge(&timeout, &new, 50).ends_at_ms, 2_000);
        // Both resolved: the later resolution wins.
        let r1 = alert("A", 100, 40, 10, false);
        let r2 = alert("A", 100, 30, 20, false);
        assert_eq!(merge(&r1, &r2, 50).ends_at_ms, 40);
    }

    #[test]
    fn put_merges_overlaps_and_notifies_subscribers() {
        let s = AlertStore::new();
        let (initial, mut rx) = s.subscribe();
        assert!(initial.is_empty());
        s.put(alert("A", 100, 10_000, 1, false), 0);
        // A resend with an end inside the stored range is merged: the stored explicit later
        // end stays.
        let stored = s.put(alert("A", 100, 5_000, 2, true), 0);
        assert_eq!(stored.ends_at_ms, 10_000);
        assert_eq!(stored.updated_at_ms, 2);
        // A non-overlapping new occurrence replaces it.
        let later = s.put(alert("A", 20_000, 30_000, 3, false), 0);
        assert_eq!(later.starts_at_ms, 20_000);
        assert_eq!(s.len(), 1);
        assert_eq!(rx.try_recv().unwrap().updated_at_ms, 1);
        assert_eq!(rx.try_recv().unwrap().ends_at_ms, 10_000);
        assert_eq!(rx.try_recv().unwrap().starts_at_ms, 20_000);
        assert!(rx.try_recv().is_err());
        // GC removes what is resolved.
        s.put(alert("B", 1, 0, 1, false), 0);
        assert_eq!(s.firing(25_000).len(), 2);
        assert!(s.gc(29_999).is_empty());
        let gone = s.gc(30_000);
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0].name(), "A");
        assert_eq!(s.list().len(), 1);
    }

    #[test]
    fn snapshot_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alerts.json");
        let s = AlertStore::new();
        let mut a = alert("A", 100, 10_000, 1, true);
        a.labels = Labels::from_pairs([("alertname", "A"), ("instance", "h:1")]);
        a.annotations.insert("summary".into(), "x".into());
        s.put(a.clone(), 0);
        s.put(alert("Old", 1, 2, 1, false), 0);
        s.snapshot(&path).unwrap();
        let back = AlertStore::new();
        assert_eq!(
            back.load(&path, 10_000, Duration::from_millis(5_000), Duration::ZERO).unwrap(),
            1,
            "long-resolved dropped"
        );
        assert_eq!(back.get(a.fingerprint()).unwrap(), a);
    }

    #[test]
    fn alerts_active_at_the_snapshot_are_held_after_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("alerts.json");
        let now = crate::now_ms();
        let s = AlertStore::new();
        // Active when written (valid for one more second), and one resolved before.
        let active = alert("Active", now - 60_000, now + 1_000, now - 1_000, false);
        let resolved = alert("Resolved", now - 60_000, now - 1_000, now - 1_000, false);
        s.put(active.clone(), now);
        s.put(resolved.clone(), now);
        s.snapshot(&path).unwrap();
        // Back ten seconds later: the active one was valid until before now; it is held 5s.
        let later = now + 10_000;
        let back = AlertStore::new();
        assert_eq!(back.load(&path, later, Duration::from_secs(3600), Duration::from_secs(5)).unwrap(), 2);
        assert_eq!(back.get(active.fingerprint()).unwrap().ends_at_ms, later + 5_000);
        assert_eq!(back.get(resolved.fingerprint()).unwrap().ends_at_ms, now - 1_000, "stays resolved");
    }

    #[test]
    fn marker_states() {
        let m = Marker::new();
        assert_eq!(m.status(1).state, AlertState::Unprocessed);
        m.set_inhibited(1, vec![]);
        assert_eq!(m.status(1).state, AlertState::Active);
        m.set_silenced(1, vec!["s".into()], vec![]);
        assert_eq!(m.status(1).state, AlertState::Suppressed);
        m.set_silenced(1, vec![], vec!["p".into()]);
        m.set_inhibited(1, vec![fingerprint_hex(0xab)]);
        let st = m.status(1);
        assert_eq!(st.state, AlertState::Suppressed);
        assert_eq!(st.inhibited_by, vec!["00000000000000ab".to_string()]);
        assert_eq!(m.pending_silences(1), vec!["p".to_string()]);
        assert_eq!(m.count(AlertState::Suppressed), 1);
        m.delete(1);
        assert_eq!(m.status(1).state, AlertState::Unprocessed);
    }

    #[test]
    fn order_by_job_then_instance() {
        let mk = |pairs: &[(&str, &str)]| Alert {
            labels: Labels::from_pairs(pairs.iter().copied()),
            ..alert("x", 1, 0, 0, false)
        };
        let mut v = [
            mk(&[("a", "1")]),
            mk(&[("job", "b"), ("instance", "1")]),
            mk(&[("job", "a"), ("instance", "2")]),
            mk(&[("job", "a"), ("instance", "1")]),
        ];
        v.sort_by(alert_order);
        let got: Vec<_> = v.iter().map(|a| (a.labels.get("job"), a.labels.get("instance"))).collect();
        assert_eq!(got, vec![(Some("a"), Some("1")), (Some("a"), Some("2")), (Some("b"), Some("1")), (None, None)]);
    }
}
