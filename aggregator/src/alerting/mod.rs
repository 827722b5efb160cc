//! Alertmanager semantics and configuration: routing, grouping, inhibition, silences, receivers.
