//! The `Template` API and language semantics not covered by the generated cases.

use super::*;
use crate::{arg_error, MissingKey, Object, TemplateError};

fn exec(text: &str, data: &Value) -> Result<String, String> {
    let mut t = Template::new("t");
    t.parse(text).map_err(|e| e.to_string())?;
    t.execute(data, &FuncMap::new()).map_err(|e| e.to_string())
}

#[test]
fn template_is_send_and_sync() {
    fn check<T: Send + Sync + Clone>() {}
    check::<Template>();
    check::<FuncMap>();
    check::<Value>();
}

#[test]
fn repeated_parse_adds_and_replaces() {
    let mut t = Template::new("main");
    t.parse(r#"{{define "a"}}A1{{end}}{{define "b"}}B{{end}}main1"#).unwrap();
    assert_eq!(t.execute(&Value::Nil, &FuncMap::new()).unwrap(), "main1");
    // A second file: redefines "a", adds "c"; its main body is only space so "main" stays.
    t.parse("{{define \"a\"}}A2{{end}}\n  {{define \"c\"}}C{{template \"a\"}}{{end}}\n").unwrap();
    let f = FuncMap::new();
    assert_eq!(t.execute(&Value::Nil, &f).unwrap(), "main1");
    assert_eq!(t.execute_named("a", &Value::Nil, &f).unwrap(), "A2");
    assert_eq!(t.execute_named("c", &Value::Nil, &f).unwrap(), "CA2");
    assert_eq!(t.names(), vec!["a", "b", "c", "main"]);
    assert!(t.has("b") && !t.has("d"));
    // An empty definition does not replace a non-empty one.
    t.parse(r#"{{define "b"}}  {{end}}"#).unwrap();
    assert_eq!(t.execute_named("b", &Value::Nil, &f).unwrap(), "B");
    // A non-empty main body replaces the old one.
    t.parse("main2").unwrap();
    assert_eq!(t.execute(&Value::Nil, &f).unwrap(), "main2");
}

#[test]
fn parse_errors_leave_the_set_unchanged() {
    let mut t = Template::new("t");
    t.parse(r#"{{define "a"}}A{{end}}x"#).unwrap();
    let e = t.parse("{{define \"a\"}}B{{end}}\n{{ .X").unwrap_err();
    assert_eq!(e.to_string(), "template: t:2: unclosed action");
    assert_eq!(e, TemplateError::Parse { name: "t".into(), line: 2, message: "unclosed action".into() });
    assert_eq!(t.execute_named("a", &Value::Nil, &FuncMap::new()).unwrap(), "A");
    let e = t.parse(r#"{{define "x"}}1{{end}}{{define "x"}}2{{end}}"#).unwrap_err();
    assert_eq!(e.to_string(), r#"template: t:1: template: multiple definition of template "x""#);
    assert!(!t.has("x"));
}

#[test]
fn missing_templates() {
    let f = FuncMap::new();
    let mut t = Template::new("t");
    assert_eq!(
        t.execute(&Value::Nil, &f).unwrap_err().to_string(),
        r#"template: t: "t" is an incomplete or empty template"#
    );
    t.parse(r#"{{define "a"}}{{template "b"}}{{end}}"#).unwrap();
    // Parsing only definitions still defines the (empty) main template, as in Go.
    assert_eq!(t.execute(&Value::Nil, &f).unwrap(), "");
    assert_eq!(
        t.execute_named("nope", &Value::Nil, &f).unwrap_err().to_string(),
        r#"template: no template "nope" associated with template "t""#
    );
    assert_eq!(
        t.execute_named("a", &Value::Nil, &f).unwrap_err().to_string(),
        r#"template: t:1:25: executing "a" at <{{template "b"}}>: template "b" not defined"#
    );
}

#[test]
fn function_names_checked_at_parse_only_when_known() {
    let f = FuncMap::new();
    let mut t = Template::new("t");
    t.parse("{{ nosuch 1 }}").unwrap();
    assert_eq!(
        t.execute(&Value::Nil, &f).unwrap_err().to_string(),
        r#"template: t:1:3: executing "t" at <nosuch>: "nosuch" is not a defined function"#
    );
    let mut t = Template::new("t");
    t.funcs(&f);
    assert_eq!(t.parse("\n{{ nosuch 1 }}").unwrap_err().to_string(), r#"template: t:2: function "nosuch" not defined"#);
    // A function called "break" turns the keyword into a function name, as in Go.
    let mut f2 = FuncMap::new();
    f2.insert("break", Arc::new(|_: &[Value]| Ok(Value::str("broke"))));
    let mut t = Template::new("t");
    t.funcs(&f2);
    t.parse("{{ break }}").unwrap();
    assert_eq!(t.execute(&Value::Nil, &f2).unwrap(), "broke");
}

#[test]
fn delims_and_options() {
    let mut t = Template::new("t");
    t.delims("<<", ">>");
    t.parse(r#"<<.Str>><</*comment*/>><<"{{">> {{.Str}} <<- " x " ->> y"#).unwrap();
    let data = map(vec![("Str", Value::str("Hello"))]);
    assert_eq!(t.execute(&data, &FuncMap::new()).unwrap(), "Hello{{ {{.Str}} x y");
    let mut t = Template::new("t");
    t.delims("(日)", "(本)");
    t.parse("(日).Str(本)").unwrap();
    assert_eq!(t.execute(&data, &FuncMap::new()).unwrap(), "Hello");

    let mut t = Template::new("t");
    assert_eq!(t.option("missingkey=bogus").unwrap_err().to_string(), "unrecognized option: missingkey=bogus");
    t.option("missingkey=error").unwrap();
    t.parse("{{.Nope}}").unwrap();
    assert_eq!(
        t.execute(&map(vec![]), &FuncMap::new()).unwrap_err().to_string(),
        r#"template: t:1:2: executing "t" at <.Nope>: map has no entry for key "Nope""#
    );
    t.set_missing_key(MissingKey::Zero);
    assert_eq!(t.execute(&map(vec![]), &FuncMap::new()).unwrap(), "<no value>");
    let labels = Value::from(StringMap::from_iter([("a", "1")]));
    assert_eq!(t.execute(&labels, &FuncMap::new()).unwrap(), "");
    t.set_missing_key(MissingKey::Invalid);
    assert_eq!(t.execute(&labels, &FuncMap::new()).unwrap(), "<no value>");
}

#[test]
fn execute_text_uses_the_set() {
    let mut t = Template::new("");
    t.parse(r#"{{ define "greet" }}Hello {{ . }}{{ end }}"#).unwrap();
    let f = FuncMap::new();
    assert_eq!(t.execute_text(r#"{{ template "greet" . }}!"#, &Value::str("you"), &f).unwrap(), "Hello you!");
    assert_eq!(t.execute_text("", &Value::Nil, &f).unwrap(), "");
    // The set itself is unchanged.
    assert!(t.has("greet") && !t.has("other"));
    let e = t.execute_text("{{ .Foo.Bar }}", &Value::Int(1), &f).unwrap_err();
    assert_eq!(e.to_string(), r#"template: :1:7: executing "" at <.Foo.Bar>: can't evaluate field Foo in type int"#);
}

#[test]
fn error_locations_name_the_file_and_the_template() {
    let mut t = Template::new("file.tmpl");
    t.parse("line 1\n{{ define \"x\" }}\n  {{ .A.B }}\n{{ end }}\n{{ template \"x\" . }}").unwrap();
    let e = t.execute(&map(vec![("A", Value::Int(3))]), &FuncMap::new()).unwrap_err();
    assert_eq!(
        e,
        TemplateError::Exec {
            location: "file.tmpl:3:7".into(),
            template: "x".into(),
            context: ".A.B".into(),
            message: "can't evaluate field B in type interface {}".into(),
        }
    );
    assert_eq!(
        e.to_string(),
        r#"template: file.tmpl:3:7: executing "x" at <.A.B>: can't evaluate field B in type interface {}"#
    );
}

#[test]
fn user_functions() {
    let mut f = FuncMap::new();
    f.insert("fail", Arc::new(|_: &[Value]| Err("it broke".to_string())));
    f.insert(
        "strict",
        Arc::new(|a: &[Value]| Err(arg_error(format!("wrong number of args for strict: want 2 got {}", a.len())))),
    );
    f.insert("boom", Arc::new(|_: &[Value]| -> Result<Value, String> { panic!("kaboom") }));
    f.insert("args", Arc::new(|a: &[Value]| Ok(Value::String(format!("{:?}", a)))));
    let run = |text: &str| {
        let mut t = Template::new("t");
        t.parse(text).unwrap();
        t.execute(&Value::Nil, &f).map_err(|e| e.to_string())
    };
    assert_eq!(
        run("{{ fail }}").unwrap_err(),
        r#"template: t:1:3: executing "t" at <fail>: error calling fail: it broke"#
    );
    assert_eq!(
        run("{{ strict 1 }}").unwrap_err(),
        r#"template: t:1:3: executing "t" at <strict 1>: wrong number of args for strict: want 2 got 1"#
    );
    assert_eq!(
        run("{{ boom }}").unwrap_err(),
        r#"template: t:1:3: executing "t" at <boom>: error calling boom: kaboom"#
    );
    // Constants are Go's ideal constants; the piped value comes last.
    assert_eq!(
        run(r#"{{ "x" | args 1 2.0 'a' nil true }}"#).unwrap(),
        r#"[Int(1), Float(2.0), Int(97), Nil, Bool(true), String("x")]"#
    );
    // Builtins can be replaced; and/or then lose their short-circuit.
    let mut f2 = FuncMap::new();
    f2.insert("len", Arc::new(|_: &[Value]| Ok(Value::Int(-1))));
    let mut t = Template::new("t");
    t.parse("{{ len 3 }}").unwrap();
    assert_eq!(t.execute(&Value::Nil, &f2).unwrap(), "-1");
    assert!(f2.contains("printf") && !f2.contains("humanize"));
    assert!(FuncMap::prometheus().contains("humanize") && FuncMap::alertmanager().contains("join"));
}

#[test]
fn function_values_and_call() {
    let add = Value::func(|a: &[Value]| match a {
        [Value::Int(x), Value::Int(y)] => Ok(Value::Int(x + y)),
        _ => Err("add wants two ints".into()),
    });
    let data = map(vec![("Add", add)]);
    assert_eq!(exec("{{ call .Add 1 2 }}", &data).unwrap(), "3");
    assert_eq!(
        exec("{{ call .Add 1 }}", &data).unwrap_err(),
        r#"template: t:1:3: executing "t" at <call .Add 1>: error calling call: add wants two ints"#
    );
    assert_eq!(exec("{{ if .Add }}yes{{ end }}", &data).unwrap(), "yes");
    assert_eq!(
        exec("{{ .Add }}", &data).unwrap_err(),
        r#"template: t:1:3: executing "t" at <{{.Add}}>: can't print {{.Add}} of type func(...interface {}) (interface {}, error)"#
    );
    assert_eq!(
        exec("{{ call 3 }}", &data).unwrap_err(),
        r#"template: t:1:3: executing "t" at <call 3>: error calling call: non-function of type int"#
    );
}

/// A struct-like object with a method taking arguments, to exercise the Object trait.
#[derive(Debug)]
struct Counter {
    name: String,
}

impl Object for Counter {
    fn type_name(&self) -> String {
        "main.Counter".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        (name == "Name").then(|| Value::String(self.name.clone()))
    }
    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        match name {
            "Repeat" => Some(match args {
                [Value::Int(n)] => Ok(Value::String(self.name.repeat(*n as usize))),
                [other] => Err(arg_error(format!("wrong type for value; expected int; got {}", other.go_type_name()))),
                _ => Err(arg_error(format!("wrong number of args for Repeat: want 1 got {}", args.len()))),
            }),
            "Fail" => Some(Err("failed".into())),
            _ => None,
        }
    }
    fn has_method(&self, name: &str) -> bool {
        matches!(name, "Repeat" | "Fail")
    }
    fn string(&self) -> Option<String> {
        Some(format!("<{}>", self.name))
    }
}

#[test]
fn objects() {
    let data = map(vec![("C", Value::object(Counter { name: "ab".into() }))]);
    assert_eq!(
        exec("{{ .C.Name }} {{ .C.Repeat 3 }} {{ 2 | .C.Repeat }} {{ .C }} {{ printf \"%s|%q\" .C .C }}", &data)
            .unwrap(),
        "ab ababab abab <ab> <ab>|\"<ab>\""
    );
    assert_eq!(
        exec("{{ .C.Repeat }}", &data).unwrap_err(),
        r#"template: t:1:5: executing "t" at <.C.Repeat>: wrong number of args for Repeat: want 1 got 0"#
    );
    assert_eq!(
        exec("{{ .C.Fail }}", &data).unwrap_err(),
        r#"template: t:1:5: executing "t" at <.C.Fail>: error calling Fail: failed"#
    );
    assert_eq!(
        exec("{{ .C.Name 1 }}", &data).unwrap_err(),
        r#"template: t:1:5: executing "t" at <.C.Name>: Name has arguments but cannot be invoked as function"#
    );
    // Go's static type of a map[string]interface{} element is interface {}.
    assert_eq!(
        exec("{{ .C.Nope }}", &data).unwrap_err(),
        r#"template: t:1:5: executing "t" at <.C.Nope>: can't evaluate field Nope in type interface {}"#
    );
    assert_eq!(
        exec("{{ .Nope }}", &Value::object(Counter { name: "x".into() })).unwrap_err(),
        r#"template: t:1:3: executing "t" at <.Nope>: can't evaluate field Nope in type main.Counter"#
    );
    assert_eq!(exec("{{ if .C }}t{{ end }} {{ with .C }}{{ .Name }}{{ end }}", &data).unwrap(), "t ab");
    assert_eq!(
        exec("{{ len .C }}", &data).unwrap_err(),
        r#"template: t:1:3: executing "t" at <len .C>: error calling len: len of type main.Counter"#
    );
}

#[test]
fn struct_values_print_like_go() {
    let s = crate::StructValue::new("main.T").with("Name", "x").with("N", 3i64).with("L", vec![1i64, 2]);
    let data = Value::object(s.clone());
    assert_eq!(exec("{{ . }} {{ .Name }}", &data).unwrap(), "{x 3 [1 2]} x");
    assert_eq!(crate::sprintf("%v|%+v", &[data.clone(), data]), "{x 3 [1 2]}|{Name:x N:3 L:[1 2]}");
    let p = Value::object(s.pointer());
    assert_eq!(crate::sprint(std::slice::from_ref(&p)), "&{x 3 [1 2]}");
    assert_eq!(exec("{{ . }}", &p).unwrap(), "{x 3 [1 2]}");
}

#[test]
fn values_convert_and_display() {
    assert_eq!(Value::from(vec!["a", "b"]).to_string(), "[a b]");
    assert_eq!(Value::from(1.0).to_string(), "1");
    assert_eq!(Value::from(1e21).to_string(), "1e+21");
    assert_eq!(Value::from(Some(3i64)), Value::Int(3));
    assert_eq!(Value::from(None::<i64>), Value::Nil);
    let m: Value = [("b", 2i64), ("a", 1i64)].into_iter().collect();
    assert_eq!(m.to_string(), "map[a:1 b:2]");
    assert_eq!(Value::Nil.to_string(), "<nil>");
    assert!(!Value::str("").truth() && Value::str("x").truth() && !Value::List(vec![]).truth());
    assert_eq!(Value::List(vec![Value::str("a")]).go_type_name(), "[]string");
    assert_eq!(Value::List(vec![Value::Int(1)]).go_type_name(), "[]interface {}");
}

#[test]
fn go_quoting_helpers() {
    assert_eq!(crate::go_quote("a\"\n"), r#""a\"\n""#);
    assert_eq!(crate::go_unquote(r#""a\u00e9""#).unwrap(), "aé");
    assert!(crate::go_unquote(r#""\z""#).is_err());
    assert_eq!(crate::html_escape("<a href='x'>&</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;");
    assert_eq!(crate::query_escape("a b&c"), "a+b%26c");
    assert_eq!(crate::format_float(1234567.0, 'g', 4), "1.235e+06");
}

#[test]
fn whitespace_trimming_and_comments() {
    let cases: &[(&str, &str)] = &[
        ("a  {{- 1 -}}  b", "a1b"),
        ("a\n\t{{- /* c */ -}}\n\tb", "ab"),
        ("{{- 1 }} \n", "1 \n"),
        ("x {{-3}}", "x -3"),
        ("{{ 1 -}}\n\n  {{ 2 }}", "12"),
        ("{{/* multi\nline */}}z", "z"),
        ("{{range .}}\n  {{- . -}}\n{{end}}", "123"),
    ];
    let data = Value::from(vec![1i64, 2, 3]);
    for (text, want) in cases {
        assert_eq!(exec(text, &data).unwrap(), *want, "{:?}", text);
    }
}

#[test]
fn deep_recursion_is_an_error_not_a_crash() {
    let mut f = FuncMap::new();
    f.insert(
        "dec",
        Arc::new(|a: &[Value]| match a {
            [Value::Int(i)] => Ok(Value::Int(i - 1)),
            _ => Err("dec".into()),
        }),
    );
    let mut t = Template::new("t");
    t.parse(r#"{{define "r"}}{{if .}}{{template "r" (dec .)}}{{end}}{{end}}{{template "r" .}}"#).unwrap();
    assert_eq!(t.execute(&Value::Int(300), &f).unwrap(), "");
    let e = t.execute(&Value::Int(100_000), &f).unwrap_err();
    assert!(e.to_string().ends_with("exceeded maximum template depth (1000)"), "{}", e);
    let deep = format!("{{{{ print {}1{} }}}}", "(".repeat(200), ")".repeat(200));
    assert_eq!(
        Template::new("t").parse(&deep).unwrap_err().to_string(),
        "template: t:1: max expression depth exceeded"
    );
}

#[test]
fn concurrent_execution() {
    let mut t = Template::new("t");
    t.parse("{{ range . }}{{ . }}{{ end }}").unwrap();
    let t = Arc::new(t);
    let f = Arc::new(FuncMap::new());
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let (t, f) = (t.clone(), f.clone());
            std::thread::spawn(move || t.execute(&Value::from(vec![i as i64; 3]), &f).unwrap())
        })
        .collect();
    let outs: Vec<String> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(outs, vec!["000", "111", "222", "333"]);
}
