//! The enrollment token store: `<data_dir>/enroll/tokens`, one JSON file shared by the CLI
//! (`pharos-aggregator token create|list|revoke`) and the running server, which re-reads it on
//! every enrollment.
//!
//! Only the SHA-256 of each token's secret is stored. Every read-modify-write holds an exclusive
//! `flock` on `tokens.lock` next to it, and the file is replaced atomically (temporary file,
//! fsync, rename), so a token is redeemed at most once even by concurrent enrollments, in one
//! process or several.

use pharos_protocol::enroll::{hex, sha256_hex, RefusalCode, TOKEN_PREFIX};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Bytes of a token's id (hex in the token text).
const ID_BYTES: usize = 6;
/// Bytes of a token's secret: 160 bits.
const SECRET_BYTES: usize = 20;
/// Tokens kept at most; `create` refuses beyond it (expired and used ones are pruned first).
pub const MAX_TOKENS: usize = 10_000;
/// Used, expired or revoked tokens are kept this long for `token list` and for the clear
/// "already used" / "expired" messages, then dropped.
const KEEP_FINISHED_SECS: i64 = 30 * 24 * 3600;
/// The largest token file read (10,000 tokens take about 3 MB).
const MAX_FILE_BYTES: u64 = 16 << 20;

/// Errors of the token store, and the refusals of a redemption.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// A file could not be read, written or locked.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The token file does not parse.
    #[error("{path}: corrupt token file: {reason}")]
    Corrupt {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// No such token, or a wrong secret.
    #[error("unknown token")]
    Unknown,
    /// The token was redeemed already.
    #[error("token already used (by {by} at {at})")]
    AlreadyUsed {
        /// The agent that used it.
        by: String,
        /// When (RFC 3339).
        at: String,
    },
    /// The token expired.
    #[error("token expired at {0}")]
    Expired(String),
    /// The token was revoked.
    #[error("token revoked at {0}")]
    Revoked(String),
    /// The token is bound to another agent name.
    #[error("token is for agent {bound:?}, not {asked:?}")]
    NameMismatch {
        /// The name it was created for.
        bound: String,
        /// The name asked for.
        asked: String,
    },
    /// `revoke` of an id that does not exist.
    #[error("no token with id {0:?}")]
    NoSuchId(String),
    /// Too many live tokens.
    #[error("too many tokens ({MAX_TOKENS}); revoke unused ones first")]
    Full,
    /// The certificate could not be issued (the token stays unused).
    #[error("issuing the certificate: {0}")]
    Issue(String),
}

impl TokenError {
    /// The code sent to the agent.
    pub fn code(&self) -> RefusalCode {
        match self {
            TokenError::Unknown | TokenError::NoSuchId(_) => RefusalCode::UnknownToken,
            TokenError::AlreadyUsed { .. } => RefusalCode::AlreadyUsed,
            TokenError::Expired(_) => RefusalCode::Expired,
            TokenError::Revoked(_) => RefusalCode::Revoked,
            TokenError::NameMismatch { .. } => RefusalCode::NameMismatch,
            TokenError::Io { .. } | TokenError::Corrupt { .. } | TokenError::Full | TokenError::Issue(_) => {
                RefusalCode::Unavailable
            }
        }
    }
}

/// One token as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// Public id (hex), the middle part of the token text.
    pub id: String,
    /// SHA-256 (hex) of the secret part.
    pub secret_sha256: String,
    /// The only agent name it may enroll, if bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Creation time, Unix seconds.
    pub created: i64,
    /// Expiry time, Unix seconds.
    pub expires: i64,
    /// When it was redeemed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_at: Option<i64>,
    /// The agent name it enrolled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_by: Option<String>,
    /// When it was revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<i64>,
}

impl TokenRecord {
    /// `unused`, `used by … at …`, `expired`, `revoked` at time `now`.
    pub fn state(&self, now: i64) -> String {
        match (self.revoked_at, self.used_at, &self.used_by) {
            (Some(t), _, _) => format!("revoked {}", rfc3339(t)),
            (None, Some(t), by) => format!("used by {} {}", by.as_deref().unwrap_or("?"), rfc3339(t)),
            _ if now >= self.expires => "expired".into(),
            _ => "unused".into(),
        }
    }

