//! The Pushgateway API (Pushgateway 1.5.1's paths, methods, status codes and semantics) as a
//! core free of any HTTP framework: a [`PushRequest`] goes in, a [`PushResponse`] comes out, and
//! [`Pushgateway`] keeps the groups. The aggregator serves it on its HTTP port and writes the
//! groups' samples into storage; the agent serves it on localhost and forwards the samples
//! through its buffer.
//!
//! Beyond the Pushgateway: a group may expire (a configured default TTL and a per-push
//! [`TTL_HEADER`]), the store is persisted atomically after changes, explicit limits refuse
//! oversized pushes with a 400, and a malformed push never affects later ones (Pushgateway 1.5.1
//! stops answering pushes to `@base64` paths after one with a bad base64 job name).
//!
//! Deliberate differences from 1.5.1, where its behaviour would store unusable data: invalid
//! metric names and unknown metric types in protobuf bodies are refused with a 400; native
//! histogram fields, exemplars and float counts of protobuf bodies are dropped; a text body's
//! labels with empty values are dropped by the text parser (Prometheus ignores them anyway).

pub mod body;
pub mod check;
mod gateway;
pub mod grouping;
pub mod json;
pub mod materialize;
pub mod persist;
pub mod proto;
pub mod series;
pub mod store;

pub use gateway::{Options, PushRequest, PushResponse, Pushgateway};
pub use grouping::GroupingKey;
pub use store::{Group, Store};

/// The request header that sets a group's TTL: a Prometheus duration (`30m`, `1h`), `0` for
/// no expiry.
pub const TTL_HEADER: &str = "Pharos-TTL";

/// Explicit limits, each refused with a 400 that names it.
pub mod limits {
    /// A body's size, after decompression.
    pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;
    /// Samples of one push, counted as a scrape expands them (buckets, quantiles, sum, count).
    pub const MAX_SAMPLES_PER_PUSH: usize = 100_000;
    /// Labels of one metric (as pushed; the grouping labels are added later).
    pub const MAX_LABELS_PER_METRIC: usize = 64;
    /// Bytes of a label name (the agent protocol's limit).
    pub const MAX_LABEL_NAME_BYTES: usize = 256;
    /// Bytes of a label value (the agent protocol's limit).
    pub const MAX_LABEL_VALUE_BYTES: usize = 4096;
}

#[cfg(test)]
mod tests;
