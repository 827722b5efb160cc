//! Prometheus 2.42's template functions (`template/template.go`) and the data its alerting
//! rules expand labels and annotations with (`rules/alerting.go`).
//!
//! ```
//! use pharos_template::prometheus::{expand_alert_text, AlertTemplateData};
//! use pharos_template::FuncMap;
//!
//! let data = AlertTemplateData::new([("instance", "web-1:9100")], [("site", "eu")], "http://prom", 1234567.0);
//! let funcs = FuncMap::prometheus();
//! assert_eq!(
//!     expand_alert_text("HighLoad", "{{ $labels.instance | stripPort }} on {{ $externalLabels.site }}: {{ $value | humanize }}", &data, &funcs),
//!     "web-1 on eu: 1.235M"
//! );
//! ```
//!
//! The `query` function needs the PromQL engine, so the caller inserts it:
//! `funcs.insert("query", Arc::new(move |args| ...))`. It gets one argument, the query string
//! (`Value::String`), and returns the instant vector as [`query_result`] of [`sample`]s (a
//! list of samples also works): each sample has `.Labels` (a `map[string]string`, the metric
//! name under `__name__`) and `.Value` (a float), which `first`, `label`, `value`, `strvalue`
//! and `sortByLabel` work on. An error string is reported as `error calling query: ...`.
//!
//! `pathPrefix` and `externalURL` return the external URL's path and the URL itself: set it
//! with [`set_external_url`] (by default both are empty). `tmpl` exists only in Prometheus'
//! HTML (console) templates and is not provided.

use std::sync::Arc;

use crate::format::sprintf;
use crate::funcs::{query_escape, FuncMap, Ty};
use crate::go_regex;
use crate::gotime::Time;
use crate::strconv::{parse_float, parse_float_error};
use crate::value::{Object, StringMap, StructValue, Value};
use crate::{Template, TemplateError};

/// The variable definitions Prometheus puts in front of every alert label and annotation
/// template.
pub const ALERT_TEMPLATE_DEFS: &str =
    "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}";

/// One sample of a query result (Prometheus' `*sample`): `.Labels` and `.Value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub labels: StringMap,
    pub value: f64,
}

impl Object for Sample {
    fn type_name(&self) -> String {
        "*template.sample".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Labels" => Some(Value::from(self.labels.clone())),
            "Value" => Some(Value::Float(self.value)),
            _ => None,
        }
    }
    fn struct_fields(&self) -> Option<Vec<(String, Value)>> {
        Some(vec![("Labels".into(), Value::from(self.labels.clone())), ("Value".into(), Value::Float(self.value))])
    }
    fn is_pointer(&self) -> bool {
        true
    }
}

/// A query result (Prometheus' `queryResult`, a list of samples).
#[derive(Debug, Clone)]
pub struct QueryResult(pub Vec<Value>);

impl Object for QueryResult {
    fn type_name(&self) -> String {
        "template.queryResult".into()
    }
    fn field(&self, _: &str) -> Option<Value> {
        None
    }
    fn to_value(&self) -> Option<Value> {
        Some(Value::List(self.0.clone()))
    }
    fn truth(&self) -> bool {
        !self.0.is_empty()
    }
}

/// A sample for a query result: its labels (the metric name as `__name__`) and value.
pub fn sample<K: Into<String>, V: Into<String>>(labels: impl IntoIterator<Item = (K, V)>, value: f64) -> Value {
    Value::object(Sample { labels: labels.into_iter().collect(), value })
}

/// A query result from samples made with [`sample`]: what an inserted `query` function
/// returns.
pub fn query_result(samples: Vec<Value>) -> Value {
    Value::object(QueryResult(samples))
}

/// The data an alerting rule's templates get (Prometheus' `AlertTemplateData`): `.Labels`,
/// `.ExternalLabels`, `.ExternalURL` and `.Value`.
#[derive(Debug, Clone)]
pub struct AlertTemplateData {
    pub labels: StringMap,
    pub external_labels: StringMap,
    pub external_url: String,
    pub value: f64,
}

