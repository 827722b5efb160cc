//! Generated from Go 1.19's `html/template` run on the same templates and data (the program
//! is not part of the repository): the expected outputs and errors are Go's. The functions are
//! Alertmanager's (`safeHtml` returns a `template.HTML`, `safeUrl` a `template.URL`).

use super::*;
use crate::html::{ContentType, SafeContent};

pub(crate) struct HtmlCase {
    pub tmpl: &'static str,
    pub data: fn() -> Value,
    pub out: &'static str,
    /// Go's error message ("" for none); when set, `out` is not compared.
    pub err: &'static str,
}

fn d() -> Value {
    let strs = |l: &[&str]| Value::List(l.iter().map(|s| Value::str(*s)).collect());
    map(vec![
        ("S", Value::str("<b>&\"'x</b>")),
        ("T", Value::str("plain")),
        ("U", Value::str("javascript:alert(1)")),
        ("Q", Value::str("http://x/?a=<b>&c=d e")),
        ("R", Value::str("/relative path?x=1#f")),
        ("P", Value::str("a%20b%zz/é?")),
        ("N", Value::Int(42)),
        ("F", Value::Float(1.5)),
        ("B", Value::Bool(true)),
        ("L", strs(&["a<", "b&", "c\""])),
        ("H", SafeContent::value(ContentType::Html, "<i>safe</i> & <b title='x'>bold</b>")),
        ("UU", SafeContent::value(ContentType::Url, "javascript:ok()")),
        ("E", Value::str("")),
        ("M", map(vec![("k", Value::str("<v>")), ("n", Value::Int(3))])),
        ("Nil", Value::Nil),
        ("Name", Value::str("title")),
        ("Ev", Value::str("onclick")),
        ("J", Value::str("a\"b'c</script>\u{2028}\\")),
        ("C", Value::str("red")),
        ("CB", Value::str("expression(alert(1))")),
        ("Sp", Value::str("a b\tc=d`")),
        ("Srcs", Value::str("/img.png 1x, javascript:x 2x, /b.png")),
        ("Ctl", Value::str("a\u{0}b\u{a0}\u{fdd0}")),
        ("Tm", Value::Time(t("2024-05-06T07:08:09.123Z"))),
        ("Dur", crate::Duration::value(90_000_000_000)),
    ])
}

/// Alertmanager notification data with `< > & " '` everywhere (see `html_email`).
fn email() -> Value {
    super::html_email::hostile_data().to_value()
}

