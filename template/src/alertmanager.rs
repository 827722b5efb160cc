//! Alertmanager 0.25's notification template data (`template/template.go`: `Data`, `Alert`,
//! `Alerts`, `KV`, `Pairs`, `Pair`) and template functions (`DefaultFuncs`).
//!
//! ```
//! use pharos_template::alertmanager::{Alert, Data};
//! use pharos_template::{FuncMap, Template, Time};
//!
//! let alert = Alert::new("firing", [("alertname", "InstanceDown"), ("instance", "web-1"), ("job", "node")],
//!     [("summary", "web-1 is down")], Time::from_unix(1_700_000_000, 0), Time::zero(), "http://prom/graph");
//! let data = Data::new("team-ops", [("alertname", "InstanceDown")], vec![alert], "http://am");
//! let mut t = Template::new("");
//! t.parse(r#"{{ define "__subject" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .GroupLabels.SortedPairs.Values | join " " }} {{ if gt (len .CommonLabels) (len .GroupLabels) }}({{ with .CommonLabels.Remove .GroupLabels.Names }}{{ .Values | join " " }}{{ end }}){{ end }}{{ end }}"#).unwrap();
//! let out = t.execute_text(r#"{{ template "__subject" . }}"#, &data.to_value(), &FuncMap::alertmanager()).unwrap();
//! assert_eq!(out, "[FIRING:1] InstanceDown (web-1 node)");
//! ```
//!
//! Alertmanager parses and executes templates with `missingkey=zero`:
//! [`Template::execute_text`](crate::Template::execute_text) on a set made by [`new_template`]
//! does what its `ExecuteTextString` does.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::funcs::{arg_error, FuncMap, Ty};
use crate::gotime::Time;
use crate::html::{ContentType, SafeContent};
use crate::prometheus::{go_to_lower, go_to_upper, humanize_duration, re_match, re_replace_all};
use crate::value::{Object, Value};
use crate::{MissingKey, Template};

/// A template set as Alertmanager makes one: named `""`, `missingkey=zero`, and parse-time
/// checks against [`FuncMap::alertmanager`]. Parse the default and user template files into
/// it, then render each notification field with
/// [`execute_text`](crate::Template::execute_text).
pub fn new_template() -> Template {
    let mut t = Template::new("");
    t.set_missing_key(MissingKey::Zero);
    t.funcs(&FuncMap::alertmanager());
    t
}

