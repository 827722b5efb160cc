//! Function maps and Go's predefined template functions (`and`, `or`, `not`, `len`, `index`,
//! `slice`, `print`, `printf`, `println`, `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `html`, `js`,
//! `urlquery`, `call`).

use std::collections::HashMap;
use std::sync::Arc;

use crate::format::{sprint, sprintf, sprintln};
use crate::value::Value;

/// A function callable from templates: it gets the evaluated arguments (the value piped in, if
/// any, last) and returns a value or an error message (reported as Go does:
/// `error calling NAME: message`).
pub type Function = Arc<dyn Fn(&[Value]) -> Result<Value, String> + Send + Sync>;

/// Errors starting with this marker are argument errors: reported without the
/// `error calling NAME: ` prefix, as Go reports argument count and type errors.
const ARG_ERROR_MARKER: char = '\u{1}';

/// Makes an error message that the executor reports as is (like Go's argument errors, e.g.
/// `wrong number of args for Remove: want 1 got 0`) rather than as `error calling NAME: ...`.
pub fn arg_error(message: impl Into<String>) -> String {
    format!("{}{}", ARG_ERROR_MARKER, message.into())
}

/// Splits an error from a function into (is argument error, message).
pub(crate) fn split_error(e: &str) -> (bool, &str) {
    match e.strip_prefix(ARG_ERROR_MARKER) {
        Some(m) => (true, m),
        None => (false, e),
    }
}

/// The Go parameter types of built-in functions: the executor checks arguments against them
/// as Go's reflection-based calls do (constants are converted, other values must match).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code)] // Float and Bool complete Go's basic parameter kinds.
pub(crate) enum Ty {
    /// `interface{}`
    Any,
    /// `reflect.Value`: anything, including nil.
    Reflect,
    Str,
    Float,
    Int,
    Bool,
    /// `[]string`
    StrList,
    /// Prometheus' `*sample`
    Sample,
    /// Prometheus' `queryResult`
    QueryResult,
    /// `time.Time`
    Time,
    /// `time.Duration` (constants are integers)
    Duration,
}

impl Ty {
    pub fn go_name(self) -> &'static str {
        match self {
            Ty::Any => "interface {}",
            Ty::Reflect => "reflect.Value",
            Ty::Str => "string",
            Ty::Float => "float64",
            Ty::Int => "int",
            Ty::Bool => "bool",
            Ty::StrList => "[]string",
            Ty::Sample => "*template.sample",
            Ty::QueryResult => "template.queryResult",
            Ty::Time => "time.Time",
            Ty::Duration => "time.Duration",
        }
    }

    /// Whether an untyped nil can be assigned to the type (Go's `canBeNil`).
    pub fn can_be_nil(self) -> bool {
        matches!(self, Ty::Any | Ty::Reflect | Ty::StrList | Ty::Sample | Ty::QueryResult)
    }
}

/// A function's Go signature: fixed parameters and an optional variadic one.
#[derive(Clone, Debug)]
pub(crate) struct Sig {
    pub params: Vec<Ty>,
    pub variadic: Option<Ty>,
}

#[derive(Clone)]
pub(crate) enum FuncImpl {
    /// The builtin `and` (false) or `or` (true): short-circuit, evaluated by the executor.
    AndOr(bool),
    /// A function with a Go signature the executor checks.
    Typed { sig: Sig, f: Function },
    /// A caller's function: arguments are passed as evaluated.
    User(Function),
}

/// A set of named functions, like Go's `template.FuncMap` together with the builtins.
///
/// ```
/// use std::sync::Arc;
/// use pharos_template::{FuncMap, Template, Value};
/// let mut funcs = FuncMap::new();
/// funcs.insert("double", Arc::new(|args: &[Value]| match args {
///     [Value::Int(i)] => Ok(Value::Int(i * 2)),
///     _ => Err("double wants one int".to_string()),
/// }));
/// let mut t = Template::new("t");
/// t.parse("{{ 21 | double }}").unwrap();
/// assert_eq!(t.execute(&Value::Nil, &funcs).unwrap(), "42");
/// ```
#[derive(Clone)]
pub struct FuncMap {
    pub(crate) map: HashMap<String, FuncImpl>,
}