impl AlertTemplateData {
    pub fn new<K1, V1, K2, V2>(
        labels: impl IntoIterator<Item = (K1, V1)>,
        external_labels: impl IntoIterator<Item = (K2, V2)>,
        external_url: &str,
        value: f64,
    ) -> AlertTemplateData
    where
        K1: Into<String>,
        V1: Into<String>,
        K2: Into<String>,
        V2: Into<String>,
    {
        AlertTemplateData {
            labels: labels.into_iter().collect(),
            external_labels: external_labels.into_iter().collect(),
            external_url: external_url.to_string(),
            value,
        }
    }

    /// As a template value (an anonymous Go struct).
    pub fn to_value(&self) -> Value {
        Value::object(
            StructValue::new(
                "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }",
            )
            .with("Labels", self.labels.clone())
            .with("ExternalLabels", self.external_labels.clone())
            .with("ExternalURL", self.external_url.as_str())
            .with("Value", self.value),
        )
    }
}

/// Prometheus' `Expander.Expand` (text mode, `missingkey=zero`): parses and executes `text`
/// as the template `name`. Errors read as Prometheus' do:
/// `error parsing template NAME: template: ...` / `error executing template NAME: ...`.
pub fn expand(name: &str, text: &str, data: &Value, funcs: &FuncMap) -> Result<String, String> {
    let mut t = Template::new(name);
    t.set_missing_key(crate::MissingKey::Zero);
    t.funcs(funcs);
    t.parse(text).map_err(|e| format!("error parsing template {}: {}", name, e))?;
    t.execute(data, funcs).map_err(|e| format!("error executing template {}: {}", name, e))
}

/// Checks that `text` parses, as Prometheus does when it loads rules (`ParseTest`).
pub fn parse_test(name: &str, text: &str, funcs: &FuncMap) -> Result<(), TemplateError> {
    let mut t = Template::new(name);
    t.funcs(funcs);
    t.parse(text)
}

/// What Prometheus' alerting rule does with a label or annotation value: expands
/// [`ALERT_TEMPLATE_DEFS`] followed by `text` as the template `__alert_RULENAME`; on error the
/// result is `<error expanding template: ...>`.
pub fn expand_alert_text(rule_name: &str, text: &str, data: &AlertTemplateData, funcs: &FuncMap) -> String {
    let name = format!("__alert_{}", rule_name);
    let full = format!("{}{}", ALERT_TEMPLATE_DEFS, text);
    match expand(&name, &full, &data.to_value(), funcs) {
        Ok(s) => s,
        Err(e) => format!("<error expanding template: {}>", e),
    }
}

/// Sets the URL `externalURL` returns and whose path `pathPrefix` returns.
pub fn set_external_url(funcs: &mut FuncMap, url: &str) {
    let u = url.to_string();
    let path = url_path(url);
    funcs.typed("externalURL", &[], None, move |_| Ok(Value::String(u.clone())));
    funcs.typed("pathPrefix", &[], None, move |_| Ok(Value::String(path.clone())));
}

