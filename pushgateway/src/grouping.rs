//! Grouping keys from request paths: `/metrics/job/<job>{/<name>/<value>}` and the `@base64`
//! forms, with Pushgateway 1.5.1's rules and error texts.

use std::collections::BTreeMap;

/// The suffix of a label name (or of `job`) whose value in the path is base64url.
pub const BASE64_SUFFIX: &str = "@base64";

/// A grouping key: label name → value, `job` always present and non-empty. Values may be empty
/// (only reachable with `@base64` and `=`).
pub type GroupingKey = BTreeMap<String, String>;

/// Why a path does not name a group. The texts are the Pushgateway's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// The path is not under `/metrics/job` or `/metrics/job@base64`.
    #[error("404 page not found")]
    NotFound,
    /// The path has a `%` escape that does not decode, or decodes to invalid UTF-8.
    #[error("invalid URL escape in path {0:?}")]
    BadEscape(String),
    /// The base64 job name does not decode.
    #[error("invalid base64 encoding in job name {job:?}: {reason}")]
    JobBase64 {
        /// The undecoded job.
        job: String,
        /// Why.
        reason: String,
    },
    /// An odd number of components after the job.
    #[error("odd number of components in label string {0:?}")]
    OddComponents(String),
    /// A label name that is invalid or starts with `__`.
    #[error("improper label name {0:?}")]
    ImproperName(String),
    /// A base64 label value that does not decode.
    #[error("invalid base64 encoding for label {name}={value:?}: {reason}")]
    LabelBase64 {
        /// The label.
        name: String,
        /// The undecoded value.
        value: String,
        /// Why.
        reason: String,
    },
    /// The job is empty.
    #[error("job name is required")]
    JobRequired,
}

/// Parses the path of a push or delete (`/metrics/job...`, percent-encoded as received).
///
/// Like Go's HTTP server, the whole path is percent-decoded first, so an encoded `/` still
/// separates components; the job is one component and the rest is split into name/value pairs.
/// Checks run in the Pushgateway's order: the base64 job, then the labels, then an empty job.
pub fn parse_path(raw_path: &str) -> Result<GroupingKey, KeyError> {
    let path = percent_decode(raw_path)?;
    let rest = path.strip_prefix("/metrics/job").ok_or(KeyError::NotFound)?;
    let (job_base64, rest) = match rest.strip_prefix(BASE64_SUFFIX) {
        Some(r) => (true, r),
        None => (false, rest),
    };
    // The router wants `/<job>` with a non-empty segment (httprouter's `:job`).
    let rest = rest.strip_prefix('/').ok_or(KeyError::NotFound)?;
    let (job_raw, labels) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if job_raw.is_empty() {
        return Err(KeyError::NotFound);
    }
    let job = if job_base64 {
        decode_base64(job_raw)
            .map_err(|reason| KeyError::JobBase64 { job: job_raw.to_string(), reason: reason.to_string() })?
    } else {
        job_raw.to_string()
    };
    let mut key = split_labels(labels)?;
    if job.is_empty() {
        return Err(KeyError::JobRequired);
    }
    key.insert("job".to_string(), job);
    Ok(key)
}

/// `/<name>/<value>/...` after the job (`""` or `"/"` give no labels). A later pair with the
/// same name wins, as in the Pushgateway's map.
fn split_labels(labels: &str) -> Result<GroupingKey, KeyError> {
    let mut out = GroupingKey::new();
    if labels.len() <= 1 {
        return Ok(out);
    }
    let components: Vec<&str> = labels[1..].split('/').collect();
    if !components.len().is_multiple_of(2) {
        return Err(KeyError::OddComponents(labels.to_string()));
    }
    for pair in components.chunks(2) {
        let (name, value) = (pair[0], pair[1]);
        let trimmed = name.strip_suffix(BASE64_SUFFIX).unwrap_or(name);
        if !pharos_protocol::model::is_valid_label_name(trimmed) || trimmed.starts_with("__") {
            return Err(KeyError::ImproperName(trimmed.to_string()));
        }
        if trimmed.len() == name.len() {
            out.insert(name.to_string(), value.to_string());
            continue;
        }
        let decoded = decode_base64(value).map_err(|reason| KeyError::LabelBase64 {
            name: trimmed.to_string(),
            value: value.to_string(),
            reason: reason.to_string(),
        })?;
        out.insert(trimmed.to_string(), decoded);
    }
    Ok(out)
}

/// Why a base64 value does not decode (Go's `CorruptInputError` text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base64Error(usize);

impl std::fmt::Display for Base64Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "illegal base64 data at input byte {}", self.0)
    }
}

/// Go's `base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))`: the URL-safe alphabet,
/// trailing `=` ignored, `\r` and `\n` skipped, non-zero trailing bits tolerated, and a final
/// group of one character an error. The result must be UTF-8 (a label value is a string).
pub fn decode_base64(s: &str) -> Result<String, Base64Error> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits, mut n) = (0u32, 0u32, 0usize);
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            b'\r' | b'\n' => continue,
            _ => return Err(Base64Error(i)),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        n += 1;
        last = i;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if n % 4 == 1 {
        return Err(Base64Error(last));
    }
    String::from_utf8(out).map_err(|_| Base64Error(0))
}

