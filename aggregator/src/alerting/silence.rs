//! Silences (Alertmanager 0.25's `silence/silence.go`): creation with validation, updates that
//! keep history (an update that would rewrite what an active silence muted expires it and
//! creates a new one), expiry, queries, which silences mute a label set, retention of expired
//! silences, and a JSON snapshot written atomically after every change.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use pharos_protocol::model::is_valid_label_name;
use pharos_protocol::Labels;
use serde::{Deserialize, Serialize};

use super::matcher::{MatchType, Matcher, MatcherError};
use super::nflog::{duration_ms, load_snapshot, save_snapshot, PersistError};

/// Default retention of expired silences (`--data.retention`).
pub const DEFAULT_RETENTION: Duration = Duration::from_secs(120 * 3600);

/// Why a silence operation failed. Messages are Alertmanager's.
#[derive(Debug, thiserror::Error)]
pub enum SilenceError {
    /// No silence has this ID (the API answers 404).
    #[error("silence not found")]
    NotFound,
    /// The silence fails validation (`silence invalid: …`).
    #[error("silence invalid: {0}")]
    Invalid(String),
    /// The API's own checks before storing (`Failed to create silence: …`).
    #[error("Failed to create silence: {0}")]
    Rejected(String),
    /// A matcher of a stored or posted silence cannot be built.
    #[error("{0}")]
    Matcher(#[from] MatcherError),
    /// The snapshot could not be written.
    #[error("persisting silences: {0}")]
    Persist(#[from] PersistError),
}

/// A silence's state at some instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SilenceState {
    /// Before `startsAt`.
    Pending,
    /// Between `startsAt` and `endsAt` (both inclusive).
    Active,
    /// After `endsAt`.
    Expired,
}

impl SilenceState {
    /// The API's spelling: `pending`, `active`, `expired`.
    pub fn as_str(self) -> &'static str {
        match self {
            SilenceState::Pending => "pending",
            SilenceState::Active => "active",
            SilenceState::Expired => "expired",
        }
    }
}

/// One silence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "StoredSilence", into = "StoredSilence")]
pub struct Silence {
    /// UUID v4; empty when creating.
    pub id: String,
    /// All must match for an alert to be silenced.
    pub matchers: Vec<Matcher>,
    /// Start, milliseconds since the Unix epoch.
    pub starts_at_ms: i64,
    /// End, milliseconds since the Unix epoch.
    pub ends_at_ms: i64,
    /// Last change, milliseconds since the Unix epoch (set on store).
    pub updated_at_ms: i64,
    /// Author.
    pub created_by: String,
    /// Why.
    pub comment: String,
}

impl Silence {
    /// The state at `now_ms`: pending before the start, expired after the end, else active.
    pub fn state(&self, now_ms: i64) -> SilenceState {
        if now_ms < self.starts_at_ms {
            SilenceState::Pending
        } else if now_ms > self.ends_at_ms {
            SilenceState::Expired
        } else {
            SilenceState::Active
        }
    }

    /// Whether every matcher matches the label set.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.matchers.iter().all(|m| m.matches_labels(labels))
    }

    /// The API's `filter` for silences: every filter matcher equals (name, operator, value)
    /// some matcher of the silence.
    pub fn matches_filter(&self, filter: &[Matcher]) -> bool {
        filter.iter().all(|f| self.matchers.iter().any(|m| m == f))
    }
}

/// The on-disk form of a silence: matchers as the API writes them.
#[derive(Serialize, Deserialize)]
struct StoredSilence {
    id: String,
    matchers: Vec<StoredMatcher>,
    starts_at_ms: i64,
    ends_at_ms: i64,
    updated_at_ms: i64,
    created_by: String,
    comment: String,
}

#[derive(Serialize, Deserialize)]
struct StoredMatcher {
    name: String,
    value: String,
    is_regex: bool,
    is_equal: bool,
}

impl From<Silence> for StoredSilence {
    fn from(s: Silence) -> Self {
        StoredSilence {
            id: s.id,
            matchers: s
                .matchers
                .into_iter()
                .map(|m| StoredMatcher {
                    is_regex: m.match_type.is_regex(),
                    is_equal: m.match_type.is_equal(),
                    name: m.name,
                    value: m.value,
                })
                .collect(),
            starts_at_ms: s.starts_at_ms,
            ends_at_ms: s.ends_at_ms,
            updated_at_ms: s.updated_at_ms,
            created_by: s.created_by,
            comment: s.comment,
        }
    }
}

impl TryFrom<StoredSilence> for Silence {
    type Error = MatcherError;

