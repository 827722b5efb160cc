//! Tests of the parser: Go's parse_test.go cases (trees printed back, error messages) and the
//! depth limit.

use std::fmt::Write as _;

use super::*;

fn parse_str(text: &str) -> Result<String, String> {
    let has = |name: &str| {
        matches!(name, "printf" | "and" | "or" | "not" | "len" | "index" | "eq" | "html" | "contains" | "lt")
    };
    match parse("t", text, "", "", Some(&has)) {
        Ok(trees) => {
            let mut s = String::new();
            trees["t"].root.write_to(&mut s);
            for (name, t) in &trees {
                if name != "t" {
                    let _ = write!(s, " [{}: ", name);
                    t.root.write_to(&mut s);
                    s.push(']');
                }
            }
            Ok(s)
        }
        Err(e) => Err(format!("template: {}:{}: {}", e.name, e.line, e.message)),
    }
}

#[test]
fn round_trips_like_go() {
    // Cases from Go's parse_test.go: input and the tree's String().
    let cases: &[(&str, &str)] = &[
        ("", ""),
        ("{{/*\n\n\n*/}}", ""),
        (" \t\n", " \t\n"),
        ("some text", "some text"),
        ("{{}}", "ERR"),
        ("{{.X}}", "{{.X}}"),
        ("{{printf}}", "{{printf}}"),
        ("{{$}}", "{{$}}"),
        ("{{with $x := 3}}{{$x 23}}{{end}}", "{{with $x := 3}}{{$x 23}}{{end}}"),
        ("{{$.I}}", "{{$.I}}"),
        ("{{printf `%d` 23}}", "{{printf `%d` 23}}"),
        ("{{.X|.Y}}", "{{.X | .Y}}"),
        ("{{$x := .X|.Y}}", "{{$x := .X | .Y}}"),
        ("{{.X (.Y .Z) (.A | .B .C) (.E)}}", "{{.X (.Y .Z) (.A | .B .C) (.E)}}"),
        ("{{(.Y .Z).Field}}", "{{(.Y .Z).Field}}"),
        ("{{if .X}}hello{{end}}", "{{if .X}}hello{{end}}"),
        ("{{if .X}}true{{else}}false{{end}}", "{{if .X}}true{{else}}false{{end}}"),
        ("{{if .X}}true{{else if .Y}}false{{end}}", "{{if .X}}true{{else}}{{if .Y}}false{{end}}{{end}}"),
        (
            "+{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}+",
            "+{{if .X}}X{{else}}{{if .Y}}Y{{else}}{{if .Z}}Z{{end}}{{end}}{{end}}+",
        ),
        ("{{range .X}}hello{{end}}", "{{range .X}}hello{{end}}"),
        ("{{range .X.Y.Z}}hello{{end}}", "{{range .X.Y.Z}}hello{{end}}"),
        ("{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}", "{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}"),
        ("{{range .X}}true{{else}}false{{end}}", "{{range .X}}true{{else}}false{{end}}"),
        ("{{range .X|.M}}true{{else}}false{{end}}", "{{range .X | .M}}true{{else}}false{{end}}"),
        ("{{range .SI}}{{.}}{{end}}", "{{range .SI}}{{.}}{{end}}"),
        ("{{range $x := .SI}}{{.}}{{end}}", "{{range $x := .SI}}{{.}}{{end}}"),
        ("{{range $x, $y := .SI}}{{.}}{{end}}", "{{range $x, $y := .SI}}{{.}}{{end}}"),
        ("{{range .SI}}{{.}}{{break}}{{end}}", "{{range .SI}}{{.}}{{break}}{{end}}"),
        ("{{range .SI}}{{.}}{{continue}}{{end}}", "{{range .SI}}{{.}}{{continue}}{{end}}"),
        ("{{range $.SI}}{{.}}{{end}}", "{{range $.SI}}{{.}}{{end}}"),
        ("{{template `x`}}", "{{template \"x\"}}"),
        ("{{template `x` .Y}}", "{{template \"x\" .Y}}"),
        ("{{with .X}}hello{{end}}", "{{with .X}}hello{{end}}"),
        ("{{with .X}}hello{{else}}goodbye{{end}}", "{{with .X}}hello{{else}}goodbye{{end}}"),
        ("{{.X | .Y -}} \n\t {{.Z}}", "{{.X | .Y}}{{.Z}}"),
        ("{{.X}}{{- /* c */ -}}{{.Y}}", "{{.X}}{{.Y}}"),
        ("{{printf \"%d\" ( 1 ) }}", "{{printf \"%d\" (1)}}"),
        ("{{.X|.Y\n}}", "{{.X | .Y}}"),
        // Errors.
        ("hello{{range .x}}", "ERR"),
        ("{{nothing}}", "ERR"),
        ("{{$x}}", "ERR"),
        ("{{with $x := 4}}{{end}}{{$x}}", "ERR"),
        ("{{range 3}}{{end}}{{template \"x\" $y}}", "ERR"),
        ("{{if}}", "ERR"),
        ("{{range $k, $v, $z := .}}{{end}}", "ERR"),
        ("{{ .X | 3 }}", "ERR"),
        ("{{break}}", "ERR"),
        ("{{range .}}{{with .}}{{break 3}}{{end}}{{end}}", "ERR"),
        ("{{ 3.x }}", "ERR"),
        ("{{define \"a\"}}a{{end}}{{define \"a\"}}b{{end}}", "ERR"),
        ("{{ 0xi }}", "ERR"),
        ("{{ 'ab' }}", "ERR"),
        ("{{ '' }}", "ERR"),
    ];
    for (input, want) in cases {
        let got = parse_str(input);
        if *want == "ERR" {
            assert!(got.is_err(), "{:?} should fail, got {:?}", input, got);
        } else {
            assert_eq!(got.as_deref(), Ok(*want), "{:?}", input);
        }
    }
}