/// The (unescaped) path of a URL, like Go's `url.URL.Path`.
fn url_path(url: &str) -> String {
    let rest = match url.find("://") {
        Some(i) => {
            let after = &url[i + 3..];
            match after.find('/') {
                Some(j) => &after[j..],
                None => "",
            }
        }
        None => url,
    };
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    percent_decode(rest)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------------------------
// Shared text functions (also used by the Alertmanager set).

/// Go's `unicode.ToUpper`/`ToLower`/`ToTitle` simple case mapping of one rune.
fn simple_case(c: char, upper: bool) -> char {
    if !upper && c == '\u{130}' {
        return 'i';
    }
    let mut it: Box<dyn Iterator<Item = char>> =
        if upper { Box::new(c.to_uppercase()) } else { Box::new(c.to_lowercase()) };
    match (it.next(), it.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

fn to_title_rune(c: char) -> char {
    match c as u32 {
        0x1C4..=0x1C6 => '\u{1C5}',
        0x1C7..=0x1C9 => '\u{1C8}',
        0x1CA..=0x1CC => '\u{1CB}',
        0x1F1..=0x1F3 => '\u{1F2}',
        _ => simple_case(c, true),
    }
}

/// Go's `strings.ToUpper`.
pub(crate) fn go_to_upper(s: &str) -> String {
    s.chars().map(|c| simple_case(c, true)).collect()
}

/// Go's `strings.ToLower`.
pub(crate) fn go_to_lower(s: &str) -> String {
    s.chars().map(|c| simple_case(c, false)).collect()
}

/// Go's (deprecated) `strings.Title`: upper-cases the first letter of each word, leaves the
/// rest alone.
pub(crate) fn go_strings_title(s: &str) -> String {
    fn is_separator(r: char) -> bool {
        if r.is_ascii() {
            return !(r.is_ascii_alphanumeric() || r == '_');
        }
        if r.is_alphabetic() || r.is_numeric() {
            return false;
        }
        r.is_whitespace()
    }
    let mut prev = ' ';
    s.chars()
        .map(|r| {
            let out = if is_separator(prev) { to_title_rune(r) } else { r };
            prev = r;
            out
        })
        .collect()
}

/// Go's `regexp.MustCompile(pattern).ReplaceAllString(text, repl)`.
pub(crate) fn re_replace_all(pattern: &str, repl: &str, text: &str) -> Result<String, String> {
    let re = go_regex(pattern).map_err(|e| {
        // regexp.MustCompile's panic message.
        let quoted = if crate::strconv::can_backquote(pattern) {
            format!("`{}`", pattern)
        } else {
            crate::strconv::quote(pattern)
        };
        format!("regexp: Compile({}): {}", quoted, e)
    })?;
    Ok(re.replace_all(text, repl).into_owned())
}

/// Go's `regexp.MatchString(pattern, s)`.
pub(crate) fn re_match(pattern: &str, s: &str) -> Result<bool, String> {
    Ok(go_regex(pattern)?.is_match(s))
}

/// Prometheus' `convertToFloat` (`durations` also takes a `time.Duration` as seconds, as the
/// later `prometheus/common` version Alertmanager uses does).
pub(crate) fn convert_to_float(v: &Value, durations: bool) -> Result<f64, String> {
    match v {
        Value::Float(f) => Ok(*f),
        Value::Int(i) => Ok(*i as f64),
        Value::String(s) => parse_float(s).map_err(|(e, _)| parse_float_error(s, e)),
        Value::Object(o) if durations && o.type_name() == "time.Duration" => match o.to_value() {
            Some(Value::Int(n)) => Ok(n as f64 / 1e9),
            _ => Err("can't convert time.Duration to float".into()),
        },
        other => Err(format!("can't convert {} to float", other.go_type_name())),
    }
}

fn g4(v: f64) -> String {
    sprintf("%.4g", &[Value::Float(v)])
}

pub(crate) fn humanize(v: &Value) -> Result<Value, String> {
    let mut v = convert_to_float(v, false)?;
    if v == 0.0 || v.is_nan() || v.is_infinite() {
        return Ok(Value::String(g4(v)));
    }
    let mut prefix = "";
    if v.abs() >= 1.0 {
        for p in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
            if v.abs() < 1000.0 {
                break;
            }
            prefix = p;
            v /= 1000.0;
        }
    } else {
        for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if v.abs() >= 1.0 {
                break;
            }
            prefix = p;
            v *= 1000.0;
        }
    }
    Ok(Value::String(format!("{}{}", g4(v), prefix)))
}

pub(crate) fn humanize_1024(v: &Value) -> Result<Value, String> {
    let mut v = convert_to_float(v, false)?;
    if v.abs() <= 1.0 || v.is_nan() || v.is_infinite() {
        return Ok(Value::String(g4(v)));
    }
    let mut prefix = "";
    for p in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
        if v.abs() < 1024.0 {
            break;
        }
        prefix = p;
        v /= 1024.0;
    }
    Ok(Value::String(format!("{}{}", g4(v), prefix)))
}

