//! Time-series storage: the one trait the rest of the aggregator (ingest, PromQL, the HTTP API)
//! sees, plus its implementations.
//!
//! `rocks` is the durable engine on RocksDB; `memory` is an in-memory implementation used by
//! tests and by the PromQL conformance runner.

pub mod chunk;
pub mod matcher;
pub mod memory;
pub mod rocks;

pub use matcher::{MatchOp, Matcher, MatcherError};
pub use rocks::{RocksOptions, RocksStats, RocksStorage};

use pharos_protocol::frame::Rejections;
use pharos_protocol::{Labels, Series};

/// Errors from a storage backend.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The underlying database failed.
    #[error("storage backend: {0}")]
    Backend(String),
    /// Stored data could not be decoded (corruption or a format mismatch).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// The request is invalid (e.g. an empty matcher set that would select everything).
    #[error("invalid request: {0}")]
    Invalid(String),
}

/// A position in an agent's sequence-number stream, written atomically with the samples of the
/// batch that carried it, so a replayed batch is recognised and not stored twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// The stream: agent identity and buffer id, e.g. `"host-1/1234"`.
    pub stream: String,
    /// Highest sequence number durably stored for that stream.
    pub seq: u64,
}

/// What an append did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppendStats {
    /// Samples stored.
    pub accepted: u64,
    /// Samples refused, by reason.
    pub rejected: Rejections,
    /// `(index in the input, rejections)` of every input series that had samples refused.
    pub rejected_series: Vec<(usize, Rejections)>,
}

/// Resolves once the data of an [`append_unsynced`](Storage::append_unsynced) is durable.
#[derive(Debug)]
pub struct Durable(DurableAt);

#[derive(Debug)]
enum DurableAt {
    Now,
    Wal { synced: tokio::sync::watch::Receiver<rocks::SyncedTo>, pos: u64 },
}

impl Durable {
    /// Data that is durable already.
    pub fn now() -> Self {
        Durable(DurableAt::Now)
    }

    /// Data durable once the WAL is synced up to `pos`.
    pub(crate) fn wal(synced: tokio::sync::watch::Receiver<rocks::SyncedTo>, pos: u64) -> Self {
        Durable(DurableAt::Wal { synced, pos })
    }

    /// Waits (without a thread) until the data is durable; an error means it may never be.
    pub async fn wait(self) -> Result<(), StorageError> {
        let (mut synced, pos) = match self.0 {
            DurableAt::Now => return Ok(()),
            DurableAt::Wal { synced, pos } => (synced, pos),
        };
        let state = synced
            .wait_for(|s| s.pos >= pos || s.failed.is_some())
            .await
            .map_err(|_| StorageError::Backend("the WAL closed before the append was synced".into()))?;
        match (&state.failed, state.pos >= pos) {
            (_, true) => Ok(()),
            (Some(e), false) => Err(StorageError::Backend(format!("WAL fsync failed ({e}); restart the aggregator"))),
            (None, false) => Err(StorageError::Backend("WAL sync state inconsistent".into())),
        }
    }
}

/// The storage trait. Appends are durable when they return. Reads take label matchers and an
/// inclusive millisecond time range.
pub trait Storage: Send + Sync {
    /// Appends samples for the given series, and the checkpoint if any, atomically and durably.
    fn append(&self, data: &[Series], checkpoint: Option<&Checkpoint>) -> Result<AppendStats, StorageError>;

    /// Like [`append`](Self::append), but may return before the data is durable: the caller
    /// acknowledges only after the returned [`Durable`] resolves, and meanwhile may already
    /// append what comes next (the samples are readable, and later appends see them, at once).
    /// The default is a durable `append`.
    fn append_unsynced(
        &self,
        data: &[Series],
        checkpoint: Option<&Checkpoint>,
    ) -> Result<(AppendStats, Durable), StorageError> {
        Ok((self.append(data, checkpoint)?, Durable::now()))
    }

    /// The last checkpointed sequence number of a stream, if any.
    fn checkpoint(&self, stream: &str) -> Result<Option<u64>, StorageError>;

    /// Series matching all `matchers` with their samples in `[start_ms, end_ms]`; series with no
    /// sample in the range are left out. Sorted by labels.
    fn select(&self, matchers: &[Matcher], start_ms: i64, end_ms: i64) -> Result<Vec<Series>, StorageError>;

    /// Label sets of the series matching all `matchers` that have samples in `[start_ms, end_ms]`.
    fn series(&self, matchers: &[Matcher], start_ms: i64, end_ms: i64) -> Result<Vec<Labels>, StorageError>;

    /// Sorted label names of series matching `matchers` (all series if empty) in the range.
    fn label_names(&self, matchers: &[Matcher], start_ms: i64, end_ms: i64) -> Result<Vec<String>, StorageError>;

    /// Sorted values of label `name` of series matching `matchers` (all series if empty) in the range.
    fn label_values(
        &self,
        name: &str,
        matchers: &[Matcher],
        start_ms: i64,
        end_ms: i64,
    ) -> Result<Vec<String>, StorageError>;
}
