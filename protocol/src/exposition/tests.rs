use super::parse::parse_float;
use super::*;
use crate::model::Labels;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared").join(rel)
}

fn err_of(text: &str) -> ParseError {
    match parse(text) {
        Ok(f) => panic!("expected an error for {text:?}, got {f:?}"),
        Err(e) => e,
    }
}

fn names_and_values(f: &MetricFamily) -> Vec<(String, f64, Option<i64>)> {
    f.metrics.iter().map(|m| (m.labels.to_string(), m.value, m.timestamp_ms)).collect()
}

// ---- upstream corpus and real exporters ----------------------------------------------------------

#[test]
fn upstream_corpus_verdicts() {
    let root = shared("conformance/exposition/prometheus-text");
    if !root.is_dir() {
        println!("NOTE: {} is missing; skipping the upstream corpus", root.display());
        return;
    }
    let mut checked = 0;
    for (dir, must_parse) in [("valid", true), ("invalid", false)] {
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
        entries.sort();
        for path in entries {
            let text = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
            let got = parse(&text);
            assert_eq!(got.is_ok(), must_parse, "{}: {:?}", path.display(), got.map(|f| f.len()));
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} corpus files found");
}

/// Every `*.prom` next to a `*.families.txt` ("name type" per TYPE line) parses into exactly those
/// families, and survives write → parse unchanged.
#[test]
fn real_exporter_outputs_parse_into_their_families() {
    let dir = shared("peers/exporters/samples");
    if !dir.is_dir() {
        println!("NOTE: {} is missing; skipping exporter samples", dir.display());
        return;
    }
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(stem) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".prom")) else {
            continue;
        };
        let families_path = dir.join(format!("{stem}.families.txt"));
        let Ok(expected) = std::fs::read_to_string(&families_path) else { continue };
        let text = std::fs::read_to_string(&path).unwrap();
        let fams = parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let got: Vec<String> = fams.iter().map(|f| format!("{} {}", f.name, f.kind.as_str())).collect();
        let expected: Vec<String> = expected.lines().map(str::to_string).collect();
        assert_eq!(got, expected, "{}", path.display());
        let mut out = String::new();
        write(&fams, &mut out);
        assert!(without_nan(&parse(&out).unwrap()) == without_nan(&fams), "{}: write/parse changed it", path.display());
        seen += 1;
    }
    assert!(seen >= 5);
}