/// Alertmanager's `KV`: a `map[string]string` with `SortedPairs`, `Names`, `Values` and
/// `Remove`. Ranging yields the values in key order; `.key` is the value for "key" (`""` when
/// missing, under Alertmanager's `missingkey=zero`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KV(pub BTreeMap<String, String>);

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for KV {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> KV {
        KV(iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

impl KV {
    /// The pairs sorted by name, except that `alertname` comes first.
    pub fn sorted_pairs(&self) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = Vec::with_capacity(self.0.len());
        if let Some(v) = self.0.get("alertname") {
            pairs.push(("alertname".into(), v.clone()));
        }
        for (k, v) in &self.0 {
            if k != "alertname" {
                pairs.push((k.clone(), v.clone()));
            }
        }
        pairs
    }

    /// A copy without the given keys.
    pub fn remove(&self, keys: &[String]) -> KV {
        KV(self.0.iter().filter(|(k, _)| !keys.contains(k)).map(|(k, v)| (k.clone(), v.clone())).collect())
    }
}

fn string_list(items: impl IntoIterator<Item = String>) -> Value {
    Value::List(items.into_iter().map(Value::String).collect())
}

fn no_args(name: &str, args: &[Value]) -> Result<(), String> {
    if args.is_empty() {
        Ok(())
    } else {
        Err(arg_error(format!("wrong number of args for {}: want 0 got {}", name, args.len())))
    }
}

fn strings_arg(v: &Value) -> Result<Vec<String>, String> {
    let p = v.plain();
    match p.as_ref() {
        Value::Nil => Ok(Vec::new()),
        Value::List(l) => l
            .iter()
            .map(|x| match x {
                Value::String(s) => Ok(s.clone()),
                _ => Err(()),
            })
            .collect::<Result<Vec<String>, ()>>()
            .map_err(|_| arg_error(format!("wrong type for value; expected []string; got {}", v.go_type_name()))),
        _ => Err(arg_error(format!("wrong type for value; expected []string; got {}", v.go_type_name()))),
    }
}

impl Object for KV {
    fn type_name(&self) -> String {
        "template.KV".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        self.0.get(name).map(|v| Value::String(v.clone()))
    }
    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        Some(match name {
            "SortedPairs" => no_args(name, args).map(|_| Value::object(Pairs(self.sorted_pairs()))),
            "Names" => no_args(name, args).map(|_| string_list(self.sorted_pairs().into_iter().map(|p| p.0))),
            "Values" => no_args(name, args).map(|_| string_list(self.sorted_pairs().into_iter().map(|p| p.1))),
            "Remove" => match args {
                [keys] => strings_arg(keys).map(|k| Value::object(self.remove(&k))),
                _ => Err(arg_error(format!("wrong number of args for Remove: want 1 got {}", args.len()))),
            },
            _ => return None,
        })
    }
    fn has_method(&self, name: &str) -> bool {
        matches!(name, "SortedPairs" | "Names" | "Values" | "Remove")
    }
    fn is_map(&self) -> bool {
        true
    }
    fn map_zero(&self) -> Value {
        Value::String(String::new())
    }
    fn to_value(&self) -> Option<Value> {
        Some(Value::Map(self.0.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect()))
    }
    fn truth(&self) -> bool {
        !self.0.is_empty()
    }
}

impl From<KV> for Value {
    fn from(kv: KV) -> Value {
        Value::Object(Arc::new(kv))
    }
}

/// Alertmanager's `Pairs`: a list of `Pair`s (`.Name`, `.Value`), with `Names` and `Values`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pairs(pub Vec<(String, String)>);

impl Object for Pairs {
    fn type_name(&self) -> String {
        "template.Pairs".into()
    }
    fn field(&self, _: &str) -> Option<Value> {
        None
    }
    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        Some(match name {
            "Names" => no_args(name, args).map(|_| string_list(self.0.iter().map(|p| p.0.clone()))),
            "Values" => no_args(name, args).map(|_| string_list(self.0.iter().map(|p| p.1.clone()))),
            _ => return None,
        })
    }
    fn has_method(&self, name: &str) -> bool {
        matches!(name, "Names" | "Values")
    }
    fn to_value(&self) -> Option<Value> {
        Some(Value::List(
            self.0.iter().map(|(n, v)| Value::object(Pair { name: n.clone(), value: v.clone() })).collect(),
        ))
    }
}

/// Alertmanager's `Pair`: `.Name` and `.Value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub name: String,
    pub value: String,
}

impl Object for Pair {
    fn type_name(&self) -> String {
        "template.Pair".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Name" => Some(Value::String(self.name.clone())),
            "Value" => Some(Value::String(self.value.clone())),
            _ => None,
        }
    }
    fn struct_fields(&self) -> Option<Vec<(String, Value)>> {
        Some(vec![
            ("Name".into(), Value::String(self.name.clone())),
            ("Value".into(), Value::String(self.value.clone())),
        ])
    }
}

/// Alertmanager's `Alert`: `.Status` ("firing" or "resolved"), `.Labels`, `.Annotations`
/// (KV), `.StartsAt`, `.EndsAt` (times), `.GeneratorURL`, `.Fingerprint`.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    pub status: String,
    pub labels: KV,
    pub annotations: KV,
    pub starts_at: Time,
    pub ends_at: Time,
    pub generator_url: String,
    pub fingerprint: String,
}

