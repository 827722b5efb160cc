//! The agent's uplink: the sink that pushes buffered batches to its aggregators, built from
//! `[uplink]` on the `pharos-uplink` crate (which the aggregator also uses towards a parent).
//! With `uplink.servers` naming two aggregators, each gets every batch and has its own position
//! in the buffer; a batch leaves the buffer once both have stored it.

use crate::config::AgentConfig;
use pharos_protocol::tls;
pub use pharos_uplink::{now_ms, Kind, Uplink, UplinkError, UplinkSettings, UplinkState, Wake};

/// The uplink settings of the agent's configuration; fails if the TLS files cannot be read.
pub fn settings(cfg: &AgentConfig) -> Result<UplinkSettings, UplinkError> {
    let ca_pem = tls::read_pem_file(&cfg.ca_file())?;
    let pair =
        tls::PemPair { cert_pem: tls::read_pem_file(&cfg.cert_file())?, key_pem: tls::read_pem_file(&cfg.key_file())? };
    let u = &cfg.uplink;
    let mut s = UplinkSettings::new(cfg.agent.name.clone(), cfg.servers(), ca_pem, pair);
    s.server_name = u.server_name.clone();
    s.interval = cfg.agent.interval;
    s.backoff_min = u.backoff_min;
    s.backoff_max = u.backoff_max;
    s.max_in_flight = u.max_in_flight;
    s.timeout = u.timeout;
    s.limits = cfg.limits;
    s.transport = u.transport;
    s.quic_connect_timeout = u.quic_connect_timeout;
    s.quic_probe_interval = u.quic_probe_interval;
    Ok(s)
}
