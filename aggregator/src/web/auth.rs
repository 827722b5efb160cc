//! Credential checks: `Authorization: Bearer <token>` and `Basic <user:password>` against the
//! bcrypt hashes of `[[http.credentials]]`.
//!
//! bcrypt is slow on purpose (tens of milliseconds at cost 10), too slow to run on every request
//! of a Grafana dashboard or a remote_write sender. So a secret that verified once is remembered
//! by its SHA-256 (never the secret itself) with the credential it matched; later requests with
//! it cost one hash and one map lookup. A secret that failed is remembered the same way, so a
//! client retrying a wrong token costs no more bcrypt. The bcrypt checks that do run are limited
//! to [`BCRYPT_SLOTS`] at a time on the blocking pool, so a flood of random tokens queues behind
//! them instead of taking every core. Both caches are bounded and start over when full.
//!
//! Timing: a cache lookup is keyed by a SHA-256 of the secret, so its timing tells nothing usable
//! about the secret; user names are compared in constant time against every Basic credential,
//! and an unknown user name still costs one bcrypt check, as a wrong password does.

use super::config::Credential;
use super::limits::TokenBucket;
use super::routes::Role;
use axum::http::HeaderValue;
use base64::Engine as _;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// bcrypt checks running at once.
pub const BCRYPT_SLOTS: usize = 2;
/// Entries each cache holds before it is cleared.
const CACHE_ENTRIES: usize = 4096;

/// A SHA-256 digest of a presented secret.
type Digest = [u8; 32];

/// One configured credential, ready for checks.
#[derive(Debug)]
pub struct Entry {
    /// Its name (for logs).
    pub name: String,
    /// What it may do.
    pub role: Role,
    secret: Secret,
    /// Its rate limit on write paths, if any.
    pub limiter: Option<Mutex<TokenBucket>>,
}

#[derive(Debug)]
enum Secret {
    Bearer { hash: String },
    Basic { username: String, hash: String },
}

/// The result of checking a request's `Authorization` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// No header, or a scheme we do not take.
    Missing,
    /// A credential that matches none configured.
    Invalid,
    /// The index of the matching credential in [`Authenticator::entry`].
    Valid(usize),
}

/// Checks credentials against the configured ones.
#[derive(Debug)]
pub struct Authenticator {
    entries: Vec<Entry>,
    verified: Mutex<HashMap<Digest, usize>>,
    failed: Mutex<HashSet<Digest>>,
    slots: Arc<Semaphore>,
}

/// A presented credential, parsed from the header.
enum Presented {
    Bearer(String),
    Basic { username: String, password: String },
}

impl Authenticator {
    /// From the configuration (already validated).
    pub fn new(credentials: &[Credential]) -> Self {
        let entries = credentials
            .iter()
            .map(|c| {
                let secret = match (&c.bearer_token_hash, &c.username, &c.password_hash) {
                    (Some(h), _, _) => Secret::Bearer { hash: h.clone() },
                    (None, Some(u), Some(h)) => Secret::Basic { username: u.clone(), hash: h.clone() },
                    // `HttpSection::validate` refuses this; a credential nobody can match.
                    _ => Secret::Bearer { hash: String::new() },
                };
                let limiter = c.rate_limit.map(|rate| {
                    let burst = c.rate_burst.unwrap_or_else(|| rate.ceil().max(1.0) as u32);
                    Mutex::new(TokenBucket::new(rate, burst))
                });
                Entry { name: c.name.clone(), role: c.role, secret, limiter }
            })
            .collect();
        Authenticator {
            entries,
            verified: Mutex::new(HashMap::new()),
            failed: Mutex::new(HashSet::new()),
            slots: Arc::new(Semaphore::new(BCRYPT_SLOTS)),
        }
    }

    /// The credential at `index` (from [`Outcome::Valid`]).
    pub fn entry(&self, index: usize) -> &Entry {
        &self.entries[index]
    }

    /// Whether any credential is a bearer token / a Basic user (for `WWW-Authenticate`).
    pub fn schemes(&self) -> (bool, bool) {
        let bearer = self.entries.iter().any(|e| matches!(e.secret, Secret::Bearer { .. }));
        let basic = self.entries.iter().any(|e| matches!(e.secret, Secret::Basic { .. }));
        (bearer, basic)
    }

    /// Checks an `Authorization` header.
    pub async fn authenticate(self: &Arc<Self>, header: Option<&HeaderValue>) -> Outcome {
        let Some(presented) = header.and_then(parse_header) else { return Outcome::Missing };
        let digest = digest_of(&presented);
        if let Some(&i) = lock(&self.verified).get(&digest) {
            return Outcome::Valid(i);
        }
        if lock(&self.failed).contains(&digest) {
            return Outcome::Invalid;
        }
        let Ok(_permit) = self.slots.clone().acquire_owned().await else { return Outcome::Invalid };
        let this = self.clone();
        let found = tokio::task::spawn_blocking(move || this.verify(&presented)).await.ok().flatten();
        match found {
            Some(i) => {
                insert_bounded(&mut lock(&self.verified), digest, i);
                Outcome::Valid(i)
            }
            None => {
                let mut failed = lock(&self.failed);
                if failed.len() >= CACHE_ENTRIES {
                    failed.clear();
                }
                failed.insert(digest);
                Outcome::Invalid
            }
        }
    }

