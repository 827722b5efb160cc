//! Pharos wire protocol: everything that crosses a process boundary — the data model, the bincode
//! frames of the agent↔aggregator protocol, the QUIC/TLS configuration both ends share, and the
//! Prometheus text exposition format.

pub mod buildinfo;
pub mod checkconfig;
pub mod client;
pub mod duration;
pub mod enroll;
pub mod exposition;
pub mod frame;
pub mod model;
pub mod relabel;
pub mod remote;
pub mod tls;
pub mod trust;

pub use model::{is_stale_nan, stale_nan, Label, Labels, Sample, Series};
