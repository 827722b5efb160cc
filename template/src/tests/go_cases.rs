//! Generated from Go 1.19's text/template (and Prometheus 2.42's / Alertmanager 0.25's
//! functions) run on the same templates and data: the expected outputs and errors are Go's,
//! except where a comment says otherwise.

#![allow(clippy::approx_constant)]

use super::*;

/// Alertmanager-style definitions the Alertmanager cases start with.
const AM_DEFS: &str = "{{ define \"__subject\" }}[{{ .Status | toUpper }}{{ if eq .Status \"firing\" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .GroupLabels.SortedPairs.Values | join \" \" }} {{ if gt (len .CommonLabels) (len .GroupLabels) }}({{ with .CommonLabels.Remove .GroupLabels.Names }}{{ .Values | join \" \" }}{{ end }}){{ end }}{{ end }}\n{{ define \"__alertmanagerURL\" }}{{ .ExternalURL }}/#/alerts?receiver={{ .Receiver | urlquery }}{{ end }}\n{{ define \"__alert_list\" }}{{ range . }}Labels:\n{{ range .Labels.SortedPairs }} - {{ .Name }} = {{ .Value }}\n{{ end }}Annotations:\n{{ range .Annotations.SortedPairs }} - {{ .Name }} = {{ .Value }}\n{{ end }}Source: {{ .GeneratorURL }}\n{{ end }}{{ end }}\n{{ define \"chat.title\" }}{{ template \"__subject\" . }}{{ end }}\n{{ define \"chat.text\" }}{{ if gt (len .Alerts.Firing) 0 -}}\nAlerts Firing:\n{{ template \"__alert_list\" .Alerts.Firing }}\n{{- end }}\n{{ if gt (len .Alerts.Resolved) 0 -}}\nAlerts Resolved:\n{{ template \"__alert_list\" .Alerts.Resolved }}\n{{- end }}\n{{- end }}\n{{ define \"mail.html\" }}<a href=\"{{ template \"__alertmanagerURL\" . }}\">{{ .Alerts | len }} alert{{ if gt (len .Alerts) 1 }}s{{ end }} for {{ range .GroupLabels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}</a>\n{{ range .Alerts }}<li>{{ .Labels.alertname }} {{ .StartsAt.Format \"2006-01-02 15:04:05 MST\" }}{{ if .Annotations.description }}: {{ .Annotations.description | html }}{{ end }}</li>\n{{ end }}{{ end }}\n{{ define \"short\" }}{{ range .Alerts }}[{{ .Status | title }}] {{ .Labels.instance | reReplaceAll \":[0-9]+$\" \"\" }} since {{ .StartsAt.UTC.Format \"15:04\" }}{{ if not .EndsAt.IsZero }} until {{ .EndsAt.Format \"15:04\" }}{{ end }}\n{{ end }}{{ end }}\n";

fn data_go_core_exec_0() -> Value {
    map(vec![
        ("Big", Value::Float(1234567.0)),
        ("Empty0", Value::Nil),
        ("Empty1", Value::Int(3)),
        ("Empty2", Value::str("empty2")),
        ("Empty3", Value::List(vec![Value::Int(7), Value::Int(8)])),
        ("Empty4", map(vec![("V", Value::str("UinEmpty"))])),
        ("F", Value::Float(1.5)),
        ("FloatZero", Value::Float(0.0)),
        ("I", Value::Int(17)),
        ("KV", Value::from(KV::from_iter([("a", "1"), ("alertname", "X"), ("b", "2")]))),
        ("MSI", map(vec![("one", Value::Int(1)), ("three", Value::Int(3)), ("two", Value::Int(2))])),
        ("MSIEmpty", map(vec![])),
        ("MSIone", map(vec![("one", Value::Int(1))])),
        ("Neg", Value::Int(-3)),
        ("PS", Value::str("a string")),
        ("S", Value::str("xyz")),
        ("SB", Value::List(vec![Value::Bool(true), Value::Bool(false)])),
        ("SI", Value::List(vec![Value::Int(3), Value::Int(4), Value::Int(5)])),
        ("SIEmpty", Value::List(vec![])),
        ("SM", Value::from(StringMap::from_iter([("k", "v")]))),
        (
            "SMSI",
            Value::List(vec![
                map(vec![("one", Value::Int(1)), ("two", Value::Int(2))]),
                map(vec![("eleven", Value::Int(11)), ("twelve", Value::Int(12))]),
            ]),
        ),
        ("Strs", Value::List(vec![Value::str("a"), Value::str("b")])),
        ("Time", Value::Time(t("2009-11-10T23:04:05.123456789Z"))),
        ("True", Value::Bool(true)),
        ("U", map(vec![("V", Value::str("v"))])),
        ("X", Value::str("x")),
    ])
}

fn data_go_core_exec_1() -> Value {
    Value::Int(13)
}

fn data_go_core_exec_2() -> Value {
    Value::Float(15.1)
}

fn data_go_core_exec_3() -> Value {
    Value::Bool(true)
}

fn data_go_core_exec_4() -> Value {
    Value::str("hello")
}

fn data_go_core_exec_5() -> Value {
    Value::List(vec![Value::Int(-1), Value::Int(-2), Value::Int(-3)])
}

fn data_go_core_exec_6() -> Value {
    map(vec![("two", Value::Int(22))])
}

fn data_go_core_exec_7() -> Value {
    Value::Int(123)
}

fn data_go_core_exec_8() -> Value {
    Value::Nil
}

fn data_go_core_exec_9() -> Value {
    map(vec![])
}

fn data_go_core_exec_10() -> Value {
    Value::str("It'd be nice.")
}

fn data_go_core_exec_11() -> Value {
    Value::Int(101)
}

fn data_go_core_exec_12() -> Value {
    Value::Int(5)
}

fn data_go_core_exec_13() -> Value {
    Value::Int(1)
}

fn data_go_core_exec_14() -> Value {
    map(vec![("Nope", map(vec![("X", Value::Int(1))]))])
}

fn data_go_core_exec_15() -> Value {
    map(vec![("A", Value::Int(3))])
}

