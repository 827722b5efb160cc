//! Tests: cases generated from Go's own output (`go_cases`), and hand-written ones for the API,
//! parsing semantics, and the Prometheus and Alertmanager helpers.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::alertmanager::{Alert, Alerts, Data, KV};
use crate::prometheus::{self, AlertTemplateData};
use crate::{FuncMap, StringMap, Template, Time, Value};

mod api;
mod go_cases;
mod html_cases;
mod html_email;
mod rendering;

/// A parsed-and-executed case whose expected result came from Go.
pub(crate) struct GoCase {
    /// Definitions the template text starts with.
    pub prefix: &'static str,
    pub tmpl: &'static str,
    pub data: fn() -> Value,
    pub opts: &'static [&'static str],
    pub name: &'static str,
    /// Execute this template of the set instead of the main one.
    pub exec: &'static str,
    pub out: &'static str,
    /// Go's error message ("" for none); when set, `out` is not compared.
    pub err: &'static str,
}

#[derive(Clone, Copy)]
pub(crate) enum Funcs {
    Test,
    Prometheus,
    Alertmanager,
}

pub(crate) fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(entries.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

pub(crate) fn t(s: &str) -> Time {
    Time::parse_rfc3339(s).unwrap()
}

pub(crate) fn am_alert(
    status: &str,
    labels: impl IntoIterator<Item = (&'static str, &'static str)>,
    annotations: impl IntoIterator<Item = (&'static str, &'static str)>,
    starts_at: Time,
    ends_at: Time,
    generator_url: &str,
    fingerprint: &str,
) -> Alert {
    Alert {
        status: status.into(),
        labels: labels.into_iter().collect(),
        annotations: annotations.into_iter().collect(),
        starts_at,
        ends_at,
        generator_url: generator_url.into(),
        fingerprint: fingerprint.into(),
    }
}

/// Functions Go's exec tests use (untyped here: they get whatever the template passes).
pub(crate) fn test_funcs(m: &mut FuncMap) {
    m.insert(
        "add",
        Arc::new(|a: &[Value]| {
            let mut s = 0;
            for x in a {
                match x {
                    Value::Int(i) => s += i,
                    other => return Err(format!("bad argument {}", other)),
                }
            }
            Ok(Value::Int(s))
        }),
    );
    m.insert("echo", Arc::new(|a: &[Value]| Ok(a.first().cloned().unwrap_or_default())));
    m.insert("die", Arc::new(|_: &[Value]| -> Result<Value, String> { panic!("die") }));
    m.insert(
        "makemap",
        Arc::new(|a: &[Value]| {
            let mut m = BTreeMap::new();
            for p in a.chunks(2) {
                if let [Value::String(k), Value::String(v)] = p {
                    m.insert(k.clone(), v.clone());
                }
            }
            Ok(Value::from(StringMap(m)))
        }),
    );
    m.insert(
        "oneArg",
        Arc::new(|a: &[Value]| match a {
            [Value::String(s)] => Ok(Value::String(format!("oneArg={}", s))),
            _ => Err("oneArg wants a string".into()),
        }),
    );
    m.insert(
        "twoArgs",
        Arc::new(|a: &[Value]| match a {
            [Value::String(x), Value::String(y)] => Ok(Value::String(format!("twoArgs={}{}", x, y))),
            _ => Err("twoArgs wants two strings".into()),
        }),
    );
    m.insert("mapOfThree", Arc::new(|_: &[Value]| Ok(map(vec![("three", Value::Int(3))]))));
    m.insert("zeroArgs", Arc::new(|_: &[Value]| Ok(Value::str("zeroArgs"))));
    m.insert("typeOf", Arc::new(|a: &[Value]| Ok(Value::String(a[0].go_type_name()))));
}

pub(crate) fn funcs_for(which: Funcs, data: &Value) -> FuncMap {
    let mut f = match which {
        Funcs::Test => FuncMap::new(),
        Funcs::Prometheus => {
            let mut f = FuncMap::prometheus();
            prometheus::set_external_url(&mut f, "http://testhost:9090/path/prefix");
            let q = match data {
                Value::Map(m) => m.get("__query").cloned().unwrap_or_default(),
                _ => Value::Nil,
            };
            f.insert("query", prometheus::fixed_query(q));
            f
        }
        Funcs::Alertmanager => FuncMap::alertmanager(),
    };
    test_funcs(&mut f);
    f
}

pub(crate) fn run_go_cases(cases: &[GoCase], which: Funcs) {
    let mut failures = Vec::new();
    for c in cases {
        let data = (c.data)();
        let funcs = funcs_for(which, &data);
        let mut t = Template::new(c.name);
        t.funcs(&funcs);
        for o in c.opts {
            t.option(o).unwrap();
        }
        let text = format!("{}{}", c.prefix, c.tmpl);
        let r = t.parse(&text).and_then(|_| {
            if c.exec.is_empty() {
                t.execute(&data, &funcs)
            } else {
                t.execute_named(c.exec, &data, &funcs)
            }
        });
        let ok = match &r {
            Ok(out) => c.err.is_empty() && out == c.out,
            Err(e) => e.to_string() == c.err,
        };
        if !ok {
            failures.push(format!("template {:?}\n   want out {:?} err {:?}\n   got  {:?}", c.tmpl, c.out, c.err, r));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[allow(unused_imports)]
pub(crate) use crate::prometheus::sample;
#[allow(dead_code)]
fn _uses(_: Alerts, _: Data, _: KV, _: AlertTemplateData) {}
