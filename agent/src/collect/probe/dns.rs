//! The dns prober: one query to a server over UDP, TCP or TLS (`dns_over_tls`), with blackbox's
//! rcode and record checks.
//!
//! Unlike blackbox, where the target is the server and the query name is module config, here the
//! target is the query name (so that `instance` names what is checked) and the server is `server`.

use super::dnsmsg::{self, Record};
use super::tls;
use super::{choose_protocol, split_host_port, DnsSettings, IpProtocol, Report, RrValidator};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tracing::debug;

const DURATION: &str = "probe_dns_duration_seconds";
const HELP_DURATION: &str = "Duration of DNS request by phase";

/// Why the query got no reply.
#[derive(Debug, thiserror::Error)]
enum ExchangeError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Dns(#[from] dnsmsg::DnsError),
    #[error("no reply before the deadline")]
    Timeout,
    #[error("TLS: {0}")]
    Tls(#[from] tls::TlsError),
}

trait Stream: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send> Stream for T {}

/// Probes `name` as configured; true on success.
pub(super) async fn probe(
    name: &str,
    ip: IpProtocol,
    source: Option<IpAddr>,
    s: &DnsSettings,
    r: &mut Report,
    deadline: tokio::time::Instant,
) -> bool {
    r.phases(DURATION, HELP_DURATION, &["resolve", "connect", "request"]);
    r.gauge("probe_dns_answer_rrs", "Returns number of entries in the answer resource record list");
    r.gauge("probe_dns_authority_rrs", "Returns number of entries in the authority resource record list");
    r.gauge("probe_dns_additional_rrs", "Returns number of entries in the additional resource record list");
    r.gauge("probe_dns_query_succeeded", "Displays whether or not the query was executed successfully");

    let server = match &s.server {
        Some(s) => s.clone(),
        None => match system_nameserver().await {
            Some(s) => s,
            None => {
                debug!("no server configured and no nameserver in /etc/resolv.conf");
                return r.fail("no server configured and no nameserver in /etc/resolv.conf");
            }
        },
    };
    let default_port = if s.dns_over_tls { 853 } else { 53 };
    let (host, port) = split_host_port(&server).unwrap_or((server.clone(), default_port));
    let (addr, lookup) = choose_protocol(&host, ip, r).await;
    r.add_phase(DURATION, HELP_DURATION, "resolve", lookup);
    let addr = match addr {
        Ok(a) => SocketAddr::new(a, port),
        Err(e) => {
            debug!(error = %e, "error resolving the DNS server");
            return r.fail("error resolving the DNS server");
        }
    };
    let id: u16 = rand::random();
    let query = match dnsmsg::build_query(id, name, s.query_type, s.query_class, s.recursion_desired) {
        Ok(q) => q,
        Err(e) => {
            debug!(error = %e, "cannot build the query");
            return r.fail("cannot build the query");
        }
    };
    let started = Instant::now();
    let mut rtt = Duration::ZERO;
    let transport = match (s.tcp, s.dns_over_tls) {
        (false, _) => Transport::Udp,
        (true, false) => Transport::Tcp,
        (true, true) => Transport::Tls(s, &host),
    };
    let result = match tokio::time::timeout_at(deadline, exchange(addr, source, transport, &query, id, &mut rtt)).await
    {
        Ok(r) => r,
        Err(_) => Err(ExchangeError::Timeout),
    };
    // As blackbox: "connect" is everything but the request's round trip.
    r.set_labeled(
        DURATION,
        HELP_DURATION,
        &[("phase", "connect")],
        (started.elapsed().saturating_sub(rtt)).as_secs_f64(),
    );
    r.set_labeled(DURATION, HELP_DURATION, &[("phase", "request")], rtt.as_secs_f64());
    let reply = match result {
        Ok(m) => m,
        Err(e) => {
            debug!(server = %addr, error = %e, "DNS query failed");
            // The deadline is the probe's own timeout: say so, as a probe cut anywhere else does.
            return r.fail(if matches!(e, ExchangeError::Timeout) {
                "timeout"
            } else {
                "error while sending a DNS query"
            });
        }
    };
    r.set(
        "probe_dns_answer_rrs",
        "Returns number of entries in the answer resource record list",
        reply.answer.len() as f64,
    );
    r.set(
        "probe_dns_authority_rrs",
        "Returns number of entries in the authority resource record list",
        reply.authority.len() as f64,
    );
    r.set(
        "probe_dns_additional_rrs",
        "Returns number of entries in the additional resource record list",
        reply.additional.len() as f64,
    );
    r.set("probe_dns_query_succeeded", "Displays whether or not the query was executed successfully", 1.0);
    if s.query_type == dnsmsg::TYPE_SOA {
        r.gauge("probe_dns_serial", "Returns the serial number of the zone");
        for rec in &reply.answer {
            if let Some(serial) = rec.soa_serial {
                r.set("probe_dns_serial", "Returns the serial number of the zone", f64::from(serial));
            }
        }
    }
    if !s.valid_rcodes.contains(&reply.rcode) {
        debug!(rcode = %dnsmsg::rcode_name(reply.rcode), "rcode is not one of the valid rcodes");
        return r.fail("rcode is not one of the valid rcodes");
    }
    // Each section in turn, as blackbox, which names the section that failed.
    if !valid_rrs(&reply.answer, &s.validate_answer_rrs, "answer") {
        return r.fail("answer RRs validation failed");
    }
    if !valid_rrs(&reply.authority, &s.validate_authority_rrs, "authority") {
        return r.fail("authority RRs validation failed");
    }
    valid_rrs(&reply.additional, &s.validate_additional_rrs, "additional") || r.fail("additional RRs validation failed")
}

/// How the query travels.
enum Transport<'a> {
    Udp,
    Tcp,
    /// DNS over TLS, with the settings and the server's host (the default TLS name).
    Tls(&'a DnsSettings, &'a str),
}

