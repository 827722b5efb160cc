//! The icmp prober: one echo request, waiting for its reply.
//!
//! Uses an unprivileged ICMP datagram socket (`SOCK_DGRAM`/`IPPROTO_ICMP`, allowed to the groups
//! in `net.ipv4.ping_group_range`) and falls back to a raw socket (root or `CAP_NET_RAW`), as
//! blackbox does. The socket is non-blocking and driven by tokio's `AsyncFd`, so dropping the
//! probe at its deadline closes it.

use super::{choose_protocol, IcmpSettings, IpProtocol, Report};
use std::net::IpAddr;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::OnceLock;
use std::time::Instant;
use tokio::io::unix::AsyncFd;
use tracing::debug;

const DURATION: &str = "probe_icmp_duration_seconds";
const HELP_DURATION: &str = "Duration of icmp request by phase";
/// blackbox's payload, so that captures of both look alike.
const PAYLOAD: &[u8] = b"Prometheus Blackbox Exporter";

/// Echo sequence numbers, shared by all icmp probes of the process (as in blackbox).
static SEQUENCE: AtomicU16 = AtomicU16::new(0);
static SEQUENCE_START: OnceLock<u16> = OnceLock::new();

/// Probes `target` (a host); true when the matching echo reply came.
pub(super) async fn probe(
    target: &str,
    ip: IpProtocol,
    source: Option<IpAddr>,
    s: &IcmpSettings,
    r: &mut Report,
) -> bool {
    r.phases(DURATION, HELP_DURATION, &["resolve", "setup", "rtt"]);
    let (addr, lookup) = choose_protocol(target, ip, r).await;
    let dst = match addr {
        Ok(a) => a,
        Err(e) => {
            debug!(error = %e, "error resolving the target");
            return r.fail("error resolving the target");
        }
    };
    r.add_phase(DURATION, HELP_DURATION, "resolve", lookup);
    let setup = Instant::now();
    let (fd, privileged) = match open(dst, source, s) {
        Ok(s) => s,
        Err(e) => {
            debug!(error = %e, "cannot open an ICMP socket (datagram nor raw)");
            return r.fail("cannot open an ICMP socket (datagram nor raw)");
        }
    };
    // SAFETY: the OwnedFd moves into the AsyncFd, which owns it until it is dropped; nothing
    // else closes or replaces the descriptor meanwhile.
    let sock = match unsafe { AsyncFd::register(fd) } {
        Ok(s) => s,
        Err(e) => {
            debug!(error = %e, "cannot register the ICMP socket");
            return r.fail("cannot register the ICMP socket");
        }
    };
    let id = (std::process::id() & 0xffff) as u16;
    // A random start, so that agents restarted together do not send in step (as blackbox).
    let seq = SEQUENCE.fetch_add(1, Ordering::Relaxed).wrapping_add(*SEQUENCE_START.get_or_init(rand::random));
    let v6 = dst.is_ipv6();
    let mut packet = vec![if v6 { 128 } else { 8 }, 0, 0, 0];
    packet.extend_from_slice(&id.to_be_bytes());
    packet.extend_from_slice(&seq.to_be_bytes());
    if s.payload_size == 0 {
        packet.extend_from_slice(PAYLOAD);
    } else {
        // blackbox: payload_size bytes, starting with its text.
        let mut payload = vec![0u8; s.payload_size];
        let n = PAYLOAD.len().min(s.payload_size);
        payload[..n].copy_from_slice(&PAYLOAD[..n]);
        packet.extend_from_slice(&payload);
    }
    if !v6 {
        // ICMPv6 checksums cover a pseudo-header and are always computed by the kernel.
        let sum = checksum(&packet);
        packet[2..4].copy_from_slice(&sum.to_be_bytes());
    }
    r.add_phase(DURATION, HELP_DURATION, "setup", setup.elapsed());
    let rtt_start = Instant::now();
    if let Err(e) = send(&sock, &packet, dst).await {
        debug!(error = %e, "error writing to the ICMP socket");
        return r.fail("error writing to the ICMP socket");
    }
    let mut buf = vec![0u8; 65536];
    loop {
        let (n, from, hop) = match recv(&sock, &mut buf).await {
            Ok(x) => x,
            Err(e) => {
                // e.g. an unreachable network reported on a datagram socket: no reply will come.
                debug!(error = %e, "error reading from the ICMP socket");
                return r.fail("error reading from the ICMP socket");
            }
        };
        if from != Some(dst) {
            continue;
        }
        let mut data = buf.get(..n).unwrap_or_default();
        let mut hop = hop;
        if privileged && !v6 {
            // Raw IPv4 sockets hand over the IP header too.
            let ihl = usize::from(data.first().copied().unwrap_or(0) & 0x0f) * 4;
            if hop.is_none() {
                hop = data.get(8).copied().map(f64::from);
            }
            data = data.get(ihl..).unwrap_or_default();
        }
        let reply_type = if v6 { 129 } else { 0 };
        // A datagram socket's kernel rewrites the id (and filters replies by it), so only a raw
        // socket compares it.
        let matches = data.len() == packet.len()
            && data[0] == reply_type
            && data[1] == 0
            && (!privileged || data[4..6] == packet[4..6])
            && data[6..] == packet[6..];
        if matches {
            r.add_phase(DURATION, HELP_DURATION, "rtt", rtt_start.elapsed());
            if let Some(h) = hop {
                r.set("probe_icmp_reply_hop_limit", "Replied packet hop limit (TTL for ipv4)", h);
            }
            return true;
        }
    }
}

