//! The ledger: the small file beside the segments that records how far the log has been
//! consumed. Segment files are only ever deleted after the ledger says they may be, so a crash
//! between the two steps leaves files that the next open deletes again rather than data that
//! comes back as unacknowledged or counters that are counted twice.
//!
//! Layout (68 bytes, little-endian): `[magic "PHLEDGER"][u32 version][u32 reserved]
//! [u64 buffer_id][u64 acked_seq][u64 dropped_through][u64 next_seq][u64 dropped_records]
//! [u64 dropped_samples][u32 crc32 of the preceding 64 bytes]`.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use super::segment::sync_dir;

/// File name of the ledger inside the buffer directory.
pub(crate) const LEDGER_FILE: &str = "ledger";
/// Temporary name the ledger is written under before being renamed into place.
pub(crate) const LEDGER_TMP_FILE: &str = "ledger.tmp";
const MAGIC: [u8; 8] = *b"PHLEDGER";
const VERSION: u32 = 1;
const LEN: usize = 68;

/// Durable consumption state of the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ledger {
    /// Names this sequence-number stream.
    pub buffer_id: u64,
    /// Highest acknowledged sequence number (0 if none).
    pub acked_seq: u64,
    /// Highest sequence number removed by the size cap (0 if none); nothing at or below it is
    /// read again.
    pub dropped_through: u64,
    /// Lower bound for the next sequence number, so that numbers are never reused even when the
    /// files holding the newest records are gone.
    pub next_seq: u64,
    /// Records dropped by the size cap, cumulative over the buffer's life.
    pub dropped_records: u64,
    /// Samples in those records.
    pub dropped_samples: u64,
}

impl Ledger {
    /// Ledger of a brand-new buffer.
    pub fn new(buffer_id: u64) -> Self {
        Ledger { buffer_id, acked_seq: 0, dropped_through: 0, next_seq: 1, dropped_records: 0, dropped_samples: 0 }
    }

    /// Everything at or below this sequence number is gone (acknowledged or dropped).
    pub fn floor(&self) -> u64 {
        self.acked_seq.max(self.dropped_through)
    }

    fn encode(&self) -> [u8; LEN] {
        let mut b = [0u8; LEN];
        b[0..8].copy_from_slice(&MAGIC);
        b[8..12].copy_from_slice(&VERSION.to_le_bytes());
        let fields = [
            self.buffer_id,
            self.acked_seq,
            self.dropped_through,
            self.next_seq,
            self.dropped_records,
            self.dropped_samples,
        ];
        for (i, v) in fields.iter().enumerate() {
            b[16 + i * 8..24 + i * 8].copy_from_slice(&v.to_le_bytes());
        }
        let crc = crc32fast::hash(&b[..LEN - 4]);
        b[LEN - 4..].copy_from_slice(&crc.to_le_bytes());
        b
    }

    fn decode(b: &[u8]) -> Result<Self, String> {
        if b.len() != LEN {
            return Err(format!("ledger is {} bytes, expected {LEN}", b.len()));
        }
        let crc = u32::from_le_bytes([b[LEN - 4], b[LEN - 3], b[LEN - 2], b[LEN - 1]]);
        if crc32fast::hash(&b[..LEN - 4]) != crc {
            return Err("ledger checksum mismatch".to_owned());
        }
        if b[0..8] != MAGIC {
            return Err("ledger has bad magic".to_owned());
        }
        let version = u32::from_le_bytes([b[8], b[9], b[10], b[11]]);
        if version != VERSION {
            return Err(format!("unsupported ledger version {version}"));
        }
        let field = |i: usize| {
            let mut v = [0u8; 8];
            v.copy_from_slice(&b[16 + i * 8..24 + i * 8]);
            u64::from_le_bytes(v)
        };
        Ok(Ledger {
            buffer_id: field(0),
            acked_seq: field(1),
            dropped_through: field(2),
            next_seq: field(3),
            dropped_records: field(4),
            dropped_samples: field(5),
        })
    }
}

/// Reads the ledger of `dir`: `Ok(None)` if there is none, `Ok(Some(Err(why)))` if it is damaged.
pub(crate) fn load(dir: &Path) -> io::Result<Option<Result<Ledger, String>>> {
    match fs::read(dir.join(LEDGER_FILE)) {
        Ok(bytes) => Ok(Some(Ledger::decode(&bytes))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Replaces the ledger atomically and durably: write a temporary file, fsync it, rename it over
/// the old one, fsync the directory. A crash at any point leaves either the old or the new ledger.
pub(crate) fn store(dir: &Path, ledger: &Ledger) -> io::Result<()> {
    let tmp = dir.join(LEDGER_TMP_FILE);
    let mut file = File::create(&tmp)?;
    file.write_all(&ledger.encode())?;
    file.sync_all()?;
    drop(file);
    fs::rename(&tmp, dir.join(LEDGER_FILE))?;
    sync_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage_detection() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        assert_eq!(load(dir.path())?, None);
        let ledger = Ledger {
            buffer_id: 0xdead_beef,
            acked_seq: 17,
            dropped_through: 9,
            next_seq: 30,
            dropped_records: 5,
            dropped_samples: 500,
        };
        store(dir.path(), &ledger)?;
        assert_eq!(load(dir.path())?, Some(Ok(ledger)));
        assert!(!dir.path().join(LEDGER_TMP_FILE).exists());
        let mut bytes = fs::read(dir.path().join(LEDGER_FILE))?;
        bytes[20] ^= 1;
        fs::write(dir.path().join(LEDGER_FILE), &bytes)?;
        assert!(matches!(load(dir.path())?, Some(Err(_))));
        Ok(())
    }
}