/// Decodes `%XX` escapes as Go's `url.PathUnescape` (no `+` rule); the result must be UTF-8.
pub fn percent_decode(s: &str) -> Result<String, KeyError> {
    if !s.contains('%') {
        return Ok(s.to_string());
    }
    let bad = || KeyError::BadEscape(s.to_string());
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3).ok_or_else(bad)?;
            let hi = (hex[0] as char).to_digit(16).ok_or_else(bad)?;
            let lo = (hex[1] as char).to_digit(16).ok_or_else(bad)?;
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(pairs: &[(&str, &str)]) -> GroupingKey {
        pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    }

    #[test]
    fn plain_paths() {
        assert_eq!(parse_path("/metrics/job/j").unwrap(), key(&[("job", "j")]));
        assert_eq!(parse_path("/metrics/job/j/").unwrap(), key(&[("job", "j")]));
        assert_eq!(parse_path("/metrics/job/j/a/1/b/2").unwrap(), key(&[("job", "j"), ("a", "1"), ("b", "2")]));
        assert_eq!(parse_path("/metrics/job/j/instance/i").unwrap(), key(&[("job", "j"), ("instance", "i")]));
        // A later pair with the same name wins; `job` in the labels is overridden by the job.
        assert_eq!(parse_path("/metrics/job/j/a/1/a/2").unwrap(), key(&[("job", "j"), ("a", "2")]));
        assert_eq!(parse_path("/metrics/job/j/job/x").unwrap(), key(&[("job", "j")]));
        // Percent-decoding, an encoded slash splitting like a plain one.
        assert_eq!(parse_path("/metrics/job/j%20k/a/x%41").unwrap(), key(&[("job", "j k"), ("a", "xA")]));
        assert_eq!(parse_path("/metrics/job/j/a/x%2Fy"), Err(KeyError::OddComponents("/a/x/y".into())));
        assert!(matches!(parse_path("/metrics/job/j/a/%zz"), Err(KeyError::BadEscape(_))));
    }

    #[test]
    fn errors_in_order() {
        assert_eq!(parse_path("/metrics/job/j/a/1/b"), Err(KeyError::OddComponents("/a/1/b".into())));
        assert_eq!(parse_path("/metrics/job/j/a/1/"), Err(KeyError::OddComponents("/a/1/".into())));
        assert_eq!(parse_path("/metrics/job/j/a=b/x"), Err(KeyError::ImproperName("a=b".into())));
        assert_eq!(parse_path("/metrics/job/j/__x/y"), Err(KeyError::ImproperName("__x".into())));
        assert_eq!(parse_path("/metrics/job/j/1a/y"), Err(KeyError::ImproperName("1a".into())));
        assert_eq!(parse_path("/metrics/job/"), Err(KeyError::NotFound));
        assert_eq!(parse_path("/metrics/job"), Err(KeyError::NotFound));
        assert_eq!(parse_path("/metrics/jobx/a"), Err(KeyError::NotFound));
        assert_eq!(parse_path("/metrics/job@base64/="), Err(KeyError::JobRequired));
        // The label error comes before the empty job.
        assert_eq!(parse_path("/metrics/job@base64/=/__a/b"), Err(KeyError::ImproperName("__a".into())));
        assert!(matches!(parse_path("/metrics/job@base64/a.b"), Err(KeyError::JobBase64 { .. })));
    }

    #[test]
    fn base64_values() {
        assert_eq!(
            parse_path("/metrics/job@base64/am9i/path@base64/L3Zhci90bXA").unwrap(),
            key(&[("job", "job"), ("path", "/var/tmp")])
        );
        assert_eq!(
            parse_path("/metrics/job/j/first@base64/=/second/foo").unwrap(),
            key(&[("job", "j"), ("first", ""), ("second", "foo")])
        );
        assert_eq!(
            parse_path("/metrics/job/j/label_name1@base64/bGFiZWwvdmFsdWUx").unwrap(),
            key(&[("job", "j"), ("label_name1", "label/value1")])
        );
        assert_eq!(decode_base64("YQ==").unwrap(), "a");
        assert_eq!(decode_base64("YQ").unwrap(), "a");
        assert_eq!(decode_base64("_-8").unwrap_err(), Base64Error(0));
        assert_eq!(decode_base64("").unwrap(), "");
        assert_eq!(decode_base64("Y").unwrap_err(), Base64Error(0));
        assert_eq!(decode_base64("YWJj.").unwrap_err(), Base64Error(4));
        assert_eq!(decode_base64("YR").unwrap(), "a"); // non-zero trailing bits are tolerated
        assert!(matches!(parse_path("/metrics/job/j/a@base64/foo.bar"), Err(KeyError::LabelBase64 { .. })));
        assert_eq!(
            parse_path("/metrics/job/j/a@base64/foo.bar").unwrap_err().to_string(),
            "invalid base64 encoding for label a=\"foo.bar\": illegal base64 data at input byte 3"
        );
    }
}
