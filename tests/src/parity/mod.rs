//! The Prometheus parity test's machinery (`tests/tests/prometheus_parity.rs`): the same data and
//! the same PromQL queries against Debian's Prometheus 2.42 and against Pharos, every difference
//! reported and classified.

pub mod compare;
pub mod data;
pub mod known;
pub mod model;
pub mod queries;
pub mod run;
pub mod targets;
