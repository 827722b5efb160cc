//! Warnings and infos a query collects while it evaluates, like Prometheus'
//! `util/annotations`: they do not fail the query; the HTTP API returns them next to the data
//! (`"warnings"` and `"infos"`). Texts are Prometheus' own, so tools that match on them work.

use std::collections::HashSet;

/// Prefix of every warning.
const WARNING: &str = "PromQL warning";
/// Prefix of every info.
const INFO: &str = "PromQL info";

/// Most annotations of each kind kept: a range query over many series could otherwise collect
/// one per series and step. Prometheus' API truncates too (`N more ... annotations omitted`).
pub const MAX_ANNOTATIONS_PER_KIND: usize = 100;

/// The annotations of one query, each message once, in the order first seen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Annotations {
    /// Warning messages: the result may be wrong or incomplete.
    pub warnings: Vec<String>,
    /// Info messages: the query may not mean what it says.
    pub infos: Vec<String>,
    /// Warnings left out beyond [`MAX_ANNOTATIONS_PER_KIND`].
    pub omitted_warnings: usize,
    /// Infos left out beyond [`MAX_ANNOTATIONS_PER_KIND`].
    pub omitted_infos: usize,
    seen: HashSet<String>,
}

impl Annotations {
    /// Adds a warning (`PromQL warning: ...`) unless it is already there.
    pub fn warn(&mut self, text: impl std::fmt::Display) {
        let msg = format!("{WARNING}: {text}");
        if self.seen.insert(msg.clone()) {
            if self.warnings.len() < MAX_ANNOTATIONS_PER_KIND {
                self.warnings.push(msg);
            } else {
                self.omitted_warnings += 1;
            }
        }
    }

    /// Adds an info (`PromQL info: ...`) unless it is already there.
    pub fn info(&mut self, text: impl std::fmt::Display) {
        let msg = format!("{INFO}: {text}");
        if self.seen.insert(msg.clone()) {
            if self.infos.len() < MAX_ANNOTATIONS_PER_KIND {
                self.infos.push(msg);
            } else {
                self.omitted_infos += 1;
            }
        }
    }

    /// Whether there are none at all.
    pub fn is_empty(&self) -> bool {
        self.warnings.is_empty() && self.infos.is_empty()
    }

    /// Warnings as the API reports them, with a closing "N more" line when some were left out.
    pub fn warning_strings(&self) -> Vec<String> {
        with_omitted(&self.warnings, self.omitted_warnings, "warning")
    }

    /// Infos as the API reports them, with a closing "N more" line when some were left out.
    pub fn info_strings(&self) -> Vec<String> {
        with_omitted(&self.infos, self.omitted_infos, "info")
    }

    /// `quantile value should be between 0 and 1, got Q` (aggregations and functions).
    pub(crate) fn invalid_quantile(&mut self, q: f64) {
        self.warn(format_args!("quantile value should be between 0 and 1, got {}", go_g(q)));
    }

    /// `metric might not be a counter` for `rate`/`increase` over a name without a counter suffix.
    pub(crate) fn possible_non_counter(&mut self, metric_name: &str) {
        self.info(format_args!(
            "metric might not be a counter, name does not end in _total/_sum/_count/_bucket: {metric_name:?}"
        ));
    }
}

fn with_omitted(list: &[String], omitted: usize, kind: &str) -> Vec<String> {
    let mut out = list.to_vec();
    if omitted > 0 {
        out.push(format!("{omitted} more {kind} annotations omitted"));
    }
    out
}

/// A float as Go's `%g` prints it: shortest representation, exponent form for very large or
/// small magnitudes (`1e+06`, `1e-05`), `NaN`, `+Inf`, `-Inf`.
pub(crate) fn go_g(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    // Go's %g with the shortest precision uses exponent form when exp < -4 || exp >= 6
    // (strconv's 'g' with precision -1 decides with eprec = 6; only %v uses 21).
    let exp = v.abs().log10().floor() as i32;
    if !(-4..6).contains(&exp) {
        let s = format!("{v:e}");
        // Rust prints `1e6` / `1.5e-7`; Go prints `1e+06` / `1.5e-07`.
        let (mantissa, e) = s.split_once('e').unwrap_or((&s, "0"));
        let (sign, digits) = match e.strip_prefix('-') {
            Some(d) => ('-', d),
            None => ('+', e),
        };
        return format!("{mantissa}e{sign}{digits:0>2}");
    }
    format!("{v}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_deduplicated_and_prefixed() {
        let mut a = Annotations::default();
        a.invalid_quantile(f64::NAN);
        a.invalid_quantile(f64::NAN);
        a.possible_non_counter("foo");
        assert_eq!(a.warnings, vec!["PromQL warning: quantile value should be between 0 and 1, got NaN"]);
        assert_eq!(
            a.infos,
            vec![
                "PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"foo\""
            ]
        );
    }

    #[test]
    fn too_many_are_counted_not_kept() {
        let mut a = Annotations::default();
        for i in 0..MAX_ANNOTATIONS_PER_KIND + 5 {
            a.warn(i);
        }
        let w = a.warning_strings();
        assert_eq!(w.len(), MAX_ANNOTATIONS_PER_KIND + 1);
        assert_eq!(w.last().map(String::as_str), Some("5 more warning annotations omitted"));
    }

    #[test]
    fn floats_print_like_go() {
        assert_eq!(go_g(1.01), "1.01");
        assert_eq!(go_g(-0.1), "-0.1");
        assert_eq!(go_g(2.0), "2");
        assert_eq!(go_g(123456.0), "123456");
        assert_eq!(go_g(1e6), "1e+06");
        assert_eq!(go_g(1.5e-7), "1.5e-07");
        assert_eq!(go_g(f64::INFINITY), "+Inf");
    }
}
