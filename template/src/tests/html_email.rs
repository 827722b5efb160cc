//! Pharos' default e-mail template (the aggregator's `receivers/default.tmpl`) rendered as
//! Alertmanager's `ExecuteHTMLString` renders e-mail, with data full of characters HTML escaping
//! must handle. `testdata/pharos_email_expected.html` is what Go 1.19's `html/template` renders
//! for the same template and data.

use super::*;
use crate::alertmanager::{new_template, Alert, Data};

const PHAROS_DEFAULT: &str = include_str!("../../../aggregator/src/alerting/receivers/default.tmpl");
const EXPECTED: &str = include_str!("testdata/pharos_email_expected.html");

/// Labels, annotations, URLs and a receiver name with `< > & " '`, a `javascript:` source URL,
/// an already percent-encoded one and a relative one.
pub(crate) fn hostile_data() -> Data {
    let t0 = t("2024-01-02T03:04:05Z");
    let t1 = t("2024-01-02T04:00:00Z");
    let alerts = vec![
        Alert::new(
            "firing",
            [
                ("alertname", "Disk<Full>"),
                ("instance", "web-1&2"),
                ("severity", "\"crit\""),
                ("note", "it's <b>bold</b>"),
            ],
            [("summary", "<script>alert('x')</script>"), ("description", "a & b \"quoted\"")],
            t0.clone(),
            Time::zero(),
            "javascript:alert(document.cookie)",
        ),
        Alert::new(
            "firing",
            [("alertname", "Disk<Full>"), ("instance", "db-1")],
            Vec::<(String, String)>::new(),
            t0.clone(),
            Time::zero(),
            "http://prom.example:9090/graph?g0.expr=up%7Bjob%3D%22node%22%7D+%3C+1&g0.tab=1",
        ),
        Alert::new(
            "resolved",
            [("alertname", "Disk<Full>"), ("instance", "x y")],
            [("summary", "ok")],
            t0,
            t1,
            "/graph?expr=a<b&x=\"y\" z",
        ),
    ];
    Data::new("team <ops>&\"x'", [("alertname", "Disk<Full>")], alerts, "http://am.example:9093/<x>?a=b&c=\"d\"")
}

#[test]
fn default_email_html_matches_go() {
    let mut set = new_template();
    set.parse(PHAROS_DEFAULT).unwrap();
    let funcs = FuncMap::alertmanager();
    let data = hostile_data().to_value();
    let out = set.execute_html(r#"{{ template "email.default.html" . }}"#, &data, &funcs).unwrap();
    if out != EXPECTED {
        let line = out.lines().zip(EXPECTED.lines()).position(|(a, b)| a != b);
        panic!(
            "differs from Go at line {:?}:\n{:?}",
            line,
            line.map(|l| (out.lines().nth(l), EXPECTED.lines().nth(l)))
        );
    }
    // The same set renders the text templates unescaped.
    let subject = set.execute_text(r#"{{ template "email.default.subject" . }}"#, &data, &funcs).unwrap();
    assert_eq!(subject, "[FIRING:2] Disk<Full> ");
}

#[test]
fn execute_html_leaves_the_set_usable() {
    let mut set = new_template();
    set.parse(r#"{{ define "x" }}<b>{{ . }}</b>{{ end }}"#).unwrap();
    let funcs = FuncMap::alertmanager();
    let data = Value::str("<i>");
    let html = set.execute_html(r#"<a title="{{ template "x" . }}">{{ template "x" . }}</a>"#, &data, &funcs).unwrap();
    // As Go: the called template's text is not escaped inside the attribute, its action is.
    assert_eq!(html, "<a title=\"<b>&lt;i&gt;</b>\"><b>&lt;i&gt;</b></a>");
    // The set itself is not escaped: text rendering and further parsing still work.
    assert_eq!(set.execute_text(r#"{{ template "x" . }}"#, &data, &funcs).unwrap(), "<b><i></b>");
    set.parse(r#"{{ define "y" }}{{ . }}{{ end }}"#).unwrap();
    assert_eq!(set.execute_html("", &data, &funcs).unwrap(), "");
}

#[test]
fn escaping_once_then_executing_often() {
    let mut t = Template::new("t");
    t.parse(r#"{{ define "v" }}{{ . }}{{ end }}<p title="{{ template "v" . }}">{{ template "v" . }}</p>"#).unwrap();
    t.escape_html().unwrap();
    // Escaping again is a no-op, and the derived copy for the attribute context is in the set.
    t.escape_html().unwrap();
    assert!(t.names().iter().any(|n| n.starts_with("v$htmltemplate_stateAttr")), "{:?}", t.names());
    let funcs = FuncMap::new();
    for s in ["a<b", "\"q\"", "x&y"] {
        let out = t.execute(&Value::str(s), &funcs).unwrap();
        let esc = crate::html_escape(s);
        assert_eq!(out, format!("<p title=\"{esc}\">{esc}</p>"));
    }
    assert_eq!(t.parse("x").unwrap_err().to_string(), "html/template: cannot Parse after Execute");
    let mut empty = Template::new("e");
    assert_eq!(empty.escape_html().unwrap_err().to_string(), "template: \"e\" is an incomplete or empty template");
}
