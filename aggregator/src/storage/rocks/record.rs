//! The payload of one WAL record: the series an append created, its samples by series id, and
//! the stream checkpoint it carried.
//!
//! ```text
//! u8 version (1)
//! varint n, n × (u64 id, varint len, agent, varint len, encoded labels)   new series
//! varint n, n × (u64 id, varint count, zigzag t0, count-1 × zigzag Δt,     samples
//!               count × u64 LE value bits)
//! u8 has_checkpoint, [varint len, stream, u64 seq]
//! ```

use super::keys;
use crate::storage::chunk::{put_varint, unzigzag, zigzag, ByteReader, ChunkError};
use crate::storage::{Checkpoint, StorageError};
use pharos_protocol::{Labels, Sample};

const VERSION: u8 = 1;

/// A series created by an append.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NewSeries {
    pub id: u64,
    pub agent: String,
    pub labels: Labels,
}

/// A decoded record.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Record {
    pub created: Vec<NewSeries>,
    pub samples: Vec<(u64, Vec<Sample>)>,
    pub checkpoint: Option<Checkpoint>,
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put_varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

/// Encodes a record from borrowed parts (the append path does not copy samples).
pub(crate) fn encode<'a>(
    created: &[(u64, &str, &Labels)],
    samples: impl ExactSizeIterator<Item = (u64, &'a [Sample])>,
    checkpoint: Option<&Checkpoint>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + samples.len() * 32);
    out.push(VERSION);
    put_varint(&mut out, created.len() as u64);
    for (id, agent, labels) in created {
        out.extend_from_slice(&id.to_le_bytes());
        put_bytes(&mut out, agent.as_bytes());
        put_bytes(&mut out, &keys::encode_labels(labels));
    }
    put_varint(&mut out, samples.len() as u64);
    for (id, ss) in samples {
        out.extend_from_slice(&id.to_le_bytes());
        put_varint(&mut out, ss.len() as u64);
        let mut prev = 0i64;
        for s in ss {
            put_varint(&mut out, zigzag(s.timestamp_ms.wrapping_sub(prev)));
            prev = s.timestamp_ms;
        }
        for s in ss {
            out.extend_from_slice(&s.value.to_bits().to_le_bytes());
        }
    }
    match checkpoint {
        Some(cp) => {
            out.push(1);
            put_bytes(&mut out, cp.stream.as_bytes());
            out.extend_from_slice(&cp.seq.to_le_bytes());
        }
        None => out.push(0),
    }
    out
}

struct Reader<'a>(ByteReader<'a>);

fn corrupt(what: &str) -> StorageError {
    StorageError::Corrupt(format!("wal record: {what}"))
}

fn read_error(e: ChunkError) -> StorageError {
    corrupt(&e.to_string())
}

impl<'a> Reader<'a> {
    fn u8(&mut self) -> Result<u8, StorageError> {
        self.0.u8().map_err(read_error)
    }

    fn u64(&mut self) -> Result<u64, StorageError> {
        self.0.u64_le().map_err(read_error)
    }

    fn varint(&mut self) -> Result<u64, StorageError> {
        self.0.varint().map_err(read_error)
    }

    /// A count of items each at least `min_bytes` long: bounded by what is left.
    fn count(&mut self, min_bytes: usize) -> Result<usize, StorageError> {
        let n = self.varint()?;
        if n.saturating_mul(min_bytes as u64) > self.0.remaining() as u64 {
            return Err(corrupt("count larger than the record"));
        }
        Ok(n as usize)
    }

    fn bytes(&mut self) -> Result<&'a [u8], StorageError> {
        let n = self.count(1)?;
        self.0.take(n).map_err(read_error)
    }

    fn string(&mut self) -> Result<String, StorageError> {
        String::from_utf8(self.bytes()?.to_vec()).map_err(|_| corrupt("string not UTF-8"))
    }
}

/// Decodes a record.
pub(crate) fn decode(data: &[u8]) -> Result<Record, StorageError> {
    let mut r = Reader(ByteReader::new(data));
    if r.u8()? != VERSION {
        return Err(corrupt("unknown version"));
    }
    let mut rec = Record::default();
    for _ in 0..r.count(10)? {
        let id = r.u64()?;
        let agent = r.string()?;
        let labels = keys::decode_labels(r.bytes()?)?;
        rec.created.push(NewSeries { id, agent, labels });
    }
    for _ in 0..r.count(9)? {
        let id = r.u64()?;
        let n = r.count(9)?;
        let mut ts = Vec::with_capacity(n);
        let mut prev = 0i64;
        for _ in 0..n {
            prev = prev.wrapping_add(unzigzag(r.varint()?));
            ts.push(prev);
        }
        let mut ss = Vec::with_capacity(n);
        for t in ts {
            ss.push(Sample { timestamp_ms: t, value: f64::from_bits(r.u64()?) });
        }
        rec.samples.push((id, ss));
    }
    if r.u8()? == 1 {
        let stream = r.string()?;
        let seq = r.u64()?;
        rec.checkpoint = Some(Checkpoint { stream, seq });
    }
    if r.0.remaining() != 0 {
        return Err(corrupt("trailing bytes"));
    }
    Ok(rec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let labels = Labels::from_pairs([("__name__", "up"), ("job", "x")]);
        let ss = [Sample { timestamp_ms: -3, value: 1.5 }, Sample { timestamp_ms: 7, value: f64::NAN }];
        let cp = Checkpoint { stream: "host/1".into(), seq: 9 };
        let bytes = encode(&[(42, "host", &labels)], [(42u64, &ss[..])].into_iter(), Some(&cp));
        let rec = decode(&bytes).unwrap();
        assert_eq!(rec.created, vec![NewSeries { id: 42, agent: "host".into(), labels }]);
        assert_eq!(rec.samples.len(), 1);
        assert_eq!(rec.samples[0].1[0], ss[0]);
        assert!(rec.samples[0].1[1].value.is_nan());
        assert_eq!(rec.checkpoint, Some(cp));
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_err());
        }
    }
}