#[test]
fn defines_and_blocks() {
    assert_eq!(
        parse_str("{{define `a`}}A{{end}}x{{block \"b\" .}}B{{end}}").unwrap(),
        "x{{template \"b\" .}} [a: A] [b: B]"
    );
}

#[test]
fn error_messages() {
    let cases: &[(&str, &str)] = &[
        ("{{", "template: t:1: unclosed action"),
        ("{{end}}", "template: t:1: unexpected {{end}}"),
        ("{{else}}", "template: t:1: unexpected {{else}}"),
        ("{{nothing}}", "template: t:1: function \"nothing\" not defined"),
        ("\n\n{{$x}}", "template: t:3: undefined variable \"$x\""),
        ("{{if .X}}", "template: t:1: unexpected EOF"),
        ("{{.X 3 | 4}}", "template: t:1: non executable command in pipeline stage 2"),
        ("{{range .X}}{{end}}{{break}}", "template: t:1: {{break}} outside {{range}}"),
        ("{{printf \"x\" 3\n}}{{.X\n", "template: t:3: unclosed action started at t:2"),
        ("{{\"a\n\"}}", "template: t:1: unterminated quoted string"),
        (
            "{{define \"a\"}}x{{end}}{{define \"a\"}}y{{end}}",
            "template: t:1: template: multiple definition of template \"a\"",
        ),
        ("{{3 | printf | 4}}", "template: t:1: non executable command in pipeline stage 3"),
        ("{{with}}", "template: t:1: missing value for with"),
        ("{{if .X}}a{{else}}b{{else}}c{{end}}", "template: t:1: expected end; found {{else}}"),
        ("{{range .X}}{{else if .Y}}{{end}}", "template: t:1: unexpected <if> in input"),
        ("{{.X.}}", "template: t:1: unexpected <.> in operand"),
        ("{{ 9999999999999999999999 }}", "template: t:1: integer overflow: \"9999999999999999999999\""),
        ("{{(1 2 3}}", "template: t:1: unclosed left paren"),
        ("{{template .X}}", "template: t:1: unexpected \".X\" in template clause"),
    ];
    for (input, want) in cases {
        assert_eq!(parse_str(input).unwrap_err(), *want, "{:?}", input);
    }
}

#[test]
fn depth_limit() {
    let deep = format!("{{{{{}1{}}}}}", "(".repeat(MAX_PARSE_DEPTH + 5), ")".repeat(MAX_PARSE_DEPTH + 5));
    assert_eq!(parse_str(&deep).unwrap_err(), "template: t:1: max expression depth exceeded");
    let ok = format!("{{{{{}1{}}}}}", "(".repeat(50), ")".repeat(50));
    assert!(parse_str(&ok).is_ok());
}
