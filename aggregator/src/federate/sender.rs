//! Sends one endpoint's disk queue: a reader walks the queue's records in order and hands each
//! series to the shard its labels hash to; each shard gathers up to `max_samples_per_send` samples
//! (or what came within `batch_send_deadline`), sends them, and retries with exponential backoff
//! (`min_backoff` doubling up to `max_backoff`, or the server's `Retry-After`) until the endpoint
//! answers with a 2xx or a non-retryable status. A shard sends one request at a time, so every
//! series reaches the endpoint in order.
//!
//! A record is acknowledged in the queue (and trimmed from disk) once all its pieces are done,
//! and only as part of the done prefix of the queue: the ack never passes a record still in flight.
//! Read-ahead is bounded by `capacity × shards` samples in memory.

use super::client::{RemoteClient, SendError};
use super::config::QueueConfig;
use super::queue::QueuedRecord;
use super::Endpoint;
use pharos_protocol::remote::{self, TimeSeries, WriteRequest};
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tracing::{debug, warn};

/// Records read from disk at once.
const READ_RECORDS: usize = 64;
/// How long the reader sleeps when the queue is empty and nothing wakes it.
const IDLE_POLL: Duration = Duration::from_secs(1);

/// The part of one record that goes to one shard.
struct Piece {
    seq: u64,
    series: Vec<TimeSeries>,
    samples: usize,
    _permit: OwnedSemaphorePermit,
}

/// Which records are done; computes the acknowledgeable prefix.
#[derive(Default)]
struct Tracker {
    /// Records handed to shards and not yet acknowledged: pieces left, samples.
    records: BTreeMap<u64, (usize, u64)>,
}

impl Tracker {
    fn register(&mut self, seq: u64, pieces: usize, samples: u64) {
        self.records.insert(seq, (pieces, samples));
    }

    /// One piece of `seq` is done; returns the new acknowledgement point and the samples it
    /// covers if the done prefix grew.
    fn complete(&mut self, seq: u64) -> Option<(u64, u64)> {
        if let Some(r) = self.records.get_mut(&seq) {
            r.0 = r.0.saturating_sub(1);
        }
        self.take_done_prefix()
    }

    fn take_done_prefix(&mut self) -> Option<(u64, u64)> {
        let mut ack = None;
        let mut samples = 0;
        while let Some((&seq, &(left, n))) = self.records.first_key_value() {
            if left > 0 {
                break;
            }
            self.records.remove(&seq);
            ack = Some(seq);
            samples += n;
        }
        ack.map(|a| (a, samples))
    }
}

/// Shared by the reader and the shards of one endpoint.
struct Shared {
    endpoint: Arc<Endpoint>,
    client: RemoteClient,
    cfg: QueueConfig,
    tracker: Mutex<Tracker>,
}

impl Shared {
    /// Marks a piece done and acknowledges what became the done prefix.
    async fn complete(&self, seq: u64) {
        let done = self.tracker.lock().unwrap_or_else(|p| p.into_inner()).complete(seq);
        if let Some((ack, samples)) = done {
            self.ack(ack, samples).await;
        }
    }

    async fn ack(&self, seq: u64, samples: u64) {
        let queue = self.endpoint.queue.clone();
        match tokio::task::spawn_blocking(move || queue.ack(seq, samples)).await {
            Ok(Ok(())) => {}
            // The records stay on disk and are sent again after a restart: at least once.
            Ok(Err(e)) => {
                warn!(endpoint = %self.endpoint.name, error = %e, "remote write: acknowledging the queue failed")
            }
            Err(e) => warn!(endpoint = %self.endpoint.name, error = %e, "remote write: queue ack task failed"),
        }
    }
}

/// Starts the reader and the shards of `endpoint` on the current runtime.
pub fn spawn(endpoint: Arc<Endpoint>, client: RemoteClient, cfg: QueueConfig) {
    let shards = cfg.max_shards.max(1);
    let shared = Arc::new(Shared { endpoint, client, cfg, tracker: Mutex::new(Tracker::default()) });
    let mut senders = Vec::with_capacity(shards);
    for i in 0..shards {
        // Pieces are bounded by the semaphore; the channel only needs to hold their handles.
        let (tx, rx) = mpsc::unbounded_channel();
        senders.push(tx);
        tokio::spawn(run_shard(shared.clone(), i, rx));
    }
    tokio::spawn(run_reader(shared, senders));
}

