//! Pharos agent: collectors (sources) → assembler → disk buffer → uplink (sink), each a small
//! component, wired together in [`app`].

pub mod app;
pub mod assemble;
pub mod buffer;
pub mod collect;
pub mod config;
pub mod selfmetrics;
pub mod uplink;