    fn try_from(s: StoredSilence) -> Result<Self, MatcherError> {
        let matchers = s
            .matchers
            .into_iter()
            .map(|m| Matcher::new(MatchType::from_flags(m.is_regex, m.is_equal), m.name, m.value))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Silence {
            id: s.id,
            matchers,
            starts_at_ms: s.starts_at_ms,
            ends_at_ms: s.ends_at_ms,
            updated_at_ms: s.updated_at_ms,
            created_by: s.created_by,
            comment: s.comment,
        })
    }
}

/// What to select in [`Silences::query`]; empty fields select everything.
#[derive(Debug, Clone, Default)]
pub struct SilenceQuery {
    /// Only these IDs.
    pub ids: Vec<String>,
    /// Only silences in one of these states.
    pub states: Vec<SilenceState>,
    /// Only silences whose matchers all match this label set.
    pub matches: Option<Labels>,
}

/// A UUID v4 in its canonical text form, from `rand` bytes.
pub fn new_uuid_v4() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0F) | 0x40;
    b[8] = (b[8] & 0x3F) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

struct Inner {
    /// Silences by ID, with the instant they are garbage-collected.
    map: HashMap<String, (Silence, i64)>,
    /// Bumped on every change, so callers can cache per-alert results.
    version: u64,
}

/// The silences of one Alertmanager. Thread-safe; times are passed in by the caller.
pub struct Silences {
    inner: Mutex<Inner>,
    retention_ms: i64,
    path: Option<PathBuf>,
}

impl Silences {
    /// An empty set kept in memory only.
    pub fn new(retention: Duration) -> Self {
        Silences {
            inner: Mutex::new(Inner { map: HashMap::new(), version: 0 }),
            retention_ms: duration_ms(retention),
            path: None,
        }
    }

    /// Silences snapshotted to `path` after each change, loaded from it when it exists
    /// (silences past their retention at `now_ms` are dropped).
    pub fn open(path: &Path, retention: Duration, now_ms: i64) -> Result<Self, PersistError> {
        let retention_ms = duration_ms(retention);
        let items: Vec<Silence> = load_snapshot(path)?;
        let map = items
            .into_iter()
            .map(|s| {
                let exp = s.ends_at_ms.saturating_add(retention_ms);
                (s.id.clone(), (s, exp))
            })
            .filter(|(_, (_, exp))| *exp > now_ms)
            .collect();
        Ok(Silences { inner: Mutex::new(Inner { map, version: 0 }), retention_ms, path: Some(path.to_path_buf()) })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Every mutation is a single insert or remove: a poisoned map is still consistent.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The API's checks before storing a posted silence (Alertmanager's API v2 handler): the
    /// start must be before the end, and the end must not be in the past.
    pub fn check_postable(sil: &Silence, now_ms: i64) -> Result<(), SilenceError> {
        if sil.starts_at_ms >= sil.ends_at_ms {
            return Err(SilenceError::Rejected("start time must be before end time".into()));
        }
        if sil.ends_at_ms < now_ms {
            return Err(SilenceError::Rejected("end time can't be in the past".into()));
        }
        Ok(())
    }

    /// Creates or updates a silence; returns its ID. With an ID that does not exist, fails with
    /// [`SilenceError::NotFound`]. An update is applied in place when it does not change what
    /// the silence muted so far (same matchers; for an active silence the same start and an end
    /// not in the past; for a pending one a start not in the past); otherwise the old silence
    /// is expired (if not already) and a new one with a new ID is created, starting no earlier
    /// than now.
    pub fn set(&self, mut sil: Silence, now_ms: i64) -> Result<String, SilenceError> {
        let mut inner = self.lock();
        let prev = if sil.id.is_empty() {
            None
        } else {
            Some(inner.map.get(&sil.id).map(|(s, _)| s.clone()).ok_or(SilenceError::NotFound)?)
        };
        if let Some(prev) = &prev {
            if can_update(prev, &sil, now_ms) {
                sil.updated_at_ms = now_ms;
                validate(&sil)?;
                let id = sil.id.clone();
                self.store(&mut inner, sil);
                drop(inner);
                self.persist()?;
                return Ok(id);
            }
        }
        sil.id = new_uuid_v4();
        sil.starts_at_ms = sil.starts_at_ms.max(now_ms);
        sil.updated_at_ms = now_ms;
        // Validate before expiring the old one, so a rejected update changes nothing.
        validate(&sil)?;
        if let Some(prev) = prev {
            if prev.state(now_ms) != SilenceState::Expired {
                self.expire_locked(&mut inner, prev, now_ms);
            }
        }
        let id = sil.id.clone();
        self.store(&mut inner, sil);
        drop(inner);
        self.persist()?;
        Ok(id)
    }