impl Default for FuncMap {
    fn default() -> Self {
        FuncMap::new()
    }
}

impl std::fmt::Debug for FuncMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut names: Vec<&String> = self.map.keys().collect();
        names.sort();
        f.debug_struct("FuncMap").field("names", &names).finish()
    }
}

impl FuncMap {
    /// Go's predefined functions: `and or not len index slice print printf println eq ne lt le
    /// gt ge html js urlquery call`.
    pub fn new() -> FuncMap {
        let mut m = FuncMap { map: HashMap::new() };
        use Ty::*;
        m.map.insert("and".into(), FuncImpl::AndOr(false));
        m.map.insert("or".into(), FuncImpl::AndOr(true));
        m.typed("not", &[Reflect], None, |a| Ok(Value::Bool(!a[0].truth())));
        m.typed("len", &[Reflect], None, builtin_len);
        m.typed("index", &[Reflect], Some(Reflect), builtin_index);
        m.typed("slice", &[Reflect], Some(Reflect), builtin_slice);
        m.typed("print", &[], Some(Any), |a| Ok(Value::String(sprint(a))));
        m.typed("println", &[], Some(Any), |a| Ok(Value::String(sprintln(a))));
        m.typed("printf", &[Str], Some(Any), |a| Ok(Value::String(sprintf(a[0].as_str().unwrap_or(""), &a[1..]))));
        m.typed("eq", &[Reflect], Some(Reflect), |a| eq(&a[0], &a[1..]).map(Value::Bool));
        m.typed("ne", &[Reflect, Reflect], None, |a| eq(&a[0], &a[1..2]).map(|b| Value::Bool(!b)));
        m.typed("lt", &[Reflect, Reflect], None, |a| lt(&a[0], &a[1]).map(Value::Bool));
        m.typed("le", &[Reflect, Reflect], None, |a| le(&a[0], &a[1]).map(Value::Bool));
        m.typed("gt", &[Reflect, Reflect], None, |a| le(&a[0], &a[1]).map(|b| Value::Bool(!b)));
        m.typed("ge", &[Reflect, Reflect], None, |a| lt(&a[0], &a[1]).map(|b| Value::Bool(!b)));
        m.typed("html", &[], Some(Any), |a| Ok(Value::String(html_escape(&eval_args(a)))));
        m.typed("js", &[], Some(Any), |a| Ok(Value::String(js_escape(&eval_args(a)))));
        m.typed("urlquery", &[], Some(Any), |a| Ok(Value::String(query_escape(&eval_args(a)))));
        m.typed("call", &[Reflect], Some(Reflect), builtin_call);
        m
    }

    /// Adds (or replaces) a function. Its arguments are passed as evaluated, the piped value
    /// last; constants are Go's "ideal" constants (`3` is `Int`, `3.0` is `Float`).
    pub fn insert(&mut self, name: &str, f: Function) {
        self.map.insert(name.to_string(), FuncImpl::User(f));
    }

    /// Adds every function of `other`, replacing those of the same name.
    pub fn extend(&mut self, other: &FuncMap) {
        for (k, v) in &other.map {
            self.map.insert(k.clone(), v.clone());
        }
    }

    /// Removes a function.
    pub fn remove(&mut self, name: &str) {
        self.map.remove(name);
    }