/// The shard of a series: a hash of its labels.
fn shard_of(ts: &TimeSeries, shards: usize) -> usize {
    let mut h = twox_hash::XxHash64::with_seed(0);
    for l in &ts.labels {
        l.name.hash(&mut h);
        l.value.hash(&mut h);
    }
    (h.finish() % shards as u64) as usize
}

async fn run_reader(shared: Arc<Shared>, shards: Vec<mpsc::UnboundedSender<Piece>>) {
    let name = shared.endpoint.name.clone();
    let read_ahead = shared.cfg.capacity.saturating_mul(shards.len()).clamp(1, Semaphore::MAX_PERMITS);
    let permits = Arc::new(Semaphore::new(read_ahead));
    let queue = shared.endpoint.queue.clone();
    let mut next = {
        let q = queue.clone();
        tokio::task::spawn_blocking(move || q.acked_seq()).await.unwrap_or(0) + 1
    };
    loop {
        let q = queue.clone();
        let read = tokio::task::spawn_blocking(move || q.read_from(next, READ_RECORDS)).await;
        let records = match read {
            Ok(Ok(r)) => r,
            Ok(Err(e)) => {
                warn!(endpoint = %name, error = %e, "remote write: reading the queue failed; retrying");
                tokio::time::sleep(IDLE_POLL).await;
                continue;
            }
            Err(e) => {
                warn!(endpoint = %name, error = %e, "remote write: queue read task failed");
                tokio::time::sleep(IDLE_POLL).await;
                continue;
            }
        };
        if records.is_empty() {
            // A push between the read and this wait leaves a permit in the Notify: no lost wake-up.
            let _ = tokio::time::timeout(IDLE_POLL, queue.pushed()).await;
            continue;
        }
        for record in records {
            next = record.seq + 1;
            if !dispatch(&shared, &shards, &permits, read_ahead, record).await {
                return;
            }
        }
    }
}

/// Splits a record by shard and queues the pieces; false once the shards are gone.
async fn dispatch(
    shared: &Arc<Shared>,
    shards: &[mpsc::UnboundedSender<Piece>],
    permits: &Arc<Semaphore>,
    read_ahead: usize,
    record: QueuedRecord,
) -> bool {
    let QueuedRecord { seq, series, samples, corrupt } = record;
    if corrupt {
        shared.endpoint.metrics.samples_failed.fetch_add(samples, Ordering::Relaxed);
        shared.tracker.lock().unwrap_or_else(|p| p.into_inner()).register(seq, 0, samples);
        let done = shared.tracker.lock().unwrap_or_else(|p| p.into_inner()).take_done_prefix();
        if let Some((ack, n)) = done {
            shared.ack(ack, n).await;
        }
        return true;
    }
    let mut parts: Vec<Vec<TimeSeries>> = vec![Vec::new(); shards.len()];
    for ts in series {
        parts[shard_of(&ts, shards.len())].push(ts);
    }
    let pieces = parts.iter().filter(|p| !p.is_empty()).count();
    shared.tracker.lock().unwrap_or_else(|p| p.into_inner()).register(seq, pieces, samples);
    if pieces == 0 {
        let done = shared.tracker.lock().unwrap_or_else(|p| p.into_inner()).take_done_prefix();
        if let Some((ack, n)) = done {
            shared.ack(ack, n).await;
        }
        return true;
    }
    for (i, part) in parts.into_iter().enumerate() {
        if part.is_empty() {
            continue;
        }
        let n: usize = part.iter().map(|t| t.samples.len()).sum();
        let want = u32::try_from(n.clamp(1, read_ahead)).unwrap_or(u32::MAX);
        let Ok(permit) = permits.clone().acquire_many_owned(want).await else { return false };
        if shards[i].send(Piece { seq, series: part, samples: n, _permit: permit }).is_err() {
            return false;
        }
    }
    true
}

async fn run_shard(shared: Arc<Shared>, index: usize, mut rx: mpsc::UnboundedReceiver<Piece>) {
    let max = shared.cfg.max_samples_per_send;
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        let mut samples = batch[0].samples;
        let deadline = tokio::time::Instant::now() + shared.cfg.batch_send_deadline;
        while samples < max {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(p)) => {
                    samples += p.samples;
                    batch.push(p);
                }
                Ok(None) | Err(_) => break,
            }
        }
        let seqs: Vec<u64> = batch.iter().map(|p| p.seq).collect();
        for req in requests(batch.iter().flat_map(|p| p.series.iter()), max) {
            send_with_retry(&shared, index, req).await;
        }
        // Permits go back with the pieces, after their samples are sent.
        drop(batch);
        for seq in seqs {
            shared.complete(seq).await;
        }
    }
}