#[test]
fn upstream_large_samples_parse() {
    let dir = shared("conformance/exposition/samples");
    if !dir.is_dir() {
        println!("NOTE: {} is missing; skipping", dir.display());
        return;
    }
    for (file, families) in [
        ("prometheus-common/text", None),
        ("prometheus-textparse/alltypes.237mfs.prom.txt", Some(237)),
        ("prometheus-textparse/alltypes.237mfs.nometa.prom.txt", None),
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let fams = parse(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        if let Some(n) = families {
            assert_eq!(fams.len(), n, "{file}");
        }
        let mut out = String::new();
        write(&fams, &mut out);
        assert!(without_nan(&parse(&out).unwrap()) == without_nan(&fams), "{file}: write/parse changed it");
    }
}

/// NaN != NaN, so compare with NaN values replaced by a marker.
fn without_nan(f: &[MetricFamily]) -> Vec<MetricFamily> {
    let mut f = f.to_vec();
    for m in f.iter_mut().flat_map(|f| f.metrics.iter_mut()) {
        if m.value.is_nan() {
            m.value = f64::MAX;
        }
    }
    f
}

#[test]
fn node_exporter_sample_has_the_known_families_and_writes_back_like_expfmt() {
    let path = shared("peers/exporters/samples/node_exporter.prom");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("NOTE: {} is missing; skipping", path.display());
        return;
    };
    let fams = parse(&text).unwrap();
    let by_name = |n: &str| fams.iter().find(|f| f.name == n).unwrap_or_else(|| panic!("no family {n}"));
    let cpu = by_name("node_cpu_seconds_total");
    assert_eq!(cpu.kind, MetricType::Counter);
    assert!(cpu.metrics.iter().any(|m| m.labels.get("mode") == Some("idle") && m.labels.get("cpu") == Some("0")));
    assert_eq!(by_name("node_load1").kind, MetricType::Gauge);
    assert_eq!(by_name("node_memory_MemTotal_bytes").metrics.len(), 1);
    let gc = by_name("go_gc_duration_seconds");
    assert_eq!(gc.kind, MetricType::Summary);
    let names: Vec<&str> = gc.metrics.iter().filter_map(|m| m.labels.metric_name()).collect();
    assert!(names.contains(&"go_gc_duration_seconds_sum") && names.contains(&"go_gc_duration_seconds_count"));
    assert!(gc.help.as_deref().is_some_and(|h| h.contains("pause")));
    assert_eq!(fams.iter().map(|f| f.metrics.len()).sum::<usize>(), 543);
    // node_exporter's output is itself expfmt's writer output with sorted labels, so ours matches it.
    let mut out = String::new();
    write(&fams, &mut out);
    assert_eq!(out.lines().count(), text.lines().count());
    let mut differing = 0;
    for (i, (ours, theirs)) in out.lines().zip(text.lines()).enumerate() {
        if ours != theirs {
            // The only difference allowed: empty label values, which mean "no such label" and are dropped.
            assert!(theirs.contains("=\"\""), "line {}: we write {ours:?}, node_exporter wrote {theirs:?}", i + 1);
            let one = |l: &str| parse(&format!("{l}\n")).unwrap()[0].metrics.clone();
            assert_eq!(one(ours), one(theirs), "line {}", i + 1);
            differing += 1;
        }
    }
    assert!(differing < 10, "{differing} lines differ");
}

// ---- accepted syntax -----------------------------------------------------------------------------

#[test]
fn accepts_expfmt_whitespace_escapes_and_specials() {
    let text = "# A normal comment.\n#\n# TYPE name counter\n\
name{labelname=\"val1\",basename=\"basevalue\"} NaN\n\
name {labelname=\"val2\",basename=\"base\\\"v\\\\al\\nue\"} 0.23 1234567890\n\
# HELP name two-line\\n doc  str\\\\ing\n\n \
# HELP  name2  \tdoc str\"ing 2\n  #    TYPE    name2 gauge\n\
name2{labelname=\"val2\"\t,basename   =   \"basevalue2\"\t\t} +Inf 54321\n\
name2{ labelname = \"val1\" , }-Inf\n\
no_labels{} 3\nexp 1e-3 -5\nneg -.5\nplus +7\n";
    let f = parse(text).unwrap();
    assert_eq!(f.len(), 6);
    assert_eq!(f[0].name, "name");
    assert_eq!(f[0].kind, MetricType::Counter);
    assert_eq!(f[0].help.as_deref(), Some("two-line\n doc  str\\ing"));
    assert!(f[0].metrics[0].value.is_nan());
    assert_eq!(f[0].metrics[1].labels.get("basename"), Some("base\"v\\al\nue"));
    assert_eq!(f[0].metrics[1].timestamp_ms, Some(1234567890));
    assert_eq!(f[1].help.as_deref(), Some("doc str\"ing 2"));
    assert_eq!(f[1].kind, MetricType::Gauge);
    assert_eq!(f[1].metrics[0].value, f64::INFINITY);
    assert_eq!(f[1].metrics[1].value, f64::NEG_INFINITY);
    assert_eq!(f[1].metrics[1].labels.get("labelname"), Some("val1"));
    assert_eq!(f[2].metrics[0].labels, Labels::from_pairs([("__name__", "no_labels")]));
    assert_eq!(names_and_values(&f[3]), vec![("exp{}".to_string(), 0.001, Some(-5))]);
    assert_eq!(f[4].metrics[0].value, -0.5);
    assert_eq!(f[5].metrics[0].value, 7.0);
}