/// Parses, escapes and executes each case as `html/template` would.
fn run_html_cases(cases: &[HtmlCase]) {
    let funcs = FuncMap::alertmanager();
    let mut failures = Vec::new();
    for c in cases {
        let mut t = Template::new("t");
        t.funcs(&funcs);
        let r = t.parse(c.tmpl).and_then(|_| t.escape_html()).and_then(|_| t.execute(&(c.data)(), &funcs));
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

#[test]
fn html_template_cases_match_go() {
    run_html_cases(CASES);
}

const CASES: &[HtmlCase] = &[
    HtmlCase { tmpl: "{{.Tm}} <p title=\"{{.Tm}}\">{{.Dur}}</p><script>var t = {{.Tm}}, d = {{.Dur}}, m = {{.Tm.Month}};</script>", data: d, out: "2024-05-06 07:08:09.123 &#43;0000 UTC <p title=\"2024-05-06 07:08:09.123 &#43;0000 UTC\">1m30s</p><script>var t = \"2024-05-06T07:08:09.123Z\", d = \"1m30s\", m = \"May\";</script>", err: "" },
    HtmlCase { tmpl: "{{html .S .N}}|{{urlquery .S .N}}|<a href=\"/?q={{urlquery .S .N}}\">|{{.Nil | html}}|{{html .Nil}}|{{print .Nil}}", data: d, out: "&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;42|%3Cb%3E%26%22%27x%3C%2Fb%3E42|<a href=\"/?q=%3Cb%3E%26%22%27x%3C%2Fb%3E42\">|&lt;no value&gt;|&lt;nil&gt;|&lt;nil&gt;", err: "" },
    HtmlCase { tmpl: "<a href={{.U}}>x</a><a href={{.R}}>y</a><a href={{.T}}>", data: d, out: "<a href=#ZgotmplZ>x</a><a href=/relative%20path?x&#61;1#f>y</a><a href=plain>", err: "" },
    HtmlCase { tmpl: "{{if .B}}a{{else if .E}}b{{else}}c{{end}}<a title=\"{{if .E}}x{{else if .B}}{{.S}}{{end}}\">", data: d, out: "a<a title=\"&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;\">", err: "" },
    HtmlCase { tmpl: "{{range .E}}x{{else}}<i>{{.S}}</i>{{end}}{{with .E}}x{{else}}<b title={{.S}}>{{end}}", data: d, out: "", err: "template: t:1:8: executing \"t\" at <.E>: range can't iterate over " },
    HtmlCase { tmpl: "<script type=\"application/json\">{{.M}}</script><script type=\"text/javascript\">{{.S}}</script>", data: d, out: "<script type=\"application/json\">{\"k\":\"\\u003cv\\u003e\",\"n\":3}</script><script type=\"text/javascript\">\"\\u003cb\\u003e\\u0026\\\"'x\\u003c/b\\u003e\"</script>", err: "" },
    HtmlCase { tmpl: "{{define \"v\"}}{{.}}{{end}}<script>var a = {{template \"v\" .S}};</script><a onclick=\"x({{template \"v\" .N}})\">", data: d, out: "<script>var a = \"\\u003cb\\u003e\\u0026\\\"'x\\u003c/b\\u003e\";</script><a onclick=\"x( 42 )\">", err: "" },
    HtmlCase { tmpl: "<a href=\"{{.T}}?{{.S}}\" title=\"{{.T}}?{{.S}}\">", data: d, out: "<a href=\"plain?%3cb%3e%26%22%27x%3c%2fb%3e\" title=\"plain?&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;\">", err: "" },
    HtmlCase { tmpl: "<p title=\"a&quot;{{.S}}&quot;b\" onclick=\"alert(&quot;{{.S}}&quot;)\">", data: d, out: "<p title=\"a&quot;&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;&quot;b\" onclick=\"alert(&quot;\\u003cb\\u003e\\u0026\\u0022\\u0027x\\u003c\\/b\\u003e&quot;)\">", err: "" },
    HtmlCase { tmpl: "<a href=\"x\" {{.Name}}>", data: d, out: "<a href=\"x\" title>", err: "" },
    HtmlCase { tmpl: "<a style=\"{{.C}}\" class=\"{{.L}}\">", data: d, out: "<a style=\"red\" class=\"[a&lt; b&amp; c&#34;]\">", err: "" },
    HtmlCase { tmpl: "<svg:a xlink:href=\"{{.U}}\">", data: d, out: "<svg:a xlink:href=\"#ZgotmplZ\">", err: "" },
    HtmlCase { tmpl: "<textarea>{{.H}}</textarea><title>{{safeHtml \"<b>\"}}</title>", data: d, out: "<textarea>&lt;i&gt;safe&lt;/i&gt; & &lt;b title=&#39;x&#39;&gt;bold&lt;/b&gt;</textarea><title>&lt;b&gt;</title>", err: "" },
    HtmlCase { tmpl: "<a title='{{.J}}'>{{.J}}</a>", data: d, out: "<a title='a&#34;b&#39;c&lt;/script&gt;\u{2028}\\'>a&#34;b&#39;c&lt;/script&gt;\u{2028}\\</a>", err: "" },
    HtmlCase { tmpl: "<a href=\"mailto:{{.S}}\">m</a><a href=\"{{printf \"mailto:%s\" .T}}\">m</a><a href=\"{{printf \"HTTPS://%s\" .T}}\">", data: d, out: "<a href=\"mailto:%3cb%3e&amp;%22%27x%3c/b%3e\">m</a><a href=\"mailto:plain\">m</a><a href=\"HTTPS://plain\">", err: "" },
    HtmlCase { tmpl: "<!-- {{.S}} --><p>{{.T}}</p><!---->", data: d, out: "<p>plain</p>", err: "" },
    HtmlCase { tmpl: "{{/* comment */}}<p>{{- .T -}}</p>", data: d, out: "<p>plain</p>", err: "" },
    HtmlCase { tmpl: "<script>var x = {{.S}} / 2; var y = a/b/{{.N}};</script>", data: d, out: "<script>var x = \"\\u003cb\\u003e\\u0026\\\"'x\\u003c/b\\u003e\" / 2; var y = a/b/ 42 ;</script>", err: "" },
    HtmlCase { tmpl: "<p onclick=\"var a = 1; // c {{.S}}\">", data: d, out: "<p onclick=\"var a = 1; // c \">", err: "" },
    HtmlCase { tmpl: "<a href=\"http://x/{{.P}}\">", data: d, out: "<a href=\"http://x/a%20b%25zz/%c3%a9?\">", err: "" },
    HtmlCase { tmpl: "<img srcset=\"{{.UU}} 1x\">", data: d, out: "<img srcset=\"javascript:ok%28%29 1x\">", err: "" },
    HtmlCase { tmpl: "<a title=\"{{.M.k}} {{index .L 1}} {{len .L}} {{slice .T 1 3}}\">", data: d, out: "<a title=\"&lt;v&gt; b&amp; 3 la\">", err: "" },
    HtmlCase { tmpl: "{{.L | len}} {{.S | printf \"%q\"}} {{.S | printf \"%.3s\"}}", data: d, out: "3 &#34;&lt;b&gt;&amp;\\&#34;&#39;x&lt;/b&gt;&#34; &lt;b&gt;", err: "" },
    HtmlCase { tmpl: "<script>var d = {{.}};</script>", data: email, out: "<script>var d = {\"receiver\":\"team \\u003cops\\u003e\\u0026\\\"x'\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"Disk\\u003cFull\\u003e\",\"instance\":\"web-1\\u00262\",\"note\":\"it's \\u003cb\\u003ebold\\u003c/b\\u003e\",\"severity\":\"\\\"crit\\\"\"},\"annotations\":{\"description\":\"a \\u0026 b \\\"quoted\\\"\",\"summary\":\"\\u003cscript\\u003ealert('x')\\u003c/script\\u003e\"},\"startsAt\":\"2024-01-02T03:04:05Z\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"javascript:alert(document.cookie)\",\"fingerprint\":\"cc2aaadd96bf717d\"},{\"status\":\"firing\",\"labels\":{\"alertname\":\"Disk\\u003cFull\\u003e\",\"instance\":\"db-1\"},\"annotations\":{},\"startsAt\":\"2024-01-02T03:04:05Z\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"http://prom.example:9090/graph?g0.expr=up%7Bjob%3D%22node%22%7D+%3C+1\\u0026g0.tab=1\",\"fingerprint\":\"cd5cd7ffb40e13b1\"},{\"status\":\"resolved\",\"labels\":{\"alertname\":\"Disk\\u003cFull\\u003e\",\"instance\":\"x y\"},\"annotations\":{\"summary\":\"ok\"},\"startsAt\":\"2024-01-02T03:04:05Z\",\"endsAt\":\"2024-01-02T04:00:00Z\",\"generatorURL\":\"/graph?expr=a\\u003cb\\u0026x=\\\"y\\\" z\",\"fingerprint\":\"39523dee28d51c7c\"}],\"groupLabels\":{\"alertname\":\"Disk\\u003cFull\\u003e\"},\"commonLabels\":{\"alertname\":\"Disk\\u003cFull\\u003e\"},\"commonAnnotations\":{},\"externalURL\":\"http://am.example:9093/\\u003cx\\u003e?a=b\\u0026c=\\\"d\\\"\"};</script>", err: "" },
    HtmlCase { tmpl: "<script>var a = {{.Alerts}}, l = {{.CommonLabels}}, f = {{(index .Alerts 0).StartsAt}};</script>", data: email, out: "<script>var a = [{\"status\":\"firing\",\"labels\":{\"alertname\":\"Disk\\u003cFull\\u003e\",\"instance\":\"web-1\\u00262\",\"note\":\"it's \\u003cb\\u003ebold\\u003c/b\\u003e\",\"severity\":\"\\\"crit\\\"\"},\"annotations\":{\"description\":\"a \\u0026 b \\\"quoted\\\"\",\"summary\":\"\\u003cscript\\u003ealert('x')\\u003c/script\\u003e\"},\"startsAt\":\"2024-01-02T03:04:05Z\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"javascript:alert(document.cookie)\",\"fingerprint\":\"cc2aaadd96bf717d\"},{\"status\":\"firing\",\"labels\":{\"alertname\":\"Disk\\u003cFull\\u003e\",\"instance\":\"db-1\"},\"annotations\":{},\"startsAt\":\"2024-01-02T03:04:05Z\",\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"http://prom.example:9090/graph?g0.expr=up%7Bjob%3D%22node%22%7D+%3C+1\\u0026g0.tab=1\",\"fingerprint\":\"cd5cd7ffb40e13b1\"},{\"status\":\"resolved\",\"labels\":{\"alertname\":\"Disk\\u003cFull\\u003e\",\"instance\":\"x y\"},\"annotations\":{\"summary\":\"ok\"},\"startsAt\":\"2024-01-02T03:04:05Z\",\"endsAt\":\"2024-01-02T04:00:00Z\",\"generatorURL\":\"/graph?expr=a\\u003cb\\u0026x=\\\"y\\\" z\",\"fingerprint\":\"39523dee28d51c7c\"}], l = {\"alertname\":\"Disk\\u003cFull\\u003e\"}, f = \"2024-01-02T03:04:05Z\";</script>", err: "" },
    HtmlCase { tmpl: "{{.CommonLabels}} {{.Alerts.Firing | len}} {{(index .Alerts 0).Labels.SortedPairs}}", data: email, out: "map[alertname:Disk&lt;Full&gt;] 2 [{alertname Disk&lt;Full&gt;} {instance web-1&amp;2} {note it&#39;s &lt;b&gt;bold&lt;/b&gt;} {severity &#34;crit&#34;}]", err: "" },
    HtmlCase { tmpl: "{{range .Alerts}}<li><a href=\"{{.GeneratorURL}}\" title=\"{{.Labels.alertname}}\">{{.Annotations.summary}}</a> {{.StartsAt}}</li>{{end}}", data: email, out: "<li><a href=\"#ZgotmplZ\" title=\"Disk&lt;Full&gt;\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</a> 2024-01-02 03:04:05 &#43;0000 UTC</li><li><a href=\"http://prom.example:9090/graph?g0.expr=up%7Bjob%3D%22node%22%7D&#43;%3C&#43;1&amp;g0.tab=1\" title=\"Disk&lt;Full&gt;\"></a> 2024-01-02 03:04:05 &#43;0000 UTC</li><li><a href=\"/graph?expr=a%3cb&amp;x=%22y%22%20z\" title=\"Disk&lt;Full&gt;\">ok</a> 2024-01-02 03:04:05 &#43;0000 UTC</li>", err: "" },
    HtmlCase { tmpl: "<a href=\"{{.ExternalURL}}/#/alerts?receiver={{.Receiver | urlquery}}\">{{.Receiver}}</a>", data: email, out: "<a href=\"http://am.example:9093/%3cx%3e?a=b&amp;c=%22d%22/#/alerts?receiver=team&#43;%3Cops%3E%26%22x%27\">team &lt;ops&gt;&amp;&#34;x&#39;</a>", err: "" },
    HtmlCase { tmpl: "{{range .Alerts}}{{.Labels.missing}}|{{.Annotations.summary | safeHtml}}|{{end}}", data: email, out: "|<script>alert('x')</script>||", err: "template: t:1:62: executing \"t\" at <safeHtml>: invalid value; expected string" },
    HtmlCase { tmpl: "{{ join \", \" .CommonLabels.Values }} {{ toUpper .Status }} {{ title \"a<b c\" }}", data: email, out: "Disk&lt;Full&gt; FIRING A&lt;B C", err: "" },
    HtmlCase { tmpl: "{{.S}}", data: d, out: "&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;", err: "" },
    HtmlCase { tmpl: "<p>{{.S}} {{.T}} {{.N}} {{.F}} {{.B}}</p>", data: d, out: "<p>&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt; plain 42 1.5 true</p>", err: "" },
    HtmlCase { tmpl: "{{.L}} {{.M}} [{{.Nil}}] [{{.Missing}}] [{{.E}}]", data: d, out: "[a&lt; b&amp; c&#34;] map[k:&lt;v&gt; n:3] [] [] []", err: "" },
    HtmlCase { tmpl: "{{.Ctl}}", data: d, out: "a�b ﷐", err: "" },
    HtmlCase { tmpl: "{{.H}}|{{safeHtml \"<x>\"}}|{{safeHtml .S}}", data: d, out: "<i>safe</i> & <b title='x'>bold</b>|<x>|<b>&\"'x</b>", err: "" },
    HtmlCase { tmpl: "{{.S | html}}|{{html .S .T}}|{{.S | urlquery}}|{{urlquery .S}}", data: d, out: "&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;|&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;plain|%3Cb%3E%26%22%27x%3C%2Fb%3E|%3Cb%3E%26%22%27x%3C%2Fb%3E", err: "" },
    HtmlCase { tmpl: "{{printf \"%s<%d>\" .S .N}}", data: d, out: "&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;&lt;42&gt;", err: "" },
    HtmlCase { tmpl: "a < b && c > d {{.T}} <3 </ x", data: d, out: "a &lt; b && c > d plain &lt;3 &lt;/ x", err: "" },
    HtmlCase { tmpl: "<!DOCTYPE html><!doctype html>x<y", data: d, out: "", err: "html/template:t: ends in a non-text context: {stateTag delimNone urlPartNone jsCtxRegexp attrNone elementNone <nil>}" },
    HtmlCase { tmpl: "a<!-- c {{.S}} -->b<!-- -->c", data: d, out: "abc", err: "" },
    HtmlCase { tmpl: "<p>x<!-- unterminated", data: d, out: "", err: "html/template:t: ends in a non-text context: {stateHTMLCmt delimNone urlPartNone jsCtxRegexp attrNone elementNone <nil>}" },
    HtmlCase { tmpl: "<title>{{.S}} <b> {{.H}}</title>{{.S}}", data: d, out: "<title>&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt; &lt;b> &lt;i&gt;safe&lt;/i&gt; & &lt;b title=&#39;x&#39;&gt;bold&lt;/b&gt;</title>&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;", err: "" },
    HtmlCase { tmpl: "<textarea>{{.S}}</textarea><TITLE>{{.T}}</Title >", data: d, out: "<textarea>&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;</textarea><TITLE>plain</Title >", err: "" },
    HtmlCase { tmpl: "<a title=\"{{.S}}\" class='{{.S}}' id={{.S}}>", data: d, out: "<a title=\"&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;\" class='&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;' id=&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;>", err: "" },
    HtmlCase { tmpl: "<a title={{.Sp}}>", data: d, out: "<a title=a&#32;b&#9;c&#61;d&#96;>", err: "" },
    HtmlCase { tmpl: "<a title=\"{{.H}}\" id={{.H}}>", data: d, out: "<a title=\"safe & bold\" id=safe&#32;&&#32;bold>", err: "" },
    HtmlCase { tmpl: "<a title=\"x{{.T}}y\" data-x=\"{{.N}}\">", data: d, out: "<a title=\"xplainy\" data-x=\"42\">", err: "" },
    HtmlCase { tmpl: "<input value=\"{{.S}}\" checked {{.T}}>", data: d, out: "<input value=\"&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;\" checked plain>", err: "" },
    HtmlCase { tmpl: "<a {{.Name}}=\"x\" {{.Ev}}=\"y\">", data: d, out: "<a title=\"x\" ZgotmplZ=\"y\">", err: "" },
    HtmlCase { tmpl: "<a {{.S}}>", data: d, out: "<a ZgotmplZ>", err: "" },
    HtmlCase { tmpl: "<a title=\"{{.S | html}}\">", data: d, out: "<a title=\"&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;\">", err: "" },
    HtmlCase { tmpl: "<a title={{.S | html}}>", data: d, out: "", err: "html/template:t:1:11: predefined escaper \"html\" disallowed in template" },
    HtmlCase { tmpl: "<a title=\"{{html .S | printf \"%s\"}}\">", data: d, out: "", err: "html/template:t:1:12: predefined escaper \"html\" disallowed in template" },
    HtmlCase { tmpl: "<a href=\"{{.U}}\">x</a>", data: d, out: "<a href=\"#ZgotmplZ\">x</a>", err: "" },
    HtmlCase { tmpl: "<a href=\"{{.Q}}\">x</a><a href={{.Q}}>y</a>", data: d, out: "<a href=\"http://x/?a=%3cb%3e&amp;c=d%20e\">x</a><a href=http://x/?a&#61;%3cb%3e&amp;c&#61;d%20e>y</a>", err: "" },
    HtmlCase { tmpl: "<a href=\"{{.R}}\">x</a><img src=\"{{.P}}\">", data: d, out: "<a href=\"/relative%20path?x=1#f\">x</a><img src=\"a%20b%25zz/%c3%a9?\">", err: "" },
    HtmlCase { tmpl: "<a href=\"/search?q={{.S}}&x={{.Q}}\">x</a>", data: d, out: "<a href=\"/search?q=%3cb%3e%26%22%27x%3c%2fb%3e&x=http%3a%2f%2fx%2f%3fa%3d%3cb%3e%26c%3dd%20e\">x</a>", err: "" },
    HtmlCase { tmpl: "<a href=\"{{.T}}/{{.S}}\">x</a>", data: d, out: "<a href=\"plain/%3cb%3e&amp;%22%27x%3c/b%3e\">x</a>", err: "" },
    HtmlCase { tmpl: "<a href=\"#{{.S}}\">x</a>", data: d, out: "<a href=\"#%3cb%3e%26%22%27x%3c%2fb%3e\">x</a>", err: "" },
    HtmlCase { tmpl: "<a href=\"{{.UU}}\">x</a><a href=\"{{safeUrl \"javascript:y\"}}\">x</a>", data: d, out: "<a href=\"javascript:ok%28%29\">x</a><a href=\"javascript:y\">x</a>", err: "" },
    HtmlCase { tmpl: "<a href=\"{{.E}}\">x</a><a href=\" {{.U}}\">y</a>", data: d, out: "<a href=\"\">x</a><a href=\" #ZgotmplZ\">y</a>", err: "" },
    HtmlCase { tmpl: "<form action=\"{{.U}}\"><a xlink:href=\"{{.U}}\" data-url=\"{{.U}}\" data-src={{.U}}>", data: d, out: "<form action=\"#ZgotmplZ\"><a xlink:href=\"#ZgotmplZ\" data-url=\"#ZgotmplZ\" data-src=#ZgotmplZ>", err: "" },
    HtmlCase { tmpl: "<a href=\"{{if .B}}/a?{{else}}/b{{end}}{{.S}}\">", data: d, out: "", err: "html/template:t:1:40: {{.S}} appears in an ambiguous context within a URL" },
    HtmlCase { tmpl: "<a href=\"/x?a{{.S | urlquery}}\">", data: d, out: "<a href=\"/x?a%3Cb%3E%26%22%27x%3C%2Fb%3E\">", err: "" },
    HtmlCase { tmpl: "<img srcset=\"{{.Srcs}}\"><img srcset=\"{{.U}} 2x\">", data: d, out: "<img srcset=\"/img.png 1x,#ZgotmplZ, /b.png\"><img srcset=\"#ZgotmplZ 2x\">", err: "" },
    HtmlCase { tmpl: "<a href=\"&#63;{{.S}}\">", data: d, out: "<a href=\"&#63;%3cb%3e%26%22%27x%3c%2fb%3e\">", err: "" },
    HtmlCase { tmpl: "{{if .B}}<b>{{.S}}</b>{{else}}<i>{{.T}}</i>{{end}}", data: d, out: "<b>&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;</b>", err: "" },
    HtmlCase { tmpl: "{{range .L}}<li>{{.}}</li>{{else}}none{{end}}", data: d, out: "<li>a&lt;</li><li>b&amp;</li><li>c&#34;</li>", err: "" },
    HtmlCase { tmpl: "{{range $i, $e := .L}}<a href=\"/{{$i}}?v={{$e}}\" title=\"{{$e}}\">{{$e}}</a>{{end}}", data: d, out: "<a href=\"/0?v=a%3c\" title=\"a&lt;\">a&lt;</a><a href=\"/1?v=b%26\" title=\"b&amp;\">b&amp;</a><a href=\"/2?v=c%22\" title=\"c&#34;\">c&#34;</a>", err: "" },
    HtmlCase { tmpl: "{{with .M}}<a title=\"{{.k}}\">{{.n}}</a>{{end}}", data: d, out: "<a title=\"&lt;v&gt;\">3</a>", err: "" },
    HtmlCase { tmpl: "<a title=\"{{if .B}}{{.S}}{{else}}x{{end}}\">", data: d, out: "<a title=\"&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;\">", err: "" },
    HtmlCase { tmpl: "<a title={{if .B}}{{.S}}{{end}}>", data: d, out: "<a title=&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;>", err: "" },
    HtmlCase { tmpl: "<p class={{range .L}}{{.}}{{end}}>", data: d, out: "<p class=a&lt;b&amp;c&#34;>", err: "" },
    HtmlCase { tmpl: "{{range .L}}{{if eq . \"b&\"}}{{break}}{{end}}<i>{{.}}</i>{{end}}", data: d, out: "<i>a&lt;</i>", err: "" },
    HtmlCase { tmpl: "{{range .L}}{{if eq . \"b&\"}}{{continue}}{{end}}<i>{{.}}</i>{{end}}", data: d, out: "<i>a&lt;</i><i>c&#34;</i>", err: "" },
    HtmlCase { tmpl: "{{$x := .S}}<a title=\"{{$x}}\">{{$x}}</a>", data: d, out: "<a title=\"&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;\">&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;</a>", err: "" },
    HtmlCase { tmpl: "{{define \"a\"}}<b>{{.}}</b>{{end}}{{template \"a\" .S}}<a title=\"{{template \"a\" .S}}\">", data: d, out: "<b>&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;</b><a title=\"<b>&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;</b>\">", err: "" },
    HtmlCase { tmpl: "{{define \"u\"}}{{.}}{{end}}<a href=\"{{template \"u\" .U}}\">{{template \"u\" .U}}</a><title>{{template \"u\" .S}}</title>", data: d, out: "<a href=\"#ZgotmplZ\">javascript:alert(1)</a><title>&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;</title>", err: "" },
    HtmlCase { tmpl: "{{define \"outer\"}}<i>{{template \"inner\" .}}</i>{{end}}{{define \"inner\"}}[{{.}}]{{end}}{{template \"outer\" .S}}<p title=\"{{template \"outer\" .S}}\">", data: d, out: "<i>[&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;]</i><p title=\"<i>[&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;]</i>\">", err: "" },
    HtmlCase { tmpl: "{{define \"rec\"}}{{if .}}<i>{{len .}}</i>{{template \"rec\" slice . 1}}{{end}}{{end}}{{template \"rec\" .L}}", data: d, out: "<i>3</i><i>2</i><i>1</i>", err: "" },
    HtmlCase { tmpl: "{{block \"b\" .S}}<em>{{.}}</em>{{end}}", data: d, out: "<em>&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;</em>", err: "" },
    HtmlCase { tmpl: "{{define \"open\"}}<a href=\"{{end}}{{template \"open\"}}{{.S}}\">", data: d, out: "<a href=\"%3cb%3e&amp;%22%27x%3c/b%3e\">", err: "" },
    HtmlCase { tmpl: "<script>var x = {{.S}}; var y = {{.N}}; var l = {{.L}}; var m = {{.M}};</script>", data: d, out: "<script>var x = \"\\u003cb\\u003e\\u0026\\\"'x\\u003c/b\\u003e\"; var y =  42 ; var l = [\"a\\u003c\",\"b\\u0026\",\"c\\\"\"]; var m = {\"k\":\"\\u003cv\\u003e\",\"n\":3};</script>", err: "" },
    HtmlCase { tmpl: "<script>var s = \"{{.J}}\"; var r = /{{.J}}/; var e = /{{.E}}/;</script>", data: d, out: "<script>var s = \"a\\u0022b\\u0027c\\u003c\\/script\\u003e\\u2028\\\\\"; var r = /a\\u0022b\\u0027c\\u003c\\/script\\u003e\\u2028\\\\/; var e = /(?:)/;</script>", err: "" },
    HtmlCase { tmpl: "<script>var h = {{.H}}, f = {{.F}}, b = {{.B}}, n = {{.Nil}};</script>", data: d, out: "<script>var h = \"\\u003ci\\u003esafe\\u003c/i\\u003e \\u0026 \\u003cb title='x'\\u003ebold\\u003c/b\\u003e\", f =  1.5 , b =  true , n =  null ;</script>", err: "" },
    HtmlCase { tmpl: "<button onclick=\"f({{.S}})\">x</button><a onmouseover='g(\"{{.J}}\")'>", data: d, out: "<button onclick=\"f(&#34;\\u003cb\\u003e\\u0026\\&#34;&#39;x\\u003c/b\\u003e&#34;)\">x</button><a onmouseover='g(\"a\\u0022b\\u0027c\\u003c\\/script\\u003e\\u2028\\\\\")'>", err: "" },
    HtmlCase { tmpl: "<script>// a comment {{.S}}\nx = 1 /* block */ / 2; {{.T}}</script>", data: d, out: "<script>\nx = 1   / 2; \"plain\"</script>", err: "" },
    HtmlCase { tmpl: "<script>if (a) /re{{.T}}/.test(b)</script>", data: d, out: "<script>if (a) /re\"plain\"/.test(b)</script>", err: "" },
    HtmlCase { tmpl: "<script type=\"text/template\"><b>{{.S}}</b></script>", data: d, out: "<script type=\"text/template\"><b>&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;</b></script>", err: "" },
    HtmlCase { tmpl: "<style>p { color: {{.C}}; } a { b: {{.CB}} }</style>", data: d, out: "<style>p { color: red; } a { b: ZgotmplZ }</style>", err: "" },
    HtmlCase { tmpl: "<style>p { font-family: \"{{.S}}\"; background: url({{.U}}) url(\"{{.Q}}\") }</style>", data: d, out: "<style>p { font-family: \"\\3c b\\3e\\26\\22\\27x\\3c\\2f b\\3e \"; background: url(#ZgotmplZ) url(\"http://x/?a=%3cb%3e&c=d%20e\") }</style>", err: "" },
    HtmlCase { tmpl: "<p style=\"color: {{.C}}; x: '{{.S}}'\">", data: d, out: "<p style=\"color: red; x: '\\3c b\\3e\\26\\22\\27x\\3c\\2f b\\3e '\">", err: "" },
    HtmlCase { tmpl: "<style>/* {{.S}} */ p {}</style><script>/* {{.S}} */</script>", data: d, out: "<style>   p {}</style><script>  </script>", err: "" },
    HtmlCase { tmpl: "<script>var t = `{{.S}}`;</script>", data: d, out: "", err: "html/template:t:1:19: {{.S}} appears in a JS template literal" },
    HtmlCase { tmpl: "{{if .B}}<a href=\"{{else}}<b>{{end}}\">", data: d, out: "", err: "html/template:t:1:5: {{if}} branches end in different contexts: {stateURL delimDoubleQuote urlPartNone jsCtxRegexp attrURL elementNone <nil>}, {stateText delimNone urlPartNone jsCtxRegexp attrNone elementNone <nil>}" },
    HtmlCase { tmpl: "<a {{if .B}}title{{end}}=\"x\">", data: d, out: "<a title=\"x\">", err: "" },
    HtmlCase { tmpl: "{{range .L}}<a href=\"{{.}}{{end}}", data: d, out: "", err: "html/template:t:1:8: on range loop re-entry: {{range}} branches end in different contexts: {stateURL delimDoubleQuote urlPartNone jsCtxRegexp attrURL elementNone <nil>}, {stateAttrName delimNone urlPartNone jsCtxRegexp attrNone elementNone <nil>}" },
    HtmlCase { tmpl: "<a href=\"{{.S}}", data: d, out: "", err: "html/template:t: ends in a non-text context: {stateURL delimDoubleQuote urlPartNone jsCtxRegexp attrURL elementNone <nil>}" },
    HtmlCase { tmpl: "<a title=\"x", data: d, out: "", err: "html/template:t: ends in a non-text context: {stateAttr delimDoubleQuote urlPartNone jsCtxRegexp attrNone elementNone <nil>}" },
    HtmlCase { tmpl: "<a href=x{{.S}}'>", data: d, out: "", err: "html/template:t: \"'\" in unquoted attr: \"'\"" },
    HtmlCase { tmpl: "<a b\"c=\"{{.S}}\">", data: d, out: "", err: "html/template:t: \"\\\"\" in attribute name: \" b\\\"c=\\\"\"" },
    HtmlCase { tmpl: "{{template \"nope\"}}", data: d, out: "", err: "html/template:t:1:11: no such template \"nope\"" },
    HtmlCase { tmpl: "<a title={{.S | html}}>", data: d, out: "", err: "html/template:t:1:11: predefined escaper \"html\" disallowed in template" },
    HtmlCase { tmpl: "{{html .S | printf \"%s\"}}", data: d, out: "", err: "html/template:t:1:2: predefined escaper \"html\" disallowed in template" },
    HtmlCase { tmpl: "{{.S | urlquery | html}}", data: d, out: "", err: "html/template:t:1:2: predefined escaper \"urlquery\" disallowed in template" },
    HtmlCase { tmpl: "<script>var x = 1; {{if .B}}/{{end}}</script>", data: d, out: "", err: "html/template:t:1:24: {{if}} branches end in different contexts: {stateJSRegexp delimNone urlPartNone jsCtxRegexp attrNone elementScript <nil>}, {stateJS delimNone urlPartNone jsCtxRegexp attrNone elementScript <nil>}" },
    HtmlCase { tmpl: "<script>x = a /{{.S}}</script>", data: d, out: "<script>x = a /\"\\u003cb\\u003e\\u0026\\\"'x\\u003c/b\\u003e\"</script>", err: "" },
    HtmlCase { tmpl: "<script>`${ {{.S}} }`</script>", data: d, out: "", err: "html/template:t:1:14: {{.S}} appears in a JS template literal" },
    HtmlCase { tmpl: "<a href=\"{{if .B}}?{{end}}{{.S}}\">", data: d, out: "", err: "html/template:t:1:28: {{.S}} appears in an ambiguous context within a URL" },
    HtmlCase { tmpl: "{{define \"x\"}}<a href=\"{{end}}{{template \"x\"}}", data: d, out: "", err: "html/template:t: ends in a non-text context: {stateURL delimDoubleQuote urlPartNone jsCtxRegexp attrURL elementNone <nil>}" },
    HtmlCase { tmpl: "{{range .L}}{{if .}}{{break}}{{end}}<a href=\"{{end}}\">", data: d, out: "", err: "html/template:t:1:22: at range loop break: {{range}} branches end in different contexts: {stateURL delimDoubleQuote urlPartNone jsCtxRegexp attrURL elementNone <nil>}, {stateText delimNone urlPartNone jsCtxRegexp attrNone elementNone <nil>}" },
    HtmlCase { tmpl: "<textarea>{{.S}}", data: d, out: "", err: "html/template:t: ends in a non-text context: {stateRCDATA delimNone urlPartNone jsCtxRegexp attrNone elementTextarea <nil>}" },
    HtmlCase { tmpl: "<a onclick=\"{{.S}}", data: d, out: "", err: "html/template:t: ends in a non-text context: {stateJS delimDoubleQuote urlPartNone jsCtxDivOp attrScript elementNone <nil>}" },
    HtmlCase { tmpl: "{{.S.X}}", data: d, out: "", err: "template: t:1:4: executing \"t\" at <.S.X>: can't evaluate field X in type interface {}" },
    HtmlCase { tmpl: "{{.S", data: d, out: "", err: "template: t:1: unclosed action" },
    HtmlCase { tmpl: "{{define \"r\"}}{{if .}}<i title=\"{{index . 0}}\">{{template \"r\" slice . 1}}</i>{{end}}{{end}}{{template \"r\" .L}}<p title=\"{{template \"r\" .L}}\">", data: d, out: "", err: "html/template:t: \"\\\"\" in attribute name: \"\\\">\"" },
    HtmlCase { tmpl: "{{define \"r\"}}{{if .}}<a href=\"{{template \"r\" slice . 1}}{{end}}{{end}}{{template \"r\" .L}}", data: d, out: "", err: "html/template:t: \"<\" in attribute name: \"<a href=\\\"\"" },
    HtmlCase { tmpl: "<script>{{if .B}}x{{else}}1+{{end}}/foo/</script>", data: d, out: "", err: "html/template:t: '/' could start a division or regexp: \"/foo/\"" },
    HtmlCase { tmpl: "<script>var x = {{if .B}}a{{else}}b{{end}} / 2; {{.N}}</script>", data: d, out: "<script>var x = a / 2;  42 </script>", err: "" },
    HtmlCase { tmpl: "<script>var x = {{if .B}}a{{else}}b+{{end}} {{.N}}</script>", data: d, out: "<script>var x = a  42 </script>", err: "" },
    HtmlCase { tmpl: "<a href=\"/x{{if .B}}?a=1{{end}}\">{{.S}}</a>", data: d, out: "<a href=\"/x?a=1\">&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;</a>", err: "" },
    HtmlCase { tmpl: "<a title=\"{{block \"bb\" .}}{{.T}}{{end}}\">{{template \"bb\" .}}", data: d, out: "<a title=\"plain\">plain", err: "" },
    HtmlCase { tmpl: "{{range .L}}<a href=\"/{{.}}\">{{continue}}x{{end}}", data: d, out: "<a href=\"/a%3c\"><a href=\"/b&amp;\"><a href=\"/c%22\">", err: "" },
    HtmlCase { tmpl: "<a href=\"{{range .L}}/{{.}}{{end}}\">", data: d, out: "<a href=\"/a%3c/b&amp;/c%22\">", err: "" },
    HtmlCase { tmpl: "<a href=\"?{{range .L}}&x={{.}}{{end}}\">", data: d, out: "<a href=\"?&x=a%3c&x=b%26&x=c%22\">", err: "" },
    HtmlCase { tmpl: "{{with $x := .S}}<p title=\"{{$x}}\">{{end}}", data: d, out: "<p title=\"&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;\">", err: "" },
    HtmlCase { tmpl: "<input name={{.T}} value={{.E}}><p>", data: d, out: "<input name=plain value=><p>", err: "" },
    HtmlCase { tmpl: "<p class=\"{{.T}}\"{{.Name}}>", data: d, out: "<p class=\"plain\"title>", err: "" },
    HtmlCase { tmpl: "<a href='{{.Q}}' onclick='x(\"{{.Q}}\")' style='background: url(\"{{.Q}}\")'>", data: d, out: "<a href='http://x/?a=%3cb%3e&amp;c=d%20e' onclick='x(\"http:\\/\\/x\\/?a=\\u003cb\\u003e\\u0026c=d e\")' style='background: url(\"http://x/?a=%3cb%3e&amp;c=d%20e\")'>", err: "" },
    HtmlCase { tmpl: "<STYLE>a{x:'{{.S}}'}</STYLE><SCRIPT>x='{{.S}}'</SCRIPT>", data: d, out: "<STYLE>a{x:'\\3c b\\3e\\26\\22\\27x\\3c\\2f b\\3e '}</STYLE><SCRIPT>x='\\u003cb\\u003e\\u0026\\u0022\\u0027x\\u003c\\/b\\u003e'</SCRIPT>", err: "" },
    HtmlCase { tmpl: "<p>{{.S}}</p ><br/>{{.S}}<img/src=\"{{.U}}\">", data: d, out: "<p>&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;</p ><br/>&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;<img/src=\"#ZgotmplZ\">", err: "" },
    HtmlCase { tmpl: "<a href=\"javascript:{{.S}}\">", data: d, out: "<a href=\"javascript:%3cb%3e&amp;%22%27x%3c/b%3e\">", err: "" },
    HtmlCase { tmpl: "<a onclick=\"{{.S}}\" onload={{.N}}>", data: d, out: "<a onclick=\"&#34;\\u003cb\\u003e\\u0026\\&#34;&#39;x\\u003c/b\\u003e&#34;\" onload=&#32;42&#32;>", err: "" },
    HtmlCase { tmpl: "<a data-title=\"{{.S}}\" data-href=\"{{.U}}\" data-onclick=\"{{.S}}\">", data: d, out: "<a data-title=\"&lt;b&gt;&amp;&#34;&#39;x&lt;/b&gt;\" data-href=\"#ZgotmplZ\" data-onclick=\"&#34;\\u003cb\\u003e\\u0026\\&#34;&#39;x\\u003c/b\\u003e&#34;\">", err: "" },
    HtmlCase { tmpl: "<script>var re = /[{{.S}}]/;</script>", data: d, out: "", err: "html/template:t: unfinished JS regexp charset: \"[\"" },
    HtmlCase { tmpl: "{{define \"r\"}}{{if .}}<i>{{index . 0}}</i>{{template \"r\" slice . 1}}{{end}}{{end}}<p title=\"{{template \"r\" .L}}\">{{template \"r\" .L}}</p><script>var x = \"{{template \"r\" .L}}\"</script>", data: d, out: "<p title=\"<i>a&lt;</i><i>b&amp;</i><i>c&#34;</i>\"><i>a&lt;</i><i>b&amp;</i><i>c&#34;</i></p><script>var x = \"<i>a\\u003c</i><i>b\\u0026</i><i>c\\u0022</i>\"</script>", err: "" },
    HtmlCase { tmpl: "{{define \"x\"}}{{if .}}{{template \"x\" slice . 1}}{{else}}<b{{end}}{{end}}{{template \"x\" .L}}>", data: d, out: "", err: "html/template:t:1:19: {{if}} branches end in different contexts: {stateText delimNone urlPartNone jsCtxRegexp attrNone elementNone <nil>}, {stateTag delimNone urlPartNone jsCtxRegexp attrNone elementNone <nil>}" },
    HtmlCase { tmpl: "<script>var x = \"a\\{{.S}}\";</script>", data: d, out: "", err: "html/template:t: unfinished escape sequence in JS string: \"a\\\\\"" },
];
