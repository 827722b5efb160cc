//! [`Pushgateway`]: requests in, responses out, no HTTP framework. The aggregator and the agent
//! put it behind their own routers; it owns the store, the TTLs and the persistence file.

use crate::body::{self, BodyError};
use crate::grouping::GroupingKey;
use crate::grouping::{self, KeyError};
use crate::persist::{self, PersistError};
use crate::store::{Group, Store};
use crate::TTL_HEADER;
use pharos_protocol::model::Labels;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Settings of a gateway.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// TTL of groups whose push names none; `None`: groups never expire.
    pub default_ttl: Option<Duration>,
    /// Serve `PUT /api/v1/admin/wipe` (Pushgateway's `--web.enable-admin-api`).
    pub admin_api: bool,
    /// Where the store is persisted; `None` keeps it in memory only.
    pub persistence_file: Option<PathBuf>,
    /// Reported as `flags` by `/api/v1/status`.
    pub status_flags: BTreeMap<String, String>,
}

/// A request, as the router received it.
#[derive(Debug, Clone, Copy)]
pub struct PushRequest<'a> {
    /// HTTP method (upper case).
    pub method: &'a str,
    /// The path after any route prefix, still percent-encoded: `/metrics/job/...`,
    /// `/api/v1/metrics`, `/api/v1/status`, `/api/v1/admin/wipe`.
    pub path: &'a str,
    /// `Content-Type`.
    pub content_type: Option<&'a str>,
    /// `Content-Encoding`.
    pub content_encoding: Option<&'a str>,
    /// The [`TTL_HEADER`] header: the group's TTL in Prometheus' duration notation, `0` for none.
    pub ttl: Option<&'a str>,
    /// The body.
    pub body: &'a [u8],
}

/// A response to send as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushResponse {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type` (`None` for an empty body).
    pub content_type: Option<&'static str>,
    /// The body.
    pub body: Vec<u8>,
    /// Whether the store changed (a materialiser should write the new state now).
    pub changed: bool,
}

const TEXT: &str = "text/plain; charset=utf-8";
const JSON: &str = "application/json";

impl PushResponse {
    fn empty(status: u16, changed: bool) -> Self {
        PushResponse { status, content_type: None, body: Vec::new(), changed }
    }

    /// Go's `http.Error`: the message and a newline, as plain text.
    fn error(status: u16, message: impl std::fmt::Display, changed: bool) -> Self {
        PushResponse { status, content_type: Some(TEXT), body: format!("{message}\n").into_bytes(), changed }
    }

    fn json(v: &serde_json::Value) -> Self {
        PushResponse { status: 200, content_type: Some(JSON), body: v.to_string().into_bytes(), changed: false }
    }
}

/// The Pushgateway API over one store.
pub struct Pushgateway {
    store: Mutex<Store>,
    options: Options,
    start_ns: i64,
    /// Set by every change, cleared by a successful [`persist`](Self::persist).
    dirty: AtomicBool,
    /// Incremented by every change.
    generation: AtomicU64,
    /// Held while persisting: one writer at a time, so a caller that finds nothing dirty knows
    /// its change is on disk (written by the call that cleared the flag).
    persist_lock: Mutex<()>,
}

fn unix_ns(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_nanos()).unwrap_or(i64::MAX),
    }
}