pub(crate) fn humanize_duration(v: &Value, durations: bool) -> Result<Value, String> {
    let mut v = convert_to_float(v, durations)?;
    if v.is_nan() || v.is_infinite() {
        return Ok(Value::String(g4(v)));
    }
    if v == 0.0 {
        return Ok(Value::String(format!("{}s", g4(v))));
    }
    if v.abs() >= 1.0 {
        let mut sign = "";
        if v < 0.0 {
            sign = "-";
            v = -v;
        }
        let duration = v as i64;
        let seconds = duration % 60;
        let minutes = (duration / 60) % 60;
        let hours = (duration / 60 / 60) % 24;
        let days = duration / 60 / 60 / 24;
        let s = if days != 0 {
            format!("{}{}d {}h {}m {}s", sign, days, hours, minutes, seconds)
        } else if hours != 0 {
            format!("{}{}h {}m {}s", sign, hours, minutes, seconds)
        } else if minutes != 0 {
            format!("{}{}m {}s", sign, minutes, seconds)
        } else {
            format!("{}{}s", sign, g4(v))
        };
        return Ok(Value::String(s));
    }
    let mut prefix = "";
    for p in ["m", "u", "n", "p", "f", "a", "z", "y"] {
        if v.abs() >= 1.0 {
            break;
        }
        prefix = p;
        v *= 1000.0;
    }
    Ok(Value::String(format!("{}{}s", g4(v), prefix)))
}

fn humanize_percentage(v: &Value) -> Result<Value, String> {
    let v = convert_to_float(v, false)?;
    Ok(Value::String(sprintf("%.4g%%", &[Value::Float(v * 100.0)])))
}

/// Prometheus' `floatToTime`: `None` for NaN and ±Inf.
fn float_to_time(v: f64) -> Result<Option<Time>, String> {
    if v.is_nan() || v.is_infinite() {
        return Ok(None);
    }
    let timestamp = v * 1e9;
    if timestamp > i64::MAX as f64 || timestamp < i64::MIN as f64 {
        return Err(format!(
            "{} cannot be represented as a nanoseconds timestamp since it overflows int64",
            crate::format::format_v(&Value::Float(v))
        ));
    }
    // model.TimeFromUnixNano keeps milliseconds.
    let ms = (timestamp as i64) / 1_000_000;
    Ok(Some(Time::from_unix_millis(ms)))
}

fn humanize_timestamp(v: &Value) -> Result<Value, String> {
    let f = convert_to_float(v, false)?;
    match float_to_time(f)? {
        None => Ok(Value::String(g4(f))),
        Some(t) => Ok(Value::String(t.to_string())),
    }
}

/// Go's `net.SplitHostPort`.
fn split_host_port(hostport: &str) -> Option<(&str, &str)> {
    let i = hostport.rfind(':')?;
    let (host, j, k);
    if hostport.starts_with('[') {
        let end = hostport.find(']')?;
        if end + 1 == hostport.len() || end + 1 != i {
            return None;
        }
        host = &hostport[1..end];
        j = 1;
        k = end + 1;
    } else {
        host = &hostport[..i];
        if host.contains(':') {
            return None;
        }
        j = 0;
        k = 0;
    }
    if hostport[j..].contains('[') || hostport[k..].contains(']') {
        return None;
    }
    Some((host, &hostport[i + 1..]))
}

fn strip_port(hostport: &str) -> String {
    match split_host_port(hostport) {
        Some((host, _)) => host.to_string(),
        None => hostport.to_string(),
    }
}

fn strip_domain(hostport: &str) -> String {
    let (host, port) = split_host_port(hostport).unwrap_or((hostport, ""));
    if host.parse::<std::net::IpAddr>().is_ok() {
        return hostport.to_string();
    }
    let host = host.split('.').next().unwrap_or("");
    if !port.is_empty() {
        if host.contains(':') {
            return format!("[{}]:{}", host, port);
        }
        return format!("{}:{}", host, port);
    }
    host.to_string()
}

/// Prometheus' `model.ParseDuration` (`1h30m`, units y w d h m s ms), in seconds.
pub(crate) fn parse_prom_duration(s: &str) -> Result<f64, String> {
    match s {
        "0" => return Ok(0.0),
        "" => return Err("empty duration string".into()),
        _ => {}
    }
    let re = go_regex("^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$")
        .expect("duration regexp");
    let caps = re.captures(s).ok_or_else(|| format!("not a valid duration string: {}", crate::strconv::quote(s)))?;
    let mut dur: i64 = 0;
    let mut overflow = false;
    for (pos, mult) in [
        (2, 1000i64 * 60 * 60 * 24 * 365),
        (4, 1000 * 60 * 60 * 24 * 7),
        (6, 1000 * 60 * 60 * 24),
        (8, 1000 * 60 * 60),
        (10, 1000 * 60),
        (12, 1000),
        (14, 1),
    ] {
        let Some(m) = caps.get(pos) else { continue };
        let n: i64 = m.as_str().parse().unwrap_or(i64::MAX);
        if n > i64::MAX / mult / 1_000_000 {
            overflow = true;
        }
        let d = n.wrapping_mul(1_000_000).wrapping_mul(mult);
        dur = dur.wrapping_add(d);
        if dur < 0 {
            overflow = true;
        }
    }
    if overflow {
        return Err("duration out of range".into());
    }
    Ok(dur as f64 / 1e9)
}