#[test]
fn go_core_exec() {
    let cases = [
        GoCase { prefix: "", tmpl: "", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "" },
        GoCase { prefix: "", tmpl: "some text", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "some text", err: "" },
        GoCase { prefix: "", tmpl: "{{nil}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <nil>: nil is not a command" },
        GoCase { prefix: "", tmpl: "{{typeOf 3}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "int", err: "" },
        GoCase { prefix: "", tmpl: "{{typeOf 1.0}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "float64", err: "" },
        GoCase { prefix: "", tmpl: "{{typeOf 1e1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "float64", err: "" },
        GoCase { prefix: "", tmpl: "{{typeOf 0x7fffffffffffffff}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "int", err: "" },
        GoCase { prefix: "", tmpl: "{{typeOf 0x8000000000000000}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:9: executing \"\" at <0x8000000000000000>: 0x8000000000000000 overflows int" },
        GoCase { prefix: "", tmpl: "-{{.X}}-", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "-x-", err: "" },
        GoCase { prefix: "", tmpl: "-{{.U.V}}-", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "-v-", err: "" },
        GoCase { prefix: "", tmpl: "{{.MSI.one}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1", err: "" },
        GoCase { prefix: "", tmpl: "{{.MSI.two}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "2", err: "" },
        GoCase { prefix: "", tmpl: "{{.MSI.NO}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<no value>", err: "" },
        GoCase { prefix: "", tmpl: "{{.MSI.one 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:6: executing \"\" at <.MSI.one>: one is not a method but has arguments" },
        GoCase { prefix: "", tmpl: "{{$}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "map[Big:1.234567e+06 Empty0:<nil> Empty1:3 Empty2:empty2 Empty3:[7 8] Empty4:map[V:UinEmpty] F:1.5 FloatZero:0 I:17 KV:map[a:1 alertname:X b:2] MSI:map[one:1 three:3 two:2] MSIEmpty:map[] MSIone:map[one:1] Neg:-3 PS:a string S:xyz SB:[true false] SI:[3 4 5] SIEmpty:[] SM:map[k:v] SMSI:[map[one:1 two:2] map[eleven:11 twelve:12]] Strs:[a b] Time:2009-11-10 23:04:05.123456789 +0000 UTC True:true U:map[V:v] X:x]", err: "" },
        GoCase { prefix: "", tmpl: "{{$.I}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "17", err: "" },
        GoCase { prefix: "", tmpl: "{{$.U.V}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "v", err: "" },
        GoCase { prefix: "", tmpl: "{{$x := $.U.V}}{{$x}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "v", err: "" },
        GoCase { prefix: "", tmpl: "{{$x := 2}}{{$x = 3}}{{$x}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "3", err: "" },
        GoCase { prefix: "", tmpl: "{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{$x}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "3", err: "" },
        GoCase { prefix: "", tmpl: "{{$x := 1}}{{if true}}{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{end}}{{$x}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1", err: "" },
        GoCase { prefix: "", tmpl: "{{.Empty0}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<no value>", err: "" },
        GoCase { prefix: "", tmpl: "{{.Empty1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "3", err: "" },
        GoCase { prefix: "", tmpl: "{{.Empty2}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "empty2", err: "" },
        GoCase { prefix: "", tmpl: "{{.Empty3}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[7 8]", err: "" },
        GoCase { prefix: "", tmpl: "{{.Empty4}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "map[V:UinEmpty]", err: "" },
        GoCase { prefix: "", tmpl: "{{.Empty4.V}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "UinEmpty", err: "" },
        GoCase { prefix: "", tmpl: "{{1 2}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <1>: can't give argument to non-function 1" },
        GoCase { prefix: "", tmpl: "{{(1) 2}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <(1) 2>: can't give argument to non-function 1" },
        GoCase { prefix: "", tmpl: "{{(1)}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1", err: "" },
        GoCase { prefix: "", tmpl: "{{printf `%d %d %d` (1) (2 | add 3) (add 4 (add 5 6))}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1 5 15", err: "" },
        GoCase { prefix: "", tmpl: "{{($).X}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "x", err: "" },
        GoCase { prefix: "", tmpl: "{{($ | echo).X}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "x", err: "" },
        GoCase { prefix: "", tmpl: "{{(makemap \"up\" \"down\" \"left\" \"right\").left}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "right", err: "" },
        GoCase { prefix: "", tmpl: "{{if true}}TRUE{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "TRUE", err: "" },
        GoCase { prefix: "", tmpl: "{{if false}}TRUE{{else}}FALSE{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "FALSE", err: "" },
        GoCase { prefix: "", tmpl: "{{if nil}}TRUE{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:5: executing \"\" at <nil>: nil is not a command" },
        GoCase { prefix: "", tmpl: "{{if 1}}NON-ZERO{{else}}ZERO{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "NON-ZERO", err: "" },
        GoCase { prefix: "", tmpl: "{{if 0}}NON-ZERO{{else}}ZERO{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "ZERO", err: "" },
        GoCase { prefix: "", tmpl: "{{if 1.5}}NON-ZERO{{else}}ZERO{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "NON-ZERO", err: "" },
        GoCase { prefix: "", tmpl: "{{if .FloatZero}}NON-ZERO{{else}}ZERO{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "ZERO", err: "" },
        GoCase { prefix: "", tmpl: "{{if ``}}NON-EMPTY{{else}}EMPTY{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "EMPTY", err: "" },
        GoCase { prefix: "", tmpl: "{{if `notempty`}}NON-EMPTY{{else}}EMPTY{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "NON-EMPTY", err: "" },
        GoCase { prefix: "", tmpl: "{{if .SIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "EMPTY", err: "" },
        GoCase { prefix: "", tmpl: "{{if .SI}}NON-EMPTY{{else}}EMPTY{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "NON-EMPTY", err: "" },
        GoCase { prefix: "", tmpl: "{{if .MSIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "EMPTY", err: "" },
        GoCase { prefix: "", tmpl: "{{if .MSI}}NON-EMPTY{{else}}EMPTY{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "NON-EMPTY", err: "" },
        GoCase { prefix: "", tmpl: "{{if .MSI.none}}NON-ZERO{{else}}ZERO{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "ZERO", err: "" },
        GoCase { prefix: "", tmpl: "{{if not .MSI.none}}ZERO{{else}}NON-ZERO{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "ZERO", err: "" },
        GoCase { prefix: "", tmpl: "{{if $x := true}}{{with $y := .I}}{{$x}},{{$y}}{{end}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "true,17", err: "" },
        GoCase { prefix: "", tmpl: "{{if $x := true}}{{with $x := .I}}{{$x}},{{end}}{{$x}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "17,true", err: "" },
        GoCase { prefix: "", tmpl: "{{if false}}FALSE{{else if true}}TRUE{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "TRUE", err: "" },
        GoCase { prefix: "", tmpl: "{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "3", err: "" },
        GoCase { prefix: "", tmpl: "{{print \"hello, print\"}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "hello, print", err: "" },
        GoCase { prefix: "", tmpl: "{{print 1 2 3}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1 2 3", err: "" },
        GoCase { prefix: "", tmpl: "{{print nil}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<nil>", err: "" },
        GoCase { prefix: "", tmpl: "{{println 1 2 3}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1 2 3\n", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%04x\" 127}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "007f", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%g\" 3.5}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "3.5", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%s\" \"hello\"}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "hello", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%#q\" zeroArgs}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "`zeroArgs`", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%s\" .U.V}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "v", err: "" },
        GoCase { prefix: "", tmpl: "{{with .I}}{{printf \"%d\" .}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "17", err: "" },
        GoCase { prefix: "", tmpl: "{{with $x := .I}}{{printf \"%d\" $x}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "17", err: "" },
        GoCase { prefix: "", tmpl: "{{html \"<script>alert(\\\"XSS\\\");</script>\"}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"<script>alert(\\\"XSS\\\");</script>\" | html}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;", err: "" },
        GoCase { prefix: "", tmpl: "{{html .PS}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "a string", err: "" },
        GoCase { prefix: "", tmpl: "{{html .Empty0}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "&lt;no value&gt;", err: "" },
        GoCase { prefix: "", tmpl: "{{js .X}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "x", err: "" },
        GoCase { prefix: "", tmpl: "{{\"http://www.example.org/\"|urlquery}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "http%3A%2F%2Fwww.example.org%2F", err: "" },
        GoCase { prefix: "", tmpl: "{{not true}} {{not false}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "false true", err: "" },
        GoCase { prefix: "", tmpl: "{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "false 0 0 1", err: "" },
        GoCase { prefix: "", tmpl: "{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "0 1 true 1", err: "" },
        GoCase { prefix: "", tmpl: "{{or 0 1 (die)}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1", err: "" },
        GoCase { prefix: "", tmpl: "{{and 1 0 (die)}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "0", err: "" },
        GoCase { prefix: "", tmpl: "{{1 | and 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1", err: "" },
        GoCase { prefix: "", tmpl: "{{0 | and 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "0", err: "" },
        GoCase { prefix: "", tmpl: "{{1 | or 0}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1", err: "" },
        GoCase { prefix: "", tmpl: "{{0 | or 0}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "0", err: "" },
        GoCase { prefix: "", tmpl: "{{and 1 .Unknown}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<no value>", err: "" },
        GoCase { prefix: "", tmpl: "{{or 0 .Unknown}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<no value>", err: "" },
        GoCase { prefix: "", tmpl: "{{if and true 1 `hi`}}TRUE{{else}}FALSE{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "TRUE", err: "" },
        GoCase { prefix: "", tmpl: "{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "FALSE", err: "" },
        GoCase { prefix: "", tmpl: "{{if true | not | and 1}}TRUE{{else}}FALSE{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "FALSE", err: "" },
        GoCase { prefix: "", tmpl: "{{index .SI 0}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "3", err: "" },
        GoCase { prefix: "", tmpl: "{{index .SI 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "4", err: "" },
        GoCase { prefix: "", tmpl: "{{index .SI 10}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <index .SI 10>: error calling index: index out of range: 10" },
        GoCase { prefix: "", tmpl: "{{index .SI 3}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <index .SI 3>: error calling index: reflect: slice index out of range" },
        GoCase { prefix: "", tmpl: "{{index .SI `hello`}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <index .SI `hello`>: error calling index: cannot index slice/array with type string" },
        GoCase { prefix: "", tmpl: "{{index .SI nil}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <index .SI nil>: error calling index: cannot index slice/array with nil" },
        GoCase { prefix: "", tmpl: "{{index .MSI `one`}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1", err: "" },
        GoCase { prefix: "", tmpl: "{{index .MSI `XXX`}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<no value>", err: "" },
        GoCase { prefix: "", tmpl: "{{index .MSI nil}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <index .MSI nil>: error calling index: value is nil; should be of type string" },
        GoCase { prefix: "", tmpl: "{{index .MSI 10}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <index .MSI 10>: error calling index: value has type int; should be string" },
        GoCase { prefix: "", tmpl: "{{index .SMSI 1 `eleven`}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "11", err: "" },
        GoCase { prefix: "", tmpl: "{{index nil 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <index nil 1>: error calling index: index of untyped nil" },
        GoCase { prefix: "", tmpl: "{{index .Empty3 0}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "7", err: "" },
        GoCase { prefix: "", tmpl: "{{index .S 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "121", err: "" },
        GoCase { prefix: "", tmpl: "{{slice .SI}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[3 4 5]", err: "" },
        GoCase { prefix: "", tmpl: "{{slice .SI 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[4 5]", err: "" },
        GoCase { prefix: "", tmpl: "{{slice .SI 1 2}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[4]", err: "" },
        GoCase { prefix: "", tmpl: "{{slice .SI -1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <slice .SI -1>: error calling slice: index out of range: -1" },
        GoCase { prefix: "", tmpl: "{{slice .SI 1 -2}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <slice .SI 1 -2>: error calling slice: index out of range: -2" },
        GoCase { prefix: "", tmpl: "{{slice .SI 2 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <slice .SI 2 1>: error calling slice: invalid slice index: 2 > 1" },
        GoCase { prefix: "", tmpl: "{{slice .SI 4 5}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <slice .SI 4 5>: error calling slice: index out of range: 4" },
        GoCase { prefix: "", tmpl: "{{slice .S}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "xyz", err: "" },
        GoCase { prefix: "", tmpl: "{{slice .S 0 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "x", err: "" },
        GoCase { prefix: "", tmpl: "{{slice .S 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "yz", err: "" },
        GoCase { prefix: "", tmpl: "{{slice .S 1 5}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <slice .S 1 5>: error calling slice: index out of range: 5" },
        GoCase { prefix: "", tmpl: "{{slice .S 1 2 2}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <slice .S 1 2 2>: error calling slice: cannot 3-index slice a string" },
        GoCase { prefix: "", tmpl: "{{slice .Empty3 0 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[7]", err: "" },
        GoCase { prefix: "", tmpl: "{{len .SI}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "3", err: "" },
        GoCase { prefix: "", tmpl: "{{len .MSI }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "3", err: "" },
        GoCase { prefix: "", tmpl: "{{len 3}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <len 3>: error calling len: len of type int" },
        // Go tells a nil held in a map (len of nil pointer) from no value at all; here both are Nil.
        GoCase { prefix: "", tmpl: "{{len .Empty0}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <len .Empty0>: error calling len: reflect: call of reflect.Value.Type on zero Value" },
        GoCase { prefix: "", tmpl: "{{len .Empty3}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "2", err: "" },
        GoCase { prefix: "", tmpl: "{{len .S}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "3", err: "" },
        GoCase { prefix: "", tmpl: "{{with true}}{{.}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "true", err: "" },
        GoCase { prefix: "", tmpl: "{{with false}}{{.}}{{else}}FALSE{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "FALSE", err: "" },
        GoCase { prefix: "", tmpl: "{{with 1}}{{.}}{{else}}ZERO{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1", err: "" },
        GoCase { prefix: "", tmpl: "{{with 0}}{{.}}{{else}}ZERO{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "ZERO", err: "" },
        GoCase { prefix: "", tmpl: "{{with 1.5}}{{.}}{{else}}ZERO{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1.5", err: "" },
        GoCase { prefix: "", tmpl: "{{with .SI}}{{.}}{{else}}EMPTY{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[3 4 5]", err: "" },
        GoCase { prefix: "", tmpl: "{{with .MSIone}}{{.}}{{else}}EMPTY{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "map[one:1]", err: "" },
        GoCase { prefix: "", tmpl: "{{with .Empty4}}{{.V}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "UinEmpty", err: "" },
        GoCase { prefix: "", tmpl: "{{with $x := .I}}{{$x}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "17", err: "" },
        GoCase { prefix: "", tmpl: "{{with $x := $}}{{$x.U.V}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "v", err: "" },
        GoCase { prefix: "", tmpl: "{{with $x := $}}{{$y := $.U.V}}{{$y}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "v", err: "" },
        GoCase { prefix: "", tmpl: "{{range .SI}}-{{.}}-{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "-3--4--5-", err: "" },
        GoCase { prefix: "", tmpl: "{{range .SIEmpty}}-{{.}}-{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "" },
        GoCase { prefix: "", tmpl: "{{range .SI}}-{{.}}-{{else}}EMPTY{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "-3--4--5-", err: "" },
        GoCase { prefix: "", tmpl: "{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "EMPTY", err: "" },
        GoCase { prefix: "", tmpl: "{{range .SI}}-{{.}}-{{break}}NOTREACHED{{else}}EMPTY{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "-3-", err: "" },
        GoCase { prefix: "", tmpl: "{{range .SI}}-{{.}}-{{continue}}NOTREACHED{{else}}EMPTY{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "-3--4--5-", err: "" },
        GoCase { prefix: "", tmpl: "{{range .SB}}-{{.}}-{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "-true--false-", err: "" },
        GoCase { prefix: "", tmpl: "{{range .MSI}}-{{.}}-{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "-1--3--2-", err: "" },
        GoCase { prefix: "", tmpl: "{{range .MSIEmpty}}-{{.}}-{{else}}EMPTY{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "EMPTY", err: "" },
        GoCase { prefix: "", tmpl: "{{range .Empty3}}-{{.}}-{{else}}EMPTY{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "-7--8-", err: "" },
        GoCase { prefix: "", tmpl: "{{range .Empty0}}-{{.}}-{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "" },
        GoCase { prefix: "", tmpl: "{{range $x := .SI}}<{{$x}}>{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<3><4><5>", err: "" },
        GoCase { prefix: "", tmpl: "{{range $x, $y := .SI}}<{{$x}}={{$y}}>{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<0=3><1=4><2=5>", err: "" },
        GoCase { prefix: "", tmpl: "{{range $x := .MSIone}}<{{$x}}>{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<1>", err: "" },
        GoCase { prefix: "", tmpl: "{{range $x, $y := .MSIone}}<{{$x}}={{$y}}>{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<one=1>", err: "" },
        GoCase { prefix: "", tmpl: "{{range $x := .SI}}<{{$foo:=$x}}{{$x}}>{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<3><4><5>", err: "" },
        GoCase { prefix: "", tmpl: "{{range 5}}{{.}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:8: executing \"\" at <5>: range can't iterate over 5" },
        GoCase { prefix: "", tmpl: "{{range .S}}{{.}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:8: executing \"\" at <.S>: range can't iterate over xyz" },
        GoCase { prefix: "", tmpl: "{{or .SI \"slice is empty\"}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[3 4 5]", err: "" },
        GoCase { prefix: "", tmpl: "{{or .SIEmpty \"slice is empty\"}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "slice is empty", err: "" },
        GoCase { prefix: "", tmpl: "{{print 1234}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1234", err: "" },
        GoCase { prefix: "", tmpl: "{{print 12_34}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1234", err: "" },
        GoCase { prefix: "", tmpl: "{{print 0b101}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "5", err: "" },
        GoCase { prefix: "", tmpl: "{{print 0b_1_0_1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "5", err: "" },
        GoCase { prefix: "", tmpl: "{{print 0B101}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "5", err: "" },
        GoCase { prefix: "", tmpl: "{{print 0377}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "255", err: "" },
        GoCase { prefix: "", tmpl: "{{print 0o377}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "255", err: "" },
        GoCase { prefix: "", tmpl: "{{print 0o_3_7_7}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "255", err: "" },
        GoCase { prefix: "", tmpl: "{{print 0O377}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "255", err: "" },
        GoCase { prefix: "", tmpl: "{{print 0x123}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "291", err: "" },
        GoCase { prefix: "", tmpl: "{{print 0x1_23}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "291", err: "" },
        GoCase { prefix: "", tmpl: "{{print 0X123ABC}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1194684", err: "" },
        GoCase { prefix: "", tmpl: "{{print 123.4}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "123.4", err: "" },
        GoCase { prefix: "", tmpl: "{{print 0_0_1_2_3.4}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "123.4", err: "" },
        GoCase { prefix: "", tmpl: "{{print +0x1.ep+2}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "7.5", err: "" },
        GoCase { prefix: "", tmpl: "{{print +0x_1.e_0p+0_2}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "7.5", err: "" },
        GoCase { prefix: "", tmpl: "{{print +0X1.EP+2}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "7.5", err: "" },
        GoCase { prefix: "", tmpl: "{{print 1_2_3_4 7.5_00_00_00}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1234 7.5", err: "" },
        GoCase { prefix: "", tmpl: "{{print 1234 0x0_1.e_0p+02}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1234 7.5", err: "" },
        GoCase { prefix: "", tmpl: "{{range .MSIone}}{{if $.True}}X{{end}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "X", err: "" },
        GoCase { prefix: "", tmpl: "{{3 2}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <3>: can't give argument to non-function 3" },
        GoCase { prefix: "", tmpl: "{{$x := 1}}{{$x 2}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:13: executing \"\" at <$x>: can't give argument to non-function $x" },
        GoCase { prefix: "", tmpl: "{{$x := 1}}{{3 | $x}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:17: executing \"\" at <$x>: can't give argument to non-function $x" },
        GoCase { prefix: "", tmpl: "{{.cause}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<no value>", err: "" },
        GoCase { prefix: "", tmpl: "{{mapOfThree.three}}-{{(mapOfThree).three}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "3-3", err: "" },
        GoCase { prefix: "", tmpl: "{{printf `%T` 0xef}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "int", err: "" },
        GoCase { prefix: "", tmpl: "{{(nil).True}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:3: executing \"\" at <nil>: nil is not a command" },
        GoCase { prefix: "", tmpl: "{{$x := nil}}{{$x.anything}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:8: executing \"\" at <nil>: nil is not a command" },
        GoCase { prefix: "", tmpl: "{{$x := (1.0)}}{{$y := (\"hello\")}}{{$x.anything}}{{$y.true}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:38: executing \"\" at <$x.anything>: can't evaluate field anything in type float64" },
        GoCase { prefix: "", tmpl: "{{true|printf}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:7: executing \"\" at <printf>: wrong type for value; expected string; got bool" },
        GoCase { prefix: "", tmpl: "{{1|printf}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:4: executing \"\" at <printf>: wrong type for value; expected string; got int" },
        GoCase { prefix: "", tmpl: "{{1.1|printf}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:6: executing \"\" at <printf>: wrong type for value; expected string; got float64" },
        GoCase { prefix: "", tmpl: "{{'x'|printf}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:6: executing \"\" at <printf>: wrong type for value; expected string; got int" },
        GoCase { prefix: "", tmpl: "{{\"aaa\" |twoArgs \"bbb\"}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "twoArgs=bbbaaa", err: "" },
        GoCase { prefix: "", tmpl: "{{\"aaa\"|oneArg}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "oneArg=aaa", err: "" },
        GoCase { prefix: "", tmpl: "{{\"aaa\"|printf }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "aaa", err: "" },
        GoCase { prefix: "", tmpl: "{{eq . '.'}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <eq . '.'>: error calling eq: incompatible types for comparison" },
        GoCase { prefix: "", tmpl: "{{eq .I 17}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "true", err: "" },
        GoCase { prefix: "", tmpl: "{{eq .I 17.0}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <eq .I 17.0>: error calling eq: incompatible types for comparison" },
        GoCase { prefix: "", tmpl: "{{eq .X \"x\" \"y\"}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "true", err: "" },
        GoCase { prefix: "", tmpl: "{{eq .X \"y\" \"x\"}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "true", err: "" },
        GoCase { prefix: "", tmpl: "{{ne .I 3}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "true", err: "" },
        GoCase { prefix: "", tmpl: "{{lt .I 20}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "true", err: "" },
        GoCase { prefix: "", tmpl: "{{lt .F 2}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <lt .F 2>: error calling lt: incompatible types for comparison" },
        GoCase { prefix: "", tmpl: "{{gt .F 1.0}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "true", err: "" },
        GoCase { prefix: "", tmpl: "{{le 1 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "true", err: "" },
        GoCase { prefix: "", tmpl: "{{ge \"b\" \"a\"}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "true", err: "" },
        GoCase { prefix: "", tmpl: "{{lt true false}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <lt true false>: error calling lt: invalid type for comparison" },
        GoCase { prefix: "", tmpl: "{{eq .SI .SI}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <eq .SI .SI>: error calling eq: non-comparable type [%!s(int=3) %!s(int=4) %!s(int=5)]: []interface {}" },
        GoCase { prefix: "", tmpl: "{{eq .MSI .MSI}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <eq .MSI .MSI>: error calling eq: non-comparable type map[one:%!s(int=1) three:%!s(int=3) two:%!s(int=2)]: map[string]interface {}" },
        GoCase { prefix: "", tmpl: "{{eq .Empty0 nil}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "true", err: "" },
        GoCase { prefix: "", tmpl: "{{eq nil .Empty0}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "true", err: "" },
        GoCase { prefix: "", tmpl: "{{eq .Empty0 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "false", err: "" },
        GoCase { prefix: "", tmpl: "{{lt .Empty0 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <lt .Empty0 1>: error calling lt: invalid type for comparison" },
        GoCase { prefix: "", tmpl: "{{eq 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <eq 1>: error calling eq: missing argument for comparison" },
        GoCase { prefix: "", tmpl: "{{eq}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <eq>: wrong number of args for eq: want at least 1 got 0" },
        GoCase { prefix: "", tmpl: "{{and}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <and>: wrong number of args for and: want at least 1 got 0" },
        GoCase { prefix: "", tmpl: "{{eq .SI .MSI}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <eq .SI .MSI>: error calling eq: non-comparable types [%!s(int=3) %!s(int=4) %!s(int=5)]: []interface {}, map[string]interface {}: map[one:1 three:3 two:2]" },
        GoCase { prefix: "", tmpl: "{{eq .Time .Time}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "true", err: "" },
        GoCase { prefix: "", tmpl: "{{.Nope.Deeper}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<no value>", err: "" },
        GoCase { prefix: "", tmpl: "{{.I.Nope}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:4: executing \"\" at <.I.Nope>: can't evaluate field Nope in type interface {}" },
        GoCase { prefix: "", tmpl: "{{.X.Y}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:4: executing \"\" at <.X.Y>: can't evaluate field Y in type interface {}" },
        GoCase { prefix: "", tmpl: "{{template \"nope\"}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:11: executing \"\" at <{{template \"nope\"}}>: template \"nope\" not defined" },
        GoCase { prefix: "", tmpl: "{{.SI.foo}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:5: executing \"\" at <.SI.foo>: can't evaluate field foo in type interface {}" },
        GoCase { prefix: "", tmpl: "{{.F}} {{.Big}} {{.Neg}} {{.FloatZero}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1.5 1.234567e+06 -3 0", err: "" },
        GoCase { prefix: "", tmpl: "{{.}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "map[Big:1.234567e+06 Empty0:<nil> Empty1:3 Empty2:empty2 Empty3:[7 8] Empty4:map[V:UinEmpty] F:1.5 FloatZero:0 I:17 KV:map[a:1 alertname:X b:2] MSI:map[one:1 three:3 two:2] MSIEmpty:map[] MSIone:map[one:1] Neg:-3 PS:a string S:xyz SB:[true false] SI:[3 4 5] SIEmpty:[] SM:map[k:v] SMSI:[map[one:1 two:2] map[eleven:11 twelve:12]] Strs:[a b] Time:2009-11-10 23:04:05.123456789 +0000 UTC True:true U:map[V:v] X:x]", err: "" },
        GoCase { prefix: "", tmpl: "{{.MSI}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "map[one:1 three:3 two:2]", err: "" },
        GoCase { prefix: "", tmpl: "{{.SMSI}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[map[one:1 two:2] map[eleven:11 twelve:12]]", err: "" },
        GoCase { prefix: "", tmpl: "{{.Empty4}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "map[V:UinEmpty]", err: "" },
        GoCase { prefix: "", tmpl: "{{print .MSI .SI}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "map[one:1 three:3 two:2] [3 4 5]", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%v|%d|%s\" .SI .SI .SI}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[3 4 5]|[3 4 5]|[%!s(int=3) %!s(int=4) %!s(int=5)]", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%q\" .Strs}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[\"a\" \"b\"]", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%T %T %T %T\" .SI .MSI .Strs .Time}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[]interface {} map[string]interface {} []string time.Time", err: "" },
        GoCase { prefix: "", tmpl: "{{.Time}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "2009-11-10 23:04:05.123456789 +0000 UTC", err: "" },
        GoCase { prefix: "", tmpl: "{{.Time.Format \"2006-01-02T15:04:05Z07:00\"}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "2009-11-10T23:04:05Z", err: "" },
        GoCase { prefix: "", tmpl: "{{.Time.Unix}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1257894245", err: "" },
        GoCase { prefix: "", tmpl: "{{.Time.Month}} {{.Time.Weekday}} {{.Time.Year}} {{.Time.YearDay}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "November Tuesday 2009 314", err: "" },
        // Go prints time.Time's struct fields for %d.
        GoCase { prefix: "", tmpl: "{{printf \"%s|%v|%q|%d\" .Time .Time .Time .Time}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "2009-11-10 23:04:05.123456789 +0000 UTC|2009-11-10 23:04:05.123456789 +0000 UTC|\"2009-11-10 23:04:05.123456789 +0000 UTC\"|%!d(time.Time=2009-11-10 23:04:05.123456789 +0000 UTC)", err: "" },
        GoCase { prefix: "", tmpl: "{{.Time.Nope}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:7: executing \"\" at <.Time.Nope>: can't evaluate field Nope in type interface {}" },
        GoCase { prefix: "", tmpl: "{{.Time.Format}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:7: executing \"\" at <.Time.Format>: wrong number of args for Format: want 1 got 0" },
        GoCase { prefix: "", tmpl: "{{.Time.Format 3}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:15: executing \"\" at <3>: expected string; found 3" },
        GoCase { prefix: "", tmpl: "{{.Time.UTC.Format \"Jan _2 15:04:05.000\"}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "Nov 10 23:04:05.123", err: "" },
        GoCase { prefix: "", tmpl: "{{.KV.a}} {{.KV.zz}} {{.KV}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1 <no value> map[a:1 alertname:X b:2]", err: "" },
        GoCase { prefix: "", tmpl: "{{.KV.SortedPairs}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[{alertname X} {a 1} {b 2}]", err: "" },
        GoCase { prefix: "", tmpl: "{{.KV.Names}} {{.KV.Values}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[alertname a b] [X 1 2]", err: "" },
        GoCase { prefix: "", tmpl: "{{range .KV}}{{.}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1X2", err: "" },
        GoCase { prefix: "", tmpl: "{{range $k, $v := .KV}}{{$k}}={{$v}};{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "a=1;alertname=X;b=2;", err: "" },
        GoCase { prefix: "", tmpl: "{{len .KV}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "3", err: "" },
        GoCase { prefix: "", tmpl: "{{.KV.Remove .KV.Names}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "map[]", err: "" },
        GoCase { prefix: "", tmpl: "{{(.KV.Remove (slice .KV.Names 0 1)).Values}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[1 2]", err: "" },
        GoCase { prefix: "", tmpl: "{{index .KV \"a\"}}|{{index .KV \"zz\"}}|", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1||", err: "" },
        GoCase { prefix: "", tmpl: "{{.KV.Remove}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:5: executing \"\" at <.KV.Remove>: wrong number of args for Remove: want 1 got 0" },
        GoCase { prefix: "", tmpl: "{{.KV.SortedPairs 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:5: executing \"\" at <.KV.SortedPairs>: wrong number of args for SortedPairs: want 0 got 1" },
        GoCase { prefix: "", tmpl: "{{.KV.a 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:5: executing \"\" at <.KV.a>: a is not a method but has arguments" },
        GoCase { prefix: "", tmpl: "{{with .KV.SortedPairs}}{{range .}}{{.Name}}={{.Value}} {{end}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "alertname=X a=1 b=2 ", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%+v\" .KV.SortedPairs}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[{Name:alertname Value:X} {Name:a Value:1} {Name:b Value:2}]", err: "" },
        GoCase { prefix: "", tmpl: "{{.SM.k}}|{{.SM.zz}}|{{.SM}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "v|<no value>|map[k:v]", err: "" },
        GoCase { prefix: "", tmpl: "{{/* comment */}}x", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "x", err: "" },
        GoCase { prefix: "", tmpl: "a {{- 3 -}} b", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "a3b", err: "" },
        GoCase { prefix: "", tmpl: "a {{3 -}} b {{- 4}} c", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "a 3b4 c", err: "" },
        GoCase { prefix: "", tmpl: "{{-3}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "-3", err: "" },
        GoCase { prefix: "", tmpl: "{{ 3 }}\n{{- 4 }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "34", err: "" },
        GoCase { prefix: "", tmpl: "{{'a'}} {{'\\n'}} {{'\\u263a'}} {{'\\x41'}} {{'\\101'}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "97 10 9786 65 65", err: "" },
        GoCase { prefix: "", tmpl: "{{\"\\u263a\\t\\\"q\\\"\"}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "☺\t\"q\"", err: "" },
        GoCase { prefix: "", tmpl: "{{`raw\\n`}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "raw\\n", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%d\" 1 2}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1%!(EXTRA int=2)", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%d %d\" 1}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1 %!d(MISSING)", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%!\"}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "%!!(MISSING)", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%[2]d %[1]d\" 1 2}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "2 1", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.3s|%-5s|%5.1f|%x|%X|%o|%b|%e|%E|%G\" \"abcdef\" \"ab\" 3.14159 255 255 8 5 1234.5678 0.000012 1e-10}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "abc|ab   |  3.1|ff|FF|10|101|1.234568e+03|1.200000E-05|1E-10", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%c|%q|%U|%#U|%t|%v\" 65 66 9786 9786 true nil}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "A|'B'|U+263A|U+263A '☺'|true|<nil>", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%6.2f%%\" 99.5}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: " 99.50%", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%+d|% d|%+.2e\" 5 5 12345.678}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "+5| 5|+1.23e+04", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%#x|%#o|%#v|%#q\" 255 8 \"s\" \"a`b\"}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "0xff|010|\"s\"|\"a`b\"", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%x|% x|%#x|%X\" \"hello\" \"hi\" \"hi\" \"hi\"}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "68656c6c6f|68 69|0x6869|6869", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%v %v %v %v %v %v\" 1e6 1e21 100000.0 0.0001 0.00001 123456789.0}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1e+06 1e+21 100000 0.0001 1e-05 1.23456789e+08", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.0f %.1f %.2f %.3f\" 2.5 0.25 1.005 1.0005}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "2 0.2 1.00 1.000", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%g %g %.3g %.10g\" 1e-7 123456789.0 0.0001234 1.0}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1e-07 1.23456789e+08 0.000123 1", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%5t|%-7v|%07.2f|%-07d|\" true false -1.5 -3}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: " true|false  |-001.50|-3     |", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%*d|%.*f|%-*d\" 5 1 2 3.14159 4 7}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "    1|3.14|7   ", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%d\" \"s\"}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "%!d(string=s)", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%s\" 3}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "%!s(int=3)", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%z\" 3}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "%!z(int=3)", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%f\" 3}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "%!f(int=3)", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%d\" 3.5}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "%!d(float64=3.5)", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%s\" nil}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "%!s(<nil>)", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%v %s\" .Empty0 .Empty0}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<nil> %!s(<nil>)", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%d\" .SB}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[%!d(bool=true) %!d(bool=false)]", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%s\" .MSI}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "map[one:%!s(int=1) three:%!s(int=3) two:%!s(int=2)]", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%05s|%.2v|%10.3v\" \"ab\" \"abc\" 3.14159}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "000ab|ab|      3.14", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%v\" .Neg}} {{printf \"%x\" .Neg}} {{printf \"%08.3f\" -3.14159}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "-3 -3 -003.142", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.2f\" .Big}} {{printf \"%.4g\" 1234567.0}} {{printf \"%.4g\" 0.0}} {{printf \"%.4g\" 100.0}} {{printf \"%#.4g\" 100.0}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1234567.00 1.235e+06 0 100 100.0", err: "" },
        GoCase { prefix: "", tmpl: "{{define \"a\"}}A{{.}}{{end}}{{template \"a\" 3}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "A3", err: "" },
        GoCase { prefix: "", tmpl: "{{define \"a\"}}A{{$}}{{end}}{{$x := 1}}{{template \"a\" .I}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "A17", err: "" },
        GoCase { prefix: "", tmpl: "{{block \"b\" .X}}B{{.}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "Bx", err: "" },
        GoCase { prefix: "", tmpl: "{{template \"a\"}}{{define \"a\"}}a{{.}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "a<no value>", err: "" },
        GoCase { prefix: "", tmpl: "{{define \"r\"}}{{if gt . 0}}{{.}}{{template \"r\" (add . -1)}}{{end}}{{end}}{{template \"r\" 5}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "54321", err: "" },
        // Go allows 100000 nested template calls; here the limit is 1000.
        GoCase { prefix: "", tmpl: "{{define \"loop\"}}{{template \"loop\" .}}{{end}}{{template \"loop\"}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:28: executing \"loop\" at <{{template \"loop\" .}}>: exceeded maximum template depth (1000)" },
        GoCase { prefix: "", tmpl: "{{range .SI}}{{if eq . 4}}{{continue}}{{end}}{{.}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "35", err: "" },
        GoCase { prefix: "", tmpl: "{{range $i, $e := .SI}}{{if eq $i 1}}{{break}}{{end}}{{$e}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "3", err: "" },
        GoCase { prefix: "", tmpl: "{{$x := 0}}{{range .SI}}{{$x = .}}{{end}}{{$x}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "5", err: "" },
        GoCase { prefix: "", tmpl: "{{range .SI}}{{$.X}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "xxx", err: "" },
        GoCase { prefix: "", tmpl: "{{with .Nope}}a{{else}}b{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "b", err: "" },
        GoCase { prefix: "", tmpl: "{{with .U}}{{.V}}{{end}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "v", err: "" },
        GoCase { prefix: "", tmpl: "{{.Time.Add 3600000000000}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "2009-11-11 00:04:05.123456789 +0000 UTC", err: "" },
        GoCase { prefix: "", tmpl: "{{(.Time.Sub .Time)}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "0s", err: "" },
        GoCase { prefix: "", tmpl: "{{.Time.Before .Time}} {{.Time.Equal .Time}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "false true", err: "" },
        GoCase { prefix: "", tmpl: "{{.Time.AddDate 1 2 3}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "2011-01-13 23:04:05.123456789 +0000 UTC", err: "" },
        GoCase { prefix: "", tmpl: "{{.Time.Truncate 3600000000000}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "2009-11-10 23:00:00 +0000 UTC", err: "" },
        GoCase { prefix: "", tmpl: "{{.Time.Round 1000000000}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "2009-11-10 23:04:05 +0000 UTC", err: "" },
        GoCase { prefix: "", tmpl: "{{.Time.UnixMilli}} {{.Time.UnixNano}} {{.Time.Nanosecond}} {{.Time.IsZero}}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1257894245123 1257894245123456789 123456789 false", err: "" },
        GoCase { prefix: "", tmpl: "{{ .X | printf \"%s-%s\" \"a\" }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "a-x", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"a\" | printf \"%s\" | printf \"%s!\" }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "a!", err: "" },
        GoCase { prefix: "", tmpl: "{{ .U | len }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1", err: "" },
        GoCase { prefix: "", tmpl: "{{ .Time | len }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:11: executing \"\" at <len>: error calling len: len of type time.Time" },
        GoCase { prefix: "", tmpl: "{{ index .U \"V\" }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "v", err: "" },
        GoCase { prefix: "", tmpl: "{{ index .SI 1 2 }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:3: executing \"\" at <index .SI 1 2>: error calling index: can't index item of type int" },
        GoCase { prefix: "", tmpl: "{{ slice .SI 1 2 3 4 }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:3: executing \"\" at <slice .SI 1 2 3 4>: error calling slice: too many slice indexes: 4" },
        GoCase { prefix: "", tmpl: "{{ .SI | index }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[3 4 5]", err: "" },
        GoCase { prefix: "", tmpl: "{{ call .X }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:3: executing \"\" at <call .X>: error calling call: non-function of type string" },
        GoCase { prefix: "", tmpl: "{{ call nil }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:3: executing \"\" at <call nil>: error calling call: call of nil" },
        GoCase { prefix: "", tmpl: "{{ not }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:3: executing \"\" at <not>: wrong number of args for not: want 1 got 0" },
        GoCase { prefix: "", tmpl: "{{ not 1 2 }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:3: executing \"\" at <not>: wrong number of args for not: want 1 got 2" },
        GoCase { prefix: "", tmpl: "{{ len }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:3: executing \"\" at <len>: wrong number of args for len: want 1 got 0" },
        GoCase { prefix: "", tmpl: "{{ nothing }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1: function \"nothing\" not defined" },
        GoCase { prefix: "", tmpl: "{{ $ }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "map[Big:1.234567e+06 Empty0:<nil> Empty1:3 Empty2:empty2 Empty3:[7 8] Empty4:map[V:UinEmpty] F:1.5 FloatZero:0 I:17 KV:map[a:1 alertname:X b:2] MSI:map[one:1 three:3 two:2] MSIEmpty:map[] MSIone:map[one:1] Neg:-3 PS:a string S:xyz SB:[true false] SI:[3 4 5] SIEmpty:[] SM:map[k:v] SMSI:[map[one:1 two:2] map[eleven:11 twelve:12]] Strs:[a b] Time:2009-11-10 23:04:05.123456789 +0000 UTC True:true U:map[V:v] X:x]", err: "" },
        GoCase { prefix: "", tmpl: "{{ $.Nope.More }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<no value>", err: "" },
        GoCase { prefix: "", tmpl: "{{ .Nope | printf \"%v\" }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<nil>", err: "" },
        GoCase { prefix: "", tmpl: "{{ .Nope | print }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<nil>", err: "" },
        GoCase { prefix: "", tmpl: "{{ .Nope | html }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "&lt;no value&gt;", err: "" },
        GoCase { prefix: "", tmpl: "{{ print .Nope 1 }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<nil> 1", err: "" },
        GoCase { prefix: "", tmpl: "{{ printf \"%v %v\" .Nope .Empty0 }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<nil> <nil>", err: "" },
        GoCase { prefix: "", tmpl: "{{ js .Nope }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "\\u003Cno value\\u003E", err: "" },
        GoCase { prefix: "", tmpl: "{{ urlquery 1 2 \"a b\" }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1+2a+b", err: "" },
        GoCase { prefix: "", tmpl: "{{ html 1 \"<\" 2 }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1&lt;2", err: "" },
        GoCase { prefix: "", tmpl: "{{ print \"a\" 1 2 \"b\" 3 }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "a1 2b3", err: "" },
        GoCase { prefix: "", tmpl: "{{ println }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "\n", err: "" },
        GoCase { prefix: "", tmpl: "{{ print }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "" },
        GoCase { prefix: "", tmpl: "{{ printf }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:3: executing \"\" at <printf>: wrong number of args for printf: want at least 1 got 0" },
        GoCase { prefix: "", tmpl: "{{ printf \"%#v|%#v|%#v|%#v\" .SI .MSI .Strs .SM }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[]interface {}{3, 4, 5}|map[string]interface {}{\"one\":1, \"three\":3, \"two\":2}|[]string{\"a\", \"b\"}|map[string]string{\"k\":\"v\"}", err: "" },
        GoCase { prefix: "", tmpl: "{{ printf \"%#v\" .SMSI }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "[]interface {}{map[string]interface {}{\"one\":1, \"two\":2}, map[string]interface {}{\"eleven\":11, \"twelve\":12}}", err: "" },
        GoCase { prefix: "", tmpl: "{{ printf \"%#v %#v\" .Empty0 .SIEmpty }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "<nil> []interface {}{}", err: "" },
        GoCase { prefix: "", tmpl: "{{ printf \"%.1000f\" 0.1 | len }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "1002", err: "" },
        GoCase { prefix: "", tmpl: "{{ printf \"%.3000e\" 5e-324 | len }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "3007", err: "" },
        GoCase { prefix: "", tmpl: "{{.}}", data: data_go_core_exec_1, opts: &[], name: "", exec: "", out: "13", err: "" },
        GoCase { prefix: "", tmpl: "{{.}}", data: data_go_core_exec_2, opts: &[], name: "", exec: "", out: "15.1", err: "" },
        GoCase { prefix: "", tmpl: "{{.}}", data: data_go_core_exec_3, opts: &[], name: "", exec: "", out: "true", err: "" },
        GoCase { prefix: "", tmpl: "{{.}}", data: data_go_core_exec_4, opts: &[], name: "", exec: "", out: "hello", err: "" },
        GoCase { prefix: "", tmpl: "{{.}}", data: data_go_core_exec_5, opts: &[], name: "", exec: "", out: "[-1 -2 -3]", err: "" },
        GoCase { prefix: "", tmpl: "{{.}}", data: data_go_core_exec_6, opts: &[], name: "", exec: "", out: "map[two:22]", err: "" },
        GoCase { prefix: "", tmpl: "{{$}}", data: data_go_core_exec_7, opts: &[], name: "", exec: "", out: "123", err: "" },
        GoCase { prefix: "", tmpl: "{{.foo}}", data: data_go_core_exec_8, opts: &[], name: "", exec: "", out: "<no value>", err: "" },
        GoCase { prefix: "", tmpl: "{{(.).foo}}", data: data_go_core_exec_8, opts: &[], name: "", exec: "", out: "<no value>", err: "" },
        GoCase { prefix: "", tmpl: "{{.Foo}}", data: data_go_core_exec_8, opts: &["missingkey=error"], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <.Foo>: nil data; no entry for key \"Foo\"" },
        GoCase { prefix: "", tmpl: "{{.Foo}}", data: data_go_core_exec_9, opts: &["missingkey=error"], name: "", exec: "", out: "", err: "template: :1:2: executing \"\" at <.Foo>: map has no entry for key \"Foo\"" },
        GoCase { prefix: "", tmpl: "{{.Foo}}", data: data_go_core_exec_9, opts: &["missingkey=zero"], name: "", exec: "", out: "<no value>", err: "" },
        GoCase { prefix: "", tmpl: "{{.KV.zz}}", data: data_go_core_exec_0, opts: &["missingkey=zero"], name: "", exec: "", out: "", err: "" },
        GoCase { prefix: "", tmpl: "{{.SM.zz}}|{{.Nope}}", data: data_go_core_exec_0, opts: &["missingkey=zero"], name: "", exec: "", out: "|<no value>", err: "" },
        GoCase { prefix: "", tmpl: "{{.KV.zz}}", data: data_go_core_exec_0, opts: &["missingkey=error"], name: "", exec: "", out: "", err: "template: :1:5: executing \"\" at <.KV.zz>: map has no entry for key \"zz\"" },
        GoCase { prefix: "", tmpl: "{{index .KV \"zz\"}}|", data: data_go_core_exec_0, opts: &["missingkey=error"], name: "", exec: "", out: "|", err: "" },
        GoCase { prefix: "", tmpl: "{{js .}}", data: data_go_core_exec_10, opts: &[], name: "", exec: "", out: "It\\'d be nice.", err: "" },
        GoCase { prefix: "", tmpl: "{{eq . 'e'}}", data: data_go_core_exec_11, opts: &[], name: "", exec: "", out: "true", err: "" },
        GoCase { prefix: "", tmpl: "line 1\nline 2\nline 3\n{{template \"one\" .}}\n{{define \"one\"}}{{template \"two\" .}}{{end}}\n{{define \"two\"}}{{template \"three\" .}}{{end}}\n{{define \"three\"}}{{index \"hi\" $}}{{end}}", data: data_go_core_exec_12, opts: &[], name: "top", exec: "", out: "", err: "template: top:7:20: executing \"three\" at <index \"hi\" $>: error calling index: index out of range: 5" },
        GoCase { prefix: "", tmpl: "{{define \"x\"}}X{{.}}{{end}}", data: data_go_core_exec_13, opts: &[], name: "", exec: "x", out: "X1", err: "" },
        GoCase { prefix: "", tmpl: "{{define \"x\"}}X{{.}}{{end}}", data: data_go_core_exec_13, opts: &[], name: "", exec: "y", out: "", err: "template: no template \"y\" associated with template \"\"" },
        GoCase { prefix: "", tmpl: "{{define \"x\"}}X{{end}}", data: data_go_core_exec_13, opts: &[], name: "", exec: "", out: "", err: "" },
        GoCase { prefix: "", tmpl: "a\n  {{ .Nope.X 1 }}", data: data_go_core_exec_14, opts: &[], name: "", exec: "", out: "", err: "template: :2:10: executing \"\" at <.Nope.X>: X is not a method but has arguments" },
        GoCase { prefix: "", tmpl: "{{ 1 }}\n\n{{ .A.B }}", data: data_go_core_exec_15, opts: &[], name: "", exec: "", out: "", err: "template: :3:5: executing \"\" at <.A.B>: can't evaluate field B in type interface {}" },
        GoCase { prefix: "", tmpl: "{{ with .A }}\n{{ .B }}{{ end }}", data: data_go_core_exec_15, opts: &[], name: "", exec: "", out: "", err: "template: :2:3: executing \"\" at <.B>: can't evaluate field B in type int" },
        GoCase { prefix: "", tmpl: "{{ printf \"%d\" (index .SI 10) }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:16: executing \"\" at <index .SI 10>: error calling index: index out of range: 10" },
        GoCase { prefix: "", tmpl: "{{ range .SI }}{{ index $.SI . }}{{ end }}", data: data_go_core_exec_0, opts: &[], name: "", exec: "", out: "", err: "template: :1:18: executing \"\" at <index $.SI .>: error calling index: reflect: slice index out of range" },
    ];
    run_go_cases(&cases, Funcs::Test);
}

fn data_go_prom_funcs_0() -> Value {
    Value::Nil
}

fn data_go_prom_funcs_1() -> Value {
    map(vec![("__query", prometheus::query_result(vec![prometheus::sample([("", ""); 0], 1.5)]))])
}

fn data_go_prom_funcs_2() -> Value {
    map(vec![(
        "__query",
        prometheus::query_result(vec![prometheus::sample([("__name__", "metric"), ("instance", "a")], 11.0)]),
    )])
}

fn data_go_prom_funcs_3() -> Value {
    map(vec![(
        "__query",
        prometheus::query_result(vec![prometheus::sample([("__name__", "metric"), ("__value__", "a")], 11.0)]),
    )])
}

fn data_go_prom_funcs_4() -> Value {
    map(vec![(
        "__query",
        prometheus::query_result(vec![
            prometheus::sample([("__name__", "metric"), ("instance", "b")], 21.0),
            prometheus::sample([("__name__", "metric"), ("instance", "a")], 11.0),
        ]),
    )])
}

fn data_go_prom_funcs_5() -> Value {
    map(vec![("__query", prometheus::query_result(vec![]))])
}

fn data_go_prom_funcs_6() -> Value {
    Value::List(vec![Value::Float(0.0), Value::Float(1.0), Value::Float(1234567.0), Value::Float(0.12)])
}

fn data_go_prom_funcs_7() -> Value {
    Value::List(vec![Value::str("0.0"), Value::str("1.0"), Value::str("1234567.0"), Value::str(".12")])
}

fn data_go_prom_funcs_8() -> Value {
    Value::List(vec![
        Value::Int(0),
        Value::Int(-1),
        Value::Int(1),
        Value::Int(1234567),
        Value::Int(9223372036854775807),
    ])
}

fn data_go_prom_funcs_9() -> Value {
    Value::List(vec![Value::Float(0.0), Value::Float(1.0), Value::Float(1048576.0), Value::Float(0.12)])
}

fn data_go_prom_funcs_10() -> Value {
    Value::List(vec![Value::str("0.0"), Value::str("1.0"), Value::str("1048576.0"), Value::str(".12")])
}

fn data_go_prom_funcs_11() -> Value {
    Value::List(vec![
        Value::Float(0.0),
        Value::Float(1.0),
        Value::Float(60.0),
        Value::Float(3600.0),
        Value::Float(86400.0),
        Value::Float(90000.0),
        Value::Float(-183845.0),
        Value::Float(899.99),
    ])
}

fn data_go_prom_funcs_12() -> Value {
    Value::List(vec![Value::str("0"), Value::str("1"), Value::str("60"), Value::str("3600"), Value::str("86400")])
}

fn data_go_prom_funcs_13() -> Value {
    Value::List(vec![
        Value::Float(0.1),
        Value::Float(0.0001),
        Value::Float(0.12345),
        Value::Float(60.1),
        Value::Float(60.5),
        Value::Float(1.2345),
        Value::Float(12.345),
    ])
}

fn data_go_prom_funcs_14() -> Value {
    Value::List(vec![
        Value::str(".1"),
        Value::str(".0001"),
        Value::str(".12345"),
        Value::str("60.1"),
        Value::str("60.5"),
        Value::str("1.2345"),
        Value::str("12.345"),
    ])
}

fn data_go_prom_funcs_15() -> Value {
    Value::List(vec![Value::Int(0), Value::Int(-1), Value::Int(1), Value::Int(1234567)])
}

fn data_go_prom_funcs_16() -> Value {
    Value::List(vec![Value::Float(f64::INFINITY), Value::Float(f64::NEG_INFINITY), Value::Float(f64::NAN)])
}

fn data_go_prom_funcs_17() -> Value {
    Value::List(vec![Value::str("+Inf"), Value::str("-Inf"), Value::str("NaN")])
}

fn data_go_prom_funcs_18() -> Value {
    Value::List(vec![Value::Int(0), Value::Int(-1), Value::Int(1), Value::Int(1234567), Value::Int(9223372036)])
}

fn data_go_prom_funcs_19() -> Value {
    Value::List(vec![Value::Int(i64::MIN), Value::Int(9223372036854775807)])
}

fn data_go_prom_funcs_20() -> Value {
    Value::List(vec![
        Value::Float(1e-30),
        Value::Float(1e-25),
        Value::Float(1e-20),
        Value::Float(1e-12),
        Value::Float(0.000123456),
        Value::Float(0.5),
        Value::Float(0.9999),
        Value::Float(0.99995),
        Value::Float(999.95),
        Value::Float(999.9),
        Value::Int(1000),
        Value::Float(1023.0),
        Value::Float(1024.0),
        Value::Float(1025.0),
        Value::Float(1e+24),
        Value::Float(1e+27),
        Value::Float(1e+30),
        Value::Float(-1e-05),
        Value::Float(-1234.5),
        Value::Float(123.456789),
        Value::Float(5e-324),
        Value::Float(1.7976931348623157e+308),
        Value::Float(2.5),
        Value::Float(12345.5),
        Value::Float(0.0001234),
        Value::Float(99999.5),
    ])
}

fn data_go_prom_funcs_21() -> Value {
    Value::List(vec![Value::Int(1)])
}

fn data_go_prom_funcs_22() -> Value {
    AlertTemplateData::new(
        [("device", "sda"), ("instance", "web-1:9100"), ("job", "node")],
        [("site", "eu")],
        "http://prom.example:9090",
        0.8734,
    )
    .to_value()
}

#[test]
fn go_prom_funcs() {
    let cases = [
        GoCase { prefix: "", tmpl: "plain text", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "plain text", err: "" },
        GoCase { prefix: "", tmpl: "{{ 1 }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "1", err: "" },
        GoCase { prefix: "", tmpl: "{{ }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1: missing value for command" },
        GoCase { prefix: "", tmpl: "{{ \"<b>\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "<b>", err: "" },
        GoCase { prefix: "", tmpl: "{{define \"x\"}}{{.arg0}} {{.arg1}}{{end}}{{template \"x\" (args 1 \"2\")}}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "1 2", err: "" },
        GoCase { prefix: "", tmpl: "{{ query \"1.5\" | first | value }}", data: data_go_prom_funcs_1, opts: &["missingkey=zero"], name: "test", exec: "", out: "1.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ query \"metric{instance='a'}\" | first | value }}", data: data_go_prom_funcs_2, opts: &["missingkey=zero"], name: "test", exec: "", out: "11", err: "" },
        GoCase { prefix: "", tmpl: "{{ query \"metric{instance='a'}\" | first | label \"instance\" }}", data: data_go_prom_funcs_2, opts: &["missingkey=zero"], name: "test", exec: "", out: "a", err: "" },
        GoCase { prefix: "", tmpl: "{{ query \"metric{__value__='a'}\" | first | strvalue }}", data: data_go_prom_funcs_3, opts: &["missingkey=zero"], name: "test", exec: "", out: "a", err: "" },
        GoCase { prefix: "", tmpl: "{{ query \"metric{instance='a'}\" | first | label \"foo\" }}", data: data_go_prom_funcs_2, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "" },
        GoCase { prefix: "", tmpl: "{{ $x := query \"metric\" | first }}{{ $x.Labels.foo }}", data: data_go_prom_funcs_2, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "" },
        GoCase { prefix: "", tmpl: "{{ range query \"metric\" | sortByLabel \"instance\" }}{{.Labels.instance}}:{{.Value}}: {{end}}", data: data_go_prom_funcs_4, opts: &["missingkey=zero"], name: "test", exec: "", out: "a:11: b:21: ", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"foo.example.com\" | stripPort }}|{{ \"foo.example.com\" | stripDomain }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "foo.example.com|foo", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"foo.example.com:12345\" | stripPort }}|{{ \"foo.example.com:12345\" | stripDomain }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "foo.example.com|foo:12345", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"192.0.2.1\" | stripPort }}|{{ \"192.0.2.1\" | stripDomain }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "192.0.2.1|192.0.2.1", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"192.0.2.1:12345\" | stripPort }}|{{ \"192.0.2.1:12345\" | stripDomain }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "192.0.2.1|192.0.2.1:12345", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"2001:0DB8::1\" | stripPort }}|{{ \"2001:0DB8::1\" | stripDomain }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "2001:0DB8::1|2001:0DB8::1", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"[2001:0DB8::1]:12345\" | stripPort }}|{{ \"[2001:0DB8::1]:12345\" | stripDomain }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "2001:0DB8::1|[2001:0DB8::1]:12345", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"[2001:0DB8::1]::12345\" | stripPort }}|{{ \"[2001:0DB8::1]::12345\" | stripDomain }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "[2001:0DB8::1]::12345|[2001:0DB8::1]::12345", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"a:b:c\" | stripPort }}|{{ \"a:b:c\" | stripDomain }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "a:b:c|a:b:c", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"[::1]\" | stripPort }}|{{ \"[::1]\" | stripDomain }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "[::1]|[::1]", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"host:\" | stripPort }}|{{ \"host:\" | stripDomain }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "host|host", err: "" },
        GoCase { prefix: "", tmpl: "{{ \":80\" | stripPort }}|{{ \":80\" | stripDomain }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "|:80", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"[fe80::1%eth0]:80\" | stripPort }}|{{ \"[fe80::1%eth0]:80\" | stripDomain }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "fe80::1%eth0|[fe80::1%eth0]:80", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"a.b[c]:1\" | stripPort }}|{{ \"a.b[c]:1\" | stripDomain }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "a.b[c]:1|a", err: "" },
        GoCase { prefix: "", tmpl: "{{ .Foo }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "<no value>", err: "" },
        GoCase { prefix: "", tmpl: "{{ .Foo }}", data: data_go_prom_funcs_0, opts: &[], name: "test", exec: "", out: "<no value>", err: "" },
        GoCase { prefix: "", tmpl: "{{ .Foo }}", data: data_go_prom_funcs_0, opts: &["missingkey=error"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <.Foo>: nil data; no entry for key \"Foo\"" },
        GoCase { prefix: "", tmpl: "{{", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1: unclosed action" },
        GoCase { prefix: "", tmpl: "{{ query \"missing\" | first }}", data: data_go_prom_funcs_5, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:21: executing \"test\" at <first>: error calling first: first() called on vector with no elements" },
        // Go's message names the oracle's own types (main.*); Prometheus' are these.
        GoCase { prefix: "", tmpl: "{{ (query \"missing\").banana }}", data: data_go_prom_funcs_5, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:10: executing \"test\" at <\"missing\">: can't evaluate field banana in type template.queryResult" },
        GoCase { prefix: "", tmpl: "{{ reReplaceAll \"(a)b\" \"x$1\" \"ab\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "xa", err: "" },
        GoCase { prefix: "", tmpl: "{{ range . }}{{ humanize . }}:{{ end }}", data: data_go_prom_funcs_6, opts: &["missingkey=zero"], name: "test", exec: "", out: "0:1:1.235M:120m:", err: "" },
        GoCase { prefix: "", tmpl: "{{ range . }}{{ humanize . }}:{{ end }}", data: data_go_prom_funcs_7, opts: &["missingkey=zero"], name: "test", exec: "", out: "0:1:1.235M:120m:", err: "" },
        GoCase { prefix: "", tmpl: "{{ humanize \"one\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <humanize \"one\">: error calling humanize: strconv.ParseFloat: parsing \"one\": invalid syntax" },
        GoCase { prefix: "", tmpl: "{{ range . }}{{ humanize . }}:{{ end }}", data: data_go_prom_funcs_8, opts: &["missingkey=zero"], name: "test", exec: "", out: "0:-1:1:1.235M:9.223E:", err: "" },
        GoCase { prefix: "", tmpl: "{{ range . }}{{ humanize1024 . }}:{{ end }}", data: data_go_prom_funcs_9, opts: &["missingkey=zero"], name: "test", exec: "", out: "0:1:1Mi:0.12:", err: "" },
        GoCase { prefix: "", tmpl: "{{ range . }}{{ humanize1024 . }}:{{ end }}", data: data_go_prom_funcs_10, opts: &["missingkey=zero"], name: "test", exec: "", out: "0:1:1Mi:0.12:", err: "" },
        GoCase { prefix: "", tmpl: "{{ humanize1024 \"one\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <humanize1024 \"one\">: error calling humanize1024: strconv.ParseFloat: parsing \"one\": invalid syntax" },
        GoCase { prefix: "", tmpl: "{{ range . }}{{ humanize1024 . }}:{{ end }}", data: data_go_prom_funcs_8, opts: &["missingkey=zero"], name: "test", exec: "", out: "0:-1:1:1.177Mi:8Ei:", err: "" },
        GoCase { prefix: "", tmpl: "{{ range . }}{{ humanizeDuration . }}:{{ end }}", data: data_go_prom_funcs_11, opts: &["missingkey=zero"], name: "test", exec: "", out: "0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:", err: "" },
        GoCase { prefix: "", tmpl: "{{ range . }}{{ humanizeDuration . }}:{{ end }}", data: data_go_prom_funcs_12, opts: &["missingkey=zero"], name: "test", exec: "", out: "0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:", err: "" },
        GoCase { prefix: "", tmpl: "{{ range . }}{{ humanizeDuration . }}:{{ end }}", data: data_go_prom_funcs_13, opts: &["missingkey=zero"], name: "test", exec: "", out: "100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:", err: "" },
        GoCase { prefix: "", tmpl: "{{ range . }}{{ humanizeDuration . }}:{{ end }}", data: data_go_prom_funcs_14, opts: &["missingkey=zero"], name: "test", exec: "", out: "100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:", err: "" },
        GoCase { prefix: "", tmpl: "{{ humanizeDuration \"one\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <humanizeDuration \"one\">: error calling humanizeDuration: strconv.ParseFloat: parsing \"one\": invalid syntax" },
        GoCase { prefix: "", tmpl: "{{ range . }}{{ humanizeDuration . }}:{{ end }}", data: data_go_prom_funcs_15, opts: &["missingkey=zero"], name: "test", exec: "", out: "0s:-1s:1s:14d 6h 56m 7s:", err: "" },
        GoCase { prefix: "", tmpl: "{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}", data: data_go_prom_funcs_16, opts: &["missingkey=zero"], name: "test", exec: "", out: "+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:", err: "" },
        GoCase { prefix: "", tmpl: "{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:{{humanizeTimestamp .}}:{{ end }}", data: data_go_prom_funcs_17, opts: &["missingkey=zero"], name: "test", exec: "", out: "+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:", err: "" },
        GoCase { prefix: "", tmpl: "{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:{{ 0.1234567 | humanizePercentage }}:{{ 1.23456 | humanizePercentage }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "-22.22%:0%:12.35%:123.5%", err: "" },
        GoCase { prefix: "", tmpl: "{{ range . }}{{ humanizePercentage . }}:{{ end }}", data: data_go_prom_funcs_8, opts: &["missingkey=zero"], name: "test", exec: "", out: "0%:-100%:100%:1.235e+08%:9.223e+20%:", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"-0.22222\" | humanizePercentage }}:{{ \"0.0\" | humanizePercentage }}:{{ \"0.1234567\" | humanizePercentage }}:{{ \"1.23456\" | humanizePercentage }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "-22.22%:0%:12.35%:123.5%", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"one\" | humanizePercentage }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:11: executing \"test\" at <humanizePercentage>: error calling humanizePercentage: strconv.ParseFloat: parsing \"one\": invalid syntax" },
        GoCase { prefix: "", tmpl: "{{ range . }}{{ humanizeTimestamp . }}:{{ end }}", data: data_go_prom_funcs_18, opts: &["missingkey=zero"], name: "test", exec: "", out: "1970-01-01 00:00:00 +0000 UTC:1969-12-31 23:59:59 +0000 UTC:1970-01-01 00:00:01 +0000 UTC:1970-01-15 06:56:07 +0000 UTC:2262-04-11 23:47:16 +0000 UTC:", err: "" },
        GoCase { prefix: "", tmpl: "{{ range . }}{{ humanizeTimestamp . }}:{{ end }}", data: data_go_prom_funcs_19, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:16: executing \"test\" at <humanizeTimestamp .>: error calling humanizeTimestamp: -9.223372036854776e+18 cannot be represented as a nanoseconds timestamp since it overflows int64" },
        GoCase { prefix: "", tmpl: "{{ 1435065584.128 | humanizeTimestamp }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "2015-06-23 13:19:44.128 +0000 UTC", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"1435065584.128\" | humanizeTimestamp }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "2015-06-23 13:19:44.128 +0000 UTC", err: "" },
        GoCase { prefix: "", tmpl: "{{ (1435065584.128 | toTime).Format \"2006\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "2015", err: "" },
        GoCase { prefix: "", tmpl: "{{ (\"1435065584.128\" | toTime).Format \"2006\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "2015", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"aa bb CC\" | title }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "Aa Bb CC", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"aa bb CC\" | toUpper }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "AA BB CC", err: "" },
        GoCase { prefix: "", tmpl: "{{ \"aA bB CC\" | toLower }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "aa bb cc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a+\" \"aa\" }} {{ match \"a+\" \"b\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "true false", err: "" },
        GoCase { prefix: "", tmpl: "{{ graphLink \"up\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "/graph?g0.expr=up&g0.tab=0", err: "" },
        GoCase { prefix: "", tmpl: "{{ tableLink \"up\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "/graph?g0.expr=up&g0.tab=1", err: "" },
        GoCase { prefix: "", tmpl: "{{ pathPrefix }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "/path/prefix", err: "" },
        GoCase { prefix: "", tmpl: "{{ externalURL }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "http://testhost:9090/path/prefix", err: "" },
        GoCase { prefix: "", tmpl: "{{ printf \"%0.2f\" (parseDuration \"1h2m10ms\") }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "3720.01", err: "" },
        GoCase { prefix: "", tmpl: "{{ range . }}{{ humanize . }}|{{ humanize1024 . }}|{{ humanizeDuration . }}|{{ humanizePercentage . }}|{{ humanizeTimestamp . }};{{ end }}", data: data_go_prom_funcs_20, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:106: executing \"test\" at <humanizeTimestamp .>: error calling humanizeTimestamp: 1e+24 cannot be represented as a nanoseconds timestamp since it overflows int64" },
        GoCase { prefix: "", tmpl: "{{ humanize true }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <humanize true>: error calling humanize: can't convert bool to float" },
        GoCase { prefix: "", tmpl: "{{ humanize nil }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <humanize nil>: error calling humanize: can't convert <nil> to float" },
        GoCase { prefix: "", tmpl: "{{ humanize . }}", data: data_go_prom_funcs_21, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <humanize .>: error calling humanize: can't convert []interface {} to float" },
        GoCase { prefix: "", tmpl: "{{ humanize }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <humanize>: wrong number of args for humanize: want 1 got 0" },
        GoCase { prefix: "", tmpl: "{{ humanize 1 2 }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <humanize>: wrong number of args for humanize: want 1 got 2" },
        GoCase { prefix: "", tmpl: "{{ humanize \"1e400\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <humanize \"1e400\">: error calling humanize: strconv.ParseFloat: parsing \"1e400\": value out of range" },
        GoCase { prefix: "", tmpl: "{{ humanize \"0x1p-2\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "250m", err: "" },
        GoCase { prefix: "", tmpl: "{{ humanize \"1_000\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "1k", err: "" },
        GoCase { prefix: "", tmpl: "{{ humanizeTimestamp 1e300 }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <humanizeTimestamp 1e300>: error calling humanizeTimestamp: 1e+300 cannot be represented as a nanoseconds timestamp since it overflows int64" },
        GoCase { prefix: "", tmpl: "{{ toTime \"NaN\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <toTime \"NaN\">: error calling toTime: value is NaN or Inf" },
        GoCase { prefix: "", tmpl: "{{ toTime 1e10 }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <toTime 1e10>: error calling toTime: 1e+10 cannot be represented as a nanoseconds timestamp since it overflows int64" },
        GoCase { prefix: "", tmpl: "{{ toTime -1.5 }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "1969-12-31 23:59:58.5 +0000 UTC", err: "" },
        GoCase { prefix: "", tmpl: "{{ (toTime 1.5).Unix }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "1", err: "" },
        GoCase { prefix: "", tmpl: "{{ parseDuration \"\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <parseDuration \"\">: error calling parseDuration: empty duration string" },
        GoCase { prefix: "", tmpl: "{{ parseDuration \"1x\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <parseDuration \"1x\">: error calling parseDuration: not a valid duration string: \"1x\"" },
        GoCase { prefix: "", tmpl: "{{ parseDuration \"300y\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <parseDuration \"300y\">: error calling parseDuration: duration out of range" },
        GoCase { prefix: "", tmpl: "{{ parseDuration \"0\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "0", err: "" },
        GoCase { prefix: "", tmpl: "{{ parseDuration \"1w2d3h4m5s6ms\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "788645.006", err: "" },
        GoCase { prefix: "", tmpl: "{{ title \"hello_world foo-bar don't x.y\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "Hello_world Foo-Bar Don'T X.Y", err: "" },
        GoCase { prefix: "", tmpl: "{{ toUpper 3 }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:11: executing \"test\" at <3>: expected string; found 3" },
        GoCase { prefix: "", tmpl: "{{ title }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <title>: wrong number of args for title: want 1 got 0" },
        GoCase { prefix: "", tmpl: "{{ match \"(\" \"a\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <match \"(\" \"a\">: error calling match: error parsing regexp: missing closing ): `(`" },
        GoCase { prefix: "", tmpl: "{{ reReplaceAll \"(\" \"a\" \"b\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <reReplaceAll \"(\" \"a\" \"b\">: error calling reReplaceAll: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`" },
        GoCase { prefix: "", tmpl: "{{ reReplaceAll \"(?P<x>a)(b)\" \"${x}-$2-$1x-$$-$\" \"abab\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "a-b--$-$a-b--$-$", err: "" },
        GoCase { prefix: "", tmpl: "{{ reReplaceAll \"\\\\d+\" \"#\" \"a1b22c\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "a#b#c", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"^\\\\w+$\" \"héllo\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "false", err: "" },
        GoCase { prefix: "", tmpl: "{{ reReplaceAll \"a*\" \"-\" \"baaac\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "-b-c-", err: "" },
        GoCase { prefix: "", tmpl: "{{ reReplaceAll \"\" \"-\" \"abc\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "-a-b-c-", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?i)ERROR\" \"an error\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "true", err: "" },
        GoCase { prefix: "", tmpl: "{{ graphLink \"rate(x{a=\\\"b c\\\"}[5m]) > 0.5\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "/graph?g0.expr=rate%28x%7Ba%3D%22b+c%22%7D%5B5m%5D%29+%3E+0.5&g0.tab=0", err: "" },
        GoCase { prefix: "", tmpl: "{{ args }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "map[]", err: "" },
        GoCase { prefix: "", tmpl: "{{ args 1 \"a\" nil 2.5 }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "map[arg0:1 arg1:a arg2:<nil> arg3:2.5]", err: "" },
        GoCase { prefix: "", tmpl: "{{ (args 1 2).arg1 }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "2", err: "" },
        GoCase { prefix: "", tmpl: "{{ range query \"m\" }}{{ . }}{{ end }}", data: data_go_prom_funcs_2, opts: &["missingkey=zero"], name: "test", exec: "", out: "{map[__name__:metric instance:a] 11}", err: "" },
        // Go prints a pointer's address inside a list.
        GoCase { prefix: "", tmpl: "{{ query \"m\" }}", data: data_go_prom_funcs_2, opts: &["missingkey=zero"], name: "test", exec: "", out: "[{map[__name__:metric instance:a] 11}]", err: "" },
        GoCase { prefix: "", tmpl: "{{ query \"m\" | len }}", data: data_go_prom_funcs_2, opts: &["missingkey=zero"], name: "test", exec: "", out: "1", err: "" },
        GoCase { prefix: "", tmpl: "{{ with query \"m\" }}{{ . | first | value }}{{ end }}", data: data_go_prom_funcs_2, opts: &["missingkey=zero"], name: "test", exec: "", out: "11", err: "" },
        GoCase { prefix: "", tmpl: "{{ with query \"m\" }}yes{{ else }}no{{ end }}", data: data_go_prom_funcs_5, opts: &["missingkey=zero"], name: "test", exec: "", out: "no", err: "" },
        // Go's message names the oracle's own types (main.*); Prometheus' are these.
        GoCase { prefix: "", tmpl: "{{ first . }}", data: data_go_prom_funcs_21, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:9: executing \"test\" at <.>: wrong type for value; expected template.queryResult; got []interface {}" },
        GoCase { prefix: "", tmpl: "{{ value nil }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <value nil>: error calling value: runtime error: invalid memory address or nil pointer dereference" },
        GoCase { prefix: "", tmpl: "{{ label \"a\" nil }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:3: executing \"test\" at <label \"a\" nil>: error calling label: runtime error: invalid memory address or nil pointer dereference" },
        // Go's message names the oracle's own types (main.*); Prometheus' are these.
        GoCase { prefix: "", tmpl: "{{ value 1 }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "", err: "template: test:1:9: executing \"test\" at <1>: can't handle 1 for arg of type *template.sample" },
        GoCase { prefix: "", tmpl: "{{ (query \"m\" | first).Labels }}", data: data_go_prom_funcs_2, opts: &["missingkey=zero"], name: "test", exec: "", out: "map[__name__:metric instance:a]", err: "" },
        GoCase { prefix: "", tmpl: "{{ index (query \"m\") 0 | value }}", data: data_go_prom_funcs_2, opts: &["missingkey=zero"], name: "test", exec: "", out: "11", err: "" },
        GoCase { prefix: "", tmpl: "{{ range $i, $s := query \"m\" }}{{ $i }}{{ $s.Value }}{{ end }}", data: data_go_prom_funcs_2, opts: &["missingkey=zero"], name: "test", exec: "", out: "011", err: "" },
        GoCase { prefix: "", tmpl: "{{ safeHtml \"<b>\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "<b>", err: "" },
        GoCase { prefix: "", tmpl: "{{ humanize 1024 | printf \"%s!\" }}", data: data_go_prom_funcs_0, opts: &["missingkey=zero"], name: "test", exec: "", out: "1.024k!", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ $labels.instance }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "web-1:9100", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ $value }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "0.8734", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ $value | humanize }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "873.4m", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ printf \"%.2f\" $value }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "0.87", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ $labels.missing }}|", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "|", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ $externalLabels.site }} {{ $externalURL }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "eu http://prom.example:9090", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ $labels }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "map[device:sda instance:web-1:9100 job:node]", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ . }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "{map[device:sda instance:web-1:9100 job:node] map[site:eu] http://prom.example:9090 0.8734}", err: "" },
        // Go's message names the oracle's own types (main.*); Prometheus' are these.
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ .Nope }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "", err: "template: __alert_HighLoad:1:115: executing \"__alert_HighLoad\" at <.Nope>: can't evaluate field Nope in type struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value float64 }" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ $labels.instance | stripPort }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "web-1", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ if gt $value 0.5 }}high{{ end }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "high", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ if gt $value 1 }}high{{ end }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "", err: "template: __alert_HighLoad:1:118: executing \"__alert_HighLoad\" at <gt $value 1>: error calling gt: incompatible types for comparison" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ humanizePercentage $value }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "87.34%", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ range $k, $v := $labels }}{{ $k }}={{ $v }} {{ end }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "device=sda instance=web-1:9100 job=node ", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ len $labels }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "3", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ index $labels \"job\" }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "node", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ index $labels \"x\" }}|", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "|", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ $labels.job | toUpper }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "NODE", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ with $labels.device }}dev={{ . }}{{ end }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "dev=sda", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ $value | printf \"%.1f%%\" }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "0.9%", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ eq $labels.job \"node\" }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "true", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ .Value }} {{ .ExternalURL }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "0.8734 http://prom.example:9090", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ $value := 3 }}{{ $value }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "3", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ $labels.instance.foo }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "", err: "template: __alert_HighLoad:1:122: executing \"__alert_HighLoad\" at <$labels.instance.foo>: can't evaluate field foo in type string" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ printf \"%v\" $labels }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "map[device:sda instance:web-1:9100 job:node]", err: "" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ $labels.instance 1 }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "", err: "template: __alert_HighLoad:1:122: executing \"__alert_HighLoad\" at <$labels.instance>: instance is not a method but has arguments" },
        GoCase { prefix: "", tmpl: "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}{{ .Labels.Foo.Bar }}", data: data_go_prom_funcs_22, opts: &["missingkey=zero"], name: "__alert_HighLoad", exec: "", out: "", err: "template: __alert_HighLoad:1:122: executing \"__alert_HighLoad\" at <.Labels.Foo.Bar>: can't evaluate field Bar in type string" },
    ];
    run_go_cases(&cases, Funcs::Prometheus);
}

fn data_go_am_templates_0() -> Value {
    Data {
        receiver: "team-ops".into(),
        status: "firing".into(),
        alerts: Alerts(vec![
            am_alert(
                "firing",
                [("alertname", "InstanceDown"), ("instance", "web-1:9100"), ("job", "node"), ("severity", "critical")],
                [("description", "web-1 has been down for 5m"), ("summary", "web-1 down")],
                t("2023-03-04T05:06:07.123Z"),
                Time::zero(),
                "http://prom:9090/graph?g0.expr=up+%3D%3D+0",
                "0123456789abcdef",
            ),
            am_alert(
                "firing",
                [("alertname", "InstanceDown"), ("instance", "web-2:9100"), ("job", "node"), ("severity", "critical")],
                [("description", "web-2 has been down for 5m"), ("summary", "web-2 down")],
                t("2023-03-04T05:07:07Z"),
                Time::zero(),
                "http://prom:9090/graph",
                "fedcba9876543210",
            ),
            am_alert(
                "resolved",
                [("alertname", "InstanceDown"), ("instance", "db-1:9100"), ("job", "node"), ("severity", "critical")],
                [("summary", "db-1 down")],
                t("2023-03-04T04:00:00+02:00"),
                t("2023-03-04T05:00:00Z"),
                "http://prom:9090/graph",
                "1111111111111111",
            ),
        ]),
        group_labels: KV::from_iter([("alertname", "InstanceDown")]),
        common_labels: KV::from_iter([("alertname", "InstanceDown"), ("job", "node"), ("severity", "critical")]),
        common_annotations: KV::from_iter([("", ""); 0]),
        external_url: "http://am.example:9093".into(),
    }
    .to_value()
}

fn data_go_am_templates_1() -> Value {
    Data {
        receiver: "team-ops".into(),
        status: "resolved".into(),
        alerts: Alerts(vec![am_alert(
            "resolved",
            [("alertname", "InstanceDown"), ("instance", "db-1:9100"), ("job", "node"), ("severity", "critical")],
            [("summary", "db-1 down")],
            t("2023-03-04T04:00:00+02:00"),
            t("2023-03-04T05:00:00Z"),
            "http://prom:9090/graph",
            "1111111111111111",
        )]),
        group_labels: KV::from_iter([("", ""); 0]),
        common_labels: KV::from_iter([
            ("alertname", "InstanceDown"),
            ("instance", "db-1:9100"),
            ("job", "node"),
            ("severity", "critical"),
        ]),
        common_annotations: KV::from_iter([("summary", "db-1 down")]),
        external_url: "http://am.example:9093".into(),
    }
    .to_value()
}

#[test]
fn go_am_templates() {
    let cases = [
        GoCase { prefix: AM_DEFS, tmpl: "{{ template \"__subject\" . }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n[FIRING:2] InstanceDown (node critical)", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ template \"__subject\" . }}", data: data_go_am_templates_1, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n[RESOLVED]  (InstanceDown db-1:9100 node critical)", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ template \"__alertmanagerURL\" . }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nhttp://am.example:9093/#/alerts?receiver=team-ops", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ template \"__alertmanagerURL\" . }}", data: data_go_am_templates_1, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nhttp://am.example:9093/#/alerts?receiver=team-ops", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ template \"chat.title\" . }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n[FIRING:2] InstanceDown (node critical)", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ template \"chat.title\" . }}", data: data_go_am_templates_1, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n[RESOLVED]  (InstanceDown db-1:9100 node critical)", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ template \"chat.text\" . }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nAlerts Firing:\nLabels:\n - alertname = InstanceDown\n - instance = web-1:9100\n - job = node\n - severity = critical\nAnnotations:\n - description = web-1 has been down for 5m\n - summary = web-1 down\nSource: http://prom:9090/graph?g0.expr=up+%3D%3D+0\nLabels:\n - alertname = InstanceDown\n - instance = web-2:9100\n - job = node\n - severity = critical\nAnnotations:\n - description = web-2 has been down for 5m\n - summary = web-2 down\nSource: http://prom:9090/graph\n\nAlerts Resolved:\nLabels:\n - alertname = InstanceDown\n - instance = db-1:9100\n - job = node\n - severity = critical\nAnnotations:\n - summary = db-1 down\nSource: http://prom:9090/graph\n", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ template \"chat.text\" . }}", data: data_go_am_templates_1, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n\nAlerts Resolved:\nLabels:\n - alertname = InstanceDown\n - instance = db-1:9100\n - job = node\n - severity = critical\nAnnotations:\n - summary = db-1 down\nSource: http://prom:9090/graph\n", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ template \"mail.html\" . }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n<a href=\"http://am.example:9093/#/alerts?receiver=team-ops\">3 alerts for alertname=InstanceDown </a>\n<li>InstanceDown 2023-03-04 05:06:07 UTC: web-1 has been down for 5m</li>\n<li>InstanceDown 2023-03-04 05:07:07 UTC: web-2 has been down for 5m</li>\n<li>InstanceDown 2023-03-04 04:00:00 +0200</li>\n", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ template \"mail.html\" . }}", data: data_go_am_templates_1, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n<a href=\"http://am.example:9093/#/alerts?receiver=team-ops\">1 alert for </a>\n<li>InstanceDown 2023-03-04 04:00:00 +0200</li>\n", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ template \"short\" . }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n[Firing] web-1 since 05:06\n[Firing] web-2 since 05:07\n[Resolved] db-1 since 02:00 until 05:00\n", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ template \"short\" . }}", data: data_go_am_templates_1, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n[Resolved] db-1 since 02:00 until 05:00\n", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ .Status }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nfiring", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ .Receiver }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nteam-ops", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ .GroupLabels }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nmap[alertname:InstanceDown]", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ .CommonLabels.job }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nnode", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ .CommonLabels.nope }}|", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n|", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ .Alerts.Firing | len }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n2", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ len .Alerts }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n3", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ range .Alerts }}{{ .Labels.instance }} {{ .StartsAt }} {{ .EndsAt }} {{ .StartsAt.Format \"2006-01-02 15:04:05\" }}\n{{ end }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nweb-1:9100 2023-03-04 05:06:07.123 +0000 UTC 0001-01-01 00:00:00 +0000 UTC 2023-03-04 05:06:07\nweb-2:9100 2023-03-04 05:07:07 +0000 UTC 0001-01-01 00:00:00 +0000 UTC 2023-03-04 05:07:07\ndb-1:9100 2023-03-04 04:00:00 +0200 +0200 2023-03-04 05:00:00 +0000 UTC 2023-03-04 04:00:00\n", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ range .Alerts.Resolved }}{{ .EndsAt.Sub .StartsAt }} {{ .StartsAt.Unix }}{{ end }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n3h0m0s 1677895200", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ range .Alerts }}{{ .Fingerprint }} {{ .GeneratorURL }} {{ .Status }}{{ end }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n0123456789abcdef http://prom:9090/graph?g0.expr=up+%3D%3D+0 firingfedcba9876543210 http://prom:9090/graph firing1111111111111111 http://prom:9090/graph resolved", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ .CommonLabels.SortedPairs }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n[{alertname InstanceDown} {job node} {severity critical}]", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ .CommonLabels.Names }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n[alertname job severity]", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ .CommonLabels.Values | join \", \" }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nInstanceDown, node, critical", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ .CommonLabels.Remove .GroupLabels.Names }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nmap[job:node severity:critical]", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ (.CommonLabels.Remove (stringSlice \"job\")).Values }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n[InstanceDown critical]", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ join \",\" (stringSlice \"a\" \"b\") }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\na,b", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ title \"hELLO wORLD\" }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nHello World", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ toUpper .Status }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nFIRING", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ match \"^Inst\" .CommonLabels.alertname }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\ntrue", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ reReplaceAll \":.*\" \"\" \"web-1:9100\" }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nweb-1", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ safeHtml \"<b>\" }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n<b>", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ .Alerts }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n[{firing map[alertname:InstanceDown instance:web-1:9100 job:node severity:critical] map[description:web-1 has been down for 5m summary:web-1 down] 2023-03-04 05:06:07.123 +0000 UTC 0001-01-01 00:00:00 +0000 UTC http://prom:9090/graph?g0.expr=up+%3D%3D+0 0123456789abcdef} {firing map[alertname:InstanceDown instance:web-2:9100 job:node severity:critical] map[description:web-2 has been down for 5m summary:web-2 down] 2023-03-04 05:07:07 +0000 UTC 0001-01-01 00:00:00 +0000 UTC http://prom:9090/graph fedcba9876543210} {resolved map[alertname:InstanceDown instance:db-1:9100 job:node severity:critical] map[summary:db-1 down] 2023-03-04 04:00:00 +0200 +0200 2023-03-04 05:00:00 +0000 UTC http://prom:9090/graph 1111111111111111}]", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ index .Alerts 0 }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n{firing map[alertname:InstanceDown instance:web-1:9100 job:node severity:critical] map[description:web-1 has been down for 5m summary:web-1 down] 2023-03-04 05:06:07.123 +0000 UTC 0001-01-01 00:00:00 +0000 UTC http://prom:9090/graph?g0.expr=up+%3D%3D+0 0123456789abcdef}", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ (index .Alerts 0).Labels }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nmap[alertname:InstanceDown instance:web-1:9100 job:node severity:critical]", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ range $i, $a := .Alerts }}{{ $i }}:{{ $a.Labels.instance }} {{ end }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n0:web-1:9100 1:web-2:9100 2:db-1:9100 ", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ range .CommonLabels.SortedPairs }}{{ .Name }}={{ .Value }};{{ end }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nalertname=InstanceDown;job=node;severity=critical;", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ range .CommonLabels }}{{ . }};{{ end }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nInstanceDown;node;critical;", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ range $k, $v := .CommonLabels }}{{ $k }}={{ $v }};{{ end }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nalertname=InstanceDown;job=node;severity=critical;", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ if gt (len .CommonLabels) (len .GroupLabels) }}yes{{ end }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nyes", err: "" },
        // Go's message names the oracle's own types (main.*); Alertmanager's are these.
        GoCase { prefix: AM_DEFS, tmpl: "{{ .Alerts.Firing.Firing }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "", err: "template: :24:10: executing \"\" at <.Alerts.Firing.Firing>: can't evaluate field Firing in type []template.Alert" },
        // Go's message names the oracle's own types (main.*); Alertmanager's are these.
        GoCase { prefix: AM_DEFS, tmpl: "{{ .Nope }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "", err: "template: :24:3: executing \"\" at <.Nope>: can't evaluate field Nope in type *template.Data" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ .CommonLabels.Remove }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "", err: "template: :24:16: executing \"\" at <.CommonLabels.Remove>: wrong number of args for Remove: want 1 got 0" },
        // Go checks a method's parameter types; objects' method arguments are untyped here.
        GoCase { prefix: AM_DEFS, tmpl: "{{ .CommonLabels.Remove 1 }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "", err: "template: :24:16: executing \"\" at <.CommonLabels.Remove>: wrong type for value; expected []string; got int" },
        // Go's message names the oracle's own types (main.*); Alertmanager's are these.
        GoCase { prefix: AM_DEFS, tmpl: "{{ join \" \" .CommonLabels }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "", err: "template: :24:12: executing \"\" at <.CommonLabels>: wrong type for value; expected []string; got template.KV" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ join 1 .CommonLabels.Values }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "", err: "template: :24:8: executing \"\" at <1>: expected string; found 1" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ stringSlice 1 }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "", err: "template: :24:15: executing \"\" at <1>: expected string; found 1" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ stringSlice }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n[]", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ printf \"%v\" .CommonLabels.SortedPairs }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n[{alertname InstanceDown} {job node} {severity critical}]", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ printf \"%+v\" (index .Alerts 0).Labels.SortedPairs }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n[{Name:alertname Value:InstanceDown} {Name:instance Value:web-1:9100} {Name:job Value:node} {Name:severity Value:critical}]", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ with .CommonAnnotations.summary }}S={{ . }}{{ else }}none{{ end }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nnone", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ .CommonAnnotations }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nmap[]", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ len .CommonAnnotations }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n0", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ if .CommonAnnotations }}y{{ else }}n{{ end }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nn", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ eq .Status \"firing\" }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\ntrue", err: "" },
        // Go's message names the oracle's own types (main.*); Alertmanager's are these.
        GoCase { prefix: AM_DEFS, tmpl: "{{ eq .CommonLabels .CommonLabels }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "", err: "template: :24:3: executing \"\" at <eq .CommonLabels .CommonLabels>: error calling eq: non-comparable type map[alertname:InstanceDown job:node severity:critical]: template.KV" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ (index .Alerts 2).EndsAt.Format \"Mon, 02 Jan 2006 15:04:05 MST\" }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nSat, 04 Mar 2023 05:00:00 UTC", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ (index .Alerts 2).StartsAt }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n2023-03-04 04:00:00 +0200 +0200", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ (index .Alerts 0).EndsAt.IsZero }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\ntrue", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ . }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n{team-ops firing [{firing map[alertname:InstanceDown instance:web-1:9100 job:node severity:critical] map[description:web-1 has been down for 5m summary:web-1 down] 2023-03-04 05:06:07.123 +0000 UTC 0001-01-01 00:00:00 +0000 UTC http://prom:9090/graph?g0.expr=up+%3D%3D+0 0123456789abcdef} {firing map[alertname:InstanceDown instance:web-2:9100 job:node severity:critical] map[description:web-2 has been down for 5m summary:web-2 down] 2023-03-04 05:07:07 +0000 UTC 0001-01-01 00:00:00 +0000 UTC http://prom:9090/graph fedcba9876543210} {resolved map[alertname:InstanceDown instance:db-1:9100 job:node severity:critical] map[summary:db-1 down] 2023-03-04 04:00:00 +0200 +0200 2023-03-04 05:00:00 +0000 UTC http://prom:9090/graph 1111111111111111}] map[alertname:InstanceDown] map[alertname:InstanceDown job:node severity:critical] map[] http://am.example:9093}", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ printf \"%v\" . }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n&{team-ops firing [{firing map[alertname:InstanceDown instance:web-1:9100 job:node severity:critical] map[description:web-1 has been down for 5m summary:web-1 down] 2023-03-04 05:06:07.123 +0000 UTC 0001-01-01 00:00:00 +0000 UTC http://prom:9090/graph?g0.expr=up+%3D%3D+0 0123456789abcdef} {firing map[alertname:InstanceDown instance:web-2:9100 job:node severity:critical] map[description:web-2 has been down for 5m summary:web-2 down] 2023-03-04 05:07:07 +0000 UTC 0001-01-01 00:00:00 +0000 UTC http://prom:9090/graph fedcba9876543210} {resolved map[alertname:InstanceDown instance:db-1:9100 job:node severity:critical] map[summary:db-1 down] 2023-03-04 04:00:00 +0200 +0200 2023-03-04 05:00:00 +0000 UTC http://prom:9090/graph 1111111111111111}] map[alertname:InstanceDown] map[alertname:InstanceDown job:node severity:critical] map[] http://am.example:9093}", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ index .CommonLabels \"job\" }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nnode", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ .ExternalURL }}/#/alerts?receiver={{ .Receiver | urlquery }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nhttp://am.example:9093/#/alerts?receiver=team-ops", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ range .Alerts.Firing }}{{ range .Labels.SortedPairs }}{{ .Name }} = {{ .Value }}\n{{ end }}{{ end }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nalertname = InstanceDown\ninstance = web-1:9100\njob = node\nseverity = critical\nalertname = InstanceDown\ninstance = web-2:9100\njob = node\nseverity = critical\n", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ toUpper 1 }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "", err: "template: :24:11: executing \"\" at <1>: expected string; found 1" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ title \"3rd place don't foo.bar x-y\" }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\n3Rd Place Don't Foo.bar X-Y", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ .GroupLabels.SortedPairs.Values | join \" \" }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "\n\n\n\n\n\n\nInstanceDown", err: "" },
        GoCase { prefix: AM_DEFS, tmpl: "{{ .Alerts.Firing | first }}", data: data_go_am_templates_0, opts: &["missingkey=zero"], name: "", exec: "", out: "", err: "template: :24: function \"first\" not defined" },
    ];
    run_go_cases(&cases, Funcs::Alertmanager);
}

fn data_go_fmt_printf_0() -> Value {
    map(vec![("f", Value::Float(0.0))])
}

fn data_go_fmt_printf_1() -> Value {
    map(vec![("f", Value::Float(-0.0))])
}

fn data_go_fmt_printf_2() -> Value {
    map(vec![("f", Value::Float(1.0))])
}

fn data_go_fmt_printf_3() -> Value {
    map(vec![("f", Value::Float(0.1))])
}

fn data_go_fmt_printf_4() -> Value {
    map(vec![("f", Value::Float(0.5))])
}

fn data_go_fmt_printf_5() -> Value {
    map(vec![("f", Value::Float(1.5))])
}

fn data_go_fmt_printf_6() -> Value {
    map(vec![("f", Value::Float(2.5))])
}

fn data_go_fmt_printf_7() -> Value {
    map(vec![("f", Value::Float(1000000.0))])
}

fn data_go_fmt_printf_8() -> Value {
    map(vec![("f", Value::Float(1e+21))])
}

fn data_go_fmt_printf_9() -> Value {
    map(vec![("f", Value::Float(1e+20))])
}

fn data_go_fmt_printf_10() -> Value {
    map(vec![("f", Value::Float(123456789.0))])
}

fn data_go_fmt_printf_11() -> Value {
    map(vec![("f", Value::Float(1e-05))])
}

fn data_go_fmt_printf_12() -> Value {
    map(vec![("f", Value::Float(0.0001))])
}

fn data_go_fmt_printf_13() -> Value {
    map(vec![("f", Value::Float(0.000123))])
}

fn data_go_fmt_printf_14() -> Value {
    map(vec![("f", Value::Float(3.14159265358979))])
}

fn data_go_fmt_printf_15() -> Value {
    map(vec![("f", Value::Float(9007199254740992.0))])
}

fn data_go_fmt_printf_16() -> Value {
    map(vec![("f", Value::Float(9.223372036854776e+18))])
}

fn data_go_fmt_printf_17() -> Value {
    map(vec![("f", Value::Float(1e+100))])
}

fn data_go_fmt_printf_18() -> Value {
    map(vec![("f", Value::Float(1e-300))])
}

fn data_go_fmt_printf_19() -> Value {
    map(vec![("f", Value::Float(5e-324))])
}

fn data_go_fmt_printf_20() -> Value {
    map(vec![("f", Value::Float(1.7976931348623157e+308))])
}

fn data_go_fmt_printf_21() -> Value {
    map(vec![("f", Value::Float(0.3))])
}

fn data_go_fmt_printf_22() -> Value {
    map(vec![("f", Value::Float(0.6666666666666666))])
}

fn data_go_fmt_printf_23() -> Value {
    map(vec![("f", Value::Float(100.0))])
}

fn data_go_fmt_printf_24() -> Value {
    map(vec![("f", Value::Float(999.5))])
}

fn data_go_fmt_printf_25() -> Value {
    map(vec![("f", Value::Float(0.125))])
}

fn data_go_fmt_printf_26() -> Value {
    map(vec![("f", Value::Float(0.375))])
}

fn data_go_fmt_printf_27() -> Value {
    map(vec![("f", Value::Float(1.005))])
}

fn data_go_fmt_printf_28() -> Value {
    map(vec![("f", Value::Float(2.675))])
}

fn data_go_fmt_printf_29() -> Value {
    map(vec![("f", Value::Float(1234.5678))])
}

fn data_go_fmt_printf_30() -> Value {
    map(vec![("f", Value::Float(-9.87654e-08))])
}

fn data_go_fmt_printf_31() -> Value {
    map(vec![("f", Value::Float(-698301.6521509961))])
}

fn data_go_fmt_printf_32() -> Value {
    map(vec![("f", Value::Float(1.889981353589649e+19))])
}

fn data_go_fmt_printf_33() -> Value {
    map(vec![("f", Value::Float(3.841898887432159e-237))])
}

fn data_go_fmt_printf_34() -> Value {
    map(vec![("f", Value::Float(-571.0))])
}

fn data_go_fmt_printf_35() -> Value {
    map(vec![("f", Value::Float(-860289.1528507621))])
}

fn data_go_fmt_printf_36() -> Value {
    map(vec![("f", Value::Float(8.779753225680271e-236))])
}

fn data_go_fmt_printf_37() -> Value {
    map(vec![("f", Value::Float(-752.4))])
}

fn data_go_fmt_printf_38() -> Value {
    map(vec![("f", Value::Float(42284.08304009588))])
}

fn data_go_fmt_printf_39() -> Value {
    map(vec![("f", Value::Float(952510.2111858402))])
}

fn data_go_fmt_printf_40() -> Value {
    map(vec![("f", Value::Float(1.9015657400796622e-144))])
}

fn data_go_fmt_printf_41() -> Value {
    map(vec![("f", Value::Float(-1.7163996725272777e-258))])
}

fn data_go_fmt_printf_42() -> Value {
    map(vec![("f", Value::Float(-2.2818334634712625e-234))])
}

fn data_go_fmt_printf_43() -> Value {
    map(vec![("f", Value::Float(-638.5472))])
}

fn data_go_fmt_printf_44() -> Value {
    map(vec![("f", Value::Float(-624257.9464257129))])
}

fn data_go_fmt_printf_45() -> Value {
    map(vec![("f", Value::Float(3.0496182610151205e-231))])
}

fn data_go_fmt_printf_46() -> Value {
    map(vec![("f", Value::Float(238019.18634710764))])
}

fn data_go_fmt_printf_47() -> Value {
    map(vec![("f", Value::Float(63440.493160371436))])
}

fn data_go_fmt_printf_48() -> Value {
    map(vec![("f", Value::Float(-136054.15534029878))])
}

fn data_go_fmt_printf_49() -> Value {
    map(vec![("f", Value::Float(-400466.0062726353))])
}

fn data_go_fmt_printf_50() -> Value {
    map(vec![("f", Value::Float(8.152684721884969e-26))])
}

fn data_go_fmt_printf_51() -> Value {
    map(vec![("f", Value::Float(-9767.280889488873))])
}

fn data_go_fmt_printf_52() -> Value {
    map(vec![("f", Value::Float(-102331.6191444135))])
}

fn data_go_fmt_printf_53() -> Value {
    map(vec![("f", Value::Float(1.2132399299399691e-23))])
}

fn data_go_fmt_printf_54() -> Value {
    map(vec![("f", Value::Float(514281.8591304987))])
}

fn data_go_fmt_printf_55() -> Value {
    map(vec![("f", Value::Float(1.0743030475716402e+212))])
}

fn data_go_fmt_printf_56() -> Value {
    map(vec![("f", Value::Float(5.743310614918485e-213))])
}

fn data_go_fmt_printf_57() -> Value {
    map(vec![("f", Value::Float(-2.5547107264648264e-10))])
}

fn data_go_fmt_printf_58() -> Value {
    map(vec![("f", Value::Float(-6650.409402024816))])
}

fn data_go_fmt_printf_59() -> Value {
    map(vec![("f", Value::Float(2.5007301531837225e+20))])
}

fn data_go_fmt_printf_60() -> Value {
    map(vec![("f", Value::Float(-52.0))])
}

fn data_go_fmt_printf_61() -> Value {
    map(vec![("f", Value::Float(6.512205859834416e+73))])
}

fn data_go_fmt_printf_62() -> Value {
    map(vec![("f", Value::Float(-1.1905069241088893e-13))])
}

fn data_go_fmt_printf_63() -> Value {
    map(vec![("f", Value::Float(337305.4317683764))])
}

fn data_go_fmt_printf_64() -> Value {
    map(vec![("f", Value::Float(2.1970596639628e+130))])
}

fn data_go_fmt_printf_65() -> Value {
    map(vec![("f", Value::Float(6.249646571111859e+300))])
}

fn data_go_fmt_printf_66() -> Value {
    map(vec![("f", Value::Float(3.0170681842882087e+46))])
}

fn data_go_fmt_printf_67() -> Value {
    map(vec![("f", Value::Float(4.750750204750985e+182))])
}

fn data_go_fmt_printf_68() -> Value {
    map(vec![("f", Value::Float(742843.9482525988))])
}

fn data_go_fmt_printf_69() -> Value {
    map(vec![("f", Value::Float(1.9751801151887592e+187))])
}

fn data_go_fmt_printf_70() -> Value {
    map(vec![("f", Value::Float(766767.6528830249))])
}

fn data_go_fmt_printf_71() -> Value {
    map(vec![("f", Value::Float(727.97))])
}

fn data_go_fmt_printf_72() -> Value {
    map(vec![("f", Value::Float(-91914401417.22626))])
}

fn data_go_fmt_printf_73() -> Value {
    map(vec![("f", Value::Float(-538496.9837826357))])
}

fn data_go_fmt_printf_74() -> Value {
    map(vec![("f", Value::Float(1.159723123546231e-22))])
}

fn data_go_fmt_printf_75() -> Value {
    map(vec![("f", Value::Float(0.12524598726692138))])
}

fn data_go_fmt_printf_76() -> Value {
    map(vec![("f", Value::Float(-474506.7614029241))])
}

fn data_go_fmt_printf_77() -> Value {
    map(vec![("f", Value::Float(-5.224362650831876e-266))])
}

fn data_go_fmt_printf_78() -> Value {
    map(vec![("f", Value::Float(132682.44741278398))])
}

fn data_go_fmt_printf_79() -> Value {
    map(vec![("f", Value::Float(380.9873))])
}

fn data_go_fmt_printf_80() -> Value {
    map(vec![("f", Value::Float(310.0))])
}

fn data_go_fmt_printf_81() -> Value {
    map(vec![("f", Value::Float(741959.0023155434))])
}

fn data_go_fmt_printf_82() -> Value {
    map(vec![("f", Value::Float(361.1502))])
}

fn data_go_fmt_printf_83() -> Value {
    map(vec![("f", Value::Float(-202042.33535945404))])
}

fn data_go_fmt_printf_84() -> Value {
    map(vec![("f", Value::Float(6.597432204635068e+185))])
}

fn data_go_fmt_printf_85() -> Value {
    map(vec![("f", Value::Float(-4.671898820796292e+289))])
}

fn data_go_fmt_printf_86() -> Value {
    map(vec![("f", Value::Float(4.0960622500000236e-173))])
}

fn data_go_fmt_printf_87() -> Value {
    map(vec![("f", Value::Float(-894848.7922194661))])
}

fn data_go_fmt_printf_88() -> Value {
    map(vec![("f", Value::Float(-1.5800543282391385e-263))])
}

fn data_go_fmt_printf_89() -> Value {
    map(vec![("f", Value::Float(-1.979700384530873e-168))])
}

fn data_go_fmt_printf_90() -> Value {
    map(vec![("f", Value::Float(2.9637577225244357e-52))])
}

fn data_go_fmt_printf_91() -> Value {
    map(vec![("f", Value::Float(116031180.83666174))])
}

fn data_go_fmt_printf_92() -> Value {
    map(vec![("f", Value::Float(204.558))])
}

fn data_go_fmt_printf_93() -> Value {
    map(vec![("f", Value::Float(7.19616430630608e+293))])
}

fn data_go_fmt_printf_94() -> Value {
    map(vec![("f", Value::Float(-68.021))])
}

fn data_go_fmt_printf_95() -> Value {
    map(vec![("f", Value::Float(-711765.0195630251))])
}

fn data_go_fmt_printf_96() -> Value {
    map(vec![("f", Value::Float(-0.05215748124914803))])
}

fn data_go_fmt_printf_97() -> Value {
    map(vec![("f", Value::Float(2.0554191671898523e-18))])
}

fn data_go_fmt_printf_98() -> Value {
    map(vec![("f", Value::Float(-276.4951))])
}

fn data_go_fmt_printf_99() -> Value {
    map(vec![("f", Value::Float(516.29))])
}

fn data_go_fmt_printf_100() -> Value {
    map(vec![("f", Value::Float(726.65))])
}

fn data_go_fmt_printf_101() -> Value {
    map(vec![("f", Value::Float(816517.0873260801))])
}

fn data_go_fmt_printf_102() -> Value {
    map(vec![("f", Value::Float(-554414.4878895225))])
}

fn data_go_fmt_printf_103() -> Value {
    map(vec![("f", Value::Float(5394.046450629714))])
}

fn data_go_fmt_printf_104() -> Value {
    map(vec![("f", Value::Float(2.315874853985615e+18))])
}

fn data_go_fmt_printf_105() -> Value {
    map(vec![("f", Value::Float(479.7))])
}

fn data_go_fmt_printf_106() -> Value {
    map(vec![("f", Value::Float(3.0702749606219453e+130))])
}

fn data_go_fmt_printf_107() -> Value {
    map(vec![("f", Value::Float(2.5518091944740054e+17))])
}

fn data_go_fmt_printf_108() -> Value {
    map(vec![("f", Value::Float(-612710.1079743813))])
}

fn data_go_fmt_printf_109() -> Value {
    map(vec![("f", Value::Float(-0.0006818057601701938))])
}

fn data_go_fmt_printf_110() -> Value {
    map(vec![("f", Value::Float(976.08))])
}

fn data_go_fmt_printf_111() -> Value {
    map(vec![("f", Value::Float(5.859122346581956e-29))])
}

fn data_go_fmt_printf_112() -> Value {
    map(vec![("f", Value::Float(-324525.04032293917))])
}

fn data_go_fmt_printf_113() -> Value {
    map(vec![("f", Value::Float(970497.9941294838))])
}

fn data_go_fmt_printf_114() -> Value {
    map(vec![("f", Value::Float(0.05866857985227437))])
}

fn data_go_fmt_printf_115() -> Value {
    map(vec![("f", Value::Float(1.1993017513727336e+20))])
}

fn data_go_fmt_printf_116() -> Value {
    map(vec![("f", Value::Float(-1.4293026519961528e+40))])
}

fn data_go_fmt_printf_117() -> Value {
    map(vec![("f", Value::Float(0.04808002398444037))])
}

fn data_go_fmt_printf_118() -> Value {
    map(vec![("f", Value::Float(-3.6993835478682605e-141))])
}

fn data_go_fmt_printf_119() -> Value {
    map(vec![("f", Value::Float(601647.1377933822))])
}

fn data_go_fmt_printf_120() -> Value {
    map(vec![("f", Value::Float(-208.323))])
}

fn data_go_fmt_printf_121() -> Value {
    map(vec![("f", Value::Float(30755297902643.613))])
}

fn data_go_fmt_printf_122() -> Value {
    map(vec![("f", Value::Float(1.0629542477011113e-274))])
}

fn data_go_fmt_printf_123() -> Value {
    map(vec![("f", Value::Float(7.026130324622278e+265))])
}

fn data_go_fmt_printf_124() -> Value {
    map(vec![("f", Value::Float(-707.6514))])
}

fn data_go_fmt_printf_125() -> Value {
    map(vec![("f", Value::Float(314.54))])
}

fn data_go_fmt_printf_126() -> Value {
    map(vec![("f", Value::Float(3.7786473232507753e-147))])
}

fn data_go_fmt_printf_127() -> Value {
    map(vec![("f", Value::Float(-4.7772162810011576e+272))])
}

fn data_go_fmt_printf_128() -> Value {
    map(vec![("f", Value::Float(39.342579035014715))])
}

fn data_go_fmt_printf_129() -> Value {
    map(vec![("f", Value::Float(-132.4))])
}

fn data_go_fmt_printf_130() -> Value {
    map(vec![("f", Value::Float(-577.92))])
}

fn data_go_fmt_printf_131() -> Value {
    map(vec![("i", Value::Int(0))])
}

fn data_go_fmt_printf_132() -> Value {
    map(vec![("i", Value::Int(1))])
}

fn data_go_fmt_printf_133() -> Value {
    map(vec![("i", Value::Int(-1))])
}

fn data_go_fmt_printf_134() -> Value {
    map(vec![("i", Value::Int(42))])
}

fn data_go_fmt_printf_135() -> Value {
    map(vec![("i", Value::Int(-42))])
}

fn data_go_fmt_printf_136() -> Value {
    map(vec![("i", Value::Int(255))])
}

fn data_go_fmt_printf_137() -> Value {
    map(vec![("i", Value::Int(65535))])
}

fn data_go_fmt_printf_138() -> Value {
    map(vec![("i", Value::Int(9223372036854775807))])
}

fn data_go_fmt_printf_139() -> Value {
    map(vec![("i", Value::Int(i64::MIN))])
}

fn data_go_fmt_printf_140() -> Value {
    map(vec![("i", Value::Int(1000000))])
}

fn data_go_fmt_printf_141() -> Value {
    map(vec![("i", Value::Int(7))])
}

fn data_go_fmt_printf_142() -> Value {
    map(vec![("i", Value::Int(65))])
}

fn data_go_fmt_printf_143() -> Value {
    map(vec![("i", Value::Int(9786))])
}

fn data_go_fmt_printf_144() -> Value {
    map(vec![("s", Value::str(""))])
}

fn data_go_fmt_printf_145() -> Value {
    map(vec![("s", Value::str("a"))])
}

fn data_go_fmt_printf_146() -> Value {
    map(vec![("s", Value::str("hello"))])
}

fn data_go_fmt_printf_147() -> Value {
    map(vec![("s", Value::str("héllo wörld"))])
}

fn data_go_fmt_printf_148() -> Value {
    map(vec![("s", Value::str("tab\there"))])
}

fn data_go_fmt_printf_149() -> Value {
    map(vec![("s", Value::str("quote\"s"))])
}

fn data_go_fmt_printf_150() -> Value {
    map(vec![("s", Value::str("back`tick"))])
}

fn data_go_fmt_printf_151() -> Value {
    map(vec![("s", Value::str(" nbsp"))])
}

fn data_go_fmt_printf_152() -> Value {
    map(vec![("s", Value::str("emoji☺"))])
}

fn data_go_fmt_printf_153() -> Value {
    map(vec![("s", Value::str("a\u{1}b"))])
}

fn data_go_fmt_printf_154() -> Value {
    map(vec![("s", Value::str("\u{200b}"))])
}

#[test]
fn go_fmt_printf() {
    let cases = [
        GoCase { prefix: "", tmpl: "{{printf \"%8.3f|%010.4f|%#g|%.3e|%x|%#.2x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_0, opts: &[], name: "", exec: "", out: "   0.000|00000.0000|0.00000|0.000e+00|0x0p+00|0x0.00p+00 0 0", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.0e|%#g|%#.3e|%8.3f|%b|%.0f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_1, opts: &[], name: "", exec: "", out: "-0e+00|-0.00000|-0.000e+00|  -0.000|-0p-1074|-0 -0 -0", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%f|%#.0f|%X|%-10.2e|%.20f|%010.4f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_2, opts: &[], name: "", exec: "", out: "1.000000|1.|0X1P+00|1.00e+00  |1.00000000000000000000|00001.0000 1 1", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%b|%.4g|%#.3e|%.0f|%#g|%X\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_3, opts: &[], name: "", exec: "", out: "7205759403792794p-56|0.1|1.000e-01|0|0.100000|0X1.999999999999AP-04 0.1 0.1", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%g|%X|%x|%.1f|% .2f|%v\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_4, opts: &[], name: "", exec: "", out: "0.5|0X1P-01|0x1p-01|0.5| 0.50|0.5 0.5 0.5", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.10g|%G|%.0f|%+.3g|% .2f|%#v\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_5, opts: &[], name: "", exec: "", out: "1.5|1.5|2|+1.5| 1.50|1.5 1.5 1.5", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.3e|%f|%.17g|%.20f|%#g|%X\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_6, opts: &[], name: "", exec: "", out: "2.500e+00|2.500000|2.5|2.50000000000000000000|2.50000|0X1.4P+01 2.5 2.5", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.14x|%.2f|%X|%#.3e|%g|%.3e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_7, opts: &[], name: "", exec: "", out: "0x1.e8480000000000p+19|1000000.00|0X1.E848P+19|1.000e+06|1e+06|1.000e+06 1e+06 1e+06", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%E|%#.3e|%g|%x|%f|%#g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_8, opts: &[], name: "", exec: "", out: "1.000000E+21|1.000e+21|1e+21|0x1.b1ae4d6e2ef5p+69|1000000000000000000000.000000|1.00000e+21 1e+21 1e+21", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%X|%g|%x|%10.1x|%e|%-10.2e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_9, opts: &[], name: "", exec: "", out: "0X1.5AF1D78B58C4P+66|1e+20|0x1.5af1d78b58c4p+66| 0x1.6p+66|1.000000e+20|1.00e+20   1e+20 1e+20", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.0e|%E|%#.0f|%.4g|%-10.2e|%#g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_10, opts: &[], name: "", exec: "", out: "1e+08|1.234568E+08|123456789.|1.235e+08|1.23e+08  |1.23456789e+08 1.23456789e+08 1.23456789e+08", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.14x|%+.3g|%#.0f|%#g|%X|%.4g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_11, opts: &[], name: "", exec: "", out: "0x1.4f8b588e368f10p-17|+1e-05|0.|1.00000e-05|0X1.4F8B588E368F1P-17|1e-05 1e-05 1e-05", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%E|%X|%.0f|%8.3f|%f|%10.1x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_12, opts: &[], name: "", exec: "", out: "1.000000E-04|0X1.A36E2EB1C432DP-14|0|   0.000|0.000100| 0x1.ap-14 0.0001 0.0001", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%X|%.0e|%e|%.20f|%.3e|%8.3f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_13, opts: &[], name: "", exec: "", out: "0X1.01F31F46ED246P-13|1e-04|1.230000e-04|0.00012300000000000001|1.230e-04|   0.000 0.000123 0.000123", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.0f|%8.3f|%.20f|%.10g|%.3x|%f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_14, opts: &[], name: "", exec: "", out: "3|   3.142|3.14159265358979000737|3.141592654|0x1.922p+01|3.141593 3.14159265358979 3.14159265358979", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.10g|%#v|%.0f|%.4g|%X|%.14x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_15, opts: &[], name: "", exec: "", out: "9.007199255e+15|9.007199254740992e+15|9007199254740992|9.007e+15|0X1P+53|0x1.00000000000000p+53 9.007199254740992e+15 9.007199254740992e+15", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.0x|%-10.2e|%#v|%f|%E|%+.3g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_16, opts: &[], name: "", exec: "", out: "0x1p+63|9.22e+18  |9.223372036854776e+18|9223372036854775808.000000|9.223372E+18|+9.22e+18 9.223372036854776e+18 9.223372036854776e+18", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.17g|%-10.2e|%.1f|%#.0f|%8.3f|%#g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_17, opts: &[], name: "", exec: "", out: "1e+100|1.00e+100 |10000000000000000159028911097599180468360808563945281389781327557747838772170381060813469985856815104.0|10000000000000000159028911097599180468360808563945281389781327557747838772170381060813469985856815104.|10000000000000000159028911097599180468360808563945281389781327557747838772170381060813469985856815104.000|1.00000e+100 1e+100 1e+100", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.3x|%.20f|%8.3f|%.2f|%G|%.17g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_18, opts: &[], name: "", exec: "", out: "0x1.56ep-997|0.00000000000000000000|   0.000|0.00|1E-300|1e-300 1e-300 1e-300", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.1f|%#v|%v|%.17g|%#.3e|%-10.2e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_19, opts: &[], name: "", exec: "", out: "0.0|5e-324|5e-324|4.9406564584124654e-324|4.941e-324|4.94e-324  5e-324 5e-324", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%X|%g|%E|%.17g|%#g|% .2f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_20, opts: &[], name: "", exec: "", out: "0X1.FFFFFFFFFFFFFP+1023|1.7976931348623157e+308|1.797693E+308|1.7976931348623157e+308|1.7976931348623157e+308| 179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.00 1.7976931348623157e+308 1.7976931348623157e+308", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%010.4f|%.0f|%f|%.0x|%.3x|%.3e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_21, opts: &[], name: "", exec: "", out: "00000.3000|0|0.300000|0x1p-02|0x1.333p-02|3.000e-01 0.3 0.3", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.2f|%.1f|%.4g|%.14x|%g|%x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_22, opts: &[], name: "", exec: "", out: "0.67|0.7|0.6667|0x1.55555555555550p-01|0.6666666666666666|0x1.5555555555555p-01 0.6666666666666666 0.6666666666666666", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%G|%#.3e|%x|%.0f|%b|%8.3f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_23, opts: &[], name: "", exec: "", out: "100|1.000e+02|0x1.9p+06|100|7036874417766400p-46| 100.000 100 100", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%#g|%.3x|%.0f|%#.3e|%10.1x|%010.4f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_24, opts: &[], name: "", exec: "", out: "999.500|0x1.f3cp+09|1000|9.995e+02| 0x1.fp+09|00999.5000 999.5 999.5", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%#.2x|%.0e|%e|%.4g|%g|%.3x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_25, opts: &[], name: "", exec: "", out: "0x1.00p-03|1e-01|1.250000e-01|0.125|0.125|0x1.000p-03 0.125 0.125", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%G|%#x|%X|%e|%.4g|%v\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_26, opts: &[], name: "", exec: "", out: "0.375|0x1.8000p-02|0X1.8P-02|3.750000e-01|0.375|0.375 0.375 0.375", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.1f|%#g|%e|% .2f|%#x|%.3e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_27, opts: &[], name: "", exec: "", out: "1.0|1.00500|1.005000e+00| 1.00|0x1.0147ae147ae14p+00|1.005e+00 1.005 1.005", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.0f|%#g|%#x|%f|%-10.2e|%v\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_28, opts: &[], name: "", exec: "", out: "3|2.67500|0x1.5666666666666p+01|2.675000|2.67e+00  |2.675 2.675 2.675", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.20f|%b|%.0x|%.14x|%.4g|% .2f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_29, opts: &[], name: "", exec: "", out: "1234.56780000000003383320|5429686605511341p-42|0x1p+10|0x1.34a456d5cfaad0p+10|1235| 1234.57 1234.5678 1234.5678", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.4g|%e|%#g|%#.0f|%.3e|%f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_30, opts: &[], name: "", exec: "", out: "-9.877e-08|-9.876540e-08|-9.87654e-08|-0.|-9.877e-08|-0.000000 -9.87654e-08 -9.87654e-08", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.17g|%#g|%g|%.1f|%.2f|%.10g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_31, opts: &[], name: "", exec: "", out: "-698301.65215099615|-698301.6521509961|-698301.6521509961|-698301.7|-698301.65|-698301.6522 -698301.6521509961 -698301.6521509961", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"% .2f|%8.3f|%.10g|%-10.2e|%#g|%.20f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_32, opts: &[], name: "", exec: "", out: " 18899813535896489984.00|18899813535896489984.000|1.889981354e+19|1.89e+19  |1.889981353589649e+19|18899813535896489984.00000000000000000000 1.889981353589649e+19 1.889981353589649e+19", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%G|%#.3e|%10.1x|%.3x|%v|%.4g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_33, opts: &[], name: "", exec: "", out: "3.841898887432159E-237|3.842e-237|0x1.9p-786|0x1.904p-786|3.841898887432159e-237|3.842e-237 3.841898887432159e-237 3.841898887432159e-237", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%e|%v|%#.2x|%#v|%#g|%#.3e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_34, opts: &[], name: "", exec: "", out: "-5.710000e+02|-571|-0x1.1ep+09|-571|-571.000|-5.710e+02 -571 -571", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%E|%.14x|%.3e|%.0x|%-10.2e|%f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_35, opts: &[], name: "", exec: "", out: "-8.602892E+05|-0x1.a41024e4274810p+19|-8.603e+05|-0x1p+20|-8.60e+05 |-860289.152851 -860289.1528507621 -860289.1528507621", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%#x|%#.2x|%#.3e|%b|%X|%E\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_36, opts: &[], name: "", exec: "", out: "0x1.1ddb66cad4a26p-781|0x1.1ep-781|8.780e-236|5028850181163558p-833|0X1.1DDB66CAD4A26P-781|8.779753E-236 8.779753225680271e-236 8.779753225680271e-236", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%10.1x|% .2f|%#.0f|%.2f|%.3e|%.17g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_37, opts: &[], name: "", exec: "", out: "-0x1.8p+09|-752.40|-752.|-752.40|-7.524e+02|-752.39999999999998 -752.4 -752.4", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%E|%.4g|%10.1x|%G|%g|%b\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_38, opts: &[], name: "", exec: "", out: "4.228408E+04|4.228e+04| 0x1.5p+15|42284.08304009588|42284.08304009588|5811480121553922p-37 42284.08304009588 42284.08304009588", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.4g|%v|%e|%.0e|%#v|%10.1x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_39, opts: &[], name: "", exec: "", out: "9.525e+05|952510.2111858402|9.525102e+05|1e+06|952510.2111858402| 0x1.dp+19 952510.2111858402 952510.2111858402", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%#x|%.17g|%g|%e|%.20f|%b\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_40, opts: &[], name: "", exec: "", out: "0x1.7beaddbc496cbp-478|1.9015657400796622e-144|1.9015657400796622e-144|1.901566e-144|0.00000000000000000000|6683578390058699p-530 1.9015657400796622e-144 1.9015657400796622e-144", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%x|%010.4f|% .2f|%.3e|%#.0f|%.10g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_41, opts: &[], name: "", exec: "", out: "-0x1.a63ec24ede6a4p-857|-0000.0000|-0.00|-1.716e-258|-0.|-1.716399673e-258 -1.7163996725272777e-258 -1.7163996725272777e-258", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%e|%.0x|%.1f|%.14x|%.4g|%-10.2e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_42, opts: &[], name: "", exec: "", out: "-2.281833e-234|-0x1p-776|-0.0|-0x1.d05584ef8aa380p-777|-2.282e-234|-2.28e-234 -2.2818334634712625e-234 -2.2818334634712625e-234", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%v|%#g|%G|%.17g|%#.3e|%.0x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_43, opts: &[], name: "", exec: "", out: "-638.5472|-638.5472|-638.5472|-638.54719999999998|-6.385e+02|-0x1p+09 -638.5472 -638.5472", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%+.3g|%e|%.14x|%X|%.10g|%.2f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_44, opts: &[], name: "", exec: "", out: "-6.24e+05|-6.242579e+05|-0x1.30d03e491e93a0p+19|-0X1.30D03E491E93AP+19|-624257.9464|-624257.95 -624257.9464257129 -624257.9464257129", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%#.0f|%G|%v|%.17g|%E|%e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_45, opts: &[], name: "", exec: "", out: "0.|3.0496182610151205E-231|3.0496182610151205e-231|3.0496182610151205e-231|3.049618E-231|3.049618e-231 3.0496182610151205e-231 3.0496182610151205e-231", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.14x|%#.3e|%#g|%.0e|%.2f|%.3e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_46, opts: &[], name: "", exec: "", out: "0x1.d0e197da38d680p+17|2.380e+05|238019.18634710764|2e+05|238019.19|2.380e+05 238019.18634710764 238019.18634710764", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%10.1x|%v|%e|%.4g|%b|%.14x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_47, opts: &[], name: "", exec: "", out: " 0x1.fp+15|63440.493160371436|6.344049e+04|6.344e+04|8719194987709024p-37|0x1.efa0fc7f842600p+15 63440.493160371436 63440.493160371436", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.10g|%.3x|%010.4f|%g|%E|%v\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_48, opts: &[], name: "", exec: "", out: "-136054.1553|-0x1.09cp+17|-136054.1553|-136054.15534029878|-1.360542E+05|-136054.15534029878 -136054.15534029878 -136054.15534029878", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"% .2f|%10.1x|%.0e|%.3e|%e|%010.4f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_49, opts: &[], name: "", exec: "", out: "-400466.01|-0x1.8p+18|-4e+05|-4.005e+05|-4.004660e+05|-400466.0063 -400466.0062726353 -400466.0062726353", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.10g|%x|%#.2x|%.17g|%#v|%+.3g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_50, opts: &[], name: "", exec: "", out: "8.152684722e-26|0x1.93b38e8b35fe7p-84|0x1.94p-84|8.1526847218849692e-26|8.152684721884969e-26|+8.15e-26 8.152684721884969e-26 8.152684721884969e-26", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.10g|%010.4f|%#v|% .2f|%.0e|%.0f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_51, opts: &[], name: "", exec: "", out: "-9767.280889|-9767.2809|-9767.280889488873|-9767.28|-1e+04|-9767 -9767.280889488873 -9767.280889488873", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%e|%#x|%#v|%#.0f|%.3x|%#g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_52, opts: &[], name: "", exec: "", out: "-1.023316e+05|-0x1.8fbb9e803f8f8p+16|-102331.6191444135|-102332.|-0x1.8fcp+16|-102331.6191444135 -102331.6191444135 -102331.6191444135", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.4g|%g|%b|%.20f|%010.4f|%.3x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_53, opts: &[], name: "", exec: "", out: "1.213e-23|1.2132399299399691e-23|8256883100059325p-129|0.00000000000000000000|00000.0000|0x1.d56p-77 1.2132399299399691e-23 1.2132399299399691e-23", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%-10.2e|%.1f|%v|%g|%.0f|%.0e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_54, opts: &[], name: "", exec: "", out: "5.14e+05  |514281.9|514281.8591304987|514281.8591304987|514282|5e+05 514281.8591304987 514281.8591304987", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%#v|%.2f|%E|%b|%-10.2e|%#.3e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_55, opts: &[], name: "", exec: "", out: "1.0743030475716402e+212|107430304757164022845164721166561584442605060483634240786138556086989837817951195982349048141420317990660144726586371571187423933826666742024684191707343916898395356214607574688104535932342664224080444422369574912.00|1.074303E+212|5748699861659522p+652|1.07e+212 |1.074e+212 1.0743030475716402e+212 1.0743030475716402e+212", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%f|%g|%.0e|%#.3e|%.20f|%.3e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_56, opts: &[], name: "", exec: "", out: "0.000000|5.743310614918485e-213|6e-213|5.743e-213|0.00000000000000000000|5.743e-213 5.743310614918485e-213 5.743310614918485e-213", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%#.2x|%#g|%v|%-10.2e|%.3x|%e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_57, opts: &[], name: "", exec: "", out: "-0x1.19p-32|-2.5547107264648264e-10|-2.5547107264648264e-10|-2.55e-10 |-0x1.18ep-32|-2.554711e-10 -2.5547107264648264e-10 -2.5547107264648264e-10", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%10.1x|%.1f|%.20f|%#g|%e|%#v\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_58, opts: &[], name: "", exec: "", out: "-0x1.ap+12|-6650.4|-6650.40940202481579035521|-6650.409402024816|-6.650409e+03|-6650.409402024816 -6650.409402024816 -6650.409402024816", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.14x|%#g|%.3x|%e|%#x|%.4g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_59, opts: &[], name: "", exec: "", out: "0x1.b1ceba4fa14cb0p+67|2.5007301531837225e+20|0x1.b1dp+67|2.500730e+20|0x1.b1ceba4fa14cbp+67|2.501e+20 2.5007301531837225e+20 2.5007301531837225e+20", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%+.3g|%8.3f|%.3e|%#v|%.0e|%-10.2e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_60, opts: &[], name: "", exec: "", out: "-52| -52.000|-5.200e+01|-52|-5e+01|-5.20e+01  -52 -52", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%#.2x|%x|%e|%+.3g|%.20f|%.10g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_61, opts: &[], name: "", exec: "", out: "0x1.27p+245|0x1.26dcbb394fb36p+245|6.512206e+73|+6.51e+73|65122058598344157340863641466812977587348936311696670644564284643259449344.00000000000000000000|6.51220586e+73 6.512205859834416e+73 6.512205859834416e+73", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%e|%E|%10.1x|% .2f|%.0f|%.17g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_62, opts: &[], name: "", exec: "", out: "-1.190507e-13|-1.190507E-13|-0x1.1p-43|-0.00|-0|-1.1905069241088893e-13 -1.1905069241088893e-13 -1.1905069241088893e-13", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%#g|% .2f|%#.2x|%010.4f|%.0f|%v\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_63, opts: &[], name: "", exec: "", out: "337305.4317683764| 337305.43|0x1.49p+18|337305.4318|337305|337305.4317683764 337305.4317683764 337305.4317683764", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.14x|%f|%+.3g|%.4g|%.20f|%#.2x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_64, opts: &[], name: "", exec: "", out: "0x1.fb2297631a9920p+432|21970596639627998983112444009263428947938271422951832711378544297541777756904387249411703511354010539534034982884471958536938586112.000000|+2.2e+130|2.197e+130|21970596639627998983112444009263428947938271422951832711378544297541777756904387249411703511354010539534034982884471958536938586112.00000000000000000000|0x1.fbp+432 2.1970596639628e+130 2.1970596639628e+130", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%8.3f|%#.2x|%.10g|%#.0f|%#g|%.14x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_65, opts: &[], name: "", exec: "", out: "6249646571111859263345868434025750797161567291325467733016168850516190465815065703726065413589093257437011898449497026765909321091340286420851443054015932757886286032004340137260408299533501597846940612774238145404605993649695622476295665232670393337397647708144319376165422697709098973788225469939712.000|0x1.2bp+999|6.249646571e+300|6249646571111859263345868434025750797161567291325467733016168850516190465815065703726065413589093257437011898449497026765909321091340286420851443054015932757886286032004340137260408299533501597846940612774238145404605993649695622476295665232670393337397647708144319376165422697709098973788225469939712.|6.249646571111859e+300|0x1.2aa0a1df9fd780p+999 6.249646571111859e+300 6.249646571111859e+300", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.0x|%10.1x|%-10.2e|%x|%f|%#.3e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_66, opts: &[], name: "", exec: "", out: "0x1p+154|0x1.5p+154|3.02e+46  |0x1.52399c4aaeac1p+154|30170681842882087223477974170615596610232516608.000000|3.017e+46 3.0170681842882087e+46 3.0170681842882087e+46", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%E|% .2f|%e|%.0x|%+.3g|%v\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_67, opts: &[], name: "", exec: "", out: "4.750750E+182| 475075020475098489485888725296789298687831586604720327820601363561680062858524257271866463576336675802581084520724794677475454381000705432723904399360683581086266311586745717033533440.00|4.750750e+182|0x1p+607|+4.75e+182|4.750750204750985e+182 4.750750204750985e+182 4.750750204750985e+182", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%010.4f|%.0x|%e|%b|%#g|%-10.2e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_68, opts: &[], name: "", exec: "", out: "742843.9483|0x1p+19|7.428439e+05|6380980927552856p-33|742843.9482525988|7.43e+05   742843.9482525988 742843.9482525988", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%#.3e|%x|%.2f|%.0x|%.14x|%e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_69, opts: &[], name: "", exec: "", out: "1.975e+187|0x1.2287672fdf202p+622|19751801151887592023759922150794927823220505765813669262439443166490992890335734335641586238525495732684693015811690356655140964553232031676658587394810297809551178749480476701419150245888.00|0x1p+622|0x1.2287672fdf2020p+622|1.975180e+187 1.9751801151887592e+187 1.9751801151887592e+187", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.1f|%.10g|%#v|%#g|%.4g|%G\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_70, opts: &[], name: "", exec: "", out: "766767.7|766767.6529|766767.6528830249|766767.6528830249|7.668e+05|766767.6528830249 766767.6528830249 766767.6528830249", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.4g|%#.3e|%X|%f|%#.0f|%G\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_71, opts: &[], name: "", exec: "", out: "728|7.280e+02|0X1.6BFC28F5C28F6P+09|727.970000|728.|727.97 727.97 727.97", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%-10.2e|%#.2x|%X|%.14x|%+.3g|%E\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_72, opts: &[], name: "", exec: "", out: "-9.19e+10 |-0x1.56p+36|-0X1.56686768939ECP+36|-0x1.56686768939ec0p+36|-9.19e+10|-9.191440E+10 -9.191440141722626e+10 -9.191440141722626e+10", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%g|%.17g|%v|%+.3g|%.20f|%-10.2e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_73, opts: &[], name: "", exec: "", out: "-538496.9837826357|-538496.98378263565|-538496.9837826357|-5.38e+05|-538496.98378263565246015787|-5.38e+05  -538496.9837826357 -538496.9837826357", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.3x|% .2f|%#v|%.0f|%8.3f|%G\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_74, opts: &[], name: "", exec: "", out: "0x1.186p-73| 0.00|1.159723123546231e-22|0|   0.000|1.159723123546231E-22 1.159723123546231e-22 1.159723123546231e-22", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%x|%.0e|%f|%b|%.17g|%v\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_75, opts: &[], name: "", exec: "", out: "0x1.0080f7da221e8p-03|1e-01|0.125246|4512462252679656p-55|0.12524598726692138|0.12524598726692138 0.12524598726692138 0.12524598726692138", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.0e|%.20f|%b|%E|%f|%.2f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_76, opts: &[], name: "", exec: "", out: "-5e+05|-474506.76140292407944798470|-8151964087825736p-34|-4.745068E+05|-474506.761403|-474506.76 -474506.7614029241 -474506.7614029241", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%v|%010.4f|%.4g|%G|%e|%E\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_77, opts: &[], name: "", exec: "", out: "-5.224362650831876e-266|-0000.0000|-5.224e-266|-5.224362650831876E-266|-5.224363e-266|-5.224363E-266 -5.224362650831876e-266 -5.224362650831876e-266", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%x|%.0f|%G|%.0x|%8.3f|%10.1x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_78, opts: &[], name: "", exec: "", out: "0x1.03253944d2758p+17|132682|132682.44741278398|0x1p+17|132682.447| 0x1.0p+17 132682.44741278398 132682.44741278398", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%#.3e|%f|%.4g|%#.2x|%g|%b\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_79, opts: &[], name: "", exec: "", out: "3.810e+02|380.987300|381|0x1.7dp+08|380.9873|6702399462159732p-44 380.9873 380.9873", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%010.4f|%.10g|%.3e|%.4g|%8.3f|%#g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_80, opts: &[], name: "", exec: "", out: "00310.0000|310|3.100e+02|310| 310.000|310.000 310 310", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.0e|%E|%x|%G|%.3x|%8.3f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_81, opts: &[], name: "", exec: "", out: "7e+05|7.419590E+05|0x1.6a48e012f80bep+19|741959.0023155434|0x1.6a5p+19|741959.002 741959.0023155434 741959.0023155434", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%g|%.3x|%.0x|%X|%#.3e|%.14x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_82, opts: &[], name: "", exec: "", out: "361.1502|0x1.692p+08|0x1p+08|0X1.69267381D7DBFP+08|3.612e+02|0x1.69267381d7dbf0p+08 361.1502 361.1502", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%8.3f|%.1f|%g|%.0x|%#v|%10.1x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_83, opts: &[], name: "", exec: "", out: "-202042.335|-202042.3|-202042.33535945404|-0x1p+18|-202042.33535945404|-0x1.9p+17 -202042.33535945404 -202042.33535945404", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%X|%.4g|%.0e|%#x|%.10g|%+.3g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_84, opts: &[], name: "", exec: "", out: "0X1.36886A260CD0BP+617|6.597e+185|7e+185|0x1.36886a260cd0bp+617|6.597432205e+185|+6.6e+185 6.597432204635068e+185 6.597432204635068e+185", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%f|%.4g|%.1f|%+.3g|%8.3f|%.17g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_85, opts: &[], name: "", exec: "", out: "-46718988207962918319376313795856977986432509827617959585277953813280438990003945326416411307828922192855616713528710126705591789081336307826873633332852335397339739896520089050708661618802853648678986002741176282695234133517413681476101018941419471087665757854292786748143841867855076261888.000000|-4.672e+289|-46718988207962918319376313795856977986432509827617959585277953813280438990003945326416411307828922192855616713528710126705591789081336307826873633332852335397339739896520089050708661618802853648678986002741176282695234133517413681476101018941419471087665757854292786748143841867855076261888.0|-4.67e+289|-46718988207962918319376313795856977986432509827617959585277953813280438990003945326416411307828922192855616713528710126705591789081336307826873633332852335397339739896520089050708661618802853648678986002741176282695234133517413681476101018941419471087665757854292786748143841867855076261888.000|-4.6718988207962918e+289 -4.671898820796292e+289 -4.671898820796292e+289", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%010.4f|% .2f|%.4g|%#v|%.0x|%.0e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_86, opts: &[], name: "", exec: "", out: "00000.0000| 0.00|4.096e-173|4.0960622500000236e-173|0x1p-573|4e-173 4.0960622500000236e-173 4.0960622500000236e-173", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%#g|%.3x|%.0e|%.3e|%.10g|%+.3g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_87, opts: &[], name: "", exec: "", out: "-894848.7922194661|-0x1.b4fp+19|-9e+05|-8.948e+05|-894848.7922|-8.95e+05 -894848.7922194661 -894848.7922194661", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.3x|%.3e|%.1f|%.0e|%.14x|%e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_88, opts: &[], name: "", exec: "", out: "-0x1.fd8p-874|-1.580e-263|-0.0|-2e-263|-0x1.fd7b326b94c7f0p-874|-1.580054e-263 -1.5800543282391385e-263 -1.5800543282391385e-263", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%8.3f|%#.2x|%#.3e|%.3e|%-10.2e|%.17g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_89, opts: &[], name: "", exec: "", out: "  -0.000|-0x1.dep-558|-1.980e-168|-1.980e-168|-1.98e-168|-1.979700384530873e-168 -1.979700384530873e-168 -1.979700384530873e-168", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%X|%#x|%.0f|%#.3e|%.2f|%.3e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_90, opts: &[], name: "", exec: "", out: "0X1.C631CDFD43F37P-172|0x1.c631cdfd43f37p-172|0|2.964e-52|0.00|2.964e-52 2.9637577225244357e-52 2.9637577225244357e-52", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.1f|%G|%.17g|%#.3e|%e|%.14x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_91, opts: &[], name: "", exec: "", out: "116031180.8|1.1603118083666174E+08|116031180.83666174|1.160e+08|1.160312e+08|0x1.ba9fb3358bddb0p+26 1.1603118083666174e+08 1.1603118083666174e+08", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%+.3g|%#v|%.4g|%.3x|%010.4f|%.2f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_92, opts: &[], name: "", exec: "", out: "+205|204.558|204.6|0x1.992p+07|00204.5580|204.56 204.558 204.558", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%g|%b|%E|%8.3f|%#v|%#g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_93, opts: &[], name: "", exec: "", out: "7.19616430630608e+293|5074404427165222p+924|7.196164E+293|719616430630607997194349634250274295235554632066283327313465827381986923265833239506256114096193681638214364013390843045576258194521346953806951475296553653683187047847711091369632728350492029801947139769368984397300182767693096699196558975058339281184000126193199714006553795089626375443709952.000|7.19616430630608e+293|7.19616430630608e+293 7.19616430630608e+293 7.19616430630608e+293", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%8.3f|%x|%.4g|%.17g|%#.2x|%g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_94, opts: &[], name: "", exec: "", out: " -68.021|-0x1.1015810624dd3p+06|-68.02|-68.021000000000001|-0x1.10p+06|-68.021 -68.021 -68.021", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%#.2x|%#.3e|%010.4f|%G|%.0f|%.20f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_95, opts: &[], name: "", exec: "", out: "-0x1.5cp+19|-7.118e+05|-711765.0196|-711765.0195630251|-711765|-711765.01956302509643137455 -711765.0195630251 -711765.0195630251", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%10.1x|%8.3f|%e|%.4g|%X|%.3e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_96, opts: &[], name: "", exec: "", out: "-0x1.bp-05|  -0.052|-5.215748e-02|-0.05216|-0X1.AB462A869E4D6P-05|-5.216e-02 -0.05215748124914803 -0.05215748124914803", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%x|%.3x|%.0e|%-10.2e|%8.3f|%.10g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_97, opts: &[], name: "", exec: "", out: "0x1.2f538a6928697p-59|0x1.2f5p-59|2e-18|2.06e-18  |   0.000|2.055419167e-18 2.0554191671898523e-18 2.0554191671898523e-18", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%g|%.4g|%10.1x|%8.3f|%#.0f|%x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_98, opts: &[], name: "", exec: "", out: "-276.4951|-276.5|-0x1.1p+08|-276.495|-276.|-0x1.147ebedfa43fep+08 -276.4951 -276.4951", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.14x|%#.2x|%v|%e|%E|%b\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_99, opts: &[], name: "", exec: "", out: "0x1.02251eb851eb80p+09|0x1.02p+09|516.29|5.162900e+02|5.162900E+02|4541334866435768p-43 516.29 516.29", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.0x|%X|%.3e|%.3x|%f|%.14x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_100, opts: &[], name: "", exec: "", out: "0x1p+09|0X1.6B53333333333P+09|7.266e+02|0x1.6b5p+09|726.650000|0x1.6b533333333330p+09 726.65 726.65", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.10g|%10.1x|%#g|%.20f|%f|%b\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_101, opts: &[], name: "", exec: "", out: "816517.0873| 0x1.9p+19|816517.0873260801|816517.08732608007267117500|816517.087326|7013828373381380p-33 816517.0873260801 816517.0873260801", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.0x|%.1f|%#.3e|%x|%g|%v\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_102, opts: &[], name: "", exec: "", out: "-0x1p+19|-554414.5|-5.544e+05|-0x1.0eb5cf9cca7cep+19|-554414.4878895225|-554414.4878895225 -554414.4878895225 -554414.4878895225", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.4g|%-10.2e|%010.4f|%.0x|%g|%.0e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_103, opts: &[], name: "", exec: "", out: "5394|5.39e+03  |05394.0465|0x1p+12|5394.046450629714|5e+03 5394.046450629714 5394.046450629714", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"% .2f|%.4g|%.0e|%#.2x|%#g|%.14x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_104, opts: &[], name: "", exec: "", out: " 2315874853985614848.00|2.316e+18|2e+18|0x1.01p+61|2.315874853985615e+18|0x1.011d1f470093e0p+61 2.315874853985615e+18 2.315874853985615e+18", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%#x|%.3e|%f|%e|%.10g|%#g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_105, opts: &[], name: "", exec: "", out: "0x1.dfb3333333333p+08|4.797e+02|479.700000|4.797000e+02|479.7|479.700 479.7 479.7", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%E|%x|%.4g|%.3e|%.3x|% .2f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_106, opts: &[], name: "", exec: "", out: "3.070275E+130|0x1.6258e7e26f36ap+433|3.07e+130|3.070e+130|0x1.626p+433| 30702749606219453300426429856995548778920164217309654077906247418951888538582459731152473346334731314046348439809796164316244738048.00 3.0702749606219453e+130 3.0702749606219453e+130", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%v|%10.1x|%#.3e|%.10g|%-10.2e|%.4g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_107, opts: &[], name: "", exec: "", out: "2.5518091944740054e+17| 0x1.cp+57|2.552e+17|2.551809194e+17|2.55e+17  |2.552e+17 2.5518091944740054e+17 2.5518091944740054e+17", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.0e|%+.3g|%#.2x|%#g|%.3e|%#.3e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_108, opts: &[], name: "", exec: "", out: "-6e+05|-6.13e+05|-0x1.2bp+19|-612710.1079743813|-6.127e+05|-6.127e+05 -612710.1079743813 -612710.1079743813", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%+.3g|%g|%.14x|%8.3f|%#.0f|%.0e\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_109, opts: &[], name: "", exec: "", out: "-0.000682|-0.0006818057601701938|-0x1.65766b8988c570p-11|  -0.001|-0.|-7e-04 -0.0006818057601701938 -0.0006818057601701938", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"% .2f|%f|%v|%.2f|%+.3g|%.20f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_110, opts: &[], name: "", exec: "", out: " 976.08|976.080000|976.08|976.08|+976|976.08000000000004092726 976.08 976.08", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%b|%.1f|%.4g|%.3e|%.20f|%8.3f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_111, opts: &[], name: "", exec: "", out: "5226511781525641p-146|0.0|5.859e-29|5.859e-29|0.00000000000000000000|   0.000 5.859122346581956e-29 5.859122346581956e-29", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%#v|%-10.2e|%+.3g|%g|%#.0f|%.17g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_112, opts: &[], name: "", exec: "", out: "-324525.04032293917|-3.25e+05 |-3.25e+05|-324525.04032293917|-324525.|-324525.04032293917 -324525.04032293917 -324525.04032293917", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%b|%#v|%.20f|%E|%.2f|%v\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_113, opts: &[], name: "", exec: "", out: "8336514291239466p-33|970497.9941294838|970497.99412948382087051868|9.704980E+05|970497.99|970497.9941294838 970497.9941294838 970497.9941294838", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%010.4f|%.0f|%.2f|%+.3g|%.14x|%.10g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_114, opts: &[], name: "", exec: "", out: "00000.0587|0|0.06|+0.0587|0x1.e09cedf895c610p-05|0.05866857985 0.05866857985227437 0.05866857985227437", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%E|%-10.2e|%#.2x|%.3e|%.4g|%x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_115, opts: &[], name: "", exec: "", out: "1.199302E+20|1.20e+20  |0x1.a0p+66|1.199e+20|1.199e+20|0x1.a01764b7aee41p+66 1.1993017513727336e+20 1.1993017513727336e+20", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%010.4f|%.2f|%.14x|% .2f|%+.3g|%.0x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_116, opts: &[], name: "", exec: "", out: "-14293026519961527793630509039688662122496.0000|-14293026519961527793630509039688662122496.00|-0x1.50070637714070p+133|-14293026519961527793630509039688662122496.00|-1.43e+40|-0x1p+133 -1.4293026519961528e+40 -1.4293026519961528e+40", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%G|%-10.2e|%+.3g|%8.3f|%.20f|%g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_117, opts: &[], name: "", exec: "", out: "0.04808002398444037|4.81e-02  |+0.0481|   0.048|0.04808002398444036901|0.04808002398444037 0.04808002398444037 0.04808002398444037", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.10g|%.3x|%g|%.2f|%v|% .2f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_118, opts: &[], name: "", exec: "", out: "-3.699383548e-141|-0x1.68ep-467|-3.6993835478682605e-141|-0.00|-3.6993835478682605e-141|-0.00 -3.6993835478682605e-141 -3.6993835478682605e-141", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.10g|%b|%g|%#.0f|%.14x|%.1f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_119, opts: &[], name: "", exec: "", out: "601647.1378|5168109561109164p-33|601647.1377933822|601647.|0x1.25c5e468cdaac0p+19|601647.1 601647.1377933822 601647.1377933822", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.3x|%X|%#.2x|%#.0f|%.14x|%.17g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_120, opts: &[], name: "", exec: "", out: "-0x1.a0ap+07|-0X1.A0A5604189375P+07|-0x1.a1p+07|-208.|-0x1.a0a56041893750p+07|-208.32300000000001 -208.323 -208.323", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.3e|%.1f|%.0x|%#.2x|%.17g|%.2f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_121, opts: &[], name: "", exec: "", out: "3.076e+13|30755297902643.6|0x1p+45|0x1.c0p+44|30755297902643.613|30755297902643.61 3.0755297902643613e+13 3.0755297902643613e+13", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%G|%.0x|%g|%.10g|%.20f|%#v\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_122, opts: &[], name: "", exec: "", out: "1.0629542477011113E-274|0x1p-910|1.0629542477011113e-274|1.062954248e-274|0.00000000000000000000|1.0629542477011113e-274 1.0629542477011113e-274 1.0629542477011113e-274", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%x|%#v|%.17g|%-10.2e|%.1f|%f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_123, opts: &[], name: "", exec: "", out: "0x1.16e9ee7a46309p+883|7.026130324622278e+265|7.0261303246222784e+265|7.03e+265 |70261303246222783957445982335286838146133993217607777706044578769020202983630468223782959003034573880133775191687601123566845678235644534906788940725599121012367337577249144575277850986629540234187392167769086222159417350454904436522039791059137836965339480230723584.0|70261303246222783957445982335286838146133993217607777706044578769020202983630468223782959003034573880133775191687601123566845678235644534906788940725599121012367337577249144575277850986629540234187392167769086222159417350454904436522039791059137836965339480230723584.000000 7.026130324622278e+265 7.026130324622278e+265", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%v|%.1f|%.4g|%e|%G|%8.3f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_124, opts: &[], name: "", exec: "", out: "-707.6514|-707.7|-707.7|-7.076514e+02|-707.6514|-707.651 -707.6514 -707.6514", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.3e|%8.3f|%E|%G|%x|%b\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_125, opts: &[], name: "", exec: "", out: "3.145e+02| 314.540|3.145400E+02|314.54|0x1.3a8a3d70a3d71p+08|5533446198410609p-44 314.54 314.54", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"% .2f|%#x|%e|%g|%#.0f|%+.3g\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_126, opts: &[], name: "", exec: "", out: " 0.00|0x1.8287e8c5c715fp-487|3.778647e-147|3.7786473232507753e-147|0.|+3.78e-147 3.7786473232507753e-147 3.7786473232507753e-147", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%E|%#v|%#.3e|%.0x|%-10.2e|%.2f\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_127, opts: &[], name: "", exec: "", out: "-4.777216E+272|-4.7772162810011576e+272|-4.777e+272|-0x1p+906|-4.78e+272|-477721628100115762776854147433495609541173241883855269419378476213691067083684470958023821753491455244719999726144990122186202207601726654532216373140509827798194990516546325509014250556781841075260305300133769182516973218962562377289066201643309225856956841621464159354880.00 -4.7772162810011576e+272 -4.7772162810011576e+272", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%.0e|%#v|%#.2x|%X|%+.3g|%v\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_128, opts: &[], name: "", exec: "", out: "4e+01|39.342579035014715|0x1.3bp+05|0X1.3ABD9A13BD77BP+05|+39.3|39.342579035014715 39.342579035014715 39.342579035014715", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%b|%+.3g|%.3x|%.0e|%x|%E\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_129, opts: &[], name: "", exec: "", out: "-4658410864561357p-45|-132|-0x1.08dp+07|-1e+02|-0x1.08ccccccccccdp+07|-1.324000E+02 -132.4 -132.4", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%e|%x|%g|%-10.2e|%10.1x|%.3x\" .f .f .f .f .f .f}} {{.f}} {{print .f}}", data: data_go_fmt_printf_130, opts: &[], name: "", exec: "", out: "-5.779200e+02|-0x1.20f5c28f5c28fp+09|-577.92|-5.78e+02 |-0x1.2p+09|-0x1.20fp+09 -577.92 -577.92", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%d|%5d|%-5d||%05d|%+d|% d|%x|%X|%#x|%o|%#o|%O|%b|%#b|%.3d|%8.3d|%c|%q|%U|%#U|%v|%08b|%+.5d|%x|%-#8x||%s|%t|%f\" .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i}} {{.i}}", data: data_go_fmt_printf_131, opts: &[], name: "", exec: "", out: "0|    0|0    ||00000|+0| 0|0|0|0x0|0|0|0o0|0|0b0|000|     000|\u{0}|'\\x00'|U+0000|U+0000|0|00000000|+00000|0|0x0     ||%!s(int=0)|%!t(int=0)|%!f(int=0) 0", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%d|%5d|%-5d||%05d|%+d|% d|%x|%X|%#x|%o|%#o|%O|%b|%#b|%.3d|%8.3d|%c|%q|%U|%#U|%v|%08b|%+.5d|%x|%-#8x||%s|%t|%f\" .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i}} {{.i}}", data: data_go_fmt_printf_132, opts: &[], name: "", exec: "", out: "1|    1|1    ||00001|+1| 1|1|1|0x1|1|01|0o1|1|0b1|001|     001|\u{1}|'\\x01'|U+0001|U+0001|1|00000001|+00001|1|0x1     ||%!s(int=1)|%!t(int=1)|%!f(int=1) 1", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%d|%5d|%-5d||%05d|%+d|% d|%x|%X|%#x|%o|%#o|%O|%b|%#b|%.3d|%8.3d|%c|%q|%U|%#U|%v|%08b|%+.5d|%x|%-#8x||%s|%t|%f\" .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i}} {{.i}}", data: data_go_fmt_printf_133, opts: &[], name: "", exec: "", out: "-1|   -1|-1   ||-0001|-1|-1|-1|-1|-0x1|-1|-01|-0o1|-1|-0b1|-001|    -001|�|'�'|U+FFFFFFFFFFFFFFFF|U+FFFFFFFFFFFFFFFF|-1|-0000001|-00001|-1|-0x1    ||%!s(int=-1)|%!t(int=-1)|%!f(int=-1) -1", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%d|%5d|%-5d||%05d|%+d|% d|%x|%X|%#x|%o|%#o|%O|%b|%#b|%.3d|%8.3d|%c|%q|%U|%#U|%v|%08b|%+.5d|%x|%-#8x||%s|%t|%f\" .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i}} {{.i}}", data: data_go_fmt_printf_134, opts: &[], name: "", exec: "", out: "42|   42|42   ||00042|+42| 42|2a|2A|0x2a|52|052|0o52|101010|0b101010|042|     042|*|'*'|U+002A|U+002A '*'|42|00101010|+00042|2a|0x2a    ||%!s(int=42)|%!t(int=42)|%!f(int=42) 42", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%d|%5d|%-5d||%05d|%+d|% d|%x|%X|%#x|%o|%#o|%O|%b|%#b|%.3d|%8.3d|%c|%q|%U|%#U|%v|%08b|%+.5d|%x|%-#8x||%s|%t|%f\" .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i}} {{.i}}", data: data_go_fmt_printf_135, opts: &[], name: "", exec: "", out: "-42|  -42|-42  ||-0042|-42|-42|-2a|-2A|-0x2a|-52|-052|-0o52|-101010|-0b101010|-042|    -042|�|'�'|U+FFFFFFFFFFFFFFD6|U+FFFFFFFFFFFFFFD6|-42|-0101010|-00042|-2a|-0x2a   ||%!s(int=-42)|%!t(int=-42)|%!f(int=-42) -42", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%d|%5d|%-5d||%05d|%+d|% d|%x|%X|%#x|%o|%#o|%O|%b|%#b|%.3d|%8.3d|%c|%q|%U|%#U|%v|%08b|%+.5d|%x|%-#8x||%s|%t|%f\" .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i}} {{.i}}", data: data_go_fmt_printf_136, opts: &[], name: "", exec: "", out: "255|  255|255  ||00255|+255| 255|ff|FF|0xff|377|0377|0o377|11111111|0b11111111|255|     255|ÿ|'ÿ'|U+00FF|U+00FF 'ÿ'|255|11111111|+00255|ff|0xff    ||%!s(int=255)|%!t(int=255)|%!f(int=255) 255", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%d|%5d|%-5d||%05d|%+d|% d|%x|%X|%#x|%o|%#o|%O|%b|%#b|%.3d|%8.3d|%c|%q|%U|%#U|%v|%08b|%+.5d|%x|%-#8x||%s|%t|%f\" .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i}} {{.i}}", data: data_go_fmt_printf_137, opts: &[], name: "", exec: "", out: "65535|65535|65535||65535|+65535| 65535|ffff|FFFF|0xffff|177777|0177777|0o177777|1111111111111111|0b1111111111111111|65535|   65535|￿|'\\uffff'|U+FFFF|U+FFFF|65535|1111111111111111|+65535|ffff|0xffff  ||%!s(int=65535)|%!t(int=65535)|%!f(int=65535) 65535", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%d|%5d|%-5d||%05d|%+d|% d|%x|%X|%#x|%o|%#o|%O|%b|%#b|%.3d|%8.3d|%c|%q|%U|%#U|%v|%08b|%+.5d|%x|%-#8x||%s|%t|%f\" .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i}} {{.i}}", data: data_go_fmt_printf_138, opts: &[], name: "", exec: "", out: "9223372036854775807|9223372036854775807|9223372036854775807||9223372036854775807|+9223372036854775807| 9223372036854775807|7fffffffffffffff|7FFFFFFFFFFFFFFF|0x7fffffffffffffff|777777777777777777777|0777777777777777777777|0o777777777777777777777|111111111111111111111111111111111111111111111111111111111111111|0b111111111111111111111111111111111111111111111111111111111111111|9223372036854775807|9223372036854775807|�|'�'|U+7FFFFFFFFFFFFFFF|U+7FFFFFFFFFFFFFFF|9223372036854775807|111111111111111111111111111111111111111111111111111111111111111|+9223372036854775807|7fffffffffffffff|0x7fffffffffffffff||%!s(int=9223372036854775807)|%!t(int=9223372036854775807)|%!f(int=9223372036854775807) 9223372036854775807", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%d|%5d|%-5d||%05d|%+d|% d|%x|%X|%#x|%o|%#o|%O|%b|%#b|%.3d|%8.3d|%c|%q|%U|%#U|%v|%08b|%+.5d|%x|%-#8x||%s|%t|%f\" .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i}} {{.i}}", data: data_go_fmt_printf_139, opts: &[], name: "", exec: "", out: "-9223372036854775808|-9223372036854775808|-9223372036854775808||-9223372036854775808|-9223372036854775808|-9223372036854775808|-8000000000000000|-8000000000000000|-0x8000000000000000|-1000000000000000000000|-01000000000000000000000|-0o1000000000000000000000|-1000000000000000000000000000000000000000000000000000000000000000|-0b1000000000000000000000000000000000000000000000000000000000000000|-9223372036854775808|-9223372036854775808|�|'�'|U+8000000000000000|U+8000000000000000|-9223372036854775808|-1000000000000000000000000000000000000000000000000000000000000000|-9223372036854775808|-8000000000000000|-0x8000000000000000||%!s(int=-9223372036854775808)|%!t(int=-9223372036854775808)|%!f(int=-9223372036854775808) -9223372036854775808", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%d|%5d|%-5d||%05d|%+d|% d|%x|%X|%#x|%o|%#o|%O|%b|%#b|%.3d|%8.3d|%c|%q|%U|%#U|%v|%08b|%+.5d|%x|%-#8x||%s|%t|%f\" .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i}} {{.i}}", data: data_go_fmt_printf_140, opts: &[], name: "", exec: "", out: "1000000|1000000|1000000||1000000|+1000000| 1000000|f4240|F4240|0xf4240|3641100|03641100|0o3641100|11110100001001000000|0b11110100001001000000|1000000| 1000000|󴉀|'\\U000f4240'|U+F4240|U+F4240|1000000|11110100001001000000|+1000000|f4240|0xf4240 ||%!s(int=1000000)|%!t(int=1000000)|%!f(int=1000000) 1000000", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%d|%5d|%-5d||%05d|%+d|% d|%x|%X|%#x|%o|%#o|%O|%b|%#b|%.3d|%8.3d|%c|%q|%U|%#U|%v|%08b|%+.5d|%x|%-#8x||%s|%t|%f\" .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i}} {{.i}}", data: data_go_fmt_printf_141, opts: &[], name: "", exec: "", out: "7|    7|7    ||00007|+7| 7|7|7|0x7|7|07|0o7|111|0b111|007|     007|\u{7}|'\\a'|U+0007|U+0007|7|00000111|+00007|7|0x7     ||%!s(int=7)|%!t(int=7)|%!f(int=7) 7", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%d|%5d|%-5d||%05d|%+d|% d|%x|%X|%#x|%o|%#o|%O|%b|%#b|%.3d|%8.3d|%c|%q|%U|%#U|%v|%08b|%+.5d|%x|%-#8x||%s|%t|%f\" .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i}} {{.i}}", data: data_go_fmt_printf_142, opts: &[], name: "", exec: "", out: "65|   65|65   ||00065|+65| 65|41|41|0x41|101|0101|0o101|1000001|0b1000001|065|     065|A|'A'|U+0041|U+0041 'A'|65|01000001|+00065|41|0x41    ||%!s(int=65)|%!t(int=65)|%!f(int=65) 65", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%d|%5d|%-5d||%05d|%+d|% d|%x|%X|%#x|%o|%#o|%O|%b|%#b|%.3d|%8.3d|%c|%q|%U|%#U|%v|%08b|%+.5d|%x|%-#8x||%s|%t|%f\" .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i .i}} {{.i}}", data: data_go_fmt_printf_143, opts: &[], name: "", exec: "", out: "9786| 9786|9786 ||09786|+9786| 9786|263a|263A|0x263a|23072|023072|0o23072|10011000111010|0b10011000111010|9786|    9786|☺|'☺'|U+263A|U+263A '☺'|9786|10011000111010|+09786|263a|0x263a  ||%!s(int=9786)|%!t(int=9786)|%!f(int=9786) 9786", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%s|%q|%#q|%+q|%x|%X|% x|%#x|%# x|%10s||%-10s||%.2s|%5.1s|%v|%d|%010s|%.0s||%8q\" .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s}} {{.s}} {{html .s}} {{js .s}} {{urlquery .s}}", data: data_go_fmt_printf_144, opts: &[], name: "", exec: "", out: "|\"\"|``|\"\"||||||          ||          |||     ||%!d(string=)|0000000000|||      \"\"    ", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%s|%q|%#q|%+q|%x|%X|% x|%#x|%# x|%10s||%-10s||%.2s|%5.1s|%v|%d|%010s|%.0s||%8q\" .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s}} {{.s}} {{html .s}} {{js .s}} {{urlquery .s}}", data: data_go_fmt_printf_145, opts: &[], name: "", exec: "", out: "a|\"a\"|`a`|\"a\"|61|61|61|0x61|0x61|         a||a         ||a|    a|a|%!d(string=a)|000000000a|||     \"a\" a a a a", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%s|%q|%#q|%+q|%x|%X|% x|%#x|%# x|%10s||%-10s||%.2s|%5.1s|%v|%d|%010s|%.0s||%8q\" .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s}} {{.s}} {{html .s}} {{js .s}} {{urlquery .s}}", data: data_go_fmt_printf_146, opts: &[], name: "", exec: "", out: "hello|\"hello\"|`hello`|\"hello\"|68656c6c6f|68656C6C6F|68 65 6c 6c 6f|0x68656c6c6f|0x68 0x65 0x6c 0x6c 0x6f|     hello||hello     ||he|    h|hello|%!d(string=hello)|00000hello||| \"hello\" hello hello hello hello", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%s|%q|%#q|%+q|%x|%X|% x|%#x|%# x|%10s||%-10s||%.2s|%5.1s|%v|%d|%010s|%.0s||%8q\" .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s}} {{.s}} {{html .s}} {{js .s}} {{urlquery .s}}", data: data_go_fmt_printf_147, opts: &[], name: "", exec: "", out: "héllo wörld|\"héllo wörld\"|`héllo wörld`|\"h\\u00e9llo w\\u00f6rld\"|68c3a96c6c6f2077c3b6726c64|68C3A96C6C6F2077C3B6726C64|68 c3 a9 6c 6c 6f 20 77 c3 b6 72 6c 64|0x68c3a96c6c6f2077c3b6726c64|0x68 0xc3 0xa9 0x6c 0x6c 0x6f 0x20 0x77 0xc3 0xb6 0x72 0x6c 0x64|héllo wörld||héllo wörld||hé|    h|héllo wörld|%!d(string=héllo wörld)|héllo wörld|||\"héllo wörld\" héllo wörld héllo wörld héllo wörld h%C3%A9llo+w%C3%B6rld", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%s|%q|%#q|%+q|%x|%X|% x|%#x|%# x|%10s||%-10s||%.2s|%5.1s|%v|%d|%010s|%.0s||%8q\" .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s}} {{.s}} {{html .s}} {{js .s}} {{urlquery .s}}", data: data_go_fmt_printf_148, opts: &[], name: "", exec: "", out: "tab\there|\"tab\\there\"|`tab\there`|\"tab\\there\"|7461620968657265|7461620968657265|74 61 62 09 68 65 72 65|0x7461620968657265|0x74 0x61 0x62 0x09 0x68 0x65 0x72 0x65|  tab\there||tab\there  ||ta|    t|tab\there|%!d(string=tab\there)|00tab\there|||\"tab\\there\" tab\there tab\there tab\\u0009here tab%09here", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%s|%q|%#q|%+q|%x|%X|% x|%#x|%# x|%10s||%-10s||%.2s|%5.1s|%v|%d|%010s|%.0s||%8q\" .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s}} {{.s}} {{html .s}} {{js .s}} {{urlquery .s}}", data: data_go_fmt_printf_149, opts: &[], name: "", exec: "", out: "quote\"s|\"quote\\\"s\"|`quote\"s`|\"quote\\\"s\"|71756f74652273|71756F74652273|71 75 6f 74 65 22 73|0x71756f74652273|0x71 0x75 0x6f 0x74 0x65 0x22 0x73|   quote\"s||quote\"s   ||qu|    q|quote\"s|%!d(string=quote\"s)|000quote\"s|||\"quote\\\"s\" quote\"s quote&#34;s quote\\\"s quote%22s", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%s|%q|%#q|%+q|%x|%X|% x|%#x|%# x|%10s||%-10s||%.2s|%5.1s|%v|%d|%010s|%.0s||%8q\" .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s}} {{.s}} {{html .s}} {{js .s}} {{urlquery .s}}", data: data_go_fmt_printf_150, opts: &[], name: "", exec: "", out: "back`tick|\"back`tick\"|\"back`tick\"|\"back`tick\"|6261636b607469636b|6261636B607469636B|62 61 63 6b 60 74 69 63 6b|0x6261636b607469636b|0x62 0x61 0x63 0x6b 0x60 0x74 0x69 0x63 0x6b| back`tick||back`tick ||ba|    b|back`tick|%!d(string=back`tick)|0back`tick|||\"back`tick\" back`tick back`tick back`tick back%60tick", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%s|%q|%#q|%+q|%x|%X|% x|%#x|%# x|%10s||%-10s||%.2s|%5.1s|%v|%d|%010s|%.0s||%8q\" .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s}} {{.s}} {{html .s}} {{js .s}} {{urlquery .s}}", data: data_go_fmt_printf_151, opts: &[], name: "", exec: "", out: " nbsp|\"\\u00a0nbsp\"|` nbsp`|\"\\u00a0nbsp\"|c2a06e627370|C2A06E627370|c2 a0 6e 62 73 70|0xc2a06e627370|0xc2 0xa0 0x6e 0x62 0x73 0x70|      nbsp|| nbsp     || n|     | nbsp|%!d(string= nbsp)|00000 nbsp|||\"\\u00a0nbsp\"  nbsp  nbsp \\u00A0nbsp %C2%A0nbsp", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%s|%q|%#q|%+q|%x|%X|% x|%#x|%# x|%10s||%-10s||%.2s|%5.1s|%v|%d|%010s|%.0s||%8q\" .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s}} {{.s}} {{html .s}} {{js .s}} {{urlquery .s}}", data: data_go_fmt_printf_152, opts: &[], name: "", exec: "", out: "emoji☺|\"emoji☺\"|`emoji☺`|\"emoji\\u263a\"|656d6f6a69e298ba|656D6F6A69E298BA|65 6d 6f 6a 69 e2 98 ba|0x656d6f6a69e298ba|0x65 0x6d 0x6f 0x6a 0x69 0xe2 0x98 0xba|    emoji☺||emoji☺    ||em|    e|emoji☺|%!d(string=emoji☺)|0000emoji☺|||\"emoji☺\" emoji☺ emoji☺ emoji☺ emoji%E2%98%BA", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%s|%q|%#q|%+q|%x|%X|% x|%#x|%# x|%10s||%-10s||%.2s|%5.1s|%v|%d|%010s|%.0s||%8q\" .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s}} {{.s}} {{html .s}} {{js .s}} {{urlquery .s}}", data: data_go_fmt_printf_153, opts: &[], name: "", exec: "", out: "a\u{1}b|\"a\\x01b\"|\"a\\x01b\"|\"a\\x01b\"|610162|610162|61 01 62|0x610162|0x61 0x01 0x62|       a\u{1}b||a\u{1}b       ||a\u{1}|    a|a\u{1}b|%!d(string=a\u{1}b)|0000000a\u{1}b|||\"a\\x01b\" a\u{1}b a\u{1}b a\\u0001b a%01b", err: "" },
        GoCase { prefix: "", tmpl: "{{printf \"%s|%q|%#q|%+q|%x|%X|% x|%#x|%# x|%10s||%-10s||%.2s|%5.1s|%v|%d|%010s|%.0s||%8q\" .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s .s}} {{.s}} {{html .s}} {{js .s}} {{urlquery .s}}", data: data_go_fmt_printf_154, opts: &[], name: "", exec: "", out: "\u{200b}|\"\\u200b\"|`\u{200b}`|\"\\u200b\"|e2808b|E2808B|e2 80 8b|0xe2808b|0xe2 0x80 0x8b|         \u{200b}||\u{200b}         ||\u{200b}|    \u{200b}|\u{200b}|%!d(string=\u{200b})|000000000\u{200b}|||\"\\u200b\" \u{200b} \u{200b} \\u200B %E2%80%8B", err: "" },
    ];
    run_go_cases(&cases, Funcs::Test);
}

fn data_go_regexp_cases_0() -> Value {
    Value::Nil
}

#[test]
fn go_regexp_cases() {
    let cases = [
        GoCase { prefix: "", tmpl: "{{ match \"\\\\d+\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\d+\" \"<$0>\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|foo bar_baz <123> <4>.<5>", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\d+\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\d+\" \"[$1|${2}|$first]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\d+\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\d+\" \"$$\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\D+\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\D+\" \"[$1|${2}|$first]\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|[||]123[||]4[||]5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\D+\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\D+\" \"$$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|$", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\D+\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\D+\" \"${last}, ${first}\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|, ", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\w+\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\w+\" \"$$\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|$ $ $ $.$", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\w+\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\w+\" \"${last}, ${first}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|É,  é, é Ω,  σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\w+\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\w+\" \"-\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|-\n-\n-", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\W\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\W\" \"${last}, ${first}\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|foo, bar_baz, 123, 4, 5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\W\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\W\" \"-\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|-COLE--t---mega---", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\W\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\W\" \"<$0>\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|a<\n>b<\n>c", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\s+\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\s+\" \"-\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|foo-bar_baz-123-4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\s+\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\s+\" \"<$0>\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|ÉCOLE< >été< >Ωmega< >σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\s+\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\s+\" \"[$1|${2}|$first]\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|a[||]b[||]c", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\S+\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\S+\" \"<$0>\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<foo> <bar_baz> <123> <4.5>", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\S+\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\S+\" \"[$1|${2}|$first]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|[||] [||] [||] [||]", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\S+\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\S+\" \"$$\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|$\n$\n$", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\bfoo\\\\b\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\bfoo\\\\b\" \"[$1|${2}|$first]\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|[||] bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\bfoo\\\\b\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\bfoo\\\\b\" \"$$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\bfoo\\\\b\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\bfoo\\\\b\" \"${last}, ${first}\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\Bo\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\Bo\" \"$$\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|f$$ bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\Bo\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\Bo\" \"${last}, ${first}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\Bo\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\Bo\" \"-\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\d.]+\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"[\\\\d.]+\" \"${last}, ${first}\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|foo bar_baz ,  , ", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\d.]+\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"[\\\\d.]+\" \"-\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\d.]+\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"[\\\\d.]+\" \"<$0>\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[^\\\\d]+\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"[^\\\\d]+\" \"-\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|-123-4-5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[^\\\\d]+\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"[^\\\\d]+\" \"<$0>\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<ÉCOLE été Ωmega σς>", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[^\\\\d]+\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"[^\\\\d]+\" \"[$1|${2}|$first]\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|[||]", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\w-]+\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"[\\\\w-]+\" \"<$0>\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<foo> <bar_baz> <123> <4>.<5>", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\w-]+\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"[\\\\w-]+\" \"[$1|${2}|$first]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|É[||] é[||]é Ω[||] σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\w-]+\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"[\\\\w-]+\" \"$$\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|$\n$\n$", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[[:alpha:]]+\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"[[:alpha:]]+\" \"[$1|${2}|$first]\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|[||] [||]_[||] 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[[:alpha:]]+\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"[[:alpha:]]+\" \"$$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|É$ é$é Ω$ σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[[:alpha:]]+\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"[[:alpha:]]+\" \"${last}, ${first}\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|, \n, \n, ", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[[:^digit:]]+\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"[[:^digit:]]+\" \"$$\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|$123$4$5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[[:^digit:]]+\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"[[:^digit:]]+\" \"${last}, ${first}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|, ", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[[:^digit:]]+\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"[[:^digit:]]+\" \"-\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|-", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a{2}\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"a{2}\" \"${last}, ${first}\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a{2}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"a{2}\" \"-\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a{2}\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"a{2}\" \"<$0>\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a{2,}\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"a{2,}\" \"-\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a{2,}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"a{2,}\" \"<$0>\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a{2,}\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"a{2,}\" \"[$1|${2}|$first]\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a{,2}\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"a{,2}\" \"<$0>\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a{,2}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"a{,2}\" \"[$1|${2}|$first]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a{,2}\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"a{,2}\" \"$$\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a{2,3}?\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"a{2,3}?\" \"[$1|${2}|$first]\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a{2,3}?\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"a{2,3}?\" \"$$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a{2,3}?\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"a{2,3}?\" \"${last}, ${first}\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"x{\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"x{\" \"$$\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"x{\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"x{\" \"${last}, ${first}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"x{\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"x{\" \"-\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"}\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"}\" \"${last}, ${first}\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"}\" \"-\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"}\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"}\" \"<$0>\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a|b\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"a|b\" \"-\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|foo --r_--z 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a|b\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"a|b\" \"<$0>\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|ÉCOLE été Ωmeg<a> σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a|b\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"a|b\" \"[$1|${2}|$first]\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|[||]\n[||]\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?i)abc\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"(?i)abc\" \"<$0>\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?i)abc\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"(?i)abc\" \"[$1|${2}|$first]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?i)abc\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"(?i)abc\" \"$$\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?s)a.b\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"(?s)a.b\" \"[$1|${2}|$first]\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?s)a.b\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"(?s)a.b\" \"$$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?s)a.b\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"(?s)a.b\" \"${last}, ${first}\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|, \nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?m)^b\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"(?m)^b\" \"$$\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?m)^b\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"(?m)^b\" \"${last}, ${first}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?m)^b\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"(?m)^b\" \"-\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|a\n-\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"^a\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"^a\" \"${last}, ${first}\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"^a\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"^a\" \"-\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"^a\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"^a\" \"<$0>\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a>\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"b$\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"b$\" \"-\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"b$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"b$\" \"<$0>\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"b$\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"b$\" \"[$1|${2}|$first]\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\Aa\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\Aa\" \"<$0>\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\Aa\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\Aa\" \"[$1|${2}|$first]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\Aa\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\Aa\" \"$$\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|$\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a\\\\z\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"a\\\\z\" \"[$1|${2}|$first]\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a\\\\z\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"a\\\\z\" \"$$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a\\\\z\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"a\\\\z\" \"${last}, ${first}\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\Qa.b\\\\E\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\Qa.b\\\\E\" \"$$\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\Qa.b\\\\E\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\Qa.b\\\\E\" \"${last}, ${first}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\Qa.b\\\\E\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\Qa.b\\\\E\" \"-\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\Qa.b\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\Qa.b\" \"${last}, ${first}\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\Qa.b\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\Qa.b\" \"-\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\Qa.b\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\Qa.b\" \"<$0>\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\pL+\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\pL+\" \"-\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|- -_- 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\pL+\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\pL+\" \"<$0>\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<ÉCOLE> <été> <Ωmega> <σς>", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\pL+\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\pL+\" \"[$1|${2}|$first]\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|[||]\n[||]\n[||]", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\p{Greek}+\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\p{Greek}+\" \"<$0>\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\p{Greek}+\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\p{Greek}+\" \"[$1|${2}|$first]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|ÉCOLE été [||]mega [||]", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\p{Greek}+\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\p{Greek}+\" \"$$\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\PL+\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\PL+\" \"[$1|${2}|$first]\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|foo[||]bar[||]baz[||]", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\PL+\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\PL+\" \"$$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|ÉCOLE$été$Ωmega$σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\PL+\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\PL+\" \"${last}, ${first}\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|a, b, c", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\p{Lu}]\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"[\\\\p{Lu}]\" \"$$\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\p{Lu}]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"[\\\\p{Lu}]\" \"${last}, ${first}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|, , , , ,  été , mega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\p{Lu}]\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"[\\\\p{Lu}]\" \"-\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(a)(b)?\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"(a)(b)?\" \"${last}, ${first}\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|foo b, r_b, z 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(a)(b)?\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"(a)(b)?\" \"-\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|ÉCOLE été Ωmeg- σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(a)(b)?\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"(a)(b)?\" \"<$0>\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a>\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?P<first>\\\\w+) (?P<last>\\\\w+)\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"(?P<first>\\\\w+) (?P<last>\\\\w+)\" \"-\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|- -.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?P<first>\\\\w+) (?P<last>\\\\w+)\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"(?P<first>\\\\w+) (?P<last>\\\\w+)\" \"<$0>\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?P<first>\\\\w+) (?P<last>\\\\w+)\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"(?P<first>\\\\w+) (?P<last>\\\\w+)\" \"[$1|${2}|$first]\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[]a]\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"[]a]\" \"<$0>\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|foo b<a>r_b<a>z 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[]a]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"[]a]\" \"[$1|${2}|$first]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|ÉCOLE été Ωmeg[||] σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[]a]\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"[]a]\" \"$$\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|$\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[^]a]\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"[^]a]\" \"[$1|${2}|$first]\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|[||][||][||][||][||]a[||][||][||]a[||][||][||][||][||][||][||][||][||]", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[^]a]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"[^]a]\" \"$$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|$$$$$$$$$$$$$$a$$$", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[^]a]\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"[^]a]\" \"${last}, ${first}\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|a, , , , ", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[a-]\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"[a-]\" \"$$\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|foo b$r_b$z 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[a-]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"[a-]\" \"${last}, ${first}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|ÉCOLE été Ωmeg,  σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[a-]\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"[a-]\" \"-\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|-\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[-a]\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"[-a]\" \"${last}, ${first}\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|foo b, r_b, z 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[-a]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"[-a]\" \"-\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|ÉCOLE été Ωmeg- σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[-a]\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"[-a]\" \"<$0>\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a>\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[a\\\\-z]\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"[a\\\\-z]\" \"-\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|foo b-r_b-- 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[a\\\\-z]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"[a\\\\-z]\" \"<$0>\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|ÉCOLE été Ωmeg<a> σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[a\\\\-z]\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"[a\\\\-z]\" \"[$1|${2}|$first]\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|[||]\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\x41\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\x41\" \"<$0>\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\x41\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\x41\" \"[$1|${2}|$first]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\x41\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\x41\" \"$$\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\x{263a}\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\x{263a}\" \"[$1|${2}|$first]\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\x{263a}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\x{263a}\" \"$$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\x{263a}\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\x{263a}\" \"${last}, ${first}\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\101\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\101\" \"$$\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\101\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\101\" \"${last}, ${first}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\101\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\101\" \"-\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\0\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\0\" \"${last}, ${first}\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\0\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\0\" \"-\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\0\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\0\" \"<$0>\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\n\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\n\" \"-\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\n\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\n\" \"<$0>\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\n\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\n\" \"[$1|${2}|$first]\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|a[||]b[||]c", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\t\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\t\" \"<$0>\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\t\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\t\" \"[$1|${2}|$first]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\t\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\t\" \"$$\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\.\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\.\" \"[$1|${2}|$first]\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|foo bar_baz 123 4[||]5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\.\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\.\" \"$$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\.\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\.\" \"${last}, ${first}\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\/\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\/\" \"$$\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\/\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\/\" \"${last}, ${first}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\/\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\/\" \"-\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\_\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\_\" \"${last}, ${first}\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|foo bar, baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\_\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\_\" \"-\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\_\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\_\" \"<$0>\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[&&]\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"[&&]\" \"-\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[&&]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"[&&]\" \"<$0>\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[&&]\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"[&&]\" \"[$1|${2}|$first]\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[a~b]\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"[a~b]\" \"<$0>\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|foo <b><a>r_<b><a>z 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[a~b]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"[a~b]\" \"[$1|${2}|$first]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|ÉCOLE été Ωmeg[||] σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[a~b]\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"[a~b]\" \"$$\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|$\n$\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[a--b]\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"[a--b]\" \"[$1|${2}|$first]\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"[a--b]\" \"foo bar_baz 123 4.5\">: error calling match: error parsing regexp: invalid character class range: `a--`" },
        GoCase { prefix: "", tmpl: "{{ match \"[a--b]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"[a--b]\" \"$$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"[a--b]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\">: error calling match: error parsing regexp: invalid character class range: `a--`" },
        GoCase { prefix: "", tmpl: "{{ match \"[a--b]\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"[a--b]\" \"${last}, ${first}\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"[a--b]\" \"a\\nb\\nc\">: error calling match: error parsing regexp: invalid character class range: `a--`" },
        GoCase { prefix: "", tmpl: "{{ match \".*?\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \".*?\" \"$$\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|$f$o$o$ $b$a$r$_$b$a$z$ $1$2$3$ $4$.$5$", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \".*?\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \".*?\" \"${last}, ${first}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|, É, C, O, L, E,  , é, t, é,  , Ω, m, e, g, a,  , σ, ς, ", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \".*?\" \"a\\nb\\nc\" }}|{{ reReplaceAll \".*?\" \"-\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|-a-\n-b-\n-c-", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(a*)*\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"(a*)*\" \"${last}, ${first}\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|, f, o, o,  , b, r, _, b, z,  , 1, 2, 3,  , 4, ., 5, ", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(a*)*\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"(a*)*\" \"-\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|-É-C-O-L-E- -é-t-é- -Ω-m-e-g- -σ-ς-", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(a*)*\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"(a*)*\" \"<$0>\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a>\n<>b<>\n<>c<>", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a**\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"a**\" \"-\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"a**\" \"foo bar_baz 123 4.5\">: error calling match: error parsing regexp: invalid nested repetition operator: `**`" },
        GoCase { prefix: "", tmpl: "{{ match \"a**\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"a**\" \"<$0>\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"a**\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\">: error calling match: error parsing regexp: invalid nested repetition operator: `**`" },
        GoCase { prefix: "", tmpl: "{{ match \"a**\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"a**\" \"[$1|${2}|$first]\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"a**\" \"a\\nb\\nc\">: error calling match: error parsing regexp: invalid nested repetition operator: `**`" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\1\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\1\" \"<$0>\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\1\" \"foo bar_baz 123 4.5\">: error calling match: error parsing regexp: invalid escape sequence: `\\1`" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\1\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\1\" \"[$1|${2}|$first]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\1\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\">: error calling match: error parsing regexp: invalid escape sequence: `\\1`" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\1\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\1\" \"$$\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\1\" \"a\\nb\\nc\">: error calling match: error parsing regexp: invalid escape sequence: `\\1`" },
        GoCase { prefix: "", tmpl: "{{ match \"(?U)a+\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"(?U)a+\" \"[$1|${2}|$first]\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|foo b[||]r_b[||]z 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?U)a+\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"(?U)a+\" \"$$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|ÉCOLE été Ωmeg$ σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?U)a+\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"(?U)a+\" \"${last}, ${first}\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|, \nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\s\\\\S]\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"[\\\\s\\\\S]\" \"$$\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|$$$$$$$$$$$$$$$$$$$", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\s\\\\S]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"[\\\\s\\\\S]\" \"${last}, ${first}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|, , , , , , , , , , , , , , , , , , ", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\s\\\\S]\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"[\\\\s\\\\S]\" \"-\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|-----", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\u00e9+\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\u00e9+\" \"${last}, ${first}\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\u00e9+\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\u00e9+\" \"-\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|ÉCOLE -t- Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\u00e9+\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\u00e9+\" \"<$0>\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\\\u00e9\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\\\u00e9\" \"-\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\\\u00e9\" \"foo bar_baz 123 4.5\">: error calling match: error parsing regexp: invalid escape sequence: `\\é`" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\\\u00e9\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\\\u00e9\" \"<$0>\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\\\u00e9\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\">: error calling match: error parsing regexp: invalid escape sequence: `\\é`" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\\\u00e9\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\\\u00e9\" \"[$1|${2}|$first]\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\\\u00e9\" \"a\\nb\\nc\">: error calling match: error parsing regexp: invalid escape sequence: `\\é`" },
        GoCase { prefix: "", tmpl: "{{ match \"(?:ab)+\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"(?:ab)+\" \"<$0>\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?:ab)+\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"(?:ab)+\" \"[$1|${2}|$first]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?:ab)+\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"(?:ab)+\" \"$$\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\" \"[$1|${2}|$first]\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|[||]f[||]o[||]o[||] [||]b[||]a[||]r[||]_[||]b[||]a[||]z[||] [||]1[||]2[||]3[||] [||]4[||].[||]5[||]", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\" \"$$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|$É$C$O$L$E$ $é$t$é$ $Ω$m$e$g$a$ $σ$ς$", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\" \"${last}, ${first}\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|, a, \n, b, \n, c, ", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\" \"aaa{,2}b\" }}|{{ reReplaceAll \"\" \"-\" \"aaa{,2}b\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|-a-a-a-{-,-2-}-b-", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\" \"x{y}z\" }}|{{ reReplaceAll \"\" \"<$0>\" \"x{y}z\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<>x<>{<>y<>}<>z<>", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\" \"a.b a-b\" }}|{{ reReplaceAll \"\" \"[$1|${2}|$first]\" \"a.b a-b\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|[||]a[||].[||]b[||] [||]a[||]-[||]b[||]", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\" \"]a]\" }}|{{ reReplaceAll \"\" \"$$\" \"]a]\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|$]$a$]$", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\" \"\\t tab\" }}|{{ reReplaceAll \"\" \"${last}, ${first}\" \"\\t tab\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|, \t,  , t, a, b, ", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\" \"\" }}|{{ reReplaceAll \"\" \"-\" \"\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|-", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\" \"AbC abc\" }}|{{ reReplaceAll \"\" \"<$0>\" \"AbC abc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<>A<>b<>C<> <>a<>b<>c<>", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\" \"\\u03a3\\u03c3\\u03c2\" }}|{{ reReplaceAll \"\" \"[$1|${2}|$first]\" \"\\u03a3\\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|[||]Σ[||]σ[||]ς[||]", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"^$\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"^$\" \"$$\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"^$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"^$\" \"${last}, ${first}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"^$\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"^$\" \"-\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"^\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"^\" \"${last}, ${first}\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|, foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"^\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"^\" \"-\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|-ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"^\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"^\" \"<$0>\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<>a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a+$\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"a+$\" \"-\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a+$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"a+$\" \"<$0>\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a+$\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"a+$\" \"[$1|${2}|$first]\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\z\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\z\" \"<$0>\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|foo bar_baz 123 4.5<>", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\z\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\z\" \"[$1|${2}|$first]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|ÉCOLE été Ωmega σς[||]", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\z\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\z\" \"$$\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|a\nb\nc$", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[[]\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"[[]\" \"[$1|${2}|$first]\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[[]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"[[]\" \"$$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[[]\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"[[]\" \"${last}, ${first}\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\[\\\\]]\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"[\\\\[\\\\]]\" \"$$\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\[\\\\]]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"[\\\\[\\\\]]\" \"${last}, ${first}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\[\\\\]]\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"[\\\\[\\\\]]\" \"-\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\{\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\{\" \"${last}, ${first}\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\{\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\{\" \"-\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\{\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\{\" \"<$0>\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"a{1001}\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"a{1001}\" \"-\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"a{1001}\" \"foo bar_baz 123 4.5\">: error calling match: error parsing regexp: invalid repeat count: `{1001}`" },
        GoCase { prefix: "", tmpl: "{{ match \"a{1001}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"a{1001}\" \"<$0>\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"a{1001}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\">: error calling match: error parsing regexp: invalid repeat count: `{1001}`" },
        GoCase { prefix: "", tmpl: "{{ match \"a{1001}\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"a{1001}\" \"[$1|${2}|$first]\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"a{1001}\" \"a\\nb\\nc\">: error calling match: error parsing regexp: invalid repeat count: `{1001}`" },
        GoCase { prefix: "", tmpl: "{{ match \"(?i)\\u03a3\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"(?i)\\u03a3\" \"<$0>\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?i)\\u03a3\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"(?i)\\u03a3\" \"[$1|${2}|$first]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|ÉCOLE été Ωmega [||][||]", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"(?i)\\u03a3\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"(?i)\\u03a3\" \"$$\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\C\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\C\" \"[$1|${2}|$first]\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\C\" \"foo bar_baz 123 4.5\">: error calling match: error parsing regexp: invalid escape sequence: `\\C`" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\C\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\C\" \"$$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\C\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\">: error calling match: error parsing regexp: invalid escape sequence: `\\C`" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\C\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\C\" \"${last}, ${first}\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\C\" \"a\\nb\\nc\">: error calling match: error parsing regexp: invalid escape sequence: `\\C`" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\cA\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\cA\" \"$$\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\cA\" \"foo bar_baz 123 4.5\">: error calling match: error parsing regexp: invalid escape sequence: `\\c`" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\cA\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\cA\" \"${last}, ${first}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\cA\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\">: error calling match: error parsing regexp: invalid escape sequence: `\\c`" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\cA\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\cA\" \"-\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\cA\" \"a\\nb\\nc\">: error calling match: error parsing regexp: invalid escape sequence: `\\c`" },
        GoCase { prefix: "", tmpl: "{{ match \"[a-z&&[^aeiou]]\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"[a-z&&[^aeiou]]\" \"${last}, ${first}\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|foo bar_baz 123 4.5", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[a-z&&[^aeiou]]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"[a-z&&[^aeiou]]\" \"-\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|ÉCOLE été Ωmega σς", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[a-z&&[^aeiou]]\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"[a-z&&[^aeiou]]\" \"<$0>\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "false|a\nb\nc", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\h\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\h\" \"-\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\h\" \"foo bar_baz 123 4.5\">: error calling match: error parsing regexp: invalid escape sequence: `\\h`" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\h\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\h\" \"<$0>\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\h\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\">: error calling match: error parsing regexp: invalid escape sequence: `\\h`" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\h\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\h\" \"[$1|${2}|$first]\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\h\" \"a\\nb\\nc\">: error calling match: error parsing regexp: invalid escape sequence: `\\h`" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\e\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\e\" \"<$0>\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\e\" \"foo bar_baz 123 4.5\">: error calling match: error parsing regexp: invalid escape sequence: `\\e`" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\e\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\e\" \"[$1|${2}|$first]\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\e\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\">: error calling match: error parsing regexp: invalid escape sequence: `\\e`" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\e\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\e\" \"$$\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\e\" \"a\\nb\\nc\">: error calling match: error parsing regexp: invalid escape sequence: `\\e`" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\R\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"\\\\R\" \"[$1|${2}|$first]\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\R\" \"foo bar_baz 123 4.5\">: error calling match: error parsing regexp: invalid escape sequence: `\\R`" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\R\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"\\\\R\" \"$$\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\R\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\">: error calling match: error parsing regexp: invalid escape sequence: `\\R`" },
        GoCase { prefix: "", tmpl: "{{ match \"\\\\R\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"\\\\R\" \"${last}, ${first}\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"\\\\R\" \"a\\nb\\nc\">: error calling match: error parsing regexp: invalid escape sequence: `\\R`" },
        GoCase { prefix: "", tmpl: "{{ match \"(?<n>a)\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"(?<n>a)\" \"$$\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"(?<n>a)\" \"foo bar_baz 123 4.5\">: error calling match: error parsing regexp: invalid or unsupported Perl syntax: `(?<`" },
        GoCase { prefix: "", tmpl: "{{ match \"(?<n>a)\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"(?<n>a)\" \"${last}, ${first}\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"(?<n>a)\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\">: error calling match: error parsing regexp: invalid or unsupported Perl syntax: `(?<`" },
        GoCase { prefix: "", tmpl: "{{ match \"(?<n>a)\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"(?<n>a)\" \"-\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"(?<n>a)\" \"a\\nb\\nc\">: error calling match: error parsing regexp: invalid or unsupported Perl syntax: `(?<`" },
        GoCase { prefix: "", tmpl: "{{ match \"(?#c)a\" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"(?#c)a\" \"${last}, ${first}\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"(?#c)a\" \"foo bar_baz 123 4.5\">: error calling match: error parsing regexp: invalid or unsupported Perl syntax: `(?#`" },
        GoCase { prefix: "", tmpl: "{{ match \"(?#c)a\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"(?#c)a\" \"-\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"(?#c)a\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\">: error calling match: error parsing regexp: invalid or unsupported Perl syntax: `(?#`" },
        GoCase { prefix: "", tmpl: "{{ match \"(?#c)a\" \"a\\nb\\nc\" }}|{{ reReplaceAll \"(?#c)a\" \"<$0>\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"(?#c)a\" \"a\\nb\\nc\">: error calling match: error parsing regexp: invalid or unsupported Perl syntax: `(?#`" },
        GoCase { prefix: "", tmpl: "{{ match \"(?x) a b \" \"foo bar_baz 123 4.5\" }}|{{ reReplaceAll \"(?x) a b \" \"-\" \"foo bar_baz 123 4.5\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"(?x) a b \" \"foo bar_baz 123 4.5\">: error calling match: error parsing regexp: invalid or unsupported Perl syntax: `(?x`" },
        GoCase { prefix: "", tmpl: "{{ match \"(?x) a b \" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}|{{ reReplaceAll \"(?x) a b \" \"<$0>\" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"(?x) a b \" \"\\u00c9COLE \\u00e9t\\u00e9 \\u03a9mega \\u03c3\\u03c2\">: error calling match: error parsing regexp: invalid or unsupported Perl syntax: `(?x`" },
        GoCase { prefix: "", tmpl: "{{ match \"(?x) a b \" \"a\\nb\\nc\" }}|{{ reReplaceAll \"(?x) a b \" \"[$1|${2}|$first]\" \"a\\nb\\nc\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"(?x) a b \" \"a\\nb\\nc\">: error calling match: error parsing regexp: invalid or unsupported Perl syntax: `(?x`" },
        GoCase { prefix: "", tmpl: "{{ match \"[a-z-0]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[a-z-0]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a><b><c><-><0><z>.+%]<->^&~|", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[-a-z]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[-a-z]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a><b><c><->0<z>.+%]<->^&~|", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[a-z-]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[a-z-]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a><b><c><->0<z>.+%]<->^&~|", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[+--]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[+--]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|abc<->0z.<+>%]<->^&~|", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\d-z]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[\\\\d-z]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|abc<-><0><z>.+%]<->^&~|", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[%--]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[%--]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|abc<->0z.<+><%>]<->^<&>~|", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[--a]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[--a]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a>bc<-><0>z<.>+%<]><-><^>&~|", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[^-]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[^-]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a><b><c>-<0><z><.><+><%><]>-<^><&><~><|>", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[a-b-c]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[a-b-c]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a><b><c><->0z.+%]<->^&~|", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[]-a]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[]-a]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a>bc-0z.+%<]>-<^>&~|", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[^]-a]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[^]-a]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|a<b><c><-><0><z><.><+><%>]<->^<&><~><|>", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\w-.]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[\\\\w-.]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a><b><c><-><0><z><.>+%]<->^&~|", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[.-\\\\w]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[.-\\\\w]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"[.-\\\\w]\" \"abc-0z.+%]-^&~|\">: error calling match: error parsing regexp: invalid escape sequence: `\\w`" },
        GoCase { prefix: "", tmpl: "{{ match \"[[:alpha:]-z]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[[:alpha:]-z]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a><b><c><->0<z>.+%]<->^&~|", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[z-a]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[z-a]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "", err: "template: r:1:3: executing \"r\" at <match \"[z-a]\" \"abc-0z.+%]-^&~|\">: error calling match: error parsing regexp: invalid character class range: `z-a`" },
        GoCase { prefix: "", tmpl: "{{ match \"[a&&b]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[a&&b]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a><b>c-0z.+%]-^<&>~|", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[a~~b]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[a~~b]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a><b>c-0z.+%]-^&<~>|", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[a||b]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[a||b]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a><b>c-0z.+%]-^&~<|>", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\-]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[\\\\-]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|abc<->0z.+%]<->^&~|", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[-]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[-]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|abc<->0z.+%]<->^&~|", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[]]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[]]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|abc-0z.+%<]>-^&~|", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[^]]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[^]]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a><b><c><-><0><z><.><+><%>]<-><^><&><~><|>", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[a-\\\\x7f]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[a-\\\\x7f]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a><b><c>-0<z>.+%]-^&<~><|>", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\x00-\\\\x{10FFFF}]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[\\\\x00-\\\\x{10FFFF}]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a><b><c><-><0><z><.><+><%><]><-><^><&><~><|>", err: "" },
        GoCase { prefix: "", tmpl: "{{ match \"[\\\\p{L}-z]\" \"abc-0z.+%]-^&~|\" }}|{{ reReplaceAll \"[\\\\p{L}-z]\" \"<$0>\" \"abc-0z.+%]-^&~|\" }}", data: data_go_regexp_cases_0, opts: &[], name: "r", exec: "", out: "true|<a><b><c><->0<z>.+%]<->^&~|", err: "" },
    ];
    run_go_cases(&cases, Funcs::Prometheus);
}

fn data_go_parse_cases_0() -> Value {
    Value::Nil
}

#[test]
fn go_parse_cases() {
    let cases = [
        GoCase { prefix: "", tmpl: "", data: data_go_parse_cases_0, opts: &[], name: "p", exec: "", out: "", err: "" },
        GoCase {
            prefix: "",
            tmpl: "{{/*\n\n\n*/}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: " \t\n",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: " \t\n",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "some text",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "some text",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: missing value for command",
        },
        GoCase {
            prefix: "",
            tmpl: "{{.X}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "<no value>",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{printf}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1:2: executing \"p\" at <printf>: wrong number of args for printf: want at least 1 got 0",
        },
        GoCase {
            prefix: "",
            tmpl: "{{$}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "<no value>",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{with $x := 3}}{{$x 23}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1:18: executing \"p\" at <$x>: can't give argument to non-function $x",
        },
        GoCase {
            prefix: "",
            tmpl: "{{$.I}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "<no value>",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{printf `%d` 23}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "23",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{.X|.Y}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "<no value>",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{$x := .X|.Y}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{.X (.Y .Z) (.A | .B .C) (.E)}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "<no value>",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{(.Y .Z).Field}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "<no value>",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{if .X}}hello{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{if .X}}true{{else}}false{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "false",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{if .X}}true{{else if .Y}}false{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "+{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}+",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "++",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range .X}}hello{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range .X.Y.Z}}hello{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range .X}}true{{else}}false{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "false",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range .X|.M}}true{{else}}false{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "false",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range .SI}}{{.}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range $x := .SI}}{{.}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range $x, $y := .SI}}{{.}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range .SI}}{{.}}{{break}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range .SI}}{{.}}{{continue}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range .SI 1 -3.2i true false 'a' nil}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{template `x`}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1:11: executing \"p\" at <{{template \"x\"}}>: template \"x\" not defined",
        },
        GoCase {
            prefix: "",
            tmpl: "{{template `x` .Y}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1:11: executing \"p\" at <{{template \"x\" .Y}}>: template \"x\" not defined",
        },
        GoCase {
            prefix: "",
            tmpl: "{{with .X}}hello{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{with .X}}hello{{else}}goodbye{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "goodbye",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "x \r\n\t{{- 3}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "x3",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{3 -}}\n\n\ty",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "3y",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "x \r\n\t{{- 3 -}}\n\n\ty",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "x3y",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "x\n{{-  3   -}}\ny",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "x3y",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "x \r\n\t{{- /* hi */}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "x",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{/* hi */ -}}\n\n\ty",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "y",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "x \r\n\t{{- /* */ -}}\n\n\ty",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "xy",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{block \"foo\" .}}hello{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "hello",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ $x \n := \n 1 \n }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{\n}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:2: missing value for command",
        },
        GoCase {
            prefix: "",
            tmpl: "{{\n\"x\"\n|\nprintf\n}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "x",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{/*\nhello\n*/}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{-\n/*\nhello\n*/\n-}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range .SI}}{{.}}{{ continue }}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range .SI}}{{.}}{{ break }}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "hello{{range",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unclosed action",
        },
        GoCase {
            prefix: "",
            tmpl: "{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected {{end}}",
        },
        GoCase {
            prefix: "",
            tmpl: "{{else}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected {{else}}",
        },
        GoCase {
            prefix: "",
            tmpl: "{{if .X}}hello{{end}}{{else}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected {{else}}",
        },
        GoCase {
            prefix: "",
            tmpl: "{{if .X}}1{{else}}2{{else}}3{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: expected end; found {{else}}",
        },
        GoCase {
            prefix: "",
            tmpl: "hello{{range .x}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected EOF",
        },
        GoCase {
            prefix: "",
            tmpl: "hello{{range .x}}{{else}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected EOF",
        },
        GoCase {
            prefix: "",
            tmpl: "hello{{undefined}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: function \"undefined\" not defined",
        },
        GoCase {
            prefix: "",
            tmpl: "{{$x}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: undefined variable \"$x\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{with $x := 4}}{{end}}{{$x}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: undefined variable \"$x\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{template $v}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"$v\" in template clause",
        },
        GoCase {
            prefix: "",
            tmpl: "{{with $x.Y := 4}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: undefined variable \"$x\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{template .X}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \".X\" in template clause",
        },
        GoCase {
            prefix: "",
            tmpl: "{{template $v}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"$v\" in template clause",
        },
        GoCase {
            prefix: "",
            tmpl: "{{printf 3, 4}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \",\" in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{with $v, $u := 3}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: too many declarations in with",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range $u, $v, $w := 3}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: too many declarations in range",
        },
        GoCase {
            prefix: "",
            tmpl: "{{printf (printf .).}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected <.> in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{printf 3`x`}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"`x`\" in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{printf `x`.}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected <.> in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{if .X}}a{{else if .Y}}b{{end}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected {{end}}",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range .}}{{end}} {{break}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: {{break}} outside {{range}}",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range .}}{{end}} {{continue}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: {{continue}} outside {{range}}",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range .}}{{else}}{{break}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: {{break}} outside {{range}}",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range .}}{{else}}{{continue}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: {{continue}} outside {{range}}",
        },
        GoCase {
            prefix: "",
            tmpl: "{{$x := 0}}{{$x}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "0",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{$x += 1}}{{$x}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: undefined variable \"$x\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{$x ! 2}}{{$x}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: undefined variable \"$x\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{$x % 3}}{{$x}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: undefined variable \"$x\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range $x := $y := 3}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: undefined variable \"$y\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{$x:=.}}{{$x!2}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: bad character U+0021 '!'",
        },
        GoCase {
            prefix: "",
            tmpl: "{{$x:=.}}{{$x+2}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: bad character U+002B '+'",
        },
        GoCase {
            prefix: "",
            tmpl: "{{$x:=.}}{{$x +2}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1:11: executing \"p\" at <$x>: can't give argument to non-function $x",
        },
        GoCase {
            prefix: "",
            tmpl: "{{1.E}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: illegal number syntax: \"1.E\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{0.1.E}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected . after term \"0.1\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{true.E}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected . after term \"true\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{'a'.any}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected . after term \"'a'\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{\"hello\".guys}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected . after term \"\\\"hello\\\"\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{..E}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected . after term \".\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{nil.E}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected . after term \"nil\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{12|.}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: non executable command in pipeline stage 2",
        },
        GoCase {
            prefix: "",
            tmpl: "{{.|12|printf}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: non executable command in pipeline stage 2",
        },
        GoCase {
            prefix: "",
            tmpl: "{{.|printf|\"error\"}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: non executable command in pipeline stage 3",
        },
        GoCase {
            prefix: "",
            tmpl: "{{12|printf|'e'}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: non executable command in pipeline stage 3",
        },
        GoCase {
            prefix: "",
            tmpl: "{{.|true}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: non executable command in pipeline stage 2",
        },
        GoCase {
            prefix: "",
            tmpl: "{{'c'|nil}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: non executable command in pipeline stage 2",
        },
        GoCase {
            prefix: "",
            tmpl: "{{printf \"%d\" ( ) }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: missing value for parenthesized pipeline",
        },
        GoCase {
            prefix: "",
            tmpl: "{{block \"foo\"}}hello{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: missing value for block clause",
        },
        GoCase {
            prefix: "",
            tmpl: "line1\n{{",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:2: unclosed action",
        },
        GoCase {
            prefix: "",
            tmpl: "line1\n{{define `x`}}line2\n{{",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:3: unclosed action",
        },
        GoCase {
            prefix: "",
            tmpl: "line1\n{{\"x\"\n\"y\"\n",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:4: unclosed action started at p:2",
        },
        GoCase {
            prefix: "",
            tmpl: "{{\n\n\n\n\n",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:6: unclosed action started at p:1",
        },
        GoCase {
            prefix: "",
            tmpl: "line1\n{{\nx\n}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:3: function \"x\" not defined",
        },
        GoCase {
            prefix: "",
            tmpl: "{{foo}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: function \"foo\" not defined",
        },
        GoCase {
            prefix: "",
            tmpl: "{{/*}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unclosed comment",
        },
        GoCase {
            prefix: "",
            tmpl: "{{/*\nhello\n}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unclosed comment",
        },
        GoCase {
            prefix: "",
            tmpl: "{{.X (1 2 3}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unclosed left paren",
        },
        GoCase {
            prefix: "",
            tmpl: "{{.X 1 2 3 ) }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \")\" in command",
        },
        GoCase {
            prefix: "",
            tmpl: "{{(.X 1 2 3",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unclosed action",
        },
        GoCase {
            prefix: "",
            tmpl: "{{`x`3}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"3\" in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{a#}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: bad character U+0023 '#'",
        },
        GoCase {
            prefix: "",
            tmpl: "{{'a}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unterminated character constant",
        },
        GoCase {
            prefix: "",
            tmpl: "{{\"a}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unterminated quoted string",
        },
        GoCase {
            prefix: "",
            tmpl: "{{`a}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unterminated raw quoted string",
        },
        GoCase {
            prefix: "",
            tmpl: "{{0xi}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: illegal number syntax: \"0xi\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{define `a`}}a{{end}}{{define `a`}}b{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: template: multiple definition of template \"a\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range .X}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected EOF",
        },
        GoCase {
            prefix: "",
            tmpl: "{{$a,$b,$c := 23}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: too many declarations in command",
        },
        GoCase {
            prefix: "",
            tmpl: "{{$a}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: undefined variable \"$a\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{true.any}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected . after term \"true\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{12|false}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: non executable command in pipeline stage 2",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ ( ) }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: missing value for parenthesized pipeline",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ $v := `\n` }} {{",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:2: unclosed action",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range $k}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: undefined variable \"$k\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range $k, $v}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: undefined variable \"$v\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range $k,}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: missing value for range",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range $k, $v := }}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: missing value for range",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range $k, .}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: range can only initialize variables",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range $k, 123 := .}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: range can only initialize variables",
        },
        GoCase {
            prefix: "",
            tmpl: "{{if}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: missing value for if",
        },
        GoCase {
            prefix: "",
            tmpl: "{{else}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected {{else}}",
        },
        GoCase {
            prefix: "",
            tmpl: "{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected {{end}}",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: missing value for range",
        },
        GoCase {
            prefix: "",
            tmpl: "{{with $x := 1}}{{end}}{{$x}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: undefined variable \"$x\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{template}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"}}\" in template clause",
        },
        GoCase {
            prefix: "",
            tmpl: "{{template \"x\" 1 2}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1:11: executing \"p\" at <{{template \"x\" 1 2}}>: template \"x\" not defined",
        },
        GoCase {
            prefix: "",
            tmpl: "{{define}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"}}\" in define clause",
        },
        GoCase {
            prefix: "",
            tmpl: "{{define \"a\"}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected EOF",
        },
        GoCase {
            prefix: "",
            tmpl: "{{define \"a\" 1}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"1\" in define clause",
        },
        GoCase {
            prefix: "",
            tmpl: "{{define a}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"a\" in define clause",
        },
        GoCase {
            prefix: "",
            tmpl: "{{block \"b\"}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: missing value for block clause",
        },
        GoCase {
            prefix: "",
            tmpl: "{{block \"b\" .}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected EOF",
        },
        GoCase {
            prefix: "",
            tmpl: "{{block \"b\" .}}{{else}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected {{else}} in block clause",
        },
        GoCase {
            prefix: "",
            tmpl: "{{if .X}}{{else}}{{else}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: expected end; found {{else}}",
        },
        GoCase {
            prefix: "",
            tmpl: "{{if .X}}{{else if}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: missing value for if",
        },
        GoCase {
            prefix: "",
            tmpl: "{{range .X}}{{else if .Y}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected <if> in input",
        },
        GoCase {
            prefix: "",
            tmpl: "{{with .X}}{{else with .Y}}{{end}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected <with> in else",
        },
        GoCase {
            prefix: "",
            tmpl: "{{.X | $}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1:7: executing \"p\" at <$>: can't give argument to non-function $",
        },
        GoCase {
            prefix: "",
            tmpl: "{{$ := 1}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{$x = 1}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1:7: executing \"p\" at <1>: undefined variable: $x",
        },
        GoCase {
            prefix: "",
            tmpl: "{{$x := 1}}{{$x = 2}}{{$y = 3}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1:28: executing \"p\" at <3>: undefined variable: $y",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ 1 | 2 }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: non executable command in pipeline stage 2",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ . | . }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: non executable command in pipeline stage 2",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ nil | print }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1:3: executing \"p\" at <nil>: nil is not a command",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ (1) | print }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "1",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ print | }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ | print }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"|\" in command",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ print (1 | ) }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "1",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ ( }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unclosed left paren",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ ) }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \")\" in command",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ '\\q' }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: invalid syntax",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ \"\\q\" }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: invalid syntax",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ 1e }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: illegal number syntax: \"1e\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ 0x }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: illegal number syntax: \"0x\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ 08 }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: integer overflow: \"08\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ 1_ }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: illegal number syntax: \"1_\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ 1__2 }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: illegal number syntax: \"1__2\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ 9223372036854775808 }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1:3: executing \"p\" at <9223372036854775808>: 9223372036854775808 overflows int",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ 18446744073709551616 }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: integer overflow: \"18446744073709551616\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ -9223372036854775809 }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: integer overflow: \"-9223372036854775809\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ 1.2.3 }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \".3\" in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ .1.2 }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \".2\" in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ ..X }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected . after term \".\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ .X. }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected <.> in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ $x. }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: undefined variable \"$x\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ $.X.Y. }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected <.> in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ x.Y }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: function \"x\" not defined",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ (print).X }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1:4: executing \"p\" at <print>: can't evaluate field X in type string",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ nil.X }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected . after term \"nil\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ \"s\".X }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected . after term \"\\\"s\\\"\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ 1.X }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: bad number syntax: \"1.X\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ .X.Y.Z }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "<no value>",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ a-b }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: bad character U+002D '-'",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ a+b }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: bad character U+002B '+'",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ $x+2 }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: bad character U+002B '+'",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ print 1,2 }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \",\" in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ print : }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: expected :=",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ print := }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \":=\" in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ print = }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"=\" in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ a:b }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: function \"a\" not defined",
        },
        GoCase {
            prefix: "",
            tmpl: "text {{ /* not a comment */ }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"/\" in command",
        },
        GoCase {
            prefix: "",
            tmpl: "{{/* a */ 1}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: comment ends before closing delimiter",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ /* a */}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"/\" in command",
        },
        GoCase {
            prefix: "",
            tmpl: "{{- /* a */ -}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{-/* a */}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: illegal number syntax: \"-\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{/* a */-}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: comment ends before closing delimiter",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ 1 }\n}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"}\" in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{\n1\n}}\n{{\n2",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:5: unclosed action started at p:4",
        },
        GoCase {
            prefix: "",
            tmpl: "a\n\nb{{ if }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:3: missing value for if",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ if 1 }}\n\n{{ end }}\n{{ end }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:4: unexpected {{end}}",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ range $i, $v, $w := . }}{{ end }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: too many declarations in range",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ with $a, $b := . }}{{ end }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: too many declarations in with",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ $a, $b := . }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: too many declarations in command",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ range $a, $b = . }}{{ end }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1:18: executing \"p\" at <.>: undefined variable: $a",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ range $a := . }}{{ $a }}{{ end }}{{ $a }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: undefined variable \"$a\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ break }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: {{break}} outside {{range}}",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ continue }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: {{continue}} outside {{range}}",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ range . }}{{ break 1 }}{{ end }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"1\" in {{break}}",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ range . }}{{ if . }}{{ continue }}{{ end }}{{ end }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ define \"x\" }}{{ range . }}{{ end }}{{ break }}{{ end }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: {{break}} outside {{range}}",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ range . }}{{ define \"y\" }}{{ end }}{{ end }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected <define> in command",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ range . }}{{ block \"z\" . }}{{ break }}{{ end }}{{ end }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: {{break}} outside {{range}}",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ 'ab' }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: malformed character constant: 'ab'",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ '' }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: invalid syntax",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ '\\'' }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "39",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ \"\\'\" }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: invalid syntax",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ `a\nb` }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "a\nb",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ \"a\nb\" }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unterminated quoted string",
        },
        // Complex numbers are not supported.
        GoCase {
            prefix: "",
            tmpl: "{{ print 1+2i }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1:9: executing \"p\" at <1+2i>: complex constant 1+2i is not supported",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ print 1+2 }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: bad number syntax: \"1+2\"",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ 0x1p-2 }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "0.25",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ 0x1.8 }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: illegal number syntax: \"0x1.8\"",
        },
        // Complex numbers are not supported.
        GoCase {
            prefix: "",
            tmpl: "{{ 1i }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1:3: executing \"p\" at <1i>: complex constant 1i is not supported",
        },
        // Complex numbers are not supported.
        GoCase {
            prefix: "",
            tmpl: "{{ 0i }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1:3: executing \"p\" at <0i>: complex constant 0i is not supported",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ printf \"%d\" 1 }",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"}\" in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ printf \"%d\" 1 }}}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "1}",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{{{ 1 }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"{\" in command",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ été }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: function \"été\" not defined",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ .été }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "<no value>",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ $é := 1 }}{{ $é }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "1",
            err: "",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ 　 }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unrecognized character in action: U+3000",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ .  }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unrecognized character in action: U+00A0",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ print `x`1 }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"1\" in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ print \"x\"\"y\" }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"\\\"y\\\"\" in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ print (1)(2) }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"(\" in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ print .X(1) }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"(\" in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ print $(1) }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"(\" in operand",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ if true }}{{ end",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unclosed action",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ if true }}{{ end }",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected \"}\" in end",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ end }}{{ if }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected {{end}}",
        },
        GoCase {
            prefix: "",
            tmpl: "{{ else if 1 }}",
            data: data_go_parse_cases_0,
            opts: &[],
            name: "p",
            exec: "",
            out: "",
            err: "template: p:1: unexpected {{else}}",
        },
    ];
    run_go_cases(&cases, Funcs::Test);
}