#[test]
fn histograms_and_summaries_group_under_their_family() {
    let text = "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3.5\nh_count 2\n\
# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_sum 2\ns_count 3\n\
h_sum_other 1\ns_bucket 1\n";
    let f = parse(text).unwrap();
    let names: Vec<(&str, usize)> = f.iter().map(|f| (f.name.as_str(), f.metrics.len())).collect();
    assert_eq!(names, [("h", 4), ("s", 3), ("h_sum_other", 1), ("s_bucket", 1)]);
    assert_eq!(f[0].metrics[1].labels.get("le"), Some("+Inf"));
    assert_eq!(f[0].metrics[2].labels.metric_name(), Some("h_sum"));
    // Without a TYPE, _sum and _count are families of their own.
    let f = parse("x 1\nx_sum 2\nx_count 3\n").unwrap();
    assert_eq!(f.len(), 3);
}

#[test]
fn comments_without_text_and_families_without_samples_are_ignored() {
    let text =
        "# HELP \n# HELP\n# HELP m\n# HELP m \n# TYPE m\n# TYPE only_meta gauge\n# other stuff\nm 1\n# HELP m now\n";
    let f = parse(text).unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].help.as_deref(), Some("now"), "HELP may follow samples");
    assert_eq!(f[0].kind, MetricType::Untyped);
    assert!(parse("").unwrap().is_empty());
    assert!(parse("\n\n  \t\n   ").unwrap().is_empty());
}

#[test]
fn families_may_be_interleaved_like_expfmt_allows() {
    // The upstream corpus (valid/from_test_parse_3) has this: the family is merged, not an error.
    let f = parse("a 1\nb 2\na{x=\"y\"} 3\n").unwrap();
    assert_eq!(f.len(), 2);
    assert_eq!(f[0].metrics.len(), 2);
}

#[test]
fn empty_label_values_are_dropped_like_absent_labels() {
    let f = parse("m{a=\"\",b=\"1\"} 1\n").unwrap();
    assert_eq!(f[0].metrics[0].labels, Labels::from_pairs([("__name__", "m"), ("b", "1")]));
}

// ---- errors --------------------------------------------------------------------------------------

#[test]
fn rejects_what_expfmt_rejects_with_line_numbers() {
    let cases: &[(&str, usize, &str)] = &[
        ("bla 3.14", 1, "end of input"),
        ("ok 1\n\nbad-name{} 1\n", 3, "expected float"),
        ("1abc 1\n", 1, "invalid metric name"),
        ("{a=\"b\"} 1\n", 1, "missing metric name"),
        ("m{@=\"x\"} 1\n", 1, "invalid label name"),
        ("m{a-b=\"x\"} 1\n", 1, "expected '='"),
        ("m{__name__=\"x\"} 1\n", 1, "reserved"),
        ("m{a=\"1\",a=\"2\"} 1\n", 1, "duplicate label name"),
        ("m{a=x} 1\n", 1, "expected '\"'"),
        ("m{a=\"x} 1\n", 1, "not terminated"),
        ("m{a=\"x\\\"} 1\n", 1, "not terminated"),
        ("m{a=\"\\t\"} 1\n", 1, "invalid escape"),
        ("m{a=\"x\" b=\"y\"} 1\n", 1, "unexpected end of label value"),
        ("m{a=\"x\"\n", 1, "end of line"),
        ("m 1.2.3\n", 1, "expected float"),
        ("m 0x1F\n", 1, "expected float"),
        ("m 1_000\n", 1, "expected float"),
        ("m 1e400\n", 1, "expected float"),
        ("m +NaN\n", 1, "expected float"),
        ("m\n", 1, "expected float"),
        ("m 1 \n", 1, "expected integer as timestamp"),
        ("m 1 2.5\n", 1, "expected integer as timestamp"),
        ("m 1 99999999999999999999\n", 1, "expected integer as timestamp"),
        ("m 1 2 3\n", 1, "spurious string"),
        ("m 1 2 \n", 1, "spurious string"),
        ("m 1\r\n", 1, "expected float"),
        ("# TYPE m counter\n# TYPE m gauge\n", 2, "second TYPE"),
        ("m 1\n# TYPE m counter\n", 2, "TYPE reported after samples"),
        ("# HELP m one\n# HELP m two\n", 2, "second HELP"),
        ("# HELP m bad \\t escape\n", 1, "invalid escape"),
        ("# HELP m trailing \\\n", 1, "invalid escape"),
        ("# TYPE m bla\n", 1, "unknown metric type"),
        ("# TYPE m counter \n", 1, "unknown metric type"),
        ("# TYPE m gaugehistogram\n", 1, "not supported"),
        ("# TYPE met-ric counter\n", 1, "invalid metric name in TYPE"),
        ("# TYPE h histogram\nh_bucket{le=\"bla\"} 1\n", 2, "'le' label"),
        ("# TYPE h histogram\nh_bucket 1\n", 2, "no 'le' label"),
        ("# TYPE h histogram\nh_bucket{le=\"1\"} -1\n", 2, "negative bucket"),
        ("# TYPE h histogram\nh_count -1\n", 2, "negative count"),
        ("# TYPE s summary\ns{quantile=\"bla\"} 1\n", 2, "'quantile' label"),
        ("# TYPE s summary\ns 1\n", 2, "no 'quantile' label"),
        ("# comment without newline", 1, "end of input"),
    ];
    for &(text, line, needle) in cases {
        let e = err_of(text);
        assert_eq!(e.line, line, "{text:?}: {e}");
        assert!(e.message.contains(needle), "{text:?}: {e} (wanted {needle:?})");
        assert_eq!(e.to_string(), format!("line {line}: {}", e.message));
    }
}