/// The labels of a sample argument (an object with `.Labels`, or a map with "Labels").
fn sample_labels(s: &Value) -> Result<Value, String> {
    match s {
        Value::Nil => Err("runtime error: invalid memory address or nil pointer dereference".into()),
        Value::Object(o) => Ok(o.field("Labels").unwrap_or(Value::Nil)),
        Value::Map(m) => Ok(m.get("Labels").cloned().unwrap_or(Value::Nil)),
        _ => Ok(Value::Nil),
    }
}

fn label_of(s: &Value, label: &str) -> Result<Value, String> {
    let labels = sample_labels(s)?;
    Ok(match labels.plain().as_ref() {
        Value::Map(m) => match m.get(label) {
            Some(Value::String(v)) => Value::String(v.clone()),
            Some(other) => Value::String(crate::format::format_v(other)),
            None => Value::String(String::new()),
        },
        _ => Value::String(String::new()),
    })
}

fn list_of(v: &Value) -> Vec<Value> {
    match v.plain().into_owned() {
        Value::List(l) => l,
        _ => Vec::new(),
    }
}

impl FuncMap {
    /// Go's builtins plus Prometheus 2.42's template functions, except `query` (insert it, see
    /// the [module documentation](crate::prometheus)) and `tmpl` (HTML templates only).
    /// `externalURL`/`pathPrefix` return "" until [`set_external_url`].
    pub fn prometheus() -> FuncMap {
        use Ty::*;
        let mut m = FuncMap::new();
        m.typed("first", &[QueryResult], None, |a| {
            list_of(&a[0]).into_iter().next().ok_or_else(|| "first() called on vector with no elements".to_string())
        });
        m.typed("label", &[Str, Sample], None, |a| label_of(&a[1], a[0].as_str().unwrap_or("")));
        m.typed("value", &[Sample], None, |a| match &a[0] {
            Value::Nil => Err("runtime error: invalid memory address or nil pointer dereference".into()),
            Value::Object(o) => Ok(match o.field("Value") {
                Some(Value::Int(i)) => Value::Float(i as f64),
                Some(v @ Value::Float(_)) => v,
                _ => Value::Float(0.0),
            }),
            Value::Map(m) => Ok(match m.get("Value") {
                Some(Value::Int(i)) => Value::Float(*i as f64),
                Some(v @ Value::Float(_)) => v.clone(),
                _ => Value::Float(0.0),
            }),
            _ => Ok(Value::Float(0.0)),
        });
        m.typed("strvalue", &[Sample], None, |a| label_of(&a[0], "__value__"));
        m.typed("args", &[], Some(Any), |a| {
            Ok(Value::Map(a.iter().enumerate().map(|(i, v)| (format!("arg{}", i), v.clone())).collect()))
        });
        m.typed("reReplaceAll", &[Str, Str, Str], None, |a| {
            re_replace_all(a[0].as_str().unwrap(), a[1].as_str().unwrap(), a[2].as_str().unwrap()).map(Value::String)
        });
        m.typed("safeHtml", &[Str], None, |a| Ok(a[0].clone()));
        m.typed("match", &[Str, Str], None, |a| {
            re_match(a[0].as_str().unwrap(), a[1].as_str().unwrap()).map(Value::Bool)
        });
        m.typed("title", &[Str], None, |a| Ok(Value::String(go_strings_title(a[0].as_str().unwrap()))));
        m.typed("toUpper", &[Str], None, |a| Ok(Value::String(go_to_upper(a[0].as_str().unwrap()))));
        m.typed("toLower", &[Str], None, |a| Ok(Value::String(go_to_lower(a[0].as_str().unwrap()))));
        m.typed("graphLink", &[Str], None, |a| {
            Ok(Value::String(format!("/graph?g0.expr={}&g0.tab=0", query_escape(a[0].as_str().unwrap()))))
        });
        m.typed("tableLink", &[Str], None, |a| {
            Ok(Value::String(format!("/graph?g0.expr={}&g0.tab=1", query_escape(a[0].as_str().unwrap()))))
        });
        m.typed("sortByLabel", &[Str, QueryResult], None, |a| {
            let label = a[0].as_str().unwrap();
            let mut keyed: Vec<(String, Value)> = Vec::new();
            for s in list_of(&a[1]) {
                let k = match label_of(&s, label) {
                    Ok(Value::String(k)) => k,
                    Ok(_) => String::new(),
                    Err(e) => return Err(e),
                };
                keyed.push((k, s));
            }
            keyed.sort_by(|x, y| x.0.cmp(&y.0));
            Ok(query_result(keyed.into_iter().map(|(_, s)| s).collect()))
        });
        m.typed("stripPort", &[Str], None, |a| Ok(Value::String(strip_port(a[0].as_str().unwrap()))));
        m.typed("stripDomain", &[Str], None, |a| Ok(Value::String(strip_domain(a[0].as_str().unwrap()))));
        m.typed("humanize", &[Any], None, |a| humanize(&a[0]));
        m.typed("humanize1024", &[Any], None, |a| humanize_1024(&a[0]));
        m.typed("humanizeDuration", &[Any], None, |a| humanize_duration(&a[0], false));
        m.typed("humanizePercentage", &[Any], None, |a| humanize_percentage(&a[0]));
        m.typed("humanizeTimestamp", &[Any], None, |a| humanize_timestamp(&a[0]));
        m.typed("toTime", &[Any], None, |a| {
            let f = convert_to_float(&a[0], false)?;
            match float_to_time(f)? {
                Some(t) => Ok(Value::Time(t)),
                None => Err("value is NaN or Inf".into()),
            }
        });
        m.typed("parseDuration", &[Str], None, |a| parse_prom_duration(a[0].as_str().unwrap()).map(Value::Float));
        set_external_url(&mut m, "");
        m
    }
}

