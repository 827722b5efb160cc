//! PostgreSQL values as postgres_exporter 0.11 sees them, and its generic "namespace" mapping of
//! a query's columns to metrics.
//!
//! postgres_exporter reads results through lib/pq in text form and converts each column with
//! `dbToFloat64` (values) or `dbToString` (labels): integers and floats as numbers, timestamps as
//! whole Unix seconds, booleans as 1/0, NULL as NaN, and anything else by parsing its text as a
//! number (skipped when that fails, e.g. a `pg_lsn`). tokio-postgres reads the binary form, so
//! [`Val`] decodes the binary encodings of those types into the same results.

use super::Families;
use crate::collect::MetricType;
use std::error::Error;
use tokio_postgres::types::{FromSql, Type};
use tokio_postgres::Row;

/// Seconds from the Unix epoch to PostgreSQL's epoch (2000-01-01 UTC).
const PG_EPOCH_UNIX: i64 = 946_684_800;

/// One column value, decoded from PostgreSQL's binary format.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    /// SQL NULL.
    Null,
    /// A number (integer, float, numeric, oid, xid).
    Num(f64),
    /// A timestamp, as whole Unix seconds (Go's `time.Time.Unix()`, which rounds down).
    Time(i64),
    /// A boolean.
    Bool(bool),
    /// Text (text, name, varchar, char, inet shown as text).
    Text(String),
    /// A type this decoder does not convert (lsn, interval ...).
    Other,
}

type BoxError = Box<dyn Error + Sync + Send>;

fn be<const N: usize>(raw: &[u8]) -> Result<[u8; N], BoxError> {
    raw.try_into().map_err(|_| format!("expected {N} bytes, got {}", raw.len()).into())
}

impl<'a> FromSql<'a> for Val {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        // By OID: `Type`'s constants cannot be used as match patterns.
        Ok(match ty.oid() {
            16 => Val::Bool(raw.first().copied().unwrap_or(0) != 0),
            21 => Val::Num(i16::from_be_bytes(be(raw)?) as f64),
            23 => Val::Num(i32::from_be_bytes(be(raw)?) as f64),
            20 => Val::Num(i64::from_be_bytes(be(raw)?) as f64),
            26 | 28 => Val::Num(u32::from_be_bytes(be(raw)?) as f64),
            700 => Val::Num(f32::from_be_bytes(be(raw)?) as f64),
            701 => Val::Num(f64::from_be_bytes(be(raw)?)),
            1700 => Val::Num(numeric(raw)?),
            1114 | 1184 => {
                let us = i64::from_be_bytes(be(raw)?);
                Val::Time(PG_EPOCH_UNIX.saturating_add(us.div_euclid(1_000_000)))
            }
            18 | 19 | 25 | 1042 | 1043 | 705 => Val::Text(String::from_utf8_lossy(raw).into_owned()),
            650 | 869 => Val::Text(inet(raw)?),
            _ => Val::Other,
        })
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(Val::Null)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// Decodes a binary `numeric`: base-10000 digits with a weight, a sign and a display scale.
fn numeric(raw: &[u8]) -> Result<f64, BoxError> {
    if raw.len() < 8 {
        return Err("short numeric".into());
    }
    let ndigits = u16::from_be_bytes([raw[0], raw[1]]) as usize;
    let weight = i16::from_be_bytes([raw[2], raw[3]]) as i32;
    let sign = u16::from_be_bytes([raw[4], raw[5]]);
    match sign {
        0xC000 => return Ok(f64::NAN),
        0xD000 => return Ok(f64::INFINITY),
        0xF000 => return Ok(f64::NEG_INFINITY),
        _ => {}
    }
    if raw.len() < 8 + 2 * ndigits {
        return Err("short numeric digits".into());
    }
    // Through the decimal text, so that the result rounds exactly as Go's ParseFloat of the text
    // lib/pq would have returned.
    let mut int_part = String::new();
    let mut frac_part = String::new();
    for i in 0..ndigits {
        let d = u16::from_be_bytes([raw[8 + 2 * i], raw[9 + 2 * i]]);
        let pos = weight - i as i32;
        if pos >= 0 {
            int_part.push_str(&format!("{d:04}"));
        } else {
            frac_part.push_str(&format!("{d:04}"));
        }
    }
    // Digit groups the weight implies but that are not stored are zeros.
    let stored_int = (0..ndigits).filter(|&i| weight - i as i32 >= 0).count() as i32;
    for _ in 0..(weight + 1 - stored_int).max(0) {
        int_part.push_str("0000");
    }
    let leading_frac_zeros = if weight < -1 { (-1 - weight) as usize } else { 0 };
    let text = format!(
        "{}{}.{}{}",
        if sign == 0x4000 { "-" } else { "" },
        if int_part.is_empty() { "0" } else { &int_part },
        "0000".repeat(leading_frac_zeros),
        if frac_part.is_empty() { "0" } else { &frac_part }
    );
    text.parse::<f64>().map_err(|e| format!("numeric {text}: {e}").into())
}

/// Decodes a binary `inet`/`cidr` into its text form (`127.0.0.1`, `10.0.0.0/8`, `::1`).
fn inet(raw: &[u8]) -> Result<String, BoxError> {
    if raw.len() < 4 {
        return Err("short inet".into());
    }
    let (family, bits, is_cidr, nb) = (raw[0], raw[1], raw[2], raw[3] as usize);
    let addr = raw.get(4..4 + nb).ok_or("short inet address")?;
    let (text, max) = match (family, addr.len()) {
        (2, 4) => (std::net::Ipv4Addr::new(addr[0], addr[1], addr[2], addr[3]).to_string(), 32),
        (3, 16) => {
            let mut a = [0u8; 16];
            a.copy_from_slice(addr);
            (std::net::Ipv6Addr::from(a).to_string(), 128)
        }
        _ => return Err("unknown inet family".into()),
    };
    Ok(if is_cidr != 0 || bits != max { format!("{text}/{bits}") } else { text })
}

impl Val {
    /// `dbToFloat64`: the value as a number, or None when the exporter would skip it.
    pub(crate) fn to_f64(&self) -> Option<f64> {
        match self {
            Val::Null => Some(f64::NAN),
            Val::Num(v) => Some(*v),
            Val::Time(t) => Some(*t as f64),
            Val::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
            Val::Text(s) => s.parse().ok(),
            Val::Other => None,
        }
    }

