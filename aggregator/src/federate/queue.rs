//! One endpoint's disk queue: the agent's segmented log (`pharos-buffer`: records with a CRC,
//! a ledger with the acknowledged sequence number, fsync policy, size cap with counted drops,
//! torn-tail recovery), holding the series to send as remote-write bodies (Snappy-compressed
//! `WriteRequest`s), so a record is sent as it is read back.
//!
//! A record is written (and, with `fsync = "always"`, fsynced) before the storage write that
//! produced it returns to its caller, and trimmed only once every one of its samples was answered
//! with a 2xx (or dropped for a non-retryable 4xx): what the aggregator stored is not lost for the
//! endpoint across a restart. Delivery is at least once: records in flight when the aggregator
//! stops are sent again after it starts.

use pharos_buffer::{BufferConfig, BufferError, BufferStats, DiskBuffer, FsyncPolicy, Record};
use pharos_protocol::remote::{self, RemoteLimits, TimeSeries, WriteRequest};
use pharos_protocol::Series;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Segment size of the queue's log.
const SEGMENT_BYTES: u64 = 16 * 1024 * 1024;

/// Limits for decoding our own records: only the size matters (they were encoded by us).
fn record_limits() -> RemoteLimits {
    RemoteLimits {
        max_compressed_bytes: usize::MAX,
        max_decompressed_bytes: usize::MAX,
        max_series: usize::MAX,
        max_samples: usize::MAX,
        max_labels_per_series: usize::MAX,
        max_label_name_len: usize::MAX,
        max_label_value_len: usize::MAX,
    }
}

/// Errors of the queue.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// The log failed.
    #[error("{0}")]
    Buffer(#[from] BufferError),
}

/// A record read back: its sequence number and series.
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedRecord {
    /// Sequence number in the log.
    pub seq: u64,
    /// The series, as queued (relabeled already).
    pub series: Vec<TimeSeries>,
    /// Samples in them.
    pub samples: u64,
    /// The record did not decode; `samples` is its header's count.
    pub corrupt: bool,
}

/// A disk queue of one endpoint.
pub struct DiskQueue {
    buffer: Mutex<DiskBuffer>,
    /// Samples in records not yet acknowledged (those found at open included).
    pending_samples: AtomicU64,
    /// Samples queued since start.
    queued_samples: AtomicU64,
    /// Wakes the reader when something was queued.
    notify: tokio::sync::Notify,
}

impl DiskQueue {
    /// Opens (or creates) the queue in `dir`, counting the samples still to send.
    pub fn open(dir: &Path, max_bytes: u64, fsync: FsyncPolicy) -> Result<Self, QueueError> {
        let cfg = BufferConfig { max_bytes, segment_bytes: SEGMENT_BYTES, fsync };
        let buffer = DiskBuffer::open(dir, cfg)?;
        let mut pending = 0u64;
        let mut from = buffer.acked_seq() + 1;
        loop {
            let records = buffer.read_from(from, 1024, 64 << 20)?;
            let Some(last) = records.last() else { break };
            from = last.seq + 1;
            pending += records.iter().map(|r| u64::from(r.samples)).sum::<u64>();
        }
        Ok(DiskQueue {
            buffer: Mutex::new(buffer),
            pending_samples: AtomicU64::new(pending),
            queued_samples: AtomicU64::new(0),
            notify: tokio::sync::Notify::new(),
        })
    }