impl Alert {
    /// An alert; the fingerprint is computed from the labels as Alertmanager does.
    pub fn new<K1, V1, K2, V2>(
        status: &str,
        labels: impl IntoIterator<Item = (K1, V1)>,
        annotations: impl IntoIterator<Item = (K2, V2)>,
        starts_at: Time,
        ends_at: Time,
        generator_url: &str,
    ) -> Alert
    where
        K1: Into<String>,
        V1: Into<String>,
        K2: Into<String>,
        V2: Into<String>,
    {
        let labels: KV = labels.into_iter().collect();
        let fingerprint = format!("{:016x}", fingerprint(&labels.0));
        Alert {
            status: status.to_string(),
            labels,
            annotations: annotations.into_iter().collect(),
            starts_at,
            ends_at,
            generator_url: generator_url.to_string(),
            fingerprint,
        }
    }

    fn fields(&self) -> Vec<(String, Value)> {
        vec![
            ("Status".into(), Value::String(self.status.clone())),
            ("Labels".into(), Value::from(self.labels.clone())),
            ("Annotations".into(), Value::from(self.annotations.clone())),
            ("StartsAt".into(), Value::Time(self.starts_at.clone())),
            ("EndsAt".into(), Value::Time(self.ends_at.clone())),
            ("GeneratorURL".into(), Value::String(self.generator_url.clone())),
            ("Fingerprint".into(), Value::String(self.fingerprint.clone())),
        ]
    }
}

/// The fingerprint of a label set (Prometheus' `LabelSet.Fingerprint`: FNV-1a over the sorted
/// names and values); Alertmanager prints it with `%016x`.
pub fn fingerprint(labels: &BTreeMap<String, String>) -> u64 {
    const OFFSET: u64 = 14_695_981_039_346_656_037;
    const PRIME: u64 = 1_099_511_628_211;
    let mut h = OFFSET;
    let mut add = |b: &[u8]| {
        for &c in b {
            h ^= c as u64;
            h = h.wrapping_mul(PRIME);
        }
    };
    for (k, v) in labels {
        add(k.as_bytes());
        add(&[0xff]);
        add(v.as_bytes());
        add(&[0xff]);
    }
    h
}

impl Object for Alert {
    fn type_name(&self) -> String {
        "template.Alert".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        Some(match name {
            "Status" => Value::String(self.status.clone()),
            "Labels" => Value::from(self.labels.clone()),
            "Annotations" => Value::from(self.annotations.clone()),
            "StartsAt" => Value::Time(self.starts_at.clone()),
            "EndsAt" => Value::Time(self.ends_at.clone()),
            "GeneratorURL" => Value::String(self.generator_url.clone()),
            "Fingerprint" => Value::String(self.fingerprint.clone()),
            _ => return None,
        })
    }
    fn struct_fields(&self) -> Option<Vec<(String, Value)>> {
        Some(self.fields())
    }
}

impl From<Alert> for Value {
    fn from(a: Alert) -> Value {
        Value::Object(Arc::new(AlertObj::new(&a)))
    }
}

impl From<Alerts> for Value {
    fn from(a: Alerts) -> Value {
        Value::Object(Arc::new(AlertsObj::new(&a.0)))
    }
}

/// An alert as a template value, its fields built once (cheap to clone and to read).
#[derive(Debug)]
struct AlertObj {
    fields: [Value; 7],
}

const ALERT_FIELDS: [&str; 7] =
    ["Status", "Labels", "Annotations", "StartsAt", "EndsAt", "GeneratorURL", "Fingerprint"];

impl AlertObj {
    fn new(a: &Alert) -> AlertObj {
        AlertObj {
            fields: [
                Value::String(a.status.clone()),
                Value::from(a.labels.clone()),
                Value::from(a.annotations.clone()),
                Value::Time(a.starts_at.clone()),
                Value::Time(a.ends_at.clone()),
                Value::String(a.generator_url.clone()),
                Value::String(a.fingerprint.clone()),
            ],
        }
    }
}