/// Sets an integer socket option; false (logged) when refused.
fn set_int(fd: &OwnedFd, level: libc::c_int, opt: libc::c_int, v: libc::c_int, what: &str) -> bool {
    // SAFETY: `v` outlives the call and its size is passed.
    let rc = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            opt,
            (&v as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if rc != 0 {
        debug!(error = %std::io::Error::last_os_error(), what, "setsockopt");
    }
    rc == 0
}

/// Opens an ICMP socket for `dst`'s family: datagram if allowed, else raw; bound to `source` if
/// given, with the TTL and DF bit of `s`. Returns it and whether it is raw.
fn open(dst: IpAddr, source: Option<IpAddr>, s: &IcmpSettings) -> std::io::Result<(OwnedFd, bool)> {
    let (domain, proto) = match dst {
        IpAddr::V4(_) => (libc::AF_INET, libc::IPPROTO_ICMP),
        IpAddr::V6(_) => (libc::AF_INET6, libc::IPPROTO_ICMPV6),
    };
    let flags = libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC;
    let mut privileged = false;
    // SAFETY: plain socket(2) calls; a valid descriptor is owned by the OwnedFd below.
    let mut fd = unsafe { libc::socket(domain, libc::SOCK_DGRAM | flags, proto) };
    if fd < 0 {
        debug!(error = %std::io::Error::last_os_error(), "unprivileged ICMP socket refused, trying a raw socket");
        fd = unsafe { libc::socket(domain, libc::SOCK_RAW | flags, proto) };
        privileged = true;
    }
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: fd is a fresh descriptor that nothing else owns.
    let owned = unsafe { OwnedFd::from_raw_fd(fd) };
    debug!(socket = if privileged { "raw" } else { "datagram (unprivileged)" }, "ICMP socket");
    let on: libc::c_int = 1;
    let (level, opt) = match dst {
        IpAddr::V4(_) => (libc::IPPROTO_IP, libc::IP_RECVTTL),
        IpAddr::V6(_) => (libc::IPPROTO_IPV6, libc::IPV6_RECVHOPLIMIT),
    };
    // SAFETY: `on` outlives the call and its size is passed.
    let rc = unsafe {
        libc::setsockopt(
            owned.as_raw_fd(),
            level,
            opt,
            (&on as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if rc != 0 {
        debug!(error = %std::io::Error::last_os_error(), "cannot ask for the reply's hop limit; probe_icmp_reply_hop_limit will be missing");
    }
    if let Some(src) = source {
        let (ss, len) = sockaddr(src);
        // SAFETY: ss lives across the call and len is its used size.
        if unsafe { libc::bind(owned.as_raw_fd(), (&ss as *const libc::sockaddr_storage).cast(), len) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    let v6 = dst.is_ipv6();
    if s.ttl > 0 {
        let (level, opt) =
            if v6 { (libc::IPPROTO_IPV6, libc::IPV6_UNICAST_HOPS) } else { (libc::IPPROTO_IP, libc::IP_TTL) };
        set_int(&owned, level, opt, libc::c_int::from(s.ttl), "ttl");
    }
    if s.dont_fragment
        && !v6
        && !set_int(&owned, libc::IPPROTO_IP, libc::IP_MTU_DISCOVER, libc::IP_PMTUDISC_DO, "dont_fragment")
    {
        return Err(std::io::Error::last_os_error());
    }
    Ok((owned, privileged))
}

fn sockaddr(dst: IpAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    // SAFETY: sockaddr_storage is plain data; all-zero is a valid value.
    let mut ss: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let len = match dst {
        IpAddr::V4(v4) => {
            let sin = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: 0,
                sin_addr: libc::in_addr { s_addr: u32::from_ne_bytes(v4.octets()) },
                sin_zero: [0; 8],
            };
            // SAFETY: sockaddr_storage is larger than sockaddr_in and suitably aligned.
            unsafe { std::ptr::write((&mut ss as *mut libc::sockaddr_storage).cast(), sin) };
            std::mem::size_of::<libc::sockaddr_in>()
        }
        IpAddr::V6(v6) => {
            let sin6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: 0,
                sin6_flowinfo: 0,
                sin6_addr: libc::in6_addr { s6_addr: v6.octets() },
                sin6_scope_id: 0,
            };
            // SAFETY: as above, for sockaddr_in6.
            unsafe { std::ptr::write((&mut ss as *mut libc::sockaddr_storage).cast(), sin6) };
            std::mem::size_of::<libc::sockaddr_in6>()
        }
    };
    (ss, len as libc::socklen_t)
}

fn peer(ss: &libc::sockaddr_storage) -> Option<IpAddr> {
    match i32::from(ss.ss_family) {
        libc::AF_INET => {
            // SAFETY: the family says the storage holds a sockaddr_in.
            let sin: &libc::sockaddr_in = unsafe { &*(ss as *const libc::sockaddr_storage).cast() };
            Some(IpAddr::from(sin.sin_addr.s_addr.to_ne_bytes()))
        }
        libc::AF_INET6 => {
            // SAFETY: the family says the storage holds a sockaddr_in6.
            let sin6: &libc::sockaddr_in6 = unsafe { &*(ss as *const libc::sockaddr_storage).cast() };
            Some(IpAddr::from(sin6.sin6_addr.s6_addr))
        }
        _ => None,
    }
}

async fn send(sock: &AsyncFd<OwnedFd>, packet: &[u8], dst: IpAddr) -> std::io::Result<()> {
    let (ss, len) = sockaddr(dst);
    loop {
        let mut guard = sock.writable().await?;
        let res = guard.try_io(|fd| {
            // SAFETY: packet and ss outlive the call; their lengths are passed.
            let n = unsafe {
                libc::sendto(
                    fd.as_raw_fd(),
                    packet.as_ptr().cast(),
                    packet.len(),
                    0,
                    (&ss as *const libc::sockaddr_storage).cast(),
                    len,
                )
            };
            if n < 0 {
                Err(std::io::Error::last_os_error())
            } else {
                Ok(())
            }
        });
        match res {
            Ok(r) => return r,
            Err(_would_block) => continue,
        }
    }
}

/// Receives one packet: its length, sender, and the TTL / hop limit from the control message.
async fn recv(sock: &AsyncFd<OwnedFd>, buf: &mut [u8]) -> std::io::Result<(usize, Option<IpAddr>, Option<f64>)> {
    loop {
        let mut guard = sock.readable().await?;
        let res = guard.try_io(|fd| {
            // SAFETY: all-zero is valid for these plain C structs.
            let mut ss: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
            let mut control = [0u64; 16];
            let mut iov = libc::iovec { iov_base: buf.as_mut_ptr().cast(), iov_len: buf.len() };
            let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
            msg.msg_name = (&mut ss as *mut libc::sockaddr_storage).cast();
            msg.msg_namelen = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
            msg.msg_iov = &mut iov;
            msg.msg_iovlen = 1;
            msg.msg_control = control.as_mut_ptr().cast();
            msg.msg_controllen = std::mem::size_of_val(&control) as _;
            // SAFETY: every pointer in msg refers to a live local buffer of the stated size.
            let n = unsafe { libc::recvmsg(fd.as_raw_fd(), &mut msg, 0) };
            if n < 0 {
                return Err(std::io::Error::last_os_error());
            }
            let mut hop = None;
            // SAFETY: CMSG_* walk the control buffer the kernel just filled, within msg_controllen.
            unsafe {
                let mut c = libc::CMSG_FIRSTHDR(&msg);
                while !c.is_null() {
                    let (level, kind) = ((*c).cmsg_level, (*c).cmsg_type);
                    if (level == libc::IPPROTO_IP && kind == libc::IP_TTL)
                        || (level == libc::IPPROTO_IPV6 && kind == libc::IPV6_HOPLIMIT)
                    {
                        let v: libc::c_int = std::ptr::read_unaligned(libc::CMSG_DATA(c).cast());
                        hop = Some(f64::from(v));
                    }
                    c = libc::CMSG_NXTHDR(&msg, c);
                }
            }
            Ok((n as usize, peer(&ss), hop))
        });
        match res {
            Ok(r) => return r,
            Err(_would_block) => continue,
        }
    }
}

/// The Internet checksum (RFC 1071).
fn checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for chunk in data.chunks(2) {
        let word = u16::from_be_bytes([chunk[0], chunk.get(1).copied().unwrap_or(0)]);
        sum += u32::from(word);
    }
    while sum >> 16 != 0 {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}