/// Cuts series into requests of at most `max` samples, splitting a series across requests when
/// needed (its samples stay in order).
fn requests<'a>(series: impl Iterator<Item = &'a TimeSeries>, max: usize) -> Vec<(WriteRequest, u64)> {
    let mut out = Vec::new();
    let mut cur: Vec<TimeSeries> = Vec::new();
    let mut n = 0usize;
    for ts in series {
        let mut rest: &[remote::Sample] = &ts.samples;
        while !rest.is_empty() {
            let take = rest.len().min(max - n);
            cur.push(TimeSeries { labels: ts.labels.clone(), samples: rest[..take].to_vec(), ..Default::default() });
            rest = &rest[take..];
            n += take;
            if n == max {
                out.push((WriteRequest { timeseries: std::mem::take(&mut cur), metadata: vec![] }, n as u64));
                n = 0;
            }
        }
    }
    if n > 0 {
        out.push((WriteRequest { timeseries: cur, metadata: vec![] }, n as u64));
    }
    out
}

/// Sends one request until it is delivered or dropped.
async fn send_with_retry(shared: &Shared, shard: usize, (req, samples): (WriteRequest, u64)) {
    let m = &shared.endpoint.metrics;
    let newest = req.timeseries.iter().filter_map(|t| t.samples.last()).map(|s| s.timestamp).max().unwrap_or(0);
    let body = remote::encode(&req);
    let mut backoff = shared.cfg.min_backoff;
    let mut attempt = 0u64;
    loop {
        match shared.client.send(body.clone()).await {
            Ok(()) => {
                m.samples_sent.fetch_add(samples, Ordering::Relaxed);
                m.highest_sent_ms.fetch_max(newest, Ordering::Relaxed);
                if attempt > 0 {
                    debug!(endpoint = %shared.endpoint.name, shard, attempt, "remote write: delivered after retries");
                }
                return;
            }
            Err(SendError::Dropped { message }) => {
                m.samples_failed.fetch_add(samples, Ordering::Relaxed);
                warn!(endpoint = %shared.endpoint.name, shard, samples, error = %message,
                    "remote write: non-retryable answer; dropping the samples");
                return;
            }
            Err(SendError::Recoverable { message, retry_after }) => {
                attempt += 1;
                m.retries.fetch_add(1, Ordering::Relaxed);
                m.samples_retried.fetch_add(samples, Ordering::Relaxed);
                // First failure and every 20th after it: an outage must not flood the log.
                if attempt % 20 == 1 {
                    warn!(endpoint = %shared.endpoint.name, shard, attempt, error = %message,
                        "remote write: send failed; retrying");
                }
                tokio::time::sleep(retry_after.unwrap_or(backoff).max(backoff)).await;
                backoff = (backoff * 2).min(shared.cfg.max_backoff);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pharos_protocol::remote::{Label, Sample};

    #[test]
    fn tracker_acks_only_the_done_prefix() {
        let mut t = Tracker::default();
        t.register(1, 2, 10);
        t.register(2, 1, 5);
        t.register(3, 1, 7);
        assert_eq!(t.complete(2), None);
        assert_eq!(t.complete(1), None);
        assert_eq!(t.complete(1), Some((2, 15)));
        assert_eq!(t.complete(3), Some((3, 7)));
        assert!(t.records.is_empty());
    }

    #[test]
    fn requests_split_series_in_order() {
        let ts = |name: &str, n: i64| TimeSeries {
            labels: vec![Label { name: "__name__".into(), value: name.into() }],
            samples: (0..n).map(|t| Sample { value: t as f64, timestamp: t }).collect(),
            ..Default::default()
        };
        let series = [ts("a", 5), ts("b", 2)];
        let reqs = requests(series.iter(), 3);
        let sizes: Vec<u64> = reqs.iter().map(|r| r.1).collect();
        assert_eq!(sizes, [3, 3, 1]);
        let a: Vec<i64> = reqs
            .iter()
            .flat_map(|r| r.0.timeseries.iter())
            .filter(|t| t.labels[0].value == "a")
            .flat_map(|t| t.samples.iter().map(|s| s.timestamp))
            .collect();
        assert_eq!(a, [0, 1, 2, 3, 4]);
        assert_eq!(reqs[1].0.timeseries.len(), 2);
    }
}