impl Object for AlertObj {
    fn type_name(&self) -> String {
        "template.Alert".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        ALERT_FIELDS.iter().position(|f| *f == name).map(|i| self.fields[i].clone())
    }
    fn struct_fields(&self) -> Option<Vec<(String, Value)>> {
        Some(ALERT_FIELDS.iter().zip(self.fields.iter()).map(|(n, v)| (n.to_string(), v.clone())).collect())
    }
}

/// Alerts as a template value: the alerts built once, shared by `Firing`, `Resolved`, ranges.
#[derive(Debug)]
struct AlertsObj {
    alerts: Arc<Vec<Value>>,
    firing: Vec<bool>,
    resolved: Vec<bool>,
}

impl AlertsObj {
    fn new(alerts: &[Alert]) -> AlertsObj {
        AlertsObj {
            alerts: Arc::new(alerts.iter().map(|a| Value::Object(Arc::new(AlertObj::new(a)))).collect()),
            firing: alerts.iter().map(|a| a.status == "firing").collect(),
            resolved: alerts.iter().map(|a| a.status == "resolved").collect(),
        }
    }
}

impl Object for AlertsObj {
    fn type_name(&self) -> String {
        "template.Alerts".into()
    }
    fn field(&self, _: &str) -> Option<Value> {
        None
    }
    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let keep = match name {
            "Firing" => &self.firing,
            "Resolved" => &self.resolved,
            _ => return None,
        };
        Some(
            no_args(name, args).map(|_| {
                Value::List(self.alerts.iter().zip(keep).filter(|(_, k)| **k).map(|(a, _)| a.clone()).collect())
            }),
        )
    }
    fn has_method(&self, name: &str) -> bool {
        matches!(name, "Firing" | "Resolved")
    }
    fn to_value(&self) -> Option<Value> {
        Some(Value::List(self.alerts.as_ref().clone()))
    }
}

/// Data as a template value, its fields built once.
#[derive(Debug)]
struct DataObj {
    fields: [Value; 7],
}

const DATA_FIELDS: [&str; 7] =
    ["Receiver", "Status", "Alerts", "GroupLabels", "CommonLabels", "CommonAnnotations", "ExternalURL"];

impl Object for DataObj {
    fn type_name(&self) -> String {
        "*template.Data".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        DATA_FIELDS.iter().position(|f| *f == name).map(|i| self.fields[i].clone())
    }
    fn struct_fields(&self) -> Option<Vec<(String, Value)>> {
        Some(DATA_FIELDS.iter().zip(self.fields.iter()).map(|(n, v)| (n.to_string(), v.clone())).collect())
    }
    fn is_pointer(&self) -> bool {
        true
    }
}

/// Alertmanager's `Alerts`: a list of alerts with `Firing` and `Resolved`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Alerts(pub Vec<Alert>);

impl Object for Alerts {
    fn type_name(&self) -> String {
        "template.Alerts".into()
    }
    fn field(&self, _: &str) -> Option<Value> {
        None
    }
    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let status = match name {
            "Firing" => "firing",
            "Resolved" => "resolved",
            _ => return None,
        };
        Some(
            no_args(name, args)
                .map(|_| Value::List(self.0.iter().filter(|a| a.status == status).cloned().map(Value::from).collect())),
        )
    }
    fn has_method(&self, name: &str) -> bool {
        matches!(name, "Firing" | "Resolved")
    }
    fn to_value(&self) -> Option<Value> {
        Some(Value::List(self.0.iter().cloned().map(Value::from).collect()))
    }
}