/// A `query` function answering every query with the same result (for tests and previews).
pub fn fixed_query(result: Value) -> crate::Function {
    Arc::new(move |args: &[Value]| match args {
        [Value::String(_)] => Ok(result.clone()),
        _ => Err(crate::arg_error(format!("wrong number of args for query: want 1 got {}", args.len()))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port() {
        assert_eq!(strip_port("foo.example.com:12345"), "foo.example.com");
        assert_eq!(strip_port("[2001:0DB8::1]:12345"), "2001:0DB8::1");
        assert_eq!(strip_port("[2001:0DB8::1]::12345"), "[2001:0DB8::1]::12345");
        assert_eq!(strip_port("2001:0DB8::1"), "2001:0DB8::1");
        assert_eq!(strip_domain("foo.example.com:12345"), "foo:12345");
        assert_eq!(strip_domain("192.0.2.1:12345"), "192.0.2.1:12345");
        assert_eq!(strip_domain("foo.example.com"), "foo");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_prom_duration("1h2m10ms"), Ok(3720.01));
        assert_eq!(parse_prom_duration("1y"), Ok(31_536_000.0));
        assert_eq!(parse_prom_duration("0"), Ok(0.0));
        assert_eq!(parse_prom_duration("").unwrap_err(), "empty duration string");
        assert_eq!(parse_prom_duration("1x").unwrap_err(), "not a valid duration string: \"1x\"");
        assert_eq!(parse_prom_duration("300y").unwrap_err(), "duration out of range");
        assert_eq!(url_path("http://testhost:9090/path/prefix"), "/path/prefix");
        assert_eq!(url_path("http://h/a%20b?x#y"), "/a b");
        assert_eq!(url_path("http://h"), "");
    }

    #[test]
    fn titles_and_case() {
        assert_eq!(go_strings_title("aa bb CC"), "Aa Bb CC");
        assert_eq!(go_strings_title("hello_world foo-bar don't"), "Hello_world Foo-Bar Don'T");
        assert_eq!(go_to_upper("straße"), "STRAßE");
        assert_eq!(go_to_lower("ΣΑΣ"), "σασ");
    }
}
