//! The few DNS wire-format pieces the dns prober needs: building one query, parsing a reply, and
//! writing records in the text form of Go's miekg/dns (`rr.String()`), which is what blackbox's
//! `validate_*_rrs` regexes are written against (`example.org.\t300\tIN\tA\t192.0.2.1`).
//!
//! Kept here rather than pulled from a DNS library because the text form must be miekg's, which no
//! Rust library prints, and the rest is a few hundred lines.

use std::fmt::Write;
use std::net::{Ipv4Addr, Ipv6Addr};

/// The `ANY` query type, blackbox's default.
pub(crate) const TYPE_ANY: u16 = 255;
/// The `SOA` type.
pub(crate) const TYPE_SOA: u16 = 6;

const TYPES: &[(&str, u16)] = &[
    ("A", 1),
    ("NS", 2),
    ("CNAME", 5),
    ("SOA", 6),
    ("PTR", 12),
    ("HINFO", 13),
    ("MX", 15),
    ("TXT", 16),
    ("AAAA", 28),
    ("SRV", 33),
    ("NAPTR", 35),
    ("DNAME", 39),
    ("OPT", 41),
    ("DS", 43),
    ("SSHFP", 44),
    ("RRSIG", 46),
    ("NSEC", 47),
    ("DNSKEY", 48),
    ("TLSA", 52),
    ("SVCB", 64),
    ("HTTPS", 65),
    ("SPF", 99),
    ("AXFR", 252),
    ("ANY", 255),
    ("CAA", 257),
];

const CLASSES: &[(&str, u16)] = &[("IN", 1), ("CS", 2), ("CH", 3), ("HS", 4), ("NONE", 254), ("ANY", 255)];

const RCODES: &[(&str, u16)] = &[
    ("NOERROR", 0),
    ("FORMERR", 1),
    ("SERVFAIL", 2),
    ("NXDOMAIN", 3),
    ("NOTIMP", 4),
    ("REFUSED", 5),
    ("YXDOMAIN", 6),
    ("YXRRSET", 7),
    ("NXRRSET", 8),
    ("NOTAUTH", 9),
    ("NOTZONE", 10),
];

/// The code of a type name (`A`, `TYPE99`).
pub(crate) fn type_code(s: &str) -> Option<u16> {
    TYPES.iter().find(|(n, _)| *n == s).map(|(_, c)| *c).or_else(|| s.strip_prefix("TYPE")?.parse().ok())
}

/// The code of a class name.
pub(crate) fn class_code(s: &str) -> Option<u16> {
    CLASSES.iter().find(|(n, _)| *n == s).map(|(_, c)| *c).or_else(|| s.strip_prefix("CLASS")?.parse().ok())
}

/// The code of an rcode name.
pub(crate) fn rcode_code(s: &str) -> Option<u16> {
    RCODES.iter().find(|(n, _)| *n == s).map(|(_, c)| *c)
}

/// The name of an rcode, for logs.
pub(crate) fn rcode_name(c: u16) -> String {
    RCODES.iter().find(|(_, n)| *n == c).map(|(s, _)| s.to_string()).unwrap_or_else(|| c.to_string())
}

fn type_name(c: u16) -> String {
    TYPES.iter().find(|(_, n)| *n == c).map(|(s, _)| s.to_string()).unwrap_or_else(|| format!("TYPE{c}"))
}

fn class_name(c: u16) -> String {
    CLASSES.iter().find(|(_, n)| *n == c).map(|(s, _)| s.to_string()).unwrap_or_else(|| format!("CLASS{c}"))
}

/// Why a reply could not be parsed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum DnsError {
    /// The message ended early or points outside itself.
    #[error("malformed DNS message: {0}")]
    Malformed(&'static str),
    /// The query name cannot be encoded.
    #[error("invalid query name {0:?}")]
    BadName(String),
}