/// Alertmanager's `Data`, the dot of notification templates: `.Receiver`, `.Status`,
/// `.Alerts`, `.GroupLabels`, `.CommonLabels`, `.CommonAnnotations`, `.ExternalURL`.
#[derive(Debug, Clone, PartialEq)]
pub struct Data {
    pub receiver: String,
    pub status: String,
    pub alerts: Alerts,
    pub group_labels: KV,
    pub common_labels: KV,
    pub common_annotations: KV,
    pub external_url: String,
}

impl Data {
    /// Assembles the data as Alertmanager's `Template.Data` does: the receiver name
    /// regexp-quoted, the status "firing" if any alert fires, and the labels and annotations
    /// common to all alerts.
    pub fn new<K: Into<String>, V: Into<String>>(
        receiver: &str,
        group_labels: impl IntoIterator<Item = (K, V)>,
        alerts: Vec<Alert>,
        external_url: &str,
    ) -> Data {
        let status = if alerts.iter().any(|a| a.status == "firing") { "firing" } else { "resolved" };
        let (mut common_labels, mut common_annotations) = match alerts.first() {
            Some(a) => (a.labels.0.clone(), a.annotations.0.clone()),
            None => (BTreeMap::new(), BTreeMap::new()),
        };
        for a in alerts.iter().skip(1) {
            common_labels.retain(|k, v| a.labels.0.get(k) == Some(v));
            common_annotations.retain(|k, v| a.annotations.0.get(k) == Some(v));
        }
        Data {
            receiver: quote_meta(receiver),
            status: status.to_string(),
            alerts: Alerts(alerts),
            group_labels: group_labels.into_iter().collect(),
            common_labels: KV(common_labels),
            common_annotations: KV(common_annotations),
            external_url: external_url.to_string(),
        }
    }

    /// As a template value (Go's `*Data`).
    pub fn to_value(&self) -> Value {
        Value::object(DataObj {
            fields: [
                Value::String(self.receiver.clone()),
                Value::String(self.status.clone()),
                Value::object(AlertsObj::new(&self.alerts.0)),
                Value::from(self.group_labels.clone()),
                Value::from(self.common_labels.clone()),
                Value::from(self.common_annotations.clone()),
                Value::String(self.external_url.clone()),
            ],
        })
    }

    fn fields(&self) -> Vec<(String, Value)> {
        vec![
            ("Receiver".into(), Value::String(self.receiver.clone())),
            ("Status".into(), Value::String(self.status.clone())),
            ("Alerts".into(), Value::object(self.alerts.clone())),
            ("GroupLabels".into(), Value::from(self.group_labels.clone())),
            ("CommonLabels".into(), Value::from(self.common_labels.clone())),
            ("CommonAnnotations".into(), Value::from(self.common_annotations.clone())),
            ("ExternalURL".into(), Value::String(self.external_url.clone())),
        ]
    }
}

impl Object for Data {
    fn type_name(&self) -> String {
        "*template.Data".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        Some(match name {
            "Receiver" => Value::String(self.receiver.clone()),
            "Status" => Value::String(self.status.clone()),
            "Alerts" => Value::object(self.alerts.clone()),
            "GroupLabels" => Value::from(self.group_labels.clone()),
            "CommonLabels" => Value::from(self.common_labels.clone()),
            "CommonAnnotations" => Value::from(self.common_annotations.clone()),
            "ExternalURL" => Value::String(self.external_url.clone()),
            _ => return None,
        })
    }
    fn struct_fields(&self) -> Option<Vec<(String, Value)>> {
        Some(self.fields())
    }
    fn is_pointer(&self) -> bool {
        true
    }
}

