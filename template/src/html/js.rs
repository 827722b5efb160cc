//! The JavaScript escapers (Go's `html/template` `js.go`): values as JSON (`jsValEscaper`,
//! with a port of `encoding/json`'s output for template values), and string and regexp
//! literal content.

use std::fmt::Write as _;

use super::content::{typed_content, ContentType};
use super::escapers::stringify;
use super::transition::is_js_ident_part;
use crate::format::sprint;
use crate::value::Value;

/// A value in a JS expression: as JSON, padded with spaces when it starts or ends like an
/// identifier (so `x{{.}}` cannot form one identifier); a `template.JS` as it is.
pub(crate) fn js_val_escaper(args: &[Value]) -> String {
    let json = match args {
        [a] => {
            if let Some((s, kind)) = typed_content(a) {
                match kind {
                    ContentType::Js => return s,
                    ContentType::JsStr => return format!("\"{}\"", s),
                    _ => json_marshal(&Value::String(s)),
                }
            } else {
                match a {
                    // Go's Stringers (time.Duration, time.Month, ...) are marshalled as their
                    // String(); time.Time is a json.Marshaler and wins over its String().
                    Value::Object(o) if o.string().is_some() => {
                        json_marshal(&Value::String(o.string().unwrap_or_default()))
                    }
                    _ => json_marshal(a),
                }
            }
        }
        _ => json_marshal(&Value::String(sprint(args))),
    };
    let b = match json {
        Ok(b) => b,
        Err(e) => return format!(" /* {} */null ", e.replace("*/", "* /")),
    };
    if b.is_empty() {
        return " null ".into();
    }
    let first = b.chars().next().unwrap_or(' ');
    let last = b.chars().next_back().unwrap_or(' ');
    let mut out = b.replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029");
    if is_js_ident_part(first) || is_js_ident_part(last) {
        out = format!(" {} ", out);
    }
    out
}

/// Content of a JS string literal.
pub(crate) fn js_str_escaper(args: &[Value]) -> String {
    let (s, t) = stringify(args);
    if t == ContentType::JsStr {
        return replace(&s, js_str_norm_table);
    }
    replace(&s, js_str_table)
}

/// Content of a JS regexp literal (empty becomes `(?:)`).
pub(crate) fn js_regexp_escaper(args: &[Value]) -> String {
    let (s, _) = stringify(args);
    let s = replace(&s, js_regexp_table);
    if s.is_empty() {
        return "(?:)".into();
    }
    s
}

/// Go's `replace`: control characters, the table's characters and U+2028/U+2029 escaped.
fn replace(s: &str, table: fn(char) -> Option<&'static str>) -> String {
    let mut b = String::with_capacity(s.len());
    for r in s.chars() {
        if (r as u32) < 0x20 {
            match r {
                '\t' => b.push_str("\\t"),
                '\n' => b.push_str("\\n"),
                '\u{c}' => b.push_str("\\f"),
                '\r' => b.push_str("\\r"),
                _ => {
                    let _ = write!(b, "\\u{:04x}", r as u32);
                }
            }
        } else if let Some(repl) = table(r) {
            b.push_str(repl);
        } else if r == '\u{2028}' {
            b.push_str("\\u2028");
        } else if r == '\u{2029}' {
            b.push_str("\\u2029");
        } else {
            b.push(r);
        }
    }
    b
}

fn js_str_common(r: char) -> Option<&'static str> {
    Some(match r {
        '"' => "\\u0022",
        '`' => "\\u0060",
        '&' => "\\u0026",
        '\'' => "\\u0027",
        '+' => "\\u002b",
        '/' => "\\/",
        '<' => "\\u003c",
        '>' => "\\u003e",
        _ => return None,
    })
}

fn js_str_table(r: char) -> Option<&'static str> {
    if r == '\\' {
        return Some("\\\\");
    }
    js_str_common(r)
}

/// For a `template.JSStr`: backslashes are already escapes.
fn js_str_norm_table(r: char) -> Option<&'static str> {
    js_str_common(r)
}

fn js_regexp_table(r: char) -> Option<&'static str> {
    Some(match r {
        '"' => "\\u0022",
        '$' => "\\$",
        '&' => "\\u0026",
        '\'' => "\\u0027",
        '(' => "\\(",
        ')' => "\\)",
        '*' => "\\*",
        '+' => "\\u002b",
        '-' => "\\-",
        '.' => "\\.",
        '/' => "\\/",
        '<' => "\\u003c",
        '>' => "\\u003e",
        '?' => "\\?",
        '[' => "\\[",
        '\\' => "\\\\",
        ']' => "\\]",
        '^' => "\\^",
        '{' => "\\{",
        '|' => "\\|",
        '}' => "\\}",
        _ => return None,
    })
}

/// Go's `json.Marshal` of a template value (`<`, `>`, `&`, U+2028 and U+2029 escaped).
/// Errors read like Go's.
pub(crate) fn json_marshal(v: &Value) -> Result<String, String> {
    let mut out = String::new();
    encode(v, &mut out)?;
    Ok(out)
}

fn encode(v: &Value, out: &mut String) -> Result<(), String> {
    match v {
        Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => {
            let _ = write!(out, "{}", i);
        }
        Value::Float(f) => encode_float(*f, out)?,
        Value::String(s) => encode_string(s, out),
        Value::List(l) => {
            out.push('[');
            for (i, e) in l.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode(e, out)?;
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, e)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode_string(k, out);
                out.push(':');
                encode(e, out)?;
            }
            out.push('}');
        }
        Value::Time(t) => encode_string(&t.format("2006-01-02T15:04:05.999999999Z07:00"), out),
        Value::Func(_) => return Err(format!("json: unsupported type: {}", v.go_type_name())),
        Value::Object(o) => {
            if let Some(plain) = o.to_value() {
                return encode(&plain, out);
            }
            if let Some(fields) = o.struct_fields() {
                // Alertmanager's Alert and Data have json tags: the field names with a
                // lower-case first letter.
                let tagged = matches!(o.type_name().as_str(), "template.Alert" | "template.Data" | "*template.Data");
                out.push('{');
                for (i, (name, e)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let key = if tagged { lower_first(name) } else { name.clone() };
                    encode_string(&key, out);
                    out.push(':');
                    encode(e, out)?;
                }
                out.push('}');
                return Ok(());
            }
            match o.string() {
                Some(s) => encode_string(&s, out),
                None => return Err(format!("json: unsupported type: {}", o.type_name())),
            }
        }
    }
    Ok(())
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `encoding/json`'s float format: shortest, in exponent form below 1e-6 and from 1e21.
fn encode_float(f: f64, out: &mut String) -> Result<(), String> {
    if f.is_nan() {
        return Err("json: unsupported value: NaN".into());
    }
    if f.is_infinite() {
        return Err(format!("json: unsupported value: {}", if f > 0.0 { "+Inf" } else { "-Inf" }));
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format!("{:e}", f);
        let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        if exp < 0 {
            let _ = write!(out, "{}e-{}", mant, -exp);
        } else {
            let _ = write!(out, "{}e+{:02}", mant, exp);
        }
    } else {
        let _ = write!(out, "{}", f);
    }
    Ok(())
}

/// A JSON string as Go's encoder writes it with HTML escaping.
fn encode_string(s: &str, out: &mut String) {
    out.push('"');
    for r in s.chars() {
        match r {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' => {
                let _ = write!(out, "\\u00{:02x}", r as u32);
            }
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u00{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
