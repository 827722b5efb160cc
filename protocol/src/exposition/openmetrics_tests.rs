use super::*;
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance/exposition/openmetrics")
}

fn ok(text: &str) -> Vec<MetricFamily> {
    parse_openmetrics(text).unwrap_or_else(|e| panic!("{text:?} should parse: {e}"))
}

fn bad(text: &str) -> ParseError {
    match parse_openmetrics(text) {
        Ok(f) => panic!("{text:?} should be rejected, got {f:?}"),
        Err(e) => e,
    }
}

#[test]
fn conformance_suite_verdicts() {
    let root = corpus();
    if !root.is_dir() {
        println!("NOTE: {} is missing; skipping the OpenMetrics suite", root.display());
        return;
    }
    let mut wrong = Vec::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(spec) = std::fs::read_to_string(dir.join("test.json")) else { continue };
        let should_parse = spec.replace(' ', "").contains("\"shouldParse\":true");
        let bytes = std::fs::read(dir.join("metrics")).unwrap();
        let parsed = std::str::from_utf8(&bytes)
            .map_err(|e| e.to_string())
            .and_then(|t| parse_openmetrics(t).map_err(|e| e.to_string()));
        if parsed.is_ok() != should_parse {
            wrong.push(format!(
                "{}: expected shouldParse={should_parse}, got {:?}",
                dir.display(),
                parsed.map(|f| f.len())
            ));
        }
        checked += 1;
    }
    assert!(wrong.is_empty(), "{} of {checked} wrong:\n{}", wrong.len(), wrong.join("\n"));
    assert!(checked >= 100, "only {checked} cases");
}

#[test]
fn families_have_the_text_parsers_shape() {
    let f = ok("# TYPE a counter\n# HELP a help \\n x\n# UNIT a \na_total{x=\"1\"} 3 1.5 # {t=\"y\"} 1 2\n\
a_created{x=\"1\"} 10 2\n# TYPE h histogram\nh_bucket{le=\"1.0\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_count 2\nh_sum 3\n\
g 7\n# EOF\n");
    assert_eq!(f.len(), 3);
    assert_eq!((f[0].name.as_str(), f[0].kind), ("a", MetricType::Counter));
    assert_eq!(f[0].help.as_deref(), Some("help \n x"));
    assert_eq!(f[0].metrics[0].labels.to_string(), "a_total{x=\"1\"}");
    assert_eq!(f[0].metrics[0].timestamp_ms, Some(1500));
    assert_eq!(f[0].metrics[1].value, 10.0);
    assert_eq!(f[1].kind, MetricType::Histogram);
    assert_eq!(f[1].metrics.len(), 4);
    assert_eq!(f[1].metrics[1].labels.get("le"), Some("+Inf"));
    assert_eq!((f[2].name.as_str(), f[2].kind), ("g", MetricType::Untyped));
}

#[test]
fn line_numbers_point_at_the_offending_line() {
    assert_eq!(bad("a 1\nb 1 z\n# EOF\n").line, 2);
    assert_eq!(bad("a 1\n").message, "missing \"# EOF\" at the end");
    assert_eq!(bad("a 1\n# EOF\n\n").line, 3);
}

#[test]
fn special_types_and_values() {
    let f = ok("# TYPE s stateset\ns{s=\"a\"} 1\ns{s=\"b\"} 0\n# TYPE i info\ni_info{v=\"1\"} 1\n\
# TYPE gh gaugehistogram\ngh_bucket{le=\"-1\"} 1\ngh_bucket{le=\"+Inf\"} 2\ngh_gcount 2\ngh_gsum -3\n\
x -Inf\ny NaN\nz 0001e1 -2.5\n# EOF");
    let kinds: Vec<MetricType> = f.iter().map(|f| f.kind).collect();
    assert_eq!(kinds[..3], [MetricType::StateSet, MetricType::Info, MetricType::GaugeHistogram]);
    assert_eq!(f[5].metrics[0].value, 10.0);
    assert_eq!(f[5].metrics[0].timestamp_ms, Some(-2500));
    // The text writer keeps its output parseable for the OpenMetrics-only types.
    let mut out = String::new();
    write(&f, &mut out);
    assert!(parse(&out).is_ok(), "{out}");
    for text in [
        "a 1 +NaN\n# EOF\n",
        "a{a=\"1\",} 1\n# EOF\n",
        "a{a=\"1\"} 1 # {b=\"c\"} 1\n# EOF\n",
        "# TYPE a counter\na_total 1 # {b=\"c\"} 1 NaN\n# EOF\n",
        "# comment\n# EOF\n",
        "# TYPE a gauge\n# TYPE b gauge\n# TYPE a gauge\n# EOF\n",
        "a 1\nb 1\na 1\n# EOF\n",
        "a{a=\"1\"} 1\na{a=\"2\"} 1\na{a=\"1\"} 1\n# EOF\n",
        "a{__name__=\"b\"} 1\n# EOF\n",
        "a 1\r\n# EOF\n",
    ] {
        bad(text);
    }
}

#[test]
fn no_input_is_too_hostile() {
    for text in ["", "#", "# ", "# EOF\n# EOF\n", "a{", "a{a", "a{a=\"\\", "a 1 # {", "\u{0}", "a 1 1 # {} 1 1 1"] {
        let _ = parse_openmetrics(text);
        assert!(parse_openmetrics(text).is_err(), "{text:?}");
    }
}