    /// The bcrypt checks (blocking).
    fn verify(&self, presented: &Presented) -> Option<usize> {
        match presented {
            Presented::Bearer(token) => self.entries.iter().position(|e| match &e.secret {
                Secret::Bearer { hash } => bcrypt::verify(token, hash).unwrap_or(false),
                Secret::Basic { .. } => false,
            }),
            Presented::Basic { username, password } => {
                // Compare against every user name, without stopping at the first match.
                let mut matched = None;
                let mut first_basic = None;
                for (i, e) in self.entries.iter().enumerate() {
                    if let Secret::Basic { username: u, hash } = &e.secret {
                        first_basic.get_or_insert(hash);
                        if constant_time_eq(u.as_bytes(), username.as_bytes()) && matched.is_none() {
                            matched = Some((i, hash));
                        }
                    }
                }
                match matched {
                    Some((i, hash)) => bcrypt::verify(password, hash).unwrap_or(false).then_some(i),
                    None => {
                        // An unknown user costs a bcrypt check too, so timing does not tell
                        // which user names exist.
                        if let Some(hash) = first_basic {
                            let _ = bcrypt::verify(password, hash);
                        }
                        None
                    }
                }
            }
        }
    }
}

/// Locks a cache; a poisoned lock still holds a usable map (entries are inserted whole).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn insert_bounded(map: &mut HashMap<Digest, usize>, key: Digest, value: usize) {
    if map.len() >= CACHE_ENTRIES {
        map.clear();
    }
    map.insert(key, value);
}

/// `Bearer <token>` or `Basic <base64(user:password)>`, schemes case-insensitive.
fn parse_header(value: &HeaderValue) -> Option<Presented> {
    let text = value.to_str().ok()?.trim();
    let (scheme, rest) = text.split_once(' ')?;
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("bearer") {
        return (!rest.is_empty()).then(|| Presented::Bearer(rest.to_string()));
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD.decode(rest).ok()?;
        let decoded = String::from_utf8(decoded).ok()?;
        let (username, password) = decoded.split_once(':')?;
        return Some(Presented::Basic { username: username.to_string(), password: password.to_string() });
    }
    None
}

/// The cache key of a presented secret; the scheme is part of it, so a bearer token equal to a
/// `user:password` string never hits the other's entry.
fn digest_of(p: &Presented) -> Digest {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    match p {
        Presented::Bearer(t) => {
            ctx.update(b"bearer\0");
            ctx.update(t.as_bytes());
        }
        Presented::Basic { username, password } => {
            ctx.update(b"basic\0");
            ctx.update(&(username.len() as u64).to_be_bytes());
            ctx.update(username.as_bytes());
            ctx.update(password.as_bytes());
        }
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(ctx.finish().as_ref());
    out
}

/// Equality whose time depends on the lengths only, not on where the bytes differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cred(name: &str, role: Role, bearer: Option<&str>, basic: Option<(&str, &str)>) -> Credential {
        Credential {
            name: name.into(),
            role,
            bearer_token_hash: bearer.map(|t| bcrypt::hash(t, 4).expect("hash")),
            username: basic.map(|(u, _)| u.to_string()),
            password_hash: basic.map(|(_, p)| bcrypt::hash(p, 4).expect("hash")),
            rate_limit: None,
            rate_burst: None,
        }
    }

    fn header(s: &str) -> HeaderValue {
        HeaderValue::from_str(s).expect("header")
    }

    fn basic(user: &str, pass: &str) -> HeaderValue {
        header(&format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))))
    }

    #[tokio::test]
    async fn bearer_and_basic_match_their_credentials_and_nothing_else() {
        let a = Arc::new(Authenticator::new(&[
            cred("grafana", Role::Read, Some("tok-read"), None),
            cred("ops", Role::Admin, None, Some(("alice", "s3cret"))),
        ]));
        assert_eq!(a.authenticate(None).await, Outcome::Missing);
        assert_eq!(a.authenticate(Some(&header("Digest x"))).await, Outcome::Missing);
        assert_eq!(a.authenticate(Some(&header("Bearer tok-read"))).await, Outcome::Valid(0));
        // Second time from the cache, same answer.
        assert_eq!(a.authenticate(Some(&header("bearer tok-read"))).await, Outcome::Valid(0));
        assert_eq!(a.authenticate(Some(&header("Bearer tok-wrong"))).await, Outcome::Invalid);
        assert_eq!(a.authenticate(Some(&header("Bearer tok-wrong"))).await, Outcome::Invalid);
        assert_eq!(a.authenticate(Some(&basic("alice", "s3cret"))).await, Outcome::Valid(1));
        assert_eq!(a.authenticate(Some(&basic("alice", "nope"))).await, Outcome::Invalid);
        assert_eq!(a.authenticate(Some(&basic("bob", "s3cret"))).await, Outcome::Invalid);
        // A bearer token spelled like the Basic pair is not the Basic credential.
        assert_eq!(a.authenticate(Some(&header("Bearer alice:s3cret"))).await, Outcome::Invalid);
        assert_eq!(a.entry(1).name, "ops");
        assert_eq!(a.schemes(), (true, true));
    }

    #[test]
    fn constant_time_eq_compares_bytes_and_lengths() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(constant_time_eq(b"", b""));
    }
}
