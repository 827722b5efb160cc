//! Pharos agent: collectors (sources, each on its own schedule) → assembler → disk buffer →
//! uplink (sink), each a small component, wired together in [`app`].

pub mod app;
pub mod assemble;
pub mod buffer;
pub mod checkmetrics;
pub mod collect;
pub mod config;
pub mod packed;
pub mod schedule;
pub mod selfmetrics;
pub mod uplink;
