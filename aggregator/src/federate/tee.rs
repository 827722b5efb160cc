//! The storage tee: a [`Storage`] that passes everything to the real storage and, once an append
//! succeeded, writes what it stored to every remote-write endpoint's disk queue. Every writer of
//! the aggregator (agents' ingest, liveness' `up`, `/api/v1/write`, imports, recording rules and
//! alert state, the Pushgateway) appends through the one `Arc<dyn Storage>` the server builds, so
//! wrapping it is the single place where all samples pass.
//!
//! Only what storage accepted is forwarded: a series that had samples refused is left out whole
//! (storage reports how many samples of a series it refused, not which) and counted as
//! `pharos_remote_write_samples_dropped_total{reason="rejected"}`. A batch replayed by an agent
//! is not stored again, so it is not forwarded again either.
//!
//! The queue record is written before `append` returns, so the caller's acknowledgement (an agent
//! ack, a 204) comes after it. The one window left: a crash after storage's write and before the
//! queue's; the agent then replays a batch storage already holds, which is not forwarded.

use super::Endpoint;
use crate::storage::{AppendStats, Checkpoint, Durable, Matcher, Storage, StorageError};
use pharos_protocol::{Labels, Series};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The real storage plus the endpoints whose queues receive every stored sample.
pub struct TeeStorage {
    inner: Arc<dyn Storage>,
    endpoints: Vec<Arc<Endpoint>>,
}

impl TeeStorage {
    /// Wraps `inner`; appends are forwarded to `endpoints`.
    pub fn new(inner: Arc<dyn Storage>, endpoints: Vec<Arc<Endpoint>>) -> Self {
        TeeStorage { inner, endpoints }
    }

    /// Queues what `stats` says was stored of `data` for every endpoint.
    fn forward(&self, data: &[Series], stats: &AppendStats) {
        if stats.accepted == 0 {
            return;
        }
        let mut refused = vec![false; data.len()];
        for (i, _) in &stats.rejected_series {
            if let Some(r) = refused.get_mut(*i) {
                *r = true;
            }
        }
        for endpoint in &self.endpoints {
            let m = &endpoint.metrics;
            let mut out: Vec<Series> = Vec::with_capacity(data.len());
            for (s, &refused) in data.iter().zip(&refused) {
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
}

/// The labels after the endpoint's `write_relabel_configs`; None drops the series.
fn relabel(labels: &Labels, endpoint: &Endpoint) -> Option<Labels> {
    if endpoint.relabel.is_empty() {
        return Some(labels.clone());
    }
    // No labels left also drops the series, as in Prometheus.
    pharos_protocol::relabel::relabel(labels.clone(), &endpoint.relabel)
}

impl Storage for TeeStorage {
    fn append(&self, data: &[Series], checkpoint: Option<&Checkpoint>) -> Result<AppendStats, StorageError> {
        let stats = self.inner.append(data, checkpoint)?;
        self.forward(data, &stats);
        Ok(stats)
    }

    fn append_unsynced(
        &self,
        data: &[Series],
        checkpoint: Option<&Checkpoint>,
    ) -> Result<(AppendStats, Durable), StorageError> {
        let (stats, durable) = self.inner.append_unsynced(data, checkpoint)?;
        self.forward(data, &stats);
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
