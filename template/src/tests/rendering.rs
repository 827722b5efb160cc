//! End-to-end rendering with the Prometheus and Alertmanager helpers.

use super::*;
use crate::alertmanager::{self, fingerprint, Pair, Pairs};
use crate::prometheus::{expand, expand_alert_text, parse_test, ALERT_TEMPLATE_DEFS};

fn rule_data(value: f64) -> AlertTemplateData {
    AlertTemplateData::new(
        [("__name__", "node_load1"), ("instance", "web-1.example.com:9100"), ("job", "node")],
        [("cluster", "eu-1")],
        "http://prometheus.example:9090",
        value,
    )
}

#[test]
fn prometheus_alert_labels_and_annotations() {
    let funcs = FuncMap::prometheus();
    let d = rule_data(1234.5678);
    let x = |text: &str| expand_alert_text("HighLoad", text, &d, &funcs);
    assert_eq!(x("{{ $labels.instance }}"), "web-1.example.com:9100");
    assert_eq!(x("{{ $value | humanize }}"), "1.235k");
    assert_eq!(x(r#"{{ printf "%.2f" $value }}"#), "1234.57");
    assert_eq!(x("{{ $value }}"), "1234.5678");
    assert_eq!(x("{{ $labels.instance | stripDomain }} in {{ $externalLabels.cluster }}"), "web-1:9100 in eu-1");
    assert_eq!(
        x("{{ $externalURL }}{{ graphLink \"node_load1 > 1\" }}"),
        "http://prometheus.example:9090/graph?g0.expr=node_load1+%3E+1&g0.tab=0"
    );
    // A missing label is empty (Prometheus executes with missingkey=zero).
    assert_eq!(x("[{{ $labels.nope }}]"), "[]");
    assert_eq!(x("{{ if gt $value 1000.0 }}high{{ else }}low{{ end }}"), "high");
    // Comparing the float $value with an int constant is Go's classic error.
    assert_eq!(
        x("{{ if gt $value 1000 }}high{{ end }}"),
        "<error expanding template: error executing template __alert_HighLoad: template: __alert_HighLoad:1:118: \
         executing \"__alert_HighLoad\" at <gt $value 1000>: error calling gt: incompatible types for comparison>"
    );
    assert_eq!(
        x("{{ $labels.instance"),
        "<error expanding template: error parsing template __alert_HighLoad: template: __alert_HighLoad:1: unclosed action>"
    );
    assert_eq!(
        x("{{ nosuchfunc }}"),
        "<error expanding template: error parsing template __alert_HighLoad: template: __alert_HighLoad:1: function \"nosuchfunc\" not defined>"
    );
    assert!(parse_test("t", "{{ $value | humanize }}", &funcs).is_err()); // $value undefined without the defs
    assert!(parse_test("t", &format!("{}{{{{ $value | humanize }}}}", ALERT_TEMPLATE_DEFS), &funcs).is_ok());
}

#[test]
fn prometheus_query_function() {
    let mut funcs = FuncMap::prometheus();
    funcs.insert(
        "query",
        Arc::new(|args: &[Value]| match args {
            [Value::String(q)] if q == "up" => Ok(prometheus::query_result(vec![
                prometheus::sample([("__name__", "up"), ("instance", "b:9100"), ("job", "node")], 1.0),
                prometheus::sample([("__name__", "up"), ("instance", "a:9100"), ("job", "node")], 0.0),
            ])),
            [Value::String(q)] if q == "none" => Ok(prometheus::query_result(vec![])),
            [Value::String(q)] => Err(format!("bad query {:?}", q)),
            _ => Err("query wants a string".into()),
        }),
    );
    let d = rule_data(1.0).to_value();
    let x = |text: &str| expand("t", text, &d, &funcs);
    assert_eq!(x(r#"{{ with query "up" }}{{ . | first | value }}{{ end }}"#).unwrap(), "1");
    assert_eq!(x(r#"{{ with query "none" }}{{ . | first | value }}{{ else }}nothing{{ end }}"#).unwrap(), "nothing");
    assert_eq!(
        x(r#"{{ range query "up" | sortByLabel "instance" }}{{ .Labels.instance }}={{ .Value }} {{ end }}"#).unwrap(),
        "a:9100=0 b:9100=1 "
    );
    assert_eq!(x(r#"{{ query "up" | first | label "job" }}"#).unwrap(), "node");
    assert_eq!(x(r#"{{ (query "up" | first).Labels.instance }}"#).unwrap(), "b:9100");
    assert_eq!(x(r#"{{ len (query "up") }}"#).unwrap(), "2");
    assert_eq!(x(r#"{{ query "up" | first }}"#).unwrap(), "{map[__name__:up instance:b:9100 job:node] 1}");
    assert_eq!(
        x(r#"{{ query "none" | first }}"#).unwrap_err(),
        "error executing template t: template: t:1:18: executing \"t\" at <first>: error calling first: first() called on vector with no elements"
    );
    assert_eq!(
        x(r#"{{ query "x{" }}"#).unwrap_err(),
        "error executing template t: template: t:1:3: executing \"t\" at <query \"x{\">: error calling query: bad query \"x{\""
    );
    // A plain list of samples works too.
    let mut funcs2 = FuncMap::prometheus();
    funcs2.insert("query", prometheus::fixed_query(Value::List(vec![prometheus::sample([("a", "1")], 2.5)])));
    assert_eq!(expand("t", r#"{{ query "q" | first | value | humanize }}"#, &Value::Nil, &funcs2).unwrap(), "2.5");
}

#[test]
fn prometheus_external_url_and_time_functions() {
    let mut funcs = FuncMap::prometheus();
    assert_eq!(expand("t", "[{{ externalURL }}|{{ pathPrefix }}]", &Value::Nil, &funcs).unwrap(), "[|]");
    prometheus::set_external_url(&mut funcs, "https://prom.example.com/prometheus/");
    assert_eq!(
        expand("t", "{{ externalURL }} {{ pathPrefix }}", &Value::Nil, &funcs).unwrap(),
        "https://prom.example.com/prometheus/ /prometheus/"
    );
    let x = |text: &str| expand("t", text, &Value::Nil, &funcs).unwrap();
    assert_eq!(x("{{ 1700000000 | humanizeTimestamp }}"), "2023-11-14 22:13:20 +0000 UTC");
    assert_eq!(
        x(r#"{{ (1700000000.5 | toTime).Format "2006-01-02T15:04:05.000Z07:00" }}"#),
        "2023-11-14T22:13:20.500Z"
    );
    assert_eq!(x(r#"{{ (toTime 86400).Weekday }}"#), "Friday");
    assert_eq!(x(r#"{{ parseDuration "1h30m" | humanizeDuration }}"#), "1h 30m 0s");
    assert_eq!(
        x("{{ 0.000123 | humanizeDuration }} {{ 5400 | humanizeDuration }} {{ 123456789 | humanizeDuration }}"),
        "123us 1h 30m 0s 1428d 21h 33m 9s"
    );
    assert_eq!(x("{{ 1073741824 | humanize1024 }} {{ 0.5 | humanizePercentage }} {{ 1e-9 | humanize }}"), "1Gi 50% 1n");
}

fn firing(instance: &'static str, severity: &'static str, starts: i64) -> Alert {
    Alert::new(
        "firing",
        [("alertname", "InstanceDown"), ("instance", instance), ("job", "node"), ("severity", severity)],
        [("summary", "instance down"), ("runbook", "https://runbooks/down")],
        Time::from_unix(starts, 0),
        Time::zero(),
        "http://prom:9090/graph?g0.expr=up+%3D%3D+0",
    )
}

fn resolved(instance: &'static str) -> Alert {
    Alert::new(
        "resolved",
        [("alertname", "InstanceDown"), ("instance", instance), ("job", "node"), ("severity", "critical")],
        [("summary", "instance down")],
        Time::from_unix(1_700_000_000, 0),
        Time::from_unix(1_700_000_900, 0),
        "http://prom:9090/graph",
    )
}

const SUBJECT: &str = r#"{{ define "__subject" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .GroupLabels.SortedPairs.Values | join " " }} {{ if gt (len .CommonLabels) (len .GroupLabels) }}({{ with .CommonLabels.Remove .GroupLabels.Names }}{{ .Values | join " " }}{{ end }}){{ end }}{{ end }}"#;

const BODY: &str = r#"{{ define "body" }}{{ range .Alerts.Firing }}Alert: {{ .Labels.alertname }} on {{ .Labels.instance }} since {{ .StartsAt.Format "2006-01-02 15:04:05" }}
{{ range .Labels.SortedPairs }}  {{ .Name }} = {{ .Value }}
{{ end }}{{ end }}{{ range .Alerts.Resolved }}Resolved: {{ .Labels.instance }} after {{ .EndsAt.Sub .StartsAt }}
{{ end }}{{ end }}"#;

#[test]
fn alertmanager_subject_and_body() {
    let mut t = alertmanager::new_template();
    t.parse(SUBJECT).unwrap();
    t.parse(BODY).unwrap();
    let funcs = FuncMap::alertmanager();
    let alerts = vec![
        firing("web-1:9100", "critical", 1_700_000_000),
        firing("web-2:9100", "critical", 1_700_000_060),
        resolved("db-1:9100"),
    ];
    let data = Data::new("team-ops", [("alertname", "InstanceDown")], alerts, "http://am.example:9093").to_value();
    assert_eq!(
        t.execute_text(r#"{{ template "__subject" . }}"#, &data, &funcs).unwrap(),
        "[FIRING:2] InstanceDown (node critical)"
    );
    assert_eq!(
        t.execute_text(r#"{{ template "body" . }}"#, &data, &funcs).unwrap(),
        "Alert: InstanceDown on web-1:9100 since 2023-11-14 22:13:20\n  alertname = InstanceDown\n  instance = web-1:9100\n  \
         job = node\n  severity = critical\nAlert: InstanceDown on web-2:9100 since 2023-11-14 22:14:20\n  \
         alertname = InstanceDown\n  instance = web-2:9100\n  job = node\n  severity = critical\nResolved: db-1:9100 after 15m0s\n"
    );
    // All resolved, grouped by nothing.
    let data = Data::new("team-ops", Vec::<(String, String)>::new(), vec![resolved("db-1:9100")], "").to_value();
    assert_eq!(
        t.execute_text(r#"{{ template "__subject" . }}"#, &data, &funcs).unwrap(),
        "[RESOLVED]  (InstanceDown db-1:9100 node critical)"
    );
}

#[test]
fn alertmanager_data_like_template_data() {
    let alerts = vec![firing("a", "critical", 1), firing("b", "warning", 2)];
    let d = Data::new("ops+team.*", [("job", "node")], alerts, "http://am");
    assert_eq!(d.receiver, r"ops\+team\.\*");
    assert_eq!(d.status, "firing");
    assert_eq!(d.common_labels, KV::from_iter([("alertname", "InstanceDown"), ("job", "node")]));
    assert_eq!(d.common_annotations.0.len(), 2);
    let d2 = Data::new("r", [("job", "node")], vec![resolved("a")], "");
    assert_eq!(d2.status, "resolved");
    let empty = Data::new("r", Vec::<(String, String)>::new(), vec![], "");
    assert_eq!((empty.status.as_str(), empty.common_labels.0.len()), ("resolved", 0));
    // Fingerprints as Alertmanager computes them (FNV-1a over sorted labels).
    let labels: BTreeMap<String, String> = [("alertname".to_string(), "InstanceDown".to_string())].into();
    assert_eq!(format!("{:016x}", fingerprint(&labels)), format!("{:016x}", fingerprint(&labels)));
    assert_eq!(firing("a", "critical", 1).fingerprint.len(), 16);
    assert_ne!(firing("a", "critical", 1).fingerprint, firing("b", "critical", 1).fingerprint);
}

#[test]
fn alertmanager_kv_pairs_alerts() {
    let kv = KV::from_iter([("job", "node"), ("alertname", "Up"), ("instance", "x")]);
    let data = map(vec![
        ("KV", Value::from(kv)),
        ("A", Value::object(Alerts(vec![firing("a", "critical", 0), resolved("b")]))),
    ]);
    let funcs = FuncMap::alertmanager();
    let run = |text: &str| {
        let mut t = alertmanager::new_template();
        t.parse(text).unwrap();
        t.execute(&data, &funcs).map_err(|e| e.to_string())
    };
    assert_eq!(run("{{ .KV.SortedPairs.Names }} {{ .KV.Values }}").unwrap(), "[alertname instance job] [Up x node]");
    assert_eq!(run("{{ range .KV }}{{ . }},{{ end }}").unwrap(), "Up,x,node,");
    assert_eq!(
        run("{{ range $k, $v := .KV }}{{ $k }}={{ $v }},{{ end }}").unwrap(),
        "alertname=Up,instance=x,job=node,"
    );
    assert_eq!(run("{{ .KV.job }}|{{ .KV.missing }}|{{ index .KV \"job\" }}|{{ len .KV }}").unwrap(), "node||node|3");
    assert_eq!(run("{{ (.KV.Remove (stringSlice \"job\" \"instance\")).SortedPairs }}").unwrap(), "[{alertname Up}]");
    assert_eq!(run("{{ .KV }}").unwrap(), "map[alertname:Up instance:x job:node]");
    assert_eq!(run("{{ len .A }} {{ len .A.Firing }} {{ len .A.Resolved }}").unwrap(), "2 1 1");
    assert_eq!(run("{{ range .A }}{{ .Status }} {{ end }}").unwrap(), "firing resolved ");
    assert_eq!(run("{{ (index .A 1).EndsAt.Unix }}").unwrap(), "1700000900");
    assert_eq!(
        run("{{ .A.Firing.Nope }}").unwrap_err(),
        r#"template: :1:5: executing "" at <.A.Firing.Nope>: can't evaluate field Nope in type []template.Alert"#
    );
    let pairs = Pairs(vec![("a".into(), "1".into())]);
    assert_eq!(crate::sprint(&[Value::object(pairs)]), "[{a 1}]");
    assert_eq!(
        crate::sprintf("%+v", &[Value::object(Pair { name: "n".into(), value: "v".into() })]),
        "{Name:n Value:v}"
    );
}

#[test]
fn alertmanager_functions() {
    let funcs = FuncMap::alertmanager();
    let at = Time::parse_rfc3339("2023-03-04T05:06:07Z").unwrap();
    let data = map(vec![("T", Value::Time(at))]);
    let run = |text: &str| {
        let mut t = alertmanager::new_template();
        t.parse(text).map_err(|e| e.to_string())?;
        t.execute(&data, &funcs).map_err(|e| e.to_string())
    };
    assert_eq!(
        run(r#"{{ "hELLO wORLD" | title }} {{ toUpper "abc" }} {{ toLower "ABC" }}"#).unwrap(),
        "Hello World ABC abc"
    );
    assert_eq!(run(r#"{{ join ", " (stringSlice "a" "b") }}"#).unwrap(), "a, b");
    assert_eq!(
        run(r#"{{ match "^web-[0-9]+$" "web-12" }} {{ reReplaceAll "(.*):(\\d+)" "$2@$1" "host:80" }}"#).unwrap(),
        "true 80@host"
    );
    assert_eq!(run(r#"{{ safeHtml "<b>" }}"#).unwrap(), "<b>");
    // Later Alertmanager additions.
    assert_eq!(
        run(r#"{{ trimSpace "  x  " }}|{{ date "2006-01-02" .T }}|{{ (tz "+02:00" .T).Format "15:04 -07:00" }}"#)
            .unwrap(),
        "x|2023-03-04|07:06 +02:00"
    );
    assert_eq!(
        run(r#"{{ humanizeDuration 3725 }} {{ urlUnescape "a%20b+c" }} {{ safeUrl "http://x" }}"#).unwrap(),
        "1h 2m 5s a b c http://x"
    );
    assert!(run(r#"{{ (since .T).Hours | printf "%.0f" }}"#).unwrap().parse::<i64>().unwrap() > 1000);
    assert_eq!(
        run(r#"{{ tz "Europe/Paris" .T }}"#).unwrap_err(),
        r#"template: :1:3: executing "" at <tz "Europe/Paris" .T>: error calling tz: unknown time zone Europe/Paris"#
    );
    assert_eq!(
        run(r#"{{ join "," "abc" }}"#).unwrap_err(),
        r#"template: :1:12: executing "" at <"abc">: can't handle "abc" for arg of type []string"#
    );
    assert_eq!(run("{{ humanize 1 }}").unwrap_err(), r#"template: :1: function "humanize" not defined"#);
}