#[test]
fn long_tokens_are_shortened_in_errors() {
    let text = format!("m{{a=\"{}\\q\"}} 1\nm {} \n", "x".repeat(100), "y".repeat(10_000));
    assert!(err_of(&text).message.len() < 200);
    let text = format!("m {}\n", "1".repeat(10_000) + "x");
    assert!(err_of(&text).message.len() < 200);
}

#[test]
fn go_float_syntax() {
    for (s, v) in
        [("1", 1.0), ("-1.5e3", -1500.0), (".5", 0.5), ("5.", 5.0), ("1.e2", 100.0), ("08", 8.0), ("1E-2", 0.01)]
    {
        assert_eq!(parse_float(s), Some(v), "{s}");
    }
    for s in ["Inf", "+inf", "INFINITY", "+Infinity"] {
        assert_eq!(parse_float(s), Some(f64::INFINITY), "{s}");
    }
    assert_eq!(parse_float("-Inf"), Some(f64::NEG_INFINITY));
    assert!(parse_float("nan").is_some_and(f64::is_nan));
    assert_eq!(parse_float("1e-400"), Some(0.0), "underflow is not an error in Go");
    for s in ["", ".", "e5", "1e", "1e+", "+", "-nan", "infinit", "0x10", "0x1p3", "1_0", "1 ", "١"] {
        assert_eq!(parse_float(s), None, "{s:?}");
    }
}

#[test]
fn linear_time_on_wide_and_long_inputs() {
    // 200k labels on one line: a pairwise duplicate check would need 2·10^10 comparisons.
    let mut line = String::from("wide{");
    for i in 0..200_000 {
        line.push_str(&format!("l{i}=\"v\","));
    }
    line.push_str("} 1\n");
    assert_eq!(parse(&line).unwrap()[0].metrics[0].labels.len(), 200_001);
    let mut many = String::new();
    for i in 0..200_000 {
        many.push_str(&format!("m{}{{a=\"{i}\"}} {i}\n", i % 1000));
    }
    assert_eq!(parse(&many).unwrap().len(), 1000);
}

// ---- writer --------------------------------------------------------------------------------------