impl Pushgateway {
    /// A gateway with the store loaded from `options.persistence_file` (if set and present).
    pub fn new(options: Options) -> Result<Self, PersistError> {
        let store = match &options.persistence_file {
            Some(p) => persist::load(p)?,
            None => Store::new(),
        };
        Ok(Pushgateway {
            store: Mutex::new(store),
            options,
            start_ns: unix_ns(SystemTime::now()),
            dirty: AtomicBool::new(false),
            generation: AtomicU64::new(0),
            persist_lock: Mutex::new(()),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave a half-applied write (every write is
        // applied by one insert or remove), so a poisoned lock is still consistent.
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn changed(&self) {
        self.dirty.store(true, Ordering::SeqCst);
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// A counter that moves on every change of the store.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Handles one request now.
    pub fn handle(&self, req: &PushRequest<'_>) -> PushResponse {
        self.handle_at(req, SystemTime::now())
    }

    /// Handles one request at `now`.
    pub fn handle_at(&self, req: &PushRequest<'_>, now: SystemTime) -> PushResponse {
        let now_ns = unix_ns(now);
        if req.path.starts_with("/metrics/") {
            return self.push_or_delete(req, now_ns);
        }
        let only = |method: &str, f: &dyn Fn() -> PushResponse| {
            if req.method == method {
                f()
            } else {
                PushResponse::error(405, "Method Not Allowed", false)
            }
        };
        match req.path {
            "/api/v1/metrics" => only("GET", &|| {
                let mut store = self.lock();
                self.expire_locked(&mut store, now_ns);
                PushResponse::json(&crate::json::metrics(&store))
            }),
            "/api/v1/status" => {
                only("GET", &|| PushResponse::json(&crate::json::status(&self.options.status_flags, self.start_ns)))
            }
            "/api/v1/admin/wipe" if self.options.admin_api => only("PUT", &|| {
                let n = self.lock().wipe();
                if n > 0 {
                    self.changed();
                }
                PushResponse::empty(202, n > 0)
            }),
            _ => PushResponse::error(404, "404 page not found", false),
        }
    }

    fn push_or_delete(&self, req: &PushRequest<'_>, now_ns: i64) -> PushResponse {
        let replace = match req.method {
            "PUT" => true,
            "POST" => false,
            "DELETE" => {
                return match grouping::parse_path(req.path) {
                    Ok(key) => {
                        let removed = self.lock().delete(&key);
                        if removed {
                            self.changed();
                        }
                        PushResponse::empty(202, removed)
                    }
                    Err(e) => key_error(e),
                };
            }
            _ => return PushResponse::error(405, "Method Not Allowed", false),
        };
        let key = match grouping::parse_path(req.path) {
            Ok(k) => k,
            Err(e) => return key_error(e),
        };
        let ttl = match req.ttl.map(str::trim) {
            None | Some("") => self.options.default_ttl,
            Some(s) => match pharos_protocol::duration::parse_duration(s) {
                Ok(d) if d.is_zero() => None,
                Ok(d) => Some(d),
                Err(e) => return PushResponse::error(400, format!("invalid {TTL_HEADER} header: {e}"), false),
            },
        };
        let families = match body::parse_body(req.content_type, req.content_encoding, req.body) {
            Ok(f) => f,
            Err(e) => return PushResponse::error(400, body_error_text(&e), false),
        };
        let expires_ns = ttl.map(|d| now_ns.saturating_add(i64::try_from(d.as_nanos()).unwrap_or(i64::MAX)));
        let mut store = self.lock();
        self.expire_locked(&mut store, now_ns);
        let result = store.push(&key, families, replace, now_ns, expires_ns);
        drop(store);
        // A failed check changes the group's failure time, so both outcomes are changes.
        self.changed();
        match result {
            Ok(()) => PushResponse::empty(200, true),
            Err(e) => PushResponse::error(
                400,
                format!("pushed metrics are invalid or inconsistent with existing metrics: {e}"),
                true,
            ),
        }
    }

    fn expire_locked(&self, store: &mut Store, now_ns: i64) -> usize {
        let n = store.expire(now_ns);
        if n > 0 {
            self.changed();
        }
        n
    }

    /// Removes the groups whose TTL has passed; how many.
    pub fn expire(&self, now: SystemTime) -> usize {
        let mut store = self.lock();
        self.expire_locked(&mut store, unix_ns(now))
    }

    /// Every sample of every live group, as a scrape with `honor_labels: true` would store it
    /// (expired groups are removed first).
    pub fn samples(&self, now: SystemTime) -> Vec<(Labels, f64)> {
        self.samples_by_group(now).into_values().flatten().collect()
    }

    /// [`samples`](Self::samples) by group.
    pub fn samples_by_group(&self, now: SystemTime) -> BTreeMap<GroupingKey, Vec<(Labels, f64)>> {
        let mut store = self.lock();
        self.expire_locked(&mut store, unix_ns(now));
        store.groups().map(|g| (g.key.clone(), group_samples(g))).collect()
    }

    /// The samples of one group (empty if it does not exist or has expired).
    pub fn group_samples(&self, key: &GroupingKey, now: SystemTime) -> Vec<(Labels, f64)> {
        let mut store = self.lock();
        self.expire_locked(&mut store, unix_ns(now));
        store.group(key).map(group_samples).unwrap_or_default()
    }

    /// A copy of the store (for tests and the agent's forwarding).
    pub fn snapshot(&self) -> Store {
        self.lock().clone()
    }

    /// Writes the store to the persistence file if it changed since the last write; whether it
    /// wrote. The store is encoded under the store's lock and written outside it. When it
    /// returns `Ok`, every change made before the call is on disk: callers that persist after
    /// each change get durability at the response, and concurrent changes share one write.
    pub fn persist(&self) -> Result<bool, PersistError> {
        let Some(path) = &self.options.persistence_file else { return Ok(false) };
        let _writer = self.persist_lock.lock().unwrap_or_else(|p| p.into_inner());
        if !self.dirty.swap(false, Ordering::SeqCst) {
            return Ok(false);
        }
        let bytes = persist::encode(&self.lock());
        if let Err(e) = persist::write_atomic(path, &bytes) {
            self.dirty.store(true, Ordering::SeqCst);
            return Err(e);
        }
        Ok(true)
    }
}

/// The response to a path that names no group: 404 for a path outside the routes, 400 with the
/// Pushgateway's message otherwise.
fn key_error(e: KeyError) -> PushResponse {
    match e {
        KeyError::NotFound => PushResponse::error(404, e, false),
        _ => PushResponse::error(400, e, false),
    }
}

fn group_samples(g: &Group) -> Vec<(Labels, f64)> {
    let mut out = Vec::new();
    for sf in g.families.values() {
        crate::series::expand(&sf.family, &mut out);
    }
    out
}

fn body_error_text(e: &BodyError) -> String {
    e.to_string()
}