/// Sends the query and waits for the reply with the same id; `rtt` gets the time from sending to
/// the reply (the connection's setup, TLS handshake included, excluded).
async fn exchange(
    addr: SocketAddr,
    source: Option<IpAddr>,
    transport: Transport<'_>,
    query: &[u8],
    id: u16,
    rtt: &mut Duration,
) -> Result<dnsmsg::Reply, ExchangeError> {
    if !matches!(transport, Transport::Udp) {
        let tcp = super::tcp_connect(addr, source).await?;
        let mut conn: Box<dyn Stream> = match transport {
            Transport::Tls(s, host) => {
                let c = tls::client(&s.tls, &[]).await?;
                let name = tls::server_name(&s.tls, host)?;
                Box::new(tokio_rustls::TlsConnector::from(c.config.clone()).connect(name, tcp).await?)
            }
            _ => Box::new(tcp),
        };
        let sent = Instant::now();
        let mut framed = Vec::with_capacity(query.len() + 2);
        framed.extend_from_slice(&(query.len() as u16).to_be_bytes());
        framed.extend_from_slice(query);
        conn.write_all(&framed).await?;
        let len = conn.read_u16().await? as usize;
        let mut buf = vec![0u8; len];
        conn.read_exact(&mut buf).await?;
        *rtt = sent.elapsed();
        let reply = dnsmsg::parse_reply(&buf)?;
        if reply.id != id {
            return Err(dnsmsg::DnsError::Malformed("reply id does not match the query's").into());
        }
        return Ok(reply);
    }
    let local: SocketAddr = match (source, addr.ip()) {
        (Some(src), _) => (src, 0).into(),
        (None, IpAddr::V4(_)) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        (None, IpAddr::V6(_)) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    let sock = tokio::net::UdpSocket::bind(local).await?;
    sock.connect(addr).await?;
    let sent = Instant::now();
    sock.send(query).await?;
    let mut buf = vec![0u8; 65535];
    loop {
        let n = sock.recv(&mut buf).await?;
        let data = buf.get(..n).unwrap_or_default();
        // A stray or spoofed datagram is not our reply: keep waiting, as a resolver would.
        if data.len() < 2 || u16::from_be_bytes([data[0], data[1]]) != id {
            continue;
        }
        *rtt = sent.elapsed();
        return Ok(dnsmsg::parse_reply(data)?);
    }
}

/// blackbox's `validRRs`.
fn valid_rrs(rrs: &[Record], v: &RrValidator, section: &str) -> bool {
    if rrs.is_empty() && (!v.fail_if_not_matches_regexp.is_empty() || !v.fail_if_none_matches_regexp.is_empty()) {
        debug!(section, "a regexp must match but there are no records");
        return false;
    }
    let mut any_match = false;
    let mut all_match = true;
    for rr in rrs {
        if let Some(re) = v.fail_if_matches_regexp.iter().find(|re| re.is_match(&rr.text)) {
            debug!(section, regexp = %re, rr = %rr.text, "a record matched");
            return false;
        }
        if v.fail_if_all_match_regexp.iter().any(|re| !re.is_match(&rr.text)) {
            all_match = false;
        }
        if let Some(re) = v.fail_if_not_matches_regexp.iter().find(|re| !re.is_match(&rr.text)) {
            debug!(section, regexp = %re, rr = %rr.text, "a record did not match");
            return false;
        }
        if v.fail_if_none_matches_regexp.iter().any(|re| re.is_match(&rr.text)) {
            any_match = true;
        }
    }
    // blackbox 0.23 fails here when NOT all records match, whatever the key's name says; kept so
    // that a module moved over behaves the same.
    if !v.fail_if_all_match_regexp.is_empty() && !all_match {
        debug!(section, "not all records matched");
        return false;
    }
    if !v.fail_if_none_matches_regexp.is_empty() && !any_match {
        debug!(section, "no record matched");
        return false;
    }
    true
}

/// The first `nameserver` of /etc/resolv.conf.
async fn system_nameserver() -> Option<String> {
    let text = tokio::fs::read_to_string("/etc/resolv.conf").await.ok()?;
    text.lines().find_map(|l| {
        let mut it = l.split_whitespace();
        (it.next() == Some("nameserver")).then(|| it.next()).flatten().map(|ip| match ip.parse::<IpAddr>() {
            Ok(IpAddr::V6(v6)) => format!("[{v6}]:53"),
            _ => format!("{ip}:53"),
        })
    })
}
