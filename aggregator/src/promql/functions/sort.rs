//! `sort`, `sort_desc`, `sort_by_label` and `sort_by_label_desc`, following Prometheus'
//! `funcSort*` in `promql/functions.go`. Only instant queries keep the order: a range query's
//! matrix is sorted by labels afterwards, as in Prometheus.

use crate::promql::value::{InstantSample, Vector};
use std::cmp::Ordering;

/// `sort` (ascending) or `sort_desc` (descending) by value; NaN sorts last either way.
pub(crate) fn sort_by_value(mut v: Vector, descending: bool) -> Vector {
    v.sort_by(|a, b| match (a.v.is_nan(), b.v.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        _ => {
            let ord = a.v.partial_cmp(&b.v).unwrap_or(Ordering::Equal);
            if descending {
                ord.reverse()
            } else {
                ord
            }
        }
    });
    v
}

/// `sort_by_label` / `sort_by_label_desc`: by the given labels' values in natural order (digit
/// runs compare as numbers), then by the whole label set.
pub(crate) fn sort_by_labels(mut v: Vector, names: &[&str], descending: bool) -> Vector {
    let cmp = |a: &InstantSample, b: &InstantSample| {
        for name in names {
            let (x, y) = (a.metric.get(name).unwrap_or(""), b.metric.get(name).unwrap_or(""));
            if x != y {
                return natural_cmp(x, y);
            }
        }
        a.metric.cmp(&b.metric)
    };
    v.sort_by(|a, b| if descending { cmp(b, a) } else { cmp(a, b) });
    v
}

/// Splits a string into alternating runs of ASCII digits and non-digits.
fn chunks(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut digits: Option<bool> = None;
    for (i, c) in s.char_indices() {
        let d = c.is_ascii_digit();
        if digits.is_some_and(|prev| prev != d) {
            out.push(&s[start..i]);
            start = i;
        }
        digits = Some(d);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// Natural order as the `natsort` package Prometheus uses defines it: chunk by chunk, numeric
/// chunks as integers, others as strings; a string that is a prefix of the other sorts first.
pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (ca, cb) = (chunks(a), chunks(b));
    for (x, y) in ca.iter().zip(cb.iter()) {
        let ord = match (x.parse::<i64>(), y.parse::<i64>()) {
            (Ok(n), Ok(m)) => n.cmp(&m),
            _ => x.cmp(y),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    ca.len().cmp(&cb.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use pharos_protocol::Labels;
    use std::sync::Arc;

    fn sample(pairs: &[(&str, &str)], v: f64) -> InstantSample {
        InstantSample { metric: Arc::new(Labels::from_pairs(pairs.iter().copied())), t: 0, v }
    }

    fn values(v: &Vector) -> Vec<String> {
        v.iter().map(|s| s.v.to_string()).collect()
    }

    #[test]
    fn sort_puts_nan_last_in_both_directions() {
        let v = vec![sample(&[("a", "1")], f64::NAN), sample(&[("a", "2")], 3.0), sample(&[("a", "3")], 1.0)];
        assert_eq!(values(&sort_by_value(v.clone(), false)), ["1", "3", "NaN"]);
        assert_eq!(values(&sort_by_value(v, true)), ["3", "1", "NaN"]);
    }

    #[test]
    fn natural_order_compares_numbers_numerically() {
        assert_eq!(natural_cmp("a2", "a10"), Ordering::Less);
        assert_eq!(natural_cmp("a10", "a2"), Ordering::Greater);
        assert_eq!(natural_cmp("abc", "abd"), Ordering::Less);
        assert_eq!(natural_cmp("a", "a1"), Ordering::Less);
        assert_eq!(natural_cmp("", "0"), Ordering::Less);
    }

    #[test]
    fn sort_by_label_falls_back_to_full_label_set() {
        let v = vec![
            sample(&[("i", "10"), ("j", "b")], 1.0),
            sample(&[("i", "2"), ("j", "b")], 2.0),
            sample(&[("i", "2"), ("j", "a")], 3.0),
        ];
        assert_eq!(values(&sort_by_labels(v.clone(), &["i"], false)), ["3", "2", "1"]);
        assert_eq!(values(&sort_by_labels(v, &["i"], true)), ["1", "2", "3"]);
    }
}
