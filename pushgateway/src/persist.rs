//! The persistence file: the whole store as one protobuf message after a magic line, written
//! atomically (temporary file, fsync, rename, fsync of the directory), so a crash leaves either
//! the previous or the new file, never a torn one.

use crate::grouping::GroupingKey;
use crate::proto::{LabelPair, MetricFamily};
use crate::store::{Group, Store, StoredFamily};
use prost::Message;
use std::io::Write;
use std::path::Path;

/// First bytes of the file: format name and version.
const MAGIC: &[u8] = b"pharos-pushgateway-store 1\n";

/// A persisted family with its write time.
#[derive(Clone, PartialEq, Message)]
struct PersistedFamily {
    #[prost(message, optional, tag = "1")]
    family: Option<MetricFamily>,
    #[prost(int64, tag = "2")]
    written_ns: i64,
}

/// A persisted group.
#[derive(Clone, PartialEq, Message)]
struct PersistedGroup {
    #[prost(message, repeated, tag = "1")]
    key: Vec<LabelPair>,
    #[prost(message, repeated, tag = "2")]
    families: Vec<PersistedFamily>,
    #[prost(int64, optional, tag = "3")]
    expires_ns: Option<i64>,
}

/// The file's message.
#[derive(Clone, PartialEq, Message)]
struct PersistedStore {
    #[prost(message, repeated, tag = "1")]
    groups: Vec<PersistedGroup>,
}

/// Why the store could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum PersistError {
    /// A file operation failed.
    #[error("{what} {path}: {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// The file is not a store file or is damaged.
    #[error("{path}: not a valid pushgateway store file: {reason}")]
    Corrupt {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}

/// Serialises the store.
pub fn encode(store: &Store) -> Vec<u8> {
    let groups = store
        .groups()
        .map(|g| PersistedGroup {
            key: g.key.iter().map(|(n, v)| LabelPair::new(n, v)).collect(),
            families: g
                .families
                .values()
                .map(|f| PersistedFamily { family: Some(f.family.clone()), written_ns: f.written_ns })
                .collect(),
            expires_ns: g.expires_ns,
        })
        .collect();
    let mut out = MAGIC.to_vec();
    // Encoding into a Vec cannot fail.
    let _ = PersistedStore { groups }.encode(&mut out);
    out
}

/// Parses a serialised store.
pub fn decode(bytes: &[u8]) -> Result<Store, String> {
    let body = bytes.strip_prefix(MAGIC).ok_or("missing or unknown header")?;
    let persisted = PersistedStore::decode(body).map_err(|e| e.to_string())?;
    let mut store = Store::new();
    for g in persisted.groups {
        let key: GroupingKey = g.key.iter().map(|l| (l.name().to_string(), l.value().to_string())).collect();
        if key.get("job").is_none_or(String::is_empty) {
            return Err("a group without a job".into());
        }
        let families = g
            .families
            .into_iter()
            .filter_map(|f| {
                let family = f.family?;
                Some((family.name().to_string(), StoredFamily { family, written_ns: f.written_ns }))
            })
            .collect();
        store.restore_group(Group { key, families, expires_ns: g.expires_ns });
    }
    Ok(store)
}

/// Loads the store from `path`; a missing file is an empty store.
pub fn load(path: &Path) -> Result<Store, PersistError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Store::new()),
        Err(source) => return Err(PersistError::Io { what: "reading", path: path.display().to_string(), source }),
    };
    decode(&bytes).map_err(|reason| PersistError::Corrupt { path: path.display().to_string(), reason })
}

/// Writes `bytes` to `path` atomically and durably.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), PersistError> {
    let io = |what: &'static str, p: &Path| {
        let p = p.display().to_string();
        move |source| PersistError::Io { what, path: p, source }
    };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io("creating", dir))?;
    let mut tmp_name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    tmp_name.push(".tmp");
    let tmp = dir.join(tmp_name);
    let mut f = std::fs::File::create(&tmp).map_err(io("creating", &tmp))?;
    f.write_all(bytes).map_err(io("writing", &tmp))?;
    f.sync_all().map_err(io("syncing", &tmp))?;
    drop(f);
    std::fs::rename(&tmp, path).map_err(io("renaming to", path))?;
    // The rename is durable once the directory is synced.
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io("syncing", dir))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::parse_body;

    #[test]
    fn round_trip_through_a_file() {
        let mut s = Store::new();
        let key: GroupingKey =
            [("job", "j"), ("empty", "")].iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        let fams =
            parse_body(None, None, b"# HELP x X.\n# TYPE x histogram\nx_bucket{le=\"1\"} 1\nx_sum NaN\nx_count 1\n")
                .unwrap();
        s.push(&key, fams, true, 1_700_000_000_000_000_000, Some(1_800_000_000_000_000_000)).unwrap();
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join("sub/store.pb");
        write_atomic(&path, &encode(&s)).unwrap();
        let back = load(&path).unwrap();
        // NaN != NaN, so compare the encodings.
        assert_eq!(encode(&back), encode(&s));
        assert_eq!(back.group(&key).unwrap().expires_ns, Some(1_800_000_000_000_000_000));
        assert!(load(&d.path().join("missing")).unwrap().is_empty());
        std::fs::write(&path, b"garbage").unwrap();
        assert!(matches!(load(&path), Err(PersistError::Corrupt { .. })));
        let mut bad = MAGIC.to_vec();
        bad.extend_from_slice(&[0x0a, 0x05, 0xff]);
        std::fs::write(&path, &bad).unwrap();
        assert!(matches!(load(&path), Err(PersistError::Corrupt { .. })));
    }
}