/// A query for `name` (made fully qualified), `qtype`, `qclass`.
pub(crate) fn build_query(id: u16, name: &str, qtype: u16, qclass: u16, rd: bool) -> Result<Vec<u8>, DnsError> {
    let mut m = Vec::with_capacity(32 + name.len());
    m.extend_from_slice(&id.to_be_bytes());
    m.extend_from_slice(&(if rd { 0x0100u16 } else { 0 }).to_be_bytes());
    m.extend_from_slice(&[0, 1, 0, 0, 0, 0, 0, 0]);
    let fqdn = name.trim_end_matches('.');
    if !fqdn.is_empty() {
        for label in fqdn.split('.') {
            if label.is_empty() || label.len() > 63 {
                return Err(DnsError::BadName(name.to_string()));
            }
            m.push(label.len() as u8);
            m.extend_from_slice(label.as_bytes());
        }
    }
    m.push(0);
    if m.len() > 12 + 255 {
        return Err(DnsError::BadName(name.to_string()));
    }
    m.extend_from_slice(&qtype.to_be_bytes());
    m.extend_from_slice(&qclass.to_be_bytes());
    Ok(m)
}

/// A parsed reply.
#[derive(Debug, Default)]
pub(crate) struct Reply {
    /// Message id.
    pub id: u16,
    /// Response code (header bits only).
    pub rcode: u16,
    /// Answer records.
    pub answer: Vec<Record>,
    /// Authority records.
    pub authority: Vec<Record>,
    /// Additional records.
    pub additional: Vec<Record>,
}

/// One resource record.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    /// miekg/dns text form.
    pub text: String,
    /// The serial, for SOA records.
    pub soa_serial: Option<u32>,
}

struct Reader<'a> {
    msg: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DnsError> {
        let end = self.pos.checked_add(n).ok_or(DnsError::Malformed("length overflow"))?;
        let s = self.msg.get(self.pos..end).ok_or(DnsError::Malformed("truncated"))?;
        self.pos = end;
        Ok(s)
    }
    fn u16(&mut self) -> Result<u16, DnsError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, DnsError> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    /// A possibly compressed name, as miekg prints it (`.` for the root, special bytes escaped).
    fn name(&mut self) -> Result<String, DnsError> {
        let mut out = String::new();
        let mut pos = self.pos;
        let mut jumped = false;
        for _ in 0..128 {
            let len = *self.msg.get(pos).ok_or(DnsError::Malformed("name runs past the end"))? as usize;
            if len & 0xC0 == 0xC0 {
                let lo = *self.msg.get(pos + 1).ok_or(DnsError::Malformed("truncated pointer"))? as usize;
                if !jumped {
                    self.pos = pos + 2;
                }
                jumped = true;
                pos = ((len & 0x3F) << 8) | lo;
                continue;
            }
            if len == 0 {
                if !jumped {
                    self.pos = pos + 1;
                }
                if out.is_empty() {
                    out.push('.');
                }
                return Ok(out);
            }
            let label = self.msg.get(pos + 1..pos + 1 + len).ok_or(DnsError::Malformed("label runs past the end"))?;
            for &b in label {
                match b {
                    b'.' | b' ' | b'\'' | b'@' | b';' | b'(' | b')' | b'"' | b'\\' => {
                        out.push('\\');
                        out.push(b as char);
                    }
                    0x21..=0x7E => out.push(b as char),
                    _ => {
                        let _ = write!(out, "\\{b:03}");
                    }
                }
            }
            out.push('.');
            pos += 1 + len;
        }
        Err(DnsError::Malformed("name compression loop"))
    }
}

fn quoted(s: &[u8]) -> String {
    let mut out = String::from("\"");
    for &b in s {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(b as char);
            }
            0x20..=0x7E => out.push(b as char),
            _ => {
                let _ = write!(out, "\\{b:03}");
            }
        }
    }
    out.push('"');
    out
}

/// Parses a reply. Records of unknown type are kept in RFC 3597 form (`\# len hex`).
pub(crate) fn parse_reply(msg: &[u8]) -> Result<Reply, DnsError> {
    let mut r = Reader { msg, pos: 0 };
    let id = r.u16()?;
    let flags = r.u16()?;
    let counts = [r.u16()?, r.u16()?, r.u16()?, r.u16()?];
    for _ in 0..counts[0] {
        r.name()?;
        r.take(4)?;
    }
    let mut sections: [Vec<Record>; 3] = Default::default();
    for (section, &count) in sections.iter_mut().zip(&counts[1..]) {
        for _ in 0..count {
            section.push(record(&mut r)?);
        }
    }
    let [answer, authority, additional] = sections;
    Ok(Reply { id, rcode: flags & 0x000F, answer, authority, additional })
}

