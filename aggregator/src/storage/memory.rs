//! An in-memory [`Storage`]: simple and obviously correct, for tests and the PromQL conformance
//! runner. Not durable.

use super::{AppendStats, Checkpoint, Matcher, Storage, StorageError};
use pharos_protocol::{Labels, Sample, Series};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::RwLock;

/// Samples of one series in timestamp order, one per timestamp (last write wins). A sorted
/// `Vec`: appends in time order are pushes, and a range read is one slice copy.
type SampleMap = Vec<Sample>;

/// In-memory storage: a sorted map from labels to samples.
#[derive(Default)]
pub struct MemoryStorage {
    series: RwLock<BTreeMap<Labels, SampleMap>>,
    checkpoints: RwLock<HashMap<String, u64>>,
}

impl MemoryStorage {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn read(&self) -> Result<std::sync::RwLockReadGuard<'_, BTreeMap<Labels, SampleMap>>, StorageError> {
        self.series.read().map_err(|_| StorageError::Backend("lock poisoned".into()))
    }

    /// Calls `f` for every matching series that has samples in range.
    fn for_each_match(
        &self,
        matchers: &[Matcher],
        start_ms: i64,
        end_ms: i64,
        mut f: impl FnMut(&Labels, Vec<Sample>),
    ) -> Result<(), StorageError> {
        // BTreeMap::range panics on an inverted range; an inverted range selects nothing.
        if start_ms > end_ms {
            return Ok(());
        }
        let map = self.read()?;
        for (labels, samples) in map.iter() {
            if !matchers.iter().all(|m| m.matches(labels)) {
                continue;
            }
            let lo = samples.partition_point(|x| x.timestamp_ms < start_ms);
            let hi = samples.partition_point(|x| x.timestamp_ms <= end_ms);
            if lo < hi {
                f(labels, samples[lo..hi].to_vec());
            }
        }
        Ok(())
    }
}

impl Storage for MemoryStorage {
    fn append(&self, data: &[Series], checkpoint: Option<&Checkpoint>) -> Result<AppendStats, StorageError> {
        let mut map = self.series.write().map_err(|_| StorageError::Backend("lock poisoned".into()))?;
        let mut stats = AppendStats::default();
        for s in data {
            let entry = map.entry(s.labels.clone()).or_default();
            for &sample in &s.samples {
                match entry.last() {
                    Some(last) if last.timestamp_ms >= sample.timestamp_ms => {
                        match entry.binary_search_by_key(&sample.timestamp_ms, |x| x.timestamp_ms) {
                            Ok(i) => entry[i] = sample,
                            Err(i) => entry.insert(i, sample),
                        }
                    }
                    _ => entry.push(sample),
                }
                stats.accepted += 1;
            }
        }
        if let Some(cp) = checkpoint {
            self.checkpoints
                .write()
                .map_err(|_| StorageError::Backend("lock poisoned".into()))?
                .insert(cp.stream.clone(), cp.seq);
        }
        Ok(stats)
    }

    fn checkpoint(&self, stream: &str) -> Result<Option<u64>, StorageError> {
        Ok(self.checkpoints.read().map_err(|_| StorageError::Backend("lock poisoned".into()))?.get(stream).copied())
    }

    fn select(&self, matchers: &[Matcher], start_ms: i64, end_ms: i64) -> Result<Vec<Series>, StorageError> {
        let mut out = Vec::new();
        self.for_each_match(matchers, start_ms, end_ms, |labels, samples| {
            out.push(Series { labels: labels.clone(), samples })
        })?;
        Ok(out)
    }

    fn series(&self, matchers: &[Matcher], start_ms: i64, end_ms: i64) -> Result<Vec<Labels>, StorageError> {
        let mut out = Vec::new();
        self.for_each_match(matchers, start_ms, end_ms, |labels, _| out.push(labels.clone()))?;
        Ok(out)
    }

    fn label_names(&self, matchers: &[Matcher], start_ms: i64, end_ms: i64) -> Result<Vec<String>, StorageError> {
        let mut names = BTreeSet::new();
        self.for_each_match(matchers, start_ms, end_ms, |labels, _| {
            names.extend(labels.iter().map(|l| l.name.clone()))
        })?;
        Ok(names.into_iter().collect())
    }

    fn label_values(
        &self,
        name: &str,
        matchers: &[Matcher],
        start_ms: i64,
        end_ms: i64,
    ) -> Result<Vec<String>, StorageError> {
        let mut values = BTreeSet::new();
        self.for_each_match(matchers, start_ms, end_ms, |labels, _| {
            if let Some(v) = labels.get(name) {
                values.insert(v.to_string());
            }
        })?;
        Ok(values.into_iter().collect())
    }
}
