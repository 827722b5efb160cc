//! The storage tee: a [`Storage`] that passes everything to the real storage and, once an append
//! succeeded, hands what it stored to every [`Forward`]: each remote-write endpoint's disk queue
//! and the parent aggregator's buffer ([`crate::parent`]). Every writer of the aggregator
//! (agents' ingest, liveness' `up`, `/api/v1/write`, imports, recording rules and alert state,
//! the Pushgateway) appends through the one `Arc<dyn Storage>` the server builds, so wrapping it
//! is the single place where all samples pass.
//!
//! Only what storage accepted is forwarded: a series that had samples refused is left out whole
//! (storage reports how many samples of a series it refused, not which) and counted by each
//! forward (`pharos_remote_write_samples_dropped_total{reason="rejected"}`). A batch replayed by
//! an agent is not stored again, so it is not forwarded again either.
//!
//! The queue record is written before `append` returns, so the caller's acknowledgement (an agent
//! ack, a 204) comes after it. The one window left: a crash after storage's write and before the
//! queue's; the agent then replays a batch storage already holds, which is not forwarded.

use super::Endpoint;
use crate::storage::{AppendStats, Checkpoint, Durable, Matcher, Storage, StorageError};
use pharos_protocol::{Labels, Series};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// A destination of stored samples: what the tee calls after each successful append.
pub trait Forward: Send + Sync {
    /// `data` was appended; `refused[i]` is true when storage refused some samples of `data[i]`
    /// (such a series is not forwarded). `origin` names the ingest stream's sender (the agent or
    /// child aggregator whose certificate sent the batch) when the append came from one, so a
    /// destination can keep data from going back where it came from. Called on the writer's
    /// thread before `append` returns; it must not fail the write (errors are counted and logged).
    fn forward(&self, data: &[Series], refused: &[bool], origin: Option<&str>);
}

/// The real storage plus the destinations that receive every stored sample.
pub struct TeeStorage {
    inner: Arc<dyn Storage>,
    forwards: Vec<Arc<dyn Forward>>,
}

impl TeeStorage {
    /// Wraps `inner`; appends are queued for the remote-write `endpoints`.
    pub fn new(inner: Arc<dyn Storage>, endpoints: Vec<Arc<Endpoint>>) -> Self {
        let forwards = endpoints.into_iter().map(|e| e as Arc<dyn Forward>).collect();
        TeeStorage { inner, forwards }
    }

    /// Wraps `inner`; appends are handed to `forwards`.
    pub fn with_forwards(inner: Arc<dyn Storage>, forwards: Vec<Arc<dyn Forward>>) -> Self {
        TeeStorage { inner, forwards }
    }

    /// Hands what `stats` says was stored of `data` to every destination.
    fn forward(&self, data: &[Series], stats: &AppendStats, checkpoint: Option<&Checkpoint>) {
        if stats.accepted == 0 {
            return;
        }
        let mut refused = vec![false; data.len()];
        for (i, _) in &stats.rejected_series {
            if let Some(r) = refused.get_mut(*i) {
                *r = true;
            }
        }
        let origin = checkpoint.map(|c| stream_identity(&c.stream));
        for f in &self.forwards {
            f.forward(data, &refused, origin);
        }
    }
}

/// The sender's identity in an ingest stream's name (`"<identity>/<buffer id in hex>"`).
pub fn stream_identity(stream: &str) -> &str {
    stream.rsplit_once('/').map_or(stream, |(identity, _)| identity)
}

impl Forward for Endpoint {
    /// Queues the stored series, after `write_relabel_configs`, for this remote-write endpoint.
    fn forward(&self, data: &[Series], refused: &[bool], _origin: Option<&str>) {
        let endpoint = self;
        let m = &endpoint.metrics;
        let mut out: Vec<Series> = Vec::with_capacity(data.len());
        for (s, &refused) in data.iter().zip(refused) {
            if s.samples.is_empty() {
                continue;
            }
            if refused {
                // Counts the whole series: storage does not say which of its samples it kept.
                m.dropped_rejected.fetch_add(s.samples.len() as u64, Ordering::Relaxed);
                continue;
            }
            match relabel(&s.labels, endpoint) {
                Some(labels) if labels == s.labels => out.push(s.clone()),
                Some(labels) => out.push(Series { labels, samples: s.samples.clone() }),
                None => {
                    m.dropped_relabel.fetch_add(s.samples.len() as u64, Ordering::Relaxed);
                }
            }
        }
        if let Err(e) = endpoint.queue.push(&out) {
            let n: u64 = out.iter().map(|s| s.samples.len() as u64).sum();
            m.dropped_queue_error.fetch_add(n, Ordering::Relaxed);
            tracing::error!(endpoint = %endpoint.name, samples = n, error = %e,
                "remote write: could not queue samples; they will not reach the endpoint");
        }
    }
}

/// The labels after the external labels (where the series lacks them) and the endpoint's
/// `write_relabel_configs`, in Prometheus' order; None drops the series.
fn relabel(labels: &Labels, endpoint: &Endpoint) -> Option<Labels> {
    let labels = crate::parent::sink::with_external(labels, &endpoint.external_labels);
    if endpoint.relabel.is_empty() {
        return Some(labels);
    }
    // No labels left also drops the series, as in Prometheus.
    pharos_protocol::relabel::relabel(labels, &endpoint.relabel)
}

impl Storage for TeeStorage {
    fn append(&self, data: &[Series], checkpoint: Option<&Checkpoint>) -> Result<AppendStats, StorageError> {
        let stats = self.inner.append(data, checkpoint)?;
        self.forward(data, &stats, checkpoint);
        Ok(stats)
    }

    fn append_unsynced(
        &self,
        data: &[Series],
        checkpoint: Option<&Checkpoint>,
    ) -> Result<(AppendStats, Durable), StorageError> {
        let (stats, durable) = self.inner.append_unsynced(data, checkpoint)?;
        self.forward(data, &stats, checkpoint);
        Ok((stats, durable))
    }

    fn checkpoint(&self, stream: &str) -> Result<Option<u64>, StorageError> {
        self.inner.checkpoint(stream)
    }

    fn select(&self, matchers: &[Matcher], start_ms: i64, end_ms: i64) -> Result<Vec<Series>, StorageError> {
        self.inner.select(matchers, start_ms, end_ms)
    }

    fn series(&self, matchers: &[Matcher], start_ms: i64, end_ms: i64) -> Result<Vec<Labels>, StorageError> {
        self.inner.series(matchers, start_ms, end_ms)
    }

    fn label_names(&self, matchers: &[Matcher], start_ms: i64, end_ms: i64) -> Result<Vec<String>, StorageError> {
        self.inner.label_names(matchers, start_ms, end_ms)
    }

    fn label_values(
        &self,
        name: &str,
        matchers: &[Matcher],
        start_ms: i64,
        end_ms: i64,
    ) -> Result<Vec<String>, StorageError> {
        self.inner.label_values(name, matchers, start_ms, end_ms)
    }
}
