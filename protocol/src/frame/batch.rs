//! The batch message: series sent once, samples referring to them by index.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::{LimitError, Limits};
use crate::model::{is_valid_label_name, is_valid_metric_name, Labels, Sample, Series, METRIC_NAME_LABEL};

/// One sample on the wire: which series, when (relative to the batch), and the value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WireSample {
    /// Index into [`Batch::series`].
    pub series: u32,
    /// `timestamp_ms - Batch::base_timestamp_ms` (small, so it varint-encodes in a byte or two).
    pub ts_delta_ms: i64,
    /// The value, bit for bit (staleness markers included).
    pub value: f64,
}

/// A batch of samples from one agent, the unit of buffering, transfer and acknowledgement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Batch {
    /// The agent's name (its certificate identity).
    pub agent: String,
    /// Identifies the agent's disk-buffer stream; `seq` restarts from 0 when it changes.
    pub buffer_id: u64,
    /// Sequence number, monotonically increasing within `buffer_id`.
    pub seq: u64,
    /// Timestamps of samples are relative to this.
    pub base_timestamp_ms: i64,
    /// Label sets, each sent once per batch.
    pub series: Vec<Labels>,
    /// Samples referring to `series` by index.
    pub samples: Vec<WireSample>,
}

impl Batch {
    /// Builds a batch from series. Series with equal labels are merged (their labels are sent
    /// once); series without samples are left out. `base_timestamp_ms` is the smallest timestamp.
    pub fn from_series(agent: impl Into<String>, buffer_id: u64, seq: u64, input: &[Series]) -> Batch {
        let base = input.iter().flat_map(|s| s.samples.iter()).map(|s| s.timestamp_ms).min().unwrap_or(0);
        let total: usize = input.iter().map(|s| s.samples.len()).sum();
        let mut index: HashMap<&Labels, u32> = HashMap::with_capacity(input.len());
        let mut series = Vec::with_capacity(input.len());
        let mut samples = Vec::with_capacity(total);
        for s in input.iter().filter(|s| !s.samples.is_empty()) {
            let idx = *index.entry(&s.labels).or_insert_with(|| {
                series.push(s.labels.clone());
                // More than u32::MAX series cannot fit in memory alongside their labels; saturating
                // keeps this total, and `validate` rejects such a batch (TooManySeries).
                u32::try_from(series.len() - 1).unwrap_or(u32::MAX)
            });
            samples.extend(s.samples.iter().map(|p| WireSample {
                series: idx,
                // Wrapping arithmetic makes the delta exact for any pair of i64 timestamps;
                // `to_series` undoes it with wrapping_add.
                ts_delta_ms: p.timestamp_ms.wrapping_sub(base),
                value: p.value,
            }));
        }
        Batch { agent: agent.into(), buffer_id, seq, base_timestamp_ms: base, series, samples }
    }

    /// Number of samples in the batch.
    pub fn sample_count(&self) -> usize {
        self.samples.len()
    }

    /// The batch as series with absolute timestamps, in series-index order, each with its samples
    /// in batch order. Series without samples and samples with an invalid index are left out
    /// (a validated batch has none of the latter).
    pub fn to_series(&self) -> Vec<Series> {
        self.series
            .iter()
            .zip(self.grouped_samples())
            .filter(|(_, samples)| !samples.is_empty())
            .map(|(labels, samples)| Series { labels: labels.clone(), samples })
            .collect()
    }

    /// Like [`to_series`](Self::to_series), moving the labels out instead of copying them.
    pub fn into_series(self) -> Vec<Series> {
        let grouped = self.grouped_samples();
        self.series
            .into_iter()
            .zip(grouped)
            .filter(|(_, samples)| !samples.is_empty())
            .map(|(labels, samples)| Series { labels, samples })
            .collect()
    }

    /// Each series' samples with absolute timestamps, by series index, in batch order; samples
    /// with an invalid index are left out.
    fn grouped_samples(&self) -> Vec<Vec<Sample>> {
        // Counted first, so each series' samples are one allocation of the right size (this
        // runs for every batch the aggregator receives).
        let mut counts = vec![0usize; self.series.len()];
        for s in &self.samples {
            if let Some(c) = counts.get_mut(s.series as usize) {
                *c += 1;
            }
        }
        let mut grouped: Vec<Vec<Sample>> = counts.into_iter().map(Vec::with_capacity).collect();
        for s in &self.samples {
            if let Some(g) = grouped.get_mut(s.series as usize) {
                g.push(Sample { timestamp_ms: self.base_timestamp_ms.wrapping_add(s.ts_delta_ms), value: s.value });
            }
        }
        grouped
    }

    /// Checks the batch against `limits` and the data model's invariants: label sets sorted by
    /// name without duplicates, valid names, no empty values, and every sample pointing at a series.
    /// Deserialisation does not enforce what `Labels`' constructors do, so the receiver must call this.
    pub fn validate(&self, limits: &Limits) -> Result<(), LimitError> {
        if self.series.len() > limits.max_series_per_batch as usize {
            return Err(LimitError::TooManySeries { got: self.series.len() as u64, max: limits.max_series_per_batch });
        }
        if self.samples.len() > limits.max_samples_per_batch as usize {
            return Err(LimitError::TooManySamples {
                got: self.samples.len() as u64,
                max: limits.max_samples_per_batch,
            });
        }
        for (i, labels) in self.series.iter().enumerate() {
            validate_labels(i, labels, limits)?;
        }
        let n = self.series.len();
        if let Some(bad) = self.samples.iter().find(|s| s.series as usize >= n) {
            return Err(LimitError::BadSeriesIndex { index: bad.series, series: n });
        }
        Ok(())
    }
}

fn validate_labels(series: usize, labels: &Labels, limits: &Limits) -> Result<(), LimitError> {
    if labels.len() > limits.max_labels_per_series as usize {
        return Err(LimitError::TooManyLabels { series, got: labels.len() as u64, max: limits.max_labels_per_series });
    }
    let mut prev: Option<&str> = None;
    for l in labels {
        // Length limits first, so the other errors never carry huge strings.
        if l.name.len() > limits.max_label_name_len as usize {
            return Err(LimitError::LabelNameTooLong {
                series,
                len: l.name.len() as u64,
                max: limits.max_label_name_len,
            });
        }
        if !is_valid_label_name(&l.name) {
            return Err(LimitError::InvalidLabelName(l.name.clone()));
        }
        if l.value.len() > limits.max_label_value_len as usize {
            return Err(LimitError::LabelValueTooLong {
                series,
                name: l.name.clone(),
                len: l.value.len() as u64,
                max: limits.max_label_value_len,
            });
        }
        if l.value.is_empty() {
            return Err(LimitError::EmptyLabelValue { series, name: l.name.clone() });
        }
        if l.name == METRIC_NAME_LABEL && !is_valid_metric_name(&l.value) {
            return Err(LimitError::InvalidMetricName(l.value.clone()));
        }
        if let Some(p) = prev {
            match p.cmp(l.name.as_str()) {
                std::cmp::Ordering::Less => {}
                std::cmp::Ordering::Equal => {
                    return Err(LimitError::DuplicateLabel { series, name: l.name.clone() });
                }
                std::cmp::Ordering::Greater => {
                    return Err(LimitError::UnsortedLabels { series, name: l.name.clone() });
                }
            }
        }
        prev = Some(&l.name);
    }
    Ok(())
}
