//! Pharos agent: collectors (sources, each on its own schedule) → assembler → disk buffer →
//! uplink (sink), each a small component, wired together in [`app`].

pub mod app;
pub mod assemble;
/// The disk buffer, in its own crate (`pharos-buffer`) since the aggregator's remote-write
/// queues use it too.
pub use pharos_buffer as buffer;
pub mod checkconfig;
pub mod checkmetrics;
pub mod collect;
pub mod config;
pub mod enroll;
pub mod packed;
pub mod pushgateway;
pub mod reload;
pub mod schedule;
pub mod selfmetrics;
pub mod uplink;