    /// `dbToString`: the value as a label value.
    pub(crate) fn to_label(&self) -> String {
        match self {
            Val::Null | Val::Other => String::new(),
            Val::Num(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", *v as i64),
            Val::Num(v) => pharos_protocol::exposition::format_float(*v),
            Val::Time(t) => t.to_string(),
            Val::Bool(b) => b.to_string(),
            Val::Text(s) => s.clone(),
        }
    }
}

/// Value at column `i`, [`Val::Other`] if it cannot be read.
pub(crate) fn val(row: &Row, i: usize) -> Val {
    row.try_get::<_, Val>(i).unwrap_or(Val::Other)
}

/// How postgres_exporter uses one column of a namespace query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Usage {
    /// Not exported.
    Discard,
    /// A label of every metric of the namespace.
    Label,
    /// A counter named `<namespace>_<column>`.
    Counter,
    /// A gauge named `<namespace>_<column>`.
    Gauge,
}

/// One namespace: its name, and each known column's usage and HELP text.
pub(crate) struct Namespace {
    /// E.g. `pg_stat_database`.
    pub name: &'static str,
    /// Known columns; others become untyped "Unknown metric from ..." families.
    pub columns: &'static [(&'static str, Usage, &'static str)],
}

/// `queryNamespaceMapping`: turns the rows of a namespace query into metrics with the `server`
/// label. Unknown columns become untyped families; values that are not numbers are skipped.
pub(crate) fn map_rows(f: &mut Families, ns: &Namespace, rows: &[Row], server: &str) {
    let labels: Vec<&str> = ns.columns.iter().filter(|c| c.1 == Usage::Label).map(|c| c.0).collect();
    for row in rows {
        let cols = row.columns();
        let index = |name: &str| cols.iter().position(|c| c.name() == name);
        // Go's `columnIdx[label]` gives 0 for a label column the query lacks, so such a label takes
        // the first column's value (pg_stat_replication's `slot_name` gets the pid): kept, so that
        // label sets match.
        let label_values: Vec<String> = labels.iter().map(|l| val(row, index(l).unwrap_or(0)).to_label()).collect();
        let mut pairs: Vec<(&str, &str)> =
            labels.iter().copied().zip(label_values.iter().map(String::as_str)).collect();
        pairs.push(("server", server));
        for (i, col) in cols.iter().enumerate() {
            let name = col.name();
            let (kind, help) = match ns.columns.iter().find(|c| c.0 == name) {
                Some((_, Usage::Discard | Usage::Label, _)) => continue,
                Some((_, Usage::Counter, h)) => (MetricType::Counter, h.to_string()),
                Some((_, Usage::Gauge, h)) => (MetricType::Gauge, h.to_string()),
                None => (MetricType::Untyped, format!("Unknown metric from {}", ns.name)),
            };
            let Some(v) = val(row, i).to_f64() else { continue };
            f.add(&format!("{}_{}", ns.name, name), &help, kind, &pairs, v);
        }
    }
}
