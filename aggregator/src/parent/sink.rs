//! The parent sink: a [`Forward`] of the storage tee that turns the series storage accepted into
//! batch frames in the parent's disk buffer, exactly as an agent writes its own, for the uplink
//! to send.
//!
//! Per stored series, in order: left out if it came from a sender in the loop list (see
//! [`super`]), if storage refused some of its samples, or if no `match` selector selects it; then
//! the external labels it lacks are added (as Prometheus does for remote write and federation:
//! the series' own label wins); then labels over the frame limits leave it out (the parent would
//! refuse the whole batch). What is left is cut into batches within the limits (series, samples,
//! frame bytes) and appended, one record per batch, before the storage write returns.

use super::metrics::SinkMetrics;
use crate::federate::tee::Forward;
use crate::storage::Matcher;
use pharos_buffer::{BufferError, DiskBuffer};
use pharos_protocol::frame::{encode_frame, Batch, FrameError, Limits, Message};
use pharos_protocol::model::{is_valid_label_name, is_valid_metric_name, METRIC_NAME_LABEL};
use pharos_protocol::{Labels, Series};
use std::collections::BTreeSet;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

/// Why a batch could not be written to the buffer.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// The frame could not be encoded.
    #[error("encoding a batch: {0}")]
    Frame(#[from] FrameError),
    /// The buffer failed.
    #[error("parent buffer: {0}")]
    Buffer(#[from] BufferError),
}

/// What the sink needs besides its buffer.
#[derive(Debug, Clone)]
pub struct SinkSettings {
    /// Our name at the parent (every batch carries it).
    pub identity: String,
    /// `match` selectors, one matcher set per alternative; empty selects everything.
    pub matchers: Vec<Vec<Matcher>>,
    /// External labels added to series that lack them.
    pub external_labels: Labels,
    /// Senders whose series are never forwarded.
    pub loop_names: BTreeSet<String>,
    /// Bounds of one batch.
    pub limits: Limits,
}

/// Writes forwarded series into the parent buffer.
pub struct ParentSink {
    settings: SinkSettings,
    buffer: Arc<Mutex<DiskBuffer>>,
    wake: Option<pharos_uplink::Wake>,
    /// Counters for `pharos_parent_*`.
    pub metrics: SinkMetrics,
}

impl ParentSink {
    /// A sink appending to `buffer`; `wake` (the uplink's) is told after each append.
    pub fn new(settings: SinkSettings, buffer: Arc<Mutex<DiskBuffer>>, wake: Option<pharos_uplink::Wake>) -> Self {
        ParentSink { settings, buffer, wake, metrics: SinkMetrics::default() }
    }

    /// The buffer (for its statistics).
    pub fn buffer(&self) -> &Arc<Mutex<DiskBuffer>> {
        &self.buffer
    }

    /// Whether the `match` selectors select `labels`.
    fn selected(&self, labels: &Labels) -> bool {
        let sets = &self.settings.matchers;
        sets.is_empty() || sets.iter().any(|set| set.iter().all(|m| m.matches(labels)))
    }

    /// The series as forwarded: `data` filtered and labelled (see the module documentation).
    pub fn prepare(&self, data: &[Series], refused: &[bool], origin: Option<&str>) -> Vec<Series> {
        let m = &self.metrics;
        let count = |s: &Series| s.samples.len() as u64;
        if origin.is_some_and(|o| self.settings.loop_names.contains(o)) {
            let n = data.iter().zip(refused).filter(|(_, r)| !**r).map(|(s, _)| count(s)).sum();
            m.dropped_loop.fetch_add(n, Ordering::Relaxed);
            return Vec::new();
        }
        let mut out = Vec::new();
        for (i, s) in data.iter().enumerate() {
            if s.samples.is_empty() {
                continue;
            }
            if refused.get(i).copied().unwrap_or(false) {
                m.dropped_rejected.fetch_add(count(s), Ordering::Relaxed);
                continue;
            }
            if !self.selected(&s.labels) {
                m.dropped_match.fetch_add(count(s), Ordering::Relaxed);
                continue;
            }
            let labels = with_external(&s.labels, &self.settings.external_labels);
            if !labels_fit(&labels, &self.settings.limits) {
                m.dropped_limits.fetch_add(count(s), Ordering::Relaxed);
                tracing::warn!(series = %labels, "parent: series breaks the frame limits; not forwarded");
                continue;
            }
            out.push(Series { labels, samples: s.samples.clone() });
        }
        out
    }

    /// Appends `series` to the buffer as batches within the limits, then wakes the uplink.
    pub fn write(&self, series: &[Series]) -> Result<(), SinkError> {
        if series.is_empty() {
            return Ok(());
        }
        let limits = &self.settings.limits;
        let mut written = 0u64;
        let result = (|| {
            for part in split(series, limits) {
                written += self.append(&part)?;
            }
            Ok(())
        })();
        self.metrics.samples_queued.fetch_add(written, Ordering::Relaxed);
        if written > 0 {
            if let Some(w) = &self.wake {
                w.notify();
            }
        }
        result
    }

    /// Appends `part` as one record, or halves it while its frame is too large; returns the
    /// samples written.
    fn append(&self, part: &[Series]) -> Result<u64, SinkError> {
        let samples: usize = part.iter().map(|s| s.samples.len()).sum();
        let mut b = pharos_buffer::lock_shared(&self.buffer);
        let seq = b.next_seq();
        let batch = Batch::from_series(self.settings.identity.as_str(), b.buffer_id(), seq, part);
        match encode_frame(&Message::Batch(batch), &self.settings.limits) {
            Ok(frame) => {
                b.append(seq, u32::try_from(samples).unwrap_or(u32::MAX), &frame)?;
                Ok(samples as u64)
            }
            Err(FrameError::TooLarge { .. } | FrameError::PayloadTooLarge { .. }) if samples > 1 => {
                drop(b);
                let (a, c) = halve(part);
                Ok(self.append(&a)? + self.append(&c)?)
            }
            Err(e) => Err(e.into()),
        }
    }
}

impl Forward for ParentSink {
    fn forward(&self, data: &[Series], refused: &[bool], origin: Option<&str>) {
        let out = self.prepare(data, refused, origin);
        if let Err(e) = self.write(&out) {
            let total: u64 = out.iter().map(|s| s.samples.len() as u64).sum();
            // Batches written before the error stay queued; the rest is lost for the parent.
            self.metrics.dropped_buffer_error.fetch_add(total, Ordering::Relaxed);
            tracing::error!(error = %e, samples = total, "parent: could not buffer samples; they will not reach the parent");
        }
    }
}

/// `labels` plus each external label it does not carry itself.
pub fn with_external(labels: &Labels, external: &Labels) -> Labels {
    if external.iter().all(|l| labels.get(&l.name).is_some()) {
        return labels.clone();
    }
    let mut out = labels.clone();
    for l in external {
        if labels.get(&l.name).is_none() {
            out.set(&l.name, &l.value);
        }
    }
    out
}

/// Whether `labels` pass the frame's label checks (count, lengths, names).
fn labels_fit(labels: &Labels, limits: &Limits) -> bool {
    labels.len() <= limits.max_labels_per_series as usize
        && labels.iter().all(|l| {
            l.name.len() <= limits.max_label_name_len as usize
                && l.value.len() <= limits.max_label_value_len as usize
                && is_valid_label_name(&l.name)
                && !l.value.is_empty()
                && (l.name != METRIC_NAME_LABEL || is_valid_metric_name(&l.value))
        })
}

/// Cuts `series` into parts of at most `max_series_per_batch` series and `max_samples_per_batch`
/// samples; a series with more samples than that is cut into several parts (each keeps its
/// samples in order, and the parts are appended in order).
pub fn split(series: &[Series], limits: &Limits) -> Vec<Vec<Series>> {
    let max_samples = limits.max_samples_per_batch.max(1) as usize;
    let max_series = limits.max_series_per_batch.max(1) as usize;
    let mut parts = Vec::new();
    let mut cur: Vec<Series> = Vec::new();
    let mut cur_samples = 0usize;
    for s in series {
        let mut rest = s.samples.as_slice();
        while !rest.is_empty() {
            if cur.len() == max_series || cur_samples == max_samples {
                parts.push(std::mem::take(&mut cur));
                cur_samples = 0;
            }
            let n = rest.len().min(max_samples - cur_samples);
            let (now, later) = rest.split_at(n);
            cur.push(Series { labels: s.labels.clone(), samples: now.to_vec() });
            cur_samples += n;
            rest = later;
        }
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
}

/// Two halves of `part` by samples (a series may be cut), each non-empty when `part` holds at
/// least two samples.
fn halve(part: &[Series]) -> (Vec<Series>, Vec<Series>) {
    let total: usize = part.iter().map(|s| s.samples.len()).sum();
    let mut left_budget = total / 2;
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for s in part {
        if left_budget == 0 {
            b.push(s.clone());
            continue;
        }
        let n = s.samples.len().min(left_budget);
        left_budget -= n;
        a.push(Series { labels: s.labels.clone(), samples: s.samples[..n].to_vec() });
        if n < s.samples.len() {
            b.push(Series { labels: s.labels.clone(), samples: s.samples[n..].to_vec() });
        }
    }
    (a, b)
}