    /// Whether a function of that name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    /// The function names, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = self.map.keys().cloned().collect();
        v.sort();
        v
    }

    pub(crate) fn get(&self, name: &str) -> Option<&FuncImpl> {
        self.map.get(name)
    }

    /// Adds a function with a Go signature (checked by the executor).
    pub(crate) fn typed(
        &mut self,
        name: &str,
        params: &[Ty],
        variadic: Option<Ty>,
        f: impl Fn(&[Value]) -> Result<Value, String> + Send + Sync + 'static,
    ) {
        self.map.insert(
            name.to_string(),
            FuncImpl::Typed { sig: Sig { params: params.to_vec(), variadic }, f: Arc::new(f) },
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Builtins

fn builtin_len(a: &[Value]) -> Result<Value, String> {
    let item = a[0].plain();
    match item.as_ref() {
        Value::String(s) => Ok(Value::Int(s.len() as i64)),
        Value::List(l) => Ok(Value::Int(l.len() as i64)),
        Value::Map(m) => Ok(Value::Int(m.len() as i64)),
        // Go: a nil interface in a map is "len of nil pointer", no value at all (a missing key,
        // nil) makes reflect panic; the latter is the common case here.
        Value::Nil => Err("reflect: call of reflect.Value.Type on zero Value".into()),
        _ => Err(format!("len of type {}", a[0].go_type_name())),
    }
}

fn index_arg(index: &Value, cap: usize) -> Result<usize, String> {
    let x = match index.plain().as_ref() {
        Value::Int(i) => *i,
        Value::Nil => return Err("cannot index slice/array with nil".into()),
        _ => return Err(format!("cannot index slice/array with type {}", index.go_type_name())),
    };
    if x < 0 || x as u64 > cap as u64 {
        return Err(format!("index out of range: {}", x));
    }
    Ok(x as usize)
}

fn builtin_index(a: &[Value]) -> Result<Value, String> {
    let mut item = a[0].clone();
    if item.is_nil() {
        return Err("index of untyped nil".into());
    }
    // Indexing a string yields a byte (Go's uint8), which is not indexable.
    let mut byte = false;
    for index in &a[1..] {
        if byte {
            return Err("can't index item of type uint8".into());
        }
        // A map-like object's element zero value, for missing keys.
        let (zero, plain) = match &item {
            Value::Object(o) => (o.map_zero(), o.to_value()),
            _ => (Value::Nil, None),
        };
        let cur = plain.unwrap_or_else(|| item.clone());
        item = match &cur {
            Value::List(l) => {
                let x = index_arg(index, l.len())?;
                match l.get(x) {
                    Some(v) => v.clone(),
                    None => return Err("reflect: slice index out of range".into()),
                }
            }
            Value::String(s) => {
                let x = index_arg(index, s.len())?;
                byte = true;
                match s.as_bytes().get(x) {
                    Some(b) => Value::Int(*b as i64),
                    None => return Err("reflect: string index out of range".into()),
                }
            }
            Value::Map(m) => match index {
                Value::String(k) => m.get(k).cloned().unwrap_or(zero),
                Value::Nil => return Err("value is nil; should be of type string".into()),
                other => return Err(format!("value has type {}; should be string", other.go_type_name())),
            },
            Value::Nil => return Err("index of nil pointer".into()),
            _ => return Err(format!("can't index item of type {}", item.go_type_name())),
        };
    }
    Ok(item)
}

fn builtin_slice(a: &[Value]) -> Result<Value, String> {
    let item = a[0].plain().into_owned();
    if item.is_nil() {
        return Err("slice of untyped nil".into());
    }
    let indexes = &a[1..];
    if indexes.len() > 3 {
        return Err(format!("too many slice indexes: {}", indexes.len()));
    }
    let (len, cap) = match &item {
        Value::String(s) => {
            if indexes.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            (s.len(), s.len())
        }
        Value::List(l) => (l.len(), l.len()),
        _ => return Err(format!("can't slice item of type {}", a[0].go_type_name())),
    };
    let mut idx = [0usize, len, 0];
    for (i, index) in indexes.iter().enumerate() {
        idx[i] = index_arg(index, cap)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    if indexes.len() == 3 && idx[1] > idx[2] {
        return Err(format!("invalid slice index: {} > {}", idx[1], idx[2]));
    }
    Ok(match item {
        Value::String(s) => Value::String(String::from_utf8_lossy(&s.as_bytes()[idx[0]..idx[1]]).into_owned()),
        Value::List(l) => Value::List(l[idx[0]..idx[1]].to_vec()),
        _ => unreachable!(),
    })
}

fn builtin_call(a: &[Value]) -> Result<Value, String> {
    match &a[0] {
        Value::Nil => Err("call of nil".into()),
        Value::Func(f) => (f.0)(&a[1..]),
        other => Err(format!("non-function of type {}", other.go_type_name())),
    }
}

// Comparison.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Float,
    String,
}

fn basic_kind(v: &Value) -> Kind {
    match v {
        Value::Bool(_) => Kind::Bool,
        Value::Int(_) => Kind::Int,
        Value::Float(_) => Kind::Float,
        Value::String(_) => Kind::String,
        _ => Kind::Invalid,
    }
}

const ERR_BAD_COMPARISON_TYPE: &str = "invalid type for comparison";
const ERR_BAD_COMPARISON: &str = "incompatible types for comparison";
const ERR_NO_COMPARISON: &str = "missing argument for comparison";

/// Go's reflect kinds of non-basic values, for "can compare" checks.
fn reflect_kind(v: &Value) -> &'static str {
    match v {
        Value::Nil => "invalid",
        Value::List(_) => "slice",
        Value::Map(_) => "map",
        Value::Func(_) => "func",
        Value::Time(_) => "struct",
        Value::Object(_) => "struct",
        _ => "basic",
    }
}

fn eq(orig1: &Value, rest: &[Value]) -> Result<bool, String> {
    let a1 = orig1.plain();
    let arg1 = a1.as_ref();
    if rest.is_empty() {
        return Err(ERR_NO_COMPARISON.into());
    }
    let k1 = basic_kind(arg1);
    for orig in rest {
        let a = orig.plain();
        let arg = a.as_ref();
        let k2 = basic_kind(arg);
        let truth = if k1 != k2 {
            if !arg1.is_nil() && !arg.is_nil() {
                return Err(ERR_BAD_COMPARISON.into());
            }
            false
        } else {
            match (arg1, arg) {
                (Value::Bool(a), Value::Bool(b)) => a == b,
                (Value::Int(a), Value::Int(b)) => a == b,
                (Value::Float(a), Value::Float(b)) => a == b,
                (Value::String(a), Value::String(b)) => a == b,
                _ => {
                    let (r1, r2) = (reflect_kind(arg1), reflect_kind(arg));
                    if r1 != r2 && r1 != "invalid" && r2 != "invalid" {
                        return Err(format!(
                            "non-comparable types {}: {}, {}: {}",
                            sprintf("%s", std::slice::from_ref(orig1)),
                            orig1.go_type_name(),
                            orig.go_type_name(),
                            sprintf("%v", std::slice::from_ref(orig))
                        ));
                    }
                    if arg1.is_nil() || arg.is_nil() {
                        arg1.is_nil() == arg.is_nil()
                    } else {
                        match (arg1, arg) {
                            (Value::Time(a), Value::Time(b)) => a == b,
                            (Value::Object(a), Value::Object(b)) if Arc::ptr_eq(a, b) => true,
                            _ => {
                                return Err(format!(
                                    "non-comparable type {}: {}",
                                    sprintf("%s", std::slice::from_ref(orig)),
                                    orig.go_type_name()
                                ))
                            }
                        }
                    }
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

fn lt(arg1: &Value, arg2: &Value) -> Result<bool, String> {
    let a1 = arg1.plain();
    let a2 = arg2.plain();
    let (arg1, arg2) = (a1.as_ref(), a2.as_ref());
    let k1 = basic_kind(arg1);
    if k1 == Kind::Invalid {
        return Err(ERR_BAD_COMPARISON_TYPE.into());
    }
    let k2 = basic_kind(arg2);
    if k2 == Kind::Invalid {
        return Err(ERR_BAD_COMPARISON_TYPE.into());
    }
    if k1 != k2 {
        return Err(ERR_BAD_COMPARISON.into());
    }
    Ok(match (arg1, arg2) {
        (Value::Bool(_), _) => return Err(ERR_BAD_COMPARISON_TYPE.into()),
        (Value::Int(a), Value::Int(b)) => a < b,
        (Value::Float(a), Value::Float(b)) => a < b,
        (Value::String(a), Value::String(b)) => a < b,
        _ => unreachable!(),
    })
}

fn le(arg1: &Value, arg2: &Value) -> Result<bool, String> {
    let less = lt(arg1, arg2)?;
    if less {
        return Ok(true);
    }
    eq(arg1, std::slice::from_ref(arg2))
}

// Escaping.

/// Go's `template.HTMLEscapeString`.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// Go's `template.JSEscapeString`.
pub fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u00{:02X}", c as u32)),
            c if c.is_ascii() => out.push(c),
            c => {
                if crate::format::is_go_print(c) {
                    out.push(c);
                } else {
                    out.push_str(&format!("\\u{:04X}", c as u32));
                }
            }
        }
    }
    out
}

/// Go's `url.QueryEscape`.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{:02X}", b)),
        }
    }
    out
}

