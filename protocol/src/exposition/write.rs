//! The text format writer, byte for byte what `expfmt.MetricFamilyToText` prints for the same
//! samples: `# HELP` (when there is help), `# TYPE`, then one line per sample.

use std::fmt::Write as _;

use super::{MetricFamily, MetricType};
use crate::model::METRIC_NAME_LABEL;

/// Appends `families` to `out` in the text format. Labels are written in `Labels` order (sorted by
/// name), without `__name__`, which gives the sample's name; a metric without one is written
/// under its family's name.
pub fn write(families: &[MetricFamily], out: &mut String) {
    for f in families {
        if let Some(help) = &f.help {
            out.push_str("# HELP ");
            out.push_str(&f.name);
            out.push(' ');
            escape_into(help, false, out);
            out.push('\n');
        }
        out.push_str("# TYPE ");
        out.push_str(&f.name);
        out.push(' ');
        out.push_str(text_type(f.kind));
        out.push('\n');
        for m in &f.metrics {
            out.push_str(m.labels.metric_name().unwrap_or(&f.name));
            let mut first = true;
            for l in m.labels.iter().filter(|l| l.name != METRIC_NAME_LABEL) {
                out.push(if first { '{' } else { ',' });
                first = false;
                out.push_str(&l.name);
                out.push_str("=\"");
                escape_into(&l.value, true, out);
                out.push('"');
            }
            if !first {
                out.push('}');
            }
            out.push(' ');
            push_float(m.value, out);
            if let Some(ts) = m.timestamp_ms {
                // Writing to a String cannot fail.
                let _ = write!(out, " {ts}");
            }
            out.push('\n');
        }
    }
}

/// The TYPE keyword in the text format, which has no gauge histograms, infos or statesets: those
/// (scraped from OpenMetrics targets) are written as `untyped`, so the output stays parseable.
fn text_type(kind: MetricType) -> &'static str {
    match kind {
        MetricType::GaugeHistogram | MetricType::Info | MetricType::StateSet => MetricType::Untyped.as_str(),
        k => k.as_str(),
    }
}

/// Escapes `\` and newline (HELP text), plus `"` in label values.
fn escape_into(s: &str, quotes: bool, out: &mut String) {
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '"' if quotes => out.push_str("\\\""),
            c => out.push(c),
        }
    }
}

/// Formats a sample value as Prometheus does: `NaN`, `+Inf`, `-Inf`, and otherwise Go's
/// `strconv.FormatFloat(v, 'g', -1, 64)` — the shortest digits that round-trip, in plain notation
/// for decimal exponents from -4 to 5 and in `d.ddde±XX` notation outside (e.g. `1e+06`).
pub fn format_float(v: f64) -> String {
    let mut s = String::new();
    push_float(v, &mut s);
    s
}

fn push_float(v: f64, out: &mut String) {
    if v.is_nan() {
        out.push_str("NaN");
        return;
    }
    if v.is_infinite() {
        out.push_str(if v > 0.0 { "+Inf" } else { "-Inf" });
        return;
    }
    if v == 0.0 {
        // -0 too, as Go's writeFloat special-cases f == 0.
        out.push('0');
        return;
    }
    // Rust's `{:e}` gives the same shortest round-trip digits as Go, as `d[.ddd]e<exp>`.
    let sci = format!("{:e}", v.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if v < 0.0 {
        out.push('-');
    }
    if !(-4..6).contains(&exp) {
        // %e: first digit, the rest after a point, exponent with sign and at least two digits.
        let (first, rest) = digits.split_at(digits.len().min(1));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs());
    } else if exp < 0 {
        // 0.000ddd
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            out.push_str(&digits);
            for _ in digits.len()..int_len {
                out.push('0');
            }
        } else {
            let (int, frac) = digits.split_at(int_len);
            out.push_str(int);
            out.push('.');
            out.push_str(frac);
        }
    }
}
