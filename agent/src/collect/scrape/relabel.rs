//! `metric_relabel_configs` with Prometheus 2.42's semantics: the implementation lives in
//! `pharos_protocol::relabel`, shared with the aggregator's `write_relabel_configs`.

pub use pharos_protocol::relabel::*;