#[test]
fn floats_format_like_go() {
    let cases = [
        (1.0, "1"),
        (0.0, "0"),
        (-0.0, "0"),
        (-1.0, "-1"),
        (f64::NAN, "NaN"),
        (f64::INFINITY, "+Inf"),
        (f64::NEG_INFINITY, "-Inf"),
        (100.0, "100"),
        (123456.0, "123456"),
        (999999.0, "999999"),
        (1e6, "1e+06"),
        (1234567.0, "1.234567e+06"),
        (1.7560473e6, "1.7560473e+06"),
        (2.5197948928e10, "2.5197948928e+10"),
        (0.1, "0.1"),
        (0.0001, "0.0001"),
        (0.00012345, "0.00012345"),
        (0.00001, "1e-05"),
        (2.7442e-05, "2.7442e-05"),
        (1e21, "1e+21"),
        (1e100, "1e+100"),
        (-2.5e-300, "-2.5e-300"),
        (5e-324, "5e-324"),
        (f64::MAX, "1.7976931348623157e+308"),
        (123.456, "123.456"),
        (-0.5, "-0.5"),
    ];
    for (v, s) in cases {
        assert_eq!(format_float(v), s, "{v:e}");
    }
}

#[test]
fn writes_help_type_labels_and_timestamps_like_expfmt() {
    let fams = vec![
        MetricFamily {
            name: "http_requests_total".into(),
            help: Some("Requests \\ with\nnewline \"quoted\".".into()),
            kind: MetricType::Counter,
            metrics: vec![
                Metric {
                    labels: Labels::from_pairs([
                        ("__name__", "http_requests_total"),
                        ("path", "/a\"b\\c\nd"),
                        ("code", "200"),
                    ]),
                    value: 1027.0,
                    timestamp_ms: Some(1395066363000),
                },
                Metric { labels: Labels::default(), value: 3.0, timestamp_ms: None },
            ],
        },
        MetricFamily { name: "u".into(), help: None, kind: MetricType::Untyped, metrics: vec![] },
    ];
    let mut out = String::new();
    write(&fams, &mut out);
    assert_eq!(
        out,
        "# HELP http_requests_total Requests \\\\ with\\nnewline \"quoted\".\n\
# TYPE http_requests_total counter\n\
http_requests_total{code=\"200\",path=\"/a\\\"b\\\\c\\nd\"} 1027 1395066363000\n\
http_requests_total 3\n\
# TYPE u untyped\n"
    );
}

// ---- properties ----------------------------------------------------------------------------------

const VALID: &str = "# HELP http_requests_total The total number of HTTP requests.\n\
# TYPE http_requests_total counter\n\
http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n\
http_requests_total{method=\"post\",code=\"400\"}    3 1395066363000\n\
msdos_file_access_time_seconds{path=\"C:\\\\DIR\\\\FILE.TXT\",error=\"Cannot find file:\\n\\\"FILE.TXT\\\"\"} 1.458255915e9\n\
metric_without_timestamp_and_labels 12.47\n\
something_weird{problem=\"division by zero\"} +Inf -3982045\n\
# HELP http_request_duration_seconds A histogram of the request duration.\n\
# TYPE http_request_duration_seconds histogram\n\
http_request_duration_seconds_bucket{le=\"0.05\"} 24054\n\
http_request_duration_seconds_bucket{le=\"+Inf\"} 144320\n\
http_request_duration_seconds_sum 53423\n\
http_request_duration_seconds_count 144320\n\
# TYPE rpc_duration_seconds summary\n\
rpc_duration_seconds{quantile=\"0.01\"} 3102\n\
rpc_duration_seconds_sum 1.7560473e+07\n\
rpc_duration_seconds_count 2693\n";