    fn finished_at(&self) -> i64 {
        self.expires.max(self.used_at.unwrap_or(i64::MIN)).max(self.revoked_at.unwrap_or(i64::MIN))
    }
}

/// A newly created token.
#[derive(Debug, Clone)]
pub struct NewToken {
    /// The token text, `pharos1.<id>.<secret>`: shown once, never stored.
    pub text: String,
    /// Its record.
    pub record: TokenRecord,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct TokenFile {
    tokens: Vec<TokenRecord>,
}

/// Unix seconds as RFC 3339 UTC.
pub fn rfc3339(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| secs.to_string())
}

/// The current time, Unix seconds.
pub fn now_secs() -> i64 {
    crate::now_ms() / 1000
}

/// The token store in one directory.
#[derive(Debug, Clone)]
pub struct TokenStore {
    dir: PathBuf,
}

/// Holds the store's exclusive lock until dropped (closing the descriptor releases the flock).
struct Lock(#[allow(dead_code)] std::fs::File);

impl TokenStore {
    /// The store in `dir` (normally `<data_dir>/enroll`), created on first write.
    pub fn new(dir: &Path) -> TokenStore {
        TokenStore { dir: dir.to_path_buf() }
    }

    /// The token file.
    pub fn path(&self) -> PathBuf {
        self.dir.join("tokens")
    }

    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> TokenError + '_ {
        move |source| TokenError::Io { path: path.display().to_string(), source }
    }

    fn lock(&self) -> Result<Lock, TokenError> {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        use std::os::unix::io::AsRawFd;
        if !self.dir.exists() {
            std::fs::DirBuilder::new().recursive(true).mode(0o700).create(&self.dir).map_err(Self::io(&self.dir))?;
            // `mode` applies to the last component only if umask allows; make sure.
            std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o700)).map_err(Self::io(&self.dir))?;
        }
        let path = self.dir.join("tokens.lock");
        let f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(&path)
            .map_err(Self::io(&path))?;
        loop {
            // SAFETY: flock on a descriptor we own; no memory is passed.
            let rc = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX) };
            if rc == 0 {
                return Ok(Lock(f));
            }
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                return Err(TokenError::Io { path: path.display().to_string(), source: e });
            }
        }
    }

    fn load(&self) -> Result<TokenFile, TokenError> {
        use std::io::Read;
        let path = self.path();
        let f = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(TokenFile::default()),
            Err(e) => return Err(TokenError::Io { path: path.display().to_string(), source: e }),
        };
        let mut text = String::new();
        f.take(MAX_FILE_BYTES + 1).read_to_string(&mut text).map_err(Self::io(&path))?;
        if text.len() as u64 > MAX_FILE_BYTES {
            return Err(TokenError::Corrupt {
                path: path.display().to_string(),
                reason: format!("larger than {MAX_FILE_BYTES} bytes"),
            });
        }
        serde_json::from_str(&text)
            .map_err(|e| TokenError::Corrupt { path: path.display().to_string(), reason: e.to_string() })
    }

    fn save(&self, file: &TokenFile) -> Result<(), TokenError> {
        use std::io::Write;
        let path = self.path();
        let tmp = self.dir.join("tokens.tmp");
        let text = serde_json::to_vec_pretty(file)
            .map_err(|e| TokenError::Corrupt { path: path.display().to_string(), reason: e.to_string() })?;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(Self::io(&tmp))?;
        f.write_all(&text).map_err(Self::io(&tmp))?;
        f.sync_all().map_err(Self::io(&tmp))?;
        std::fs::rename(&tmp, &path).map_err(Self::io(&path))?;
        // The rename is durable once the directory is synced.
        std::fs::File::open(&self.dir).and_then(|d| d.sync_all()).map_err(Self::io(&self.dir))
    }

    fn prune(file: &mut TokenFile, now: i64) {
        file.tokens.retain(|t| t.finished_at() >= now - KEEP_FINISHED_SECS);
    }

    /// Creates a token valid for `ttl_secs` from `now`, optionally bound to agent `name`.
    pub fn create(&self, ttl_secs: i64, name: Option<String>, now: i64) -> Result<NewToken, TokenError> {
        let _lock = self.lock()?;
        let mut file = self.load()?;
        Self::prune(&mut file, now);
        if file.tokens.len() >= MAX_TOKENS {
            return Err(TokenError::Full);
        }
        let mut rng = rand::rng();
        let (mut id, mut secret) = ([0u8; ID_BYTES], [0u8; SECRET_BYTES]);
        // A fresh id: collisions are all but impossible, but cheap to rule out.
        loop {
            rng.fill_bytes(&mut id);
            if !file.tokens.iter().any(|t| t.id == hex(&id)) {
                break;
            }
        }
        rng.fill_bytes(&mut secret);
        let (id, secret) = (hex(&id), hex(&secret));
        let record = TokenRecord {
            id: id.clone(),
            secret_sha256: sha256_hex(secret.as_bytes()),
            name,
            created: now,
            expires: now.saturating_add(ttl_secs),
            used_at: None,
            used_by: None,
            revoked_at: None,
        };
        file.tokens.push(record.clone());
        self.save(&file)?;
        Ok(NewToken { text: format!("{TOKEN_PREFIX}.{id}.{secret}"), record })
    }

    /// Every stored token.
    pub fn list(&self) -> Result<Vec<TokenRecord>, TokenError> {
        let _lock = self.lock()?;
        Ok(self.load()?.tokens)
    }

    /// Revokes token `id` (an unused one can then no longer enroll).
    pub fn revoke(&self, id: &str, now: i64) -> Result<TokenRecord, TokenError> {
        let _lock = self.lock()?;
        let mut file = self.load()?;
        let t = file.tokens.iter_mut().find(|t| t.id == id).ok_or_else(|| TokenError::NoSuchId(id.to_string()))?;
        if t.revoked_at.is_none() {
            t.revoked_at = Some(now);
        }
        let out = t.clone();
        self.save(&file)?;
        Ok(out)
    }

    /// Redeems `token` for agent `name` at `now`: checks it (exists, right secret, not revoked,
    /// not used, not expired, bound to `name` if bound), runs `issue` while holding the lock, and
    /// only if that succeeds marks the token used, durably, before returning `issue`'s result.
    pub fn redeem<T>(
        &self,
        token: &str,
        name: &str,
        now: i64,
        issue: impl FnOnce() -> Result<T, String>,
    ) -> Result<(TokenRecord, T), TokenError> {
        let (id, secret) = parse_token(token).ok_or(TokenError::Unknown)?;
        let _lock = self.lock()?;
        let mut file = self.load()?;
        let t = file.tokens.iter_mut().find(|t| t.id == id).ok_or(TokenError::Unknown)?;
        if t.secret_sha256 != sha256_hex(secret.as_bytes()) {
            return Err(TokenError::Unknown);
        }
        if let Some(at) = t.revoked_at {
            return Err(TokenError::Revoked(rfc3339(at)));
        }
        if let Some(at) = t.used_at {
            return Err(TokenError::AlreadyUsed { by: t.used_by.clone().unwrap_or_default(), at: rfc3339(at) });
        }
        if now >= t.expires {
            return Err(TokenError::Expired(rfc3339(t.expires)));
        }
        if let Some(bound) = &t.name {
            if bound != name {
                return Err(TokenError::NameMismatch { bound: bound.clone(), asked: name.to_string() });
            }
        }
        let issued = issue().map_err(TokenError::Issue)?;
        t.used_at = Some(now);
        t.used_by = Some(name.to_string());
        let record = t.clone();
        Self::prune(&mut file, now);
        self.save(&file)?;
        Ok((record, issued))
    }
}