/// golang.org/x/text's `cases.Title(language.AmericanEnglish)`: each word's first cased
/// letter in title case, the rest in lower case. Words are split as Unicode word boundaries
/// do: `'`, `.`, `:` and `·` between letters (and `.`, `,` between digits) do not split.
pub(crate) fn cases_title(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || is_mark(c);
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if !is_word(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // One word.
        let start = i;
        while i < chars.len() {
            let c = chars[i];
            if is_word(c) {
                i += 1;
                continue;
            }
            let joins = i > start && i + 1 < chars.len() && {
                let (p, n) = (chars[i - 1], chars[i + 1]);
                (matches!(c, '\'' | '.' | ':' | '·' | '\u{2019}') && p.is_alphabetic() && n.is_alphabetic())
                    || (matches!(c, '.' | ',' | ';' | '\'') && p.is_numeric() && n.is_numeric())
            };
            if joins {
                i += 1;
                continue;
            }
            break;
        }
        let word: String = chars[start..i].iter().collect();
        match word.char_indices().find(|(_, c)| c.is_lowercase() || c.is_uppercase()) {
            Some((k, c)) => {
                out.push_str(&word[..k]);
                let mut up = c.to_uppercase();
                match (up.next(), up.next()) {
                    (Some(u), None) => out.push(match c as u32 {
                        0x1C4..=0x1C6 => '\u{1C5}',
                        0x1C7..=0x1C9 => '\u{1C8}',
                        0x1CA..=0x1CC => '\u{1CB}',
                        0x1F1..=0x1F3 => '\u{1F2}',
                        _ => u,
                    }),
                    _ => out.push(c),
                }
                out.push_str(&word[k + c.len_utf8()..].to_lowercase());
            }
            None => out.push_str(&word),
        }
    }
    out
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x300..=0x36F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

impl FuncMap {
    /// Go's builtins plus Alertmanager 0.25's `DefaultFuncs`: `toUpper`, `toLower`, `title`,
    /// `join`, `match`, `safeHtml`, `reReplaceAll`, `stringSlice`.
    ///
    /// Also, from later Alertmanager versions: `trimSpace` (0.26), `date`, `tz` (only "UTC",
    /// "Local" (as UTC) and fixed offsets like "+02:00", as there is no time zone database),
    /// `since`, `humanizeDuration` (0.28), `safeUrl`, `urlUnescape`.
    pub fn alertmanager() -> FuncMap {
        use Ty::*;
        let mut m = FuncMap::new();
        m.typed("toUpper", &[Str], None, |a| Ok(Value::String(go_to_upper(a[0].as_str().unwrap()))));
        m.typed("toLower", &[Str], None, |a| Ok(Value::String(go_to_lower(a[0].as_str().unwrap()))));
        m.typed("title", &[Str], None, |a| Ok(Value::String(cases_title(a[0].as_str().unwrap()))));
        m.typed("join", &[Str, StrList], None, |a| {
            let items = strings_arg(&a[1])?;
            Ok(Value::String(items.join(a[0].as_str().unwrap())))
        });
        m.typed("match", &[Str, Str], None, |a| {
            re_match(a[0].as_str().unwrap(), a[1].as_str().unwrap()).map(Value::Bool)
        });
        m.typed("safeHtml", &[Str], None, |a| Ok(SafeContent::value(ContentType::Html, a[0].as_str().unwrap_or(""))));
        m.typed("reReplaceAll", &[Str, Str, Str], None, |a| {
            re_replace_all(a[0].as_str().unwrap(), a[1].as_str().unwrap(), a[2].as_str().unwrap()).map(Value::String)
        });
        m.typed("stringSlice", &[], Some(Str), |a| Ok(Value::List(a.to_vec())));
        // Later additions.
        m.typed("trimSpace", &[Str], None, |a| Ok(Value::String(a[0].as_str().unwrap().trim().to_string())));
        m.typed("safeUrl", &[Str], None, |a| Ok(SafeContent::value(ContentType::Url, a[0].as_str().unwrap_or(""))));
        m.typed("urlUnescape", &[Str], None, |a| query_unescape(a[0].as_str().unwrap()).map(Value::String));
        m.typed("date", &[Str, Time], None, |a| match &a[1] {
            Value::Time(t) => Ok(Value::String(t.format(a[0].as_str().unwrap()))),
            _ => unreachable!(),
        });
        m.typed("tz", &[Str, Time], None, |a| match &a[1] {
            Value::Time(t) => tz(a[0].as_str().unwrap(), t).map(Value::Time),
            _ => unreachable!(),
        });
        m.typed("since", &[Time], None, |a| match &a[0] {
            Value::Time(t) => Ok(crate::gotime::Duration::value(crate::gotime::Time::now().sub_nanos(t))),
            _ => unreachable!(),
        });
        m.typed("humanizeDuration", &[Any], None, |a| humanize_duration(&a[0], true));
        m
    }
}

/// Go's `regexp.QuoteMeta`.
fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `tz`: without a time zone database only UTC, Local (taken as UTC) and fixed offsets.
fn tz(name: &str, t: &Time) -> Result<Time, String> {
    match name {
        "" | "UTC" | "Local" => return Ok(t.utc()),
        _ => {}
    }
    let b = name.as_bytes();
    if b.len() == 6 && (b[0] == b'+' || b[0] == b'-') && b[3] == b':' {
        if let (Ok(h), Ok(m)) = (name[1..3].parse::<i32>(), name[4..6].parse::<i32>()) {
            let off = (h * 3600 + m * 60) * if b[0] == b'-' { -1 } else { 1 };
            return Ok(t.with_zone(off, ""));
        }
    }
    Err(format!("unknown time zone {}", name))
}

/// Go's `url.QueryUnescape`.
fn query_unescape(s: &str) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3).filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()));
                match hex {
                    Some(h) => out.push(u8::from_str_radix(h, 16).unwrap()),
                    None => {
                        let bad: String = s[i..].chars().take(3).collect();
                        return Err(format!("invalid URL escape {}", crate::strconv::quote(&bad)));
                    }
                }
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_like_x_text() {
        // Outputs of golang.org/x/text/cases.Title(language.AmericanEnglish).
        let cases = [
            ("aa bb CC", "Aa Bb Cc"),
            ("hELLO wORLD", "Hello World"),
            ("don't stop", "Don't Stop"),
            ("hello_world", "Hello_world"),
            ("foo-bar", "Foo-Bar"),
            ("3rd place", "3Rd Place"),
            ("x.y z", "X.y Z"),
            ("ÉCOLE élève", "École Élève"),
            ("ǆemal", "ǅemal"),
            ("straße", "Straße"),
            ("HTTP_server down", "Http_server Down"),
            ("a1b2 c3", "A1b2 C3"),
            ("über-cool", "Über-Cool"),
            ("it's OK!", "It's Ok!"),
            ("o'neil", "O'neil"),
            ("high cpu (node)", "High Cpu (Node)"),
            ("foo.bar.baz", "Foo.bar.baz"),
            ("αβγ ΑΒΓ", "Αβγ Αβγ"),
            ("1a", "1A"),
            ("hello\tworld\nnew", "Hello\tWorld\nNew"),
            ("a:b", "A:b"),
            ("a·b", "A·b"),
        ];
        for (i, o) in cases {
            assert_eq!(cases_title(i), o, "{:?}", i);
        }
    }

    #[test]
    fn kv_methods() {
        let kv: KV = [("job", "node"), ("alertname", "Up"), ("instance", "a")].into_iter().collect();
        assert_eq!(
            kv.sorted_pairs(),
            vec![("alertname".into(), "Up".into()), ("instance".into(), "a".into()), ("job".into(), "node".into())]
        );
        assert_eq!(kv.remove(&["job".to_string()]).0.len(), 2);
        assert_eq!(format!("{:016x}", fingerprint(&BTreeMap::new())), "cbf29ce484222325");
        assert_eq!(query_unescape("a+b%20c").unwrap(), "a b c");
        assert_eq!(query_unescape("%zz").unwrap_err(), "invalid URL escape \"%zz\"");
    }
}