    /// Expires a silence now: an active one ends now, a pending one starts and ends now; an
    /// expired one is left as it is.
    pub fn expire(&self, id: &str, now_ms: i64) -> Result<(), SilenceError> {
        let mut inner = self.lock();
        let sil = inner.map.get(id).map(|(s, _)| s.clone()).ok_or(SilenceError::NotFound)?;
        if sil.state(now_ms) == SilenceState::Expired {
            return Ok(());
        }
        self.expire_locked(&mut inner, sil, now_ms);
        drop(inner);
        self.persist()?;
        Ok(())
    }

    fn expire_locked(&self, inner: &mut Inner, mut sil: Silence, now_ms: i64) {
        if sil.state(now_ms) == SilenceState::Pending {
            sil.starts_at_ms = now_ms;
        }
        sil.ends_at_ms = now_ms;
        sil.updated_at_ms = now_ms;
        self.store(inner, sil);
    }

    fn store(&self, inner: &mut Inner, sil: Silence) {
        let exp = sil.ends_at_ms.saturating_add(self.retention_ms);
        inner.map.insert(sil.id.clone(), (sil, exp));
        inner.version += 1;
    }

    /// The silence with this ID.
    pub fn get(&self, id: &str) -> Option<Silence> {
        self.lock().map.get(id).map(|(s, _)| s.clone())
    }

    /// Silences selected by `q` at `now_ms`, in no particular order.
    pub fn query(&self, q: &SilenceQuery, now_ms: i64) -> Vec<Silence> {
        let inner = self.lock();
        let keep = |s: &Silence| {
            (q.states.is_empty() || q.states.contains(&s.state(now_ms)))
                && q.matches.as_ref().is_none_or(|l| s.matches(l))
        };
        if q.ids.is_empty() {
            inner.map.values().map(|(s, _)| s).filter(|s| keep(s)).cloned().collect()
        } else {
            q.ids.iter().filter_map(|id| inner.map.get(id)).map(|(s, _)| s).filter(|s| keep(s)).cloned().collect()
        }
    }

    /// The IDs of the active and of the pending silences matching `labels` at `now_ms`, each
    /// sorted. The label set is muted when the first list is not empty.
    pub fn mutes(&self, labels: &Labels, now_ms: i64) -> (Vec<String>, Vec<String>) {
        let inner = self.lock();
        let (mut active, mut pending) = (Vec::new(), Vec::new());
        for (s, _) in inner.map.values() {
            match s.state(now_ms) {
                SilenceState::Active if s.matches(labels) => active.push(s.id.clone()),
                SilenceState::Pending if s.matches(labels) => pending.push(s.id.clone()),
                _ => {}
            }
        }
        active.sort();
        pending.sort();
        (active, pending)
    }

    /// Drops silences whose end is longer ago than the retention; returns how many.
    pub fn gc(&self, now_ms: i64) -> usize {
        let mut inner = self.lock();
        let before = inner.map.len();
        inner.map.retain(|_, (_, exp)| *exp > now_ms);
        let n = before - inner.map.len();
        if n > 0 {
            inner.version += 1;
        }
        n
    }

    /// Changes so far (incremented by every store and by a GC that removed something).
    pub fn version(&self) -> u64 {
        self.lock().version
    }

    /// Writes all silences to the snapshot file (no-op when kept in memory only).
    pub fn persist(&self) -> Result<(), PersistError> {
        let Some(path) = &self.path else { return Ok(()) };
        let mut items: Vec<Silence> = self.lock().map.values().map(|(s, _)| s.clone()).collect();
        items.sort_by(|a, b| a.id.cmp(&b.id));
        save_snapshot(path, &items)
    }
}

/// Whether `b` can replace `a` in place without changing which alerts `a` has muted so far.
fn can_update(a: &Silence, b: &Silence, now_ms: i64) -> bool {
    if a.matchers != b.matchers {
        return false;
    }
    match a.state(now_ms) {
        // Upstream compares the starts at second precision.
        SilenceState::Active => {
            a.starts_at_ms.div_euclid(1000) == b.starts_at_ms.div_euclid(1000) && b.ends_at_ms >= now_ms
        }
        SilenceState::Pending => b.starts_at_ms >= now_ms,
        SilenceState::Expired => false,
    }
}