fn arb_type_and_metrics(name: String) -> impl Strategy<Value = MetricFamily> {
    let labels = proptest::collection::vec(("[a-z][a-z0-9_]{0,6}", "\\PC{0,8}"), 0..4);
    let value = prop_oneof![any::<f64>(), Just(f64::NAN), Just(f64::INFINITY), (0u32..1000).prop_map(f64::from)];
    let sample = (labels, value, proptest::option::of(any::<i64>()));
    let help = proptest::option::of("[^ \t\\\\][\\PC\\\\\n]{0,20}");
    (0usize..5, help, proptest::collection::vec(sample, 1..5)).prop_map(move |(k, help, samples)| {
        let kind =
            [MetricType::Counter, MetricType::Gauge, MetricType::Untyped, MetricType::Histogram, MetricType::Summary]
                [k];
        let metrics = samples
            .into_iter()
            .enumerate()
            .map(|(i, (pairs, value, ts))| {
                let mut pairs: Vec<(String, String)> =
                    pairs.into_iter().filter(|(n, _)| n != "le" && n != "quantile").collect();
                let (suffix, v) = match (kind, i % 3) {
                    (MetricType::Histogram, 0) => {
                        pairs.push(("le".into(), format_float(value.abs())));
                        ("_bucket", value.abs())
                    }
                    (MetricType::Histogram, 1) => ("_sum", value),
                    (MetricType::Histogram, _) => ("_count", value.abs()),
                    (MetricType::Summary, 0) => {
                        pairs.push(("quantile".into(), format_float(value)));
                        ("", value)
                    }
                    (MetricType::Summary, 1) => ("_sum", value),
                    (MetricType::Summary, _) => ("_count", value),
                    _ => ("", value),
                };
                pairs.push(("__name__".into(), format!("{name}{suffix}")));
                // A NaN le/quantile is still a float; NaN bucket counts are not negative.
                Metric { labels: Labels::from_pairs(pairs), value: v, timestamp_ms: ts }
            })
            .collect();
        MetricFamily { name: name.clone(), help, kind, metrics }
    })
}

fn arb_families() -> impl Strategy<Value = Vec<MetricFamily>> {
    (1usize..6).prop_flat_map(|n| {
        // Distinct names that cannot be mistaken for each other's _sum/_count/_bucket.
        let fams: Vec<_> = (0..n)
            .map(|i| "[a-zA-Z:][a-zA-Z0-9:]{0,8}".prop_flat_map(move |s| arb_type_and_metrics(format!("f{i}_{s}x"))))
            .collect();
        fams
    })
}

fn same_families(a: &[MetricFamily], b: &[MetricFamily]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.name == y.name
                && x.help == y.help
                && x.kind == y.kind
                && x.metrics.len() == y.metrics.len()
                && x.metrics.iter().zip(&y.metrics).all(|(m, n)| {
                    m.labels == n.labels
                        && m.timestamp_ms == n.timestamp_ms
                        && (m.value == n.value || (m.value.is_nan() && n.value.is_nan()))
                })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parse_never_panics_on_arbitrary_text(s in "\\PC*") {
        let _ = parse(&s);
    }

    #[test]
    fn parse_never_panics_on_format_like_text(s in "[a-z_{}=\",# \t\n\\\\.0-9+eE-]{0,200}") {
        let _ = parse(&s);
    }

    #[test]
    fn parse_never_panics_on_mutations(edits in proptest::collection::vec((any::<usize>(), 0u8..3, any::<char>()), 1..8)) {
        let mut s: Vec<char> = VALID.chars().collect();
        for (pos, op, ch) in edits {
            let i = pos % (s.len() + 1);
            match op {
                0 => s.insert(i, ch),
                1 if i < s.len() => { s.remove(i); }
                _ if i < s.len() => s[i] = ch,
                _ => {}
            }
        }
        let text: String = s.into_iter().collect();
        let _ = parse(&text);
    }

    #[test]
    fn write_then_parse_round_trips(fams in arb_families()) {
        let mut out = String::new();
        write(&fams, &mut out);
        let back = parse(&out).map_err(|e| TestCaseError::fail(format!("{e}\n{out}")))?;
        prop_assert!(same_families(&fams, &back), "{:?}\n!=\n{:?}\n{}", fams, back, out);
    }
}

#[test]
fn valid_example_parses() {
    let f = parse(VALID).unwrap();
    assert_eq!(f.len(), 6);
}