    fn lock(&self) -> MutexGuard<'_, DiskBuffer> {
        pharos_buffer::lock_shared(&self.buffer)
    }

    /// Appends `series` (samples already in time order) as one record; nothing for an empty set.
    pub fn push(&self, series: &[Series]) -> Result<(), QueueError> {
        let samples: u64 = series.iter().map(|s| s.samples.len() as u64).sum();
        if samples == 0 {
            return Ok(());
        }
        let req = WriteRequest { timeseries: series.iter().map(TimeSeries::from_series).collect(), metadata: vec![] };
        let payload = remote::encode(&req);
        // The header's count is informational (pending and dropped samples); clamp a record of
        // more than 4 billion samples rather than fail it.
        let header_samples = u32::try_from(samples).unwrap_or(u32::MAX);
        {
            let mut b = self.lock();
            let seq = b.next_seq();
            b.append(seq, header_samples, &payload)?;
        }
        self.pending_samples.fetch_add(u64::from(header_samples), Ordering::Relaxed);
        self.queued_samples.fetch_add(samples, Ordering::Relaxed);
        self.notify.notify_one();
        Ok(())
    }

    /// Waits until something is pushed (or returns at once if a push happened since the last wait).
    pub async fn pushed(&self) {
        self.notify.notified().await;
    }

    /// Up to `max_records` records from `from_seq` on (or the oldest still present), decoded. A
    /// record that does not decode (damage the CRC missed) comes back `corrupt`, without series,
    /// so the sender can count and skip it instead of stopping at it.
    pub fn read_from(&self, from_seq: u64, max_records: usize) -> Result<Vec<QueuedRecord>, QueueError> {
        let raw: Vec<Record> = self.lock().read_from(from_seq, max_records, 32 << 20)?;
        let limits = record_limits();
        Ok(raw
            .into_iter()
            .map(|r| match remote::decode(&r.payload, &limits) {
                Ok(req) => {
                    let samples = req.timeseries.iter().map(|t| t.samples.len() as u64).sum();
                    QueuedRecord { seq: r.seq, series: req.timeseries, samples, corrupt: false }
                }
                Err(e) => {
                    tracing::error!(seq = r.seq, error = %e, "remote write queue: record does not decode; skipping it");
                    QueuedRecord { seq: r.seq, series: Vec::new(), samples: u64::from(r.samples), corrupt: true }
                }
            })
            .collect())
    }

    /// Everything up to `seq` was delivered: trims it from disk. `samples` is what those records
    /// held beyond the previous acknowledgement (for the pending gauge).
    pub fn ack(&self, seq: u64, samples: u64) -> Result<(), QueueError> {
        self.lock().ack(seq)?;
        let _ = self
            .pending_samples
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |p| Some(p.saturating_sub(samples)));
        Ok(())
    }

    /// The acknowledged sequence number.
    pub fn acked_seq(&self) -> u64 {
        self.lock().acked_seq()
    }

    /// The sequence number the next record gets.
    pub fn next_seq(&self) -> u64 {
        self.lock().next_seq()
    }

    /// Samples waiting to be delivered.
    pub fn pending_samples(&self) -> u64 {
        self.pending_samples.load(Ordering::Relaxed)
    }

    /// Samples queued since the process started.
    pub fn queued_samples(&self) -> u64 {
        self.queued_samples.load(Ordering::Relaxed)
    }

    /// The log's counters (bytes, records, drops by the size cap).
    pub fn stats(&self) -> BufferStats {
        self.lock().stats()
    }

    /// Fsyncs what the interval policy has not yet.
    pub fn sync(&self) -> Result<(), QueueError> {
        Ok(self.lock().sync()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pharos_protocol::{Labels, Sample};

    fn s(name: &str, ts: &[i64]) -> Series {
        Series {
            labels: Labels::from_pairs([("__name__", name)]),
            samples: ts.iter().map(|&t| Sample { timestamp_ms: t, value: t as f64 }).collect(),
        }
    }

    #[test]
    fn records_survive_reopen_until_acked() {
        let dir = tempfile::tempdir().unwrap();
        {
            let q = DiskQueue::open(dir.path(), 1 << 24, FsyncPolicy::Always).unwrap();
            q.push(&[s("a", &[1, 2]), s("b", &[3])]).unwrap();
            q.push(&[]).unwrap();
            q.push(&[s("a", &[4])]).unwrap();
            assert_eq!(q.pending_samples(), 4);
            let r = q.read_from(1, 10).unwrap();
            assert_eq!(r.len(), 2);
            assert_eq!(r[0].samples, 3);
            assert_eq!(r[0].series[1].labels[0].value, "b");
            q.ack(1, 3).unwrap();
            assert_eq!(q.pending_samples(), 1);
        }
        let q = DiskQueue::open(dir.path(), 1 << 24, FsyncPolicy::Always).unwrap();
        assert_eq!(q.pending_samples(), 1);
        assert_eq!(q.acked_seq(), 1);
        let r = q.read_from(q.acked_seq() + 1, 10).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].series[0].samples[0].timestamp, 4);
    }
}