fn record(r: &mut Reader<'_>) -> Result<Record, DnsError> {
    let name = r.name()?;
    let rtype = r.u16()?;
    let class = r.u16()?;
    let ttl = r.u32()?;
    let len = r.u16()? as usize;
    let start = r.pos;
    let rdata = r.take(len)?;
    let end = r.pos;
    // Names inside rdata may point anywhere in the message, so read them with a full reader.
    let mut d = Reader { msg: r.msg, pos: start };
    let mut soa_serial = None;
    let text: Result<String, DnsError> = (|| {
        Ok(match rtype {
            1 if len == 4 => Ipv4Addr::new(rdata[0], rdata[1], rdata[2], rdata[3]).to_string(),
            28 if len == 16 => {
                let mut a = [0u8; 16];
                a.copy_from_slice(rdata);
                Ipv6Addr::from(a).to_string()
            }
            2 | 5 | 12 | 39 => d.name()?,
            15 => {
                let pref = d.u16()?;
                format!("{pref} {}", d.name()?)
            }
            6 => {
                let (ns, mbox) = (d.name()?, d.name()?);
                let v = [d.u32()?, d.u32()?, d.u32()?, d.u32()?, d.u32()?];
                soa_serial = Some(v[0]);
                format!("{ns} {mbox} {} {} {} {} {}", v[0], v[1], v[2], v[3], v[4])
            }
            33 => {
                let (p, w, port) = (d.u16()?, d.u16()?, d.u16()?);
                format!("{p} {w} {port} {}", d.name()?)
            }
            16 | 99 => {
                let mut parts = Vec::new();
                let mut i = 0;
                while i < rdata.len() {
                    let l = rdata[i] as usize;
                    let s =
                        rdata.get(i + 1..i + 1 + l).ok_or(DnsError::Malformed("TXT string runs past its record"))?;
                    parts.push(quoted(s));
                    i += 1 + l;
                }
                parts.join(" ")
            }
            257 if len >= 2 => {
                let tl = rdata[1] as usize;
                let tag = rdata.get(2..2 + tl).ok_or(DnsError::Malformed("CAA tag runs past its record"))?;
                format!("{} {} {}", rdata[0], String::from_utf8_lossy(tag), quoted(&rdata[2 + tl..]))
            }
            _ => {
                let mut s = format!("\\# {len}");
                if len > 0 {
                    s.push(' ');
                    for b in rdata {
                        let _ = write!(s, "{b:02x}");
                    }
                }
                s
            }
        })
    })();
    let text = format!("{name}\t{ttl}\t{}\t{}\t{}", class_name(class), type_name(rtype), text?);
    r.pos = end;
    Ok(Record { text, soa_serial })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_and_reply_round_trip() {
        let q = build_query(0x1234, "ok.example", 1, 1, true).expect("query");
        assert_eq!(&q[..4], &[0x12, 0x34, 0x01, 0x00]);
        // A reply: header, the question, one A answer with a compressed name, one SOA in authority.
        let mut m = q.clone();
        m[2] = 0x81;
        m[3] = 0x80;
        m[7] = 1; // ancount
        m[9] = 1; // nscount
        m.extend_from_slice(&[0xC0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 127, 0, 0, 1]);
        // SOA for example. (offset 15): mname ns.example. (5 bytes), rname example. (2), 5 numbers.
        m.extend_from_slice(&[0xC0, 15, 0, 6, 0, 1, 0, 0, 0, 60, 0, 27]);
        m.extend_from_slice(&[2, b'n', b's', 0xC0, 15, 0xC0, 15]);
        for v in [2024u32, 1, 2, 3, 4] {
            m.extend_from_slice(&v.to_be_bytes());
        }
        let r = parse_reply(&m).expect("parse");
        assert_eq!(r.id, 0x1234);
        assert_eq!(r.rcode, 0);
        assert_eq!(r.answer[0].text, "ok.example.\t3600\tIN\tA\t127.0.0.1");
        assert_eq!(r.authority[0].soa_serial, Some(2024));
        assert_eq!(r.authority[0].text, "example.\t60\tIN\tSOA\tns.example. example. 2024 1 2 3 4");
    }

    #[test]
    fn truncated_replies_are_errors_not_panics() {
        let q = build_query(1, "a.b", 1, 1, true).expect("query");
        for n in 0..q.len() {
            let mut m = q[..n].to_vec();
            if m.len() > 7 {
                m[7] = 3;
            }
            let _ = parse_reply(&m);
        }
    }
}