/// Upstream's `validateSilence`, with its messages.
fn validate(s: &Silence) -> Result<(), SilenceError> {
    let invalid = |m: String| Err(SilenceError::Invalid(m));
    if s.id.is_empty() {
        return invalid("ID missing".into());
    }
    if s.matchers.is_empty() {
        return invalid("at least one matcher required".into());
    }
    let mut all_match_empty = true;
    for (i, m) in s.matchers.iter().enumerate() {
        if !is_valid_label_name(&m.name) {
            return invalid(format!("invalid label matcher {i}: invalid label name {:?}", m.name));
        }
        // Upstream counts only `=` and `=~` matchers as matching the empty string.
        all_match_empty &= m.match_type.is_equal() && m.matches("");
    }
    if all_match_empty {
        return invalid("at least one matcher must not match the empty string".into());
    }
    if s.starts_at_ms == 0 {
        return invalid("invalid zero start timestamp".into());
    }
    if s.ends_at_ms == 0 {
        return invalid("invalid zero end timestamp".into());
    }
    if s.ends_at_ms < s.starts_at_ms {
        return invalid("end time must not be before start time".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerting::matcher::parse_matchers;

    const H: i64 = 3_600_000;

    fn sil(m: &str, start: i64, end: i64) -> Silence {
        Silence {
            id: String::new(),
            matchers: parse_matchers(m).unwrap(),
            starts_at_ms: start,
            ends_at_ms: end,
            updated_at_ms: 0,
            created_by: "me".into(),
            comment: "c".into(),
        }
    }

    fn ls(pairs: &[(&str, &str)]) -> Labels {
        Labels::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn uuid_v4_shape() {
        let a = new_uuid_v4();
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
        assert!(matches!(a.as_bytes()[19], b'8' | b'9' | b'a' | b'b'));
        assert_ne!(a, new_uuid_v4());
    }

    #[test]
    fn validation_messages() {
        let s = Silences::new(DEFAULT_RETENTION);
        let now = 10 * H;
        let err = |x: Silence| s.set(x, now).unwrap_err().to_string();
        let mut none = sil("a=\"b\"", now, now + H);
        none.matchers.clear();
        assert_eq!(err(none), "silence invalid: at least one matcher required");
        assert_eq!(
            err(sil("a=~\".*\", b=\"\"", now, now + H)),
            "silence invalid: at least one matcher must not match the empty string"
        );
        // A negative matcher matching "" does not count as matching empty (as upstream).
        assert!(s.set(sil("a!=\"x\"", now, now + H), now).is_ok());
        assert_eq!(
            err(sil("a=\"b\"", now + 2 * H, now + H)),
            "silence invalid: end time must not be before start time"
        );
        let mut bad = sil("a=\"b\"", now, now + H);
        bad.matchers[0].name = "0bad".into();
        assert_eq!(err(bad), "silence invalid: invalid label matcher 0: invalid label name \"0bad\"");
        assert!(matches!(
            s.set(Silence { id: "nope".into(), ..sil("a=\"b\"", now, now + H) }, now),
            Err(SilenceError::NotFound)
        ));
        assert_eq!(
            Silences::check_postable(&sil("a=\"b\"", now, now), now).unwrap_err().to_string(),
            "Failed to create silence: start time must be before end time"
        );
        assert_eq!(
            Silences::check_postable(&sil("a=\"b\"", now - 2 * H, now - H), now).unwrap_err().to_string(),
            "Failed to create silence: end time can't be in the past"
        );
    }

    #[test]
    fn states_mutes_and_expire() {
        let s = Silences::new(DEFAULT_RETENTION);
        let now = 100 * H;
        let active = s.set(sil("alertname=\"A\"", now - H, now + H), now).unwrap();
        let pending = s.set(sil("alertname=~\"A|B\"", now + H, now + 2 * H), now).unwrap();
        let a = ls(&[("alertname", "A"), ("x", "1")]);
        let b = ls(&[("alertname", "B")]);
        // A start in the past is moved to now on creation.
        assert_eq!(s.get(&active).unwrap().starts_at_ms, now);
        assert_eq!(s.mutes(&a, now), (vec![active.clone()], vec![pending.clone()]));
        assert_eq!(s.mutes(&b, now), (vec![], vec![pending.clone()]));
        assert_eq!(s.mutes(&b, now + H).0, vec![pending.clone()], "pending becomes active at its start");
        assert!(s.mutes(&a, now + H + 1).0 == vec![pending.clone()], "the first ended");
        s.expire(&pending, now + 10).unwrap();
        let p = s.get(&pending).unwrap();
        assert_eq!((p.starts_at_ms, p.ends_at_ms), (now + 10, now + 10), "a pending silence expires at once");
        assert_eq!(p.state(now + 11), SilenceState::Expired);
        s.expire(&active, now + 20).unwrap();
        assert_eq!(s.get(&active).unwrap().ends_at_ms, now + 20);
        assert!(s.mutes(&a, now + 21).0.is_empty());
        assert!(matches!(s.expire("nope", now), Err(SilenceError::NotFound)));
        let q = SilenceQuery { states: vec![SilenceState::Expired], ..Default::default() };
        assert_eq!(s.query(&q, now + 21).len(), 2);
        let q = SilenceQuery { matches: Some(b.clone()), ..Default::default() };
        assert_eq!(s.query(&q, now + 21).iter().map(|x| x.id.clone()).collect::<Vec<_>>(), vec![pending.clone()]);
        // Retention: each is gone 120h after its end.
        assert_eq!(s.gc(now + 10 + 120 * H - 1), 0);
        assert_eq!(s.gc(now + 10 + 120 * H), 1);
        assert!(s.get(&pending).is_none());
        assert_eq!(s.gc(now + 20 + 120 * H), 1);
    }

    #[test]
    fn updates_keep_history() {
        let s = Silences::new(DEFAULT_RETENTION);
        let now = 100 * H;
        let id = s.set(sil("a=\"1\"", now, now + H), now).unwrap();
        // Extending an active silence keeps its ID.
        let mut upd = s.get(&id).unwrap();
        upd.ends_at_ms = now + 3 * H;
        upd.comment = "longer".into();
        assert_eq!(s.set(upd, now + 1000).unwrap(), id);
        assert_eq!(s.get(&id).unwrap().ends_at_ms, now + 3 * H);
        // Changing the matchers of an active silence expires it and creates a new one.
        let mut upd = s.get(&id).unwrap();
        upd.matchers = parse_matchers("a=\"2\"").unwrap();
        let new_id = s.set(upd, now + 2000).unwrap();
        assert_ne!(new_id, id);
        assert_eq!(s.get(&id).unwrap().ends_at_ms, now + 2000);
        assert_eq!(s.get(&new_id).unwrap().starts_at_ms, now + 2000);
        assert_eq!(s.get(&new_id).unwrap().state(now + 3000), SilenceState::Active);
        // Moving the start of an active silence also replaces it.
        let mut upd = s.get(&new_id).unwrap();
        upd.starts_at_ms = now + 5000;
        let third = s.set(upd, now + 4000).unwrap();
        assert_ne!(third, new_id);
        assert_eq!(s.get(&new_id).unwrap().state(now + 4001), SilenceState::Expired);
        // A pending silence can be moved to a later start in place.
        let p = s.set(sil("b=\"1\"", now + 10 * H, now + 11 * H), now).unwrap();
        let mut upd = s.get(&p).unwrap();
        upd.starts_at_ms = now + 9 * H;
        assert_eq!(s.set(upd, now).unwrap(), p);
        // An invalid update of an active silence leaves it untouched.
        let mut bad = s.get(&third).unwrap();
        bad.matchers.clear();
        assert!(s.set(bad, now + 6000).is_err());
        assert_eq!(s.get(&third).unwrap().state(now + 6001), SilenceState::Active);
    }

    #[test]
    fn filter_and_persistence() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("silences.json");
        let now = 100 * H;
        let s = Silences::open(&path, DEFAULT_RETENTION, now).unwrap();
        let id = s.set(sil("a=\"1\", b=~\"x|y\", c!~\"z\"", now, now + H), now).unwrap();
        let gone = s.set(sil("a=\"2\"", now, now + H), now).unwrap();
        s.expire(&gone, now).unwrap();
        let got = s.get(&id).unwrap();
        assert!(got.matches_filter(&parse_matchers("a=\"1\", b=~\"x|y\"").unwrap()));
        assert!(!got.matches_filter(&parse_matchers("b=\"x|y\"").unwrap()));
        // Reopened after the expired one's retention: only the live one remains, intact.
        let back = Silences::open(&path, DEFAULT_RETENTION, now + 120 * H + 1).unwrap();
        assert_eq!(back.get(&id).unwrap(), got);
        assert!(back.get(&gone).is_none());
        assert!(back.get(&id).unwrap().matches(&ls(&[("a", "1"), ("b", "y")])));
        assert!(!back.get(&id).unwrap().matches(&ls(&[("a", "1"), ("b", "y"), ("c", "z")])));
    }
}