/// Splits `pharos1.<id>.<secret>` (surrounding whitespace ignored) into id and secret.
pub fn parse_token(token: &str) -> Option<(&str, &str)> {
    let mut parts = token.trim().splitn(3, '.');
    let (prefix, id, secret) = (parts.next()?, parts.next()?, parts.next()?);
    let hexish = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    (prefix == TOKEN_PREFIX && hexish(id, ID_BYTES * 2) && hexish(secret, SECRET_BYTES * 2)).then_some((id, secret))
}

/// Parses a TTL such as `1h`, `30m`, `7d` (Prometheus duration notation) into whole seconds (at
/// least one).
pub fn parse_ttl(s: &str) -> Result<i64, String> {
    let d = pharos_protocol::duration::parse_duration(s).map_err(|e| e.to_string())?;
    let secs = i64::try_from(d.as_secs()).map_err(|e| e.to_string())?;
    if secs < 1 {
        return Err(format!("TTL {s:?} is shorter than one second"));
    }
    Ok(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok() -> Result<&'static str, String> {
        Ok("cert")
    }

    #[test]
    fn a_token_enrolls_once() {
        let d = tempfile::tempdir().unwrap();
        let store = TokenStore::new(&d.path().join("enroll"));
        let t = store.create(3600, None, 1000).unwrap();
        assert!(parse_token(&t.text).is_some(), "{}", t.text);
        assert!(!std::fs::read_to_string(store.path()).unwrap().contains(t.text.rsplit('.').next().unwrap()));
        let (rec, cert) = store.redeem(&t.text, "web-1", 1001, ok).unwrap();
        assert_eq!((cert, rec.used_by.as_deref()), ("cert", Some("web-1")));
        let e = store.redeem(&t.text, "web-2", 1002, ok).unwrap_err();
        assert_eq!(e.to_string(), format!("token already used (by web-1 at {})", rfc3339(1001)));
        assert_eq!(e.code(), RefusalCode::AlreadyUsed);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(store.path()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn unknown_wrong_secret_expired_revoked_and_bound_tokens_are_refused() {
        let d = tempfile::tempdir().unwrap();
        let store = TokenStore::new(d.path());
        let t = store.create(60, None, 1000).unwrap();
        assert!(matches!(store.redeem("garbage", "a", 1001, ok), Err(TokenError::Unknown)));
        let (id, _) = parse_token(&t.text).unwrap();
        let wrong = format!("{TOKEN_PREFIX}.{id}.{}", "0".repeat(SECRET_BYTES * 2));
        assert!(matches!(store.redeem(&wrong, "a", 1001, ok), Err(TokenError::Unknown)));
        let e = store.redeem(&t.text, "a", 1060, ok).unwrap_err();
        assert_eq!(e.to_string(), format!("token expired at {}", rfc3339(1060)));
        let r = store.create(60, None, 1000).unwrap();
        store.revoke(&r.record.id, 1001).unwrap();
        assert!(matches!(store.redeem(&r.text, "a", 1002, ok), Err(TokenError::Revoked(_))));
        assert!(matches!(store.revoke("nope", 1), Err(TokenError::NoSuchId(_))));
        let b = store.create(60, Some("db-1".into()), 1000).unwrap();
        let e = store.redeem(&b.text, "db-2", 1001, ok).unwrap_err();
        assert_eq!(e.code(), RefusalCode::NameMismatch, "{e}");
        // A failed issuance leaves the token usable.
        assert!(matches!(
            store.redeem(&b.text, "db-1", 1001, || Err::<(), _>("no CA".into())),
            Err(TokenError::Issue(_))
        ));
        store.redeem(&b.text, "db-1", 1002, ok).unwrap();
        let states: Vec<String> = store.list().unwrap().iter().map(|t| t.state(2000)).collect();
        assert_eq!(states.len(), 3);
        assert!(states[0] == "expired" && states[1].starts_with("revoked") && states[2].starts_with("used by db-1"));
    }

    #[test]
    fn concurrent_redemptions_succeed_exactly_once() {
        let d = tempfile::tempdir().unwrap();
        let store = TokenStore::new(d.path());
        let t = store.create(3600, None, 1000).unwrap();
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let (store, text) = (store.clone(), t.text.clone());
                std::thread::spawn(move || store.redeem(&text, &format!("a{i}"), 1001, ok).is_ok())
            })
            .collect();
        let wins = handles.into_iter().map(|h| h.join().unwrap()).filter(|w| *w).count();
        assert_eq!(wins, 1);
    }

    #[test]
    fn old_finished_tokens_are_pruned_and_ttls_parse() {
        let d = tempfile::tempdir().unwrap();
        let store = TokenStore::new(d.path());
        store.create(1, None, 0).unwrap();
        store.create(3600, None, KEEP_FINISHED_SECS + 10).unwrap();
        assert_eq!(store.list().unwrap().len(), 1);
        assert_eq!(parse_ttl("1h").unwrap(), 3600);
        assert_eq!(parse_ttl("1s").unwrap(), 1);
        assert!(parse_ttl("0").is_err() && parse_ttl("soon").is_err());
    }
}