/// Go's `evalArgs`: one string as is, otherwise `fmt.Sprint` of the arguments with nil
/// printed as `<no value>`.
fn eval_args(args: &[Value]) -> String {
    if let [Value::String(s)] = args {
        return s.clone();
    }
    let printable: Vec<Value> =
        args.iter().map(|a| if a.is_nil() { Value::String("<no value>".into()) } else { a.clone() }).collect();
    sprint(&printable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapers() {
        assert_eq!(
            html_escape("<script>alert(\"XSS\");</script>"),
            "&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;"
        );
        let js = [
            ("a", "a"),
            ("'foo", "\\'foo"),
            ("Go \"jump\" \\", "Go \\\"jump\\\" \\\\"),
            ("Yukihiro says \"今日は世界\"", "Yukihiro says \\\"今日は世界\\\""),
            ("unprintable \u{FDFF}", "unprintable \\uFDFF"),
            ("<html>", "\\u003Chtml\\u003E"),
            ("no = in attributes", "no \\u003D in attributes"),
            ("&#x27; does not become HTML entity", "\\u0026#x27; does not become HTML entity"),
            ("tab\there", "tab\\u0009here"),
        ];
        for (i, o) in js {
            assert_eq!(js_escape(i), o);
        }
        assert_eq!(query_escape("http://www.example.org/"), "http%3A%2F%2Fwww.example.org%2F");
        assert_eq!(query_escape("a b+c~é"), "a+b%2Bc~%C3%A9");
    }

    #[test]
    fn comparisons() {
        let i = Value::Int;
        let s = Value::str;
        assert_eq!(eq(&i(1), &[i(2), i(1)]), Ok(true));
        assert_eq!(eq(&s("a"), &[s("a")]), Ok(true));
        assert_eq!(eq(&i(1), &[Value::Float(1.0)]), Err(ERR_BAD_COMPARISON.into()));
        assert_eq!(eq(&Value::Nil, &[i(1)]), Ok(false));
        assert_eq!(eq(&Value::Nil, &[Value::Nil]), Ok(true));
        assert_eq!(eq(&i(1), &[]), Err(ERR_NO_COMPARISON.into()));
        assert_eq!(lt(&i(1), &i(2)), Ok(true));
        assert_eq!(lt(&Value::Float(2.5), &Value::Float(2.0)), Ok(false));
        assert_eq!(lt(&Value::Bool(true), &Value::Bool(false)), Err(ERR_BAD_COMPARISON_TYPE.into()));
        assert_eq!(lt(&Value::Nil, &i(1)), Err(ERR_BAD_COMPARISON_TYPE.into()));
        assert_eq!(le(&s("a"), &s("a")), Ok(true));
        assert_eq!(
            eq(&Value::List(vec![i(1)]), &[Value::List(vec![i(1)])]),
            Err("non-comparable type [%!s(int=1)]: []interface {}".into())
        );
    }
}
