//! The values templates work on: Go's basic kinds, lists, string-keyed maps, times, function
//! values and [`Object`]s (data types with fields and methods, such as Alertmanager's `KV`).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::gotime::Time;

/// A function value, callable with the `call` builtin (Go's `func` fields).
#[derive(Clone)]
pub struct Func(pub crate::Function);

impl fmt::Debug for Func {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Func")
    }
}

/// A value in template data, a pipeline or a function's arguments and result.
///
/// Go's types map onto it as follows: `nil` (and a missing map key) is `Nil`; all integer
/// types are `Int`; `float32/64` are `Float`; `[]T` and arrays are `List`; `map[string]T` is
/// `Map` (iterated and printed in key order, as Go does); `time.Time` is `Time`; anything with
/// fields or methods (structs, `KV`, `Alerts`, ...) is an `Object`.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// Go's nil: printed by an action as `<no value>`, by `print`/`printf` as `<nil>`.
    #[default]
    Nil,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    List(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Object(Arc<dyn Object>),
    /// Go's `time.Time`, with its methods (`Format`, `Unix`, `UTC`, ...).
    Time(Time),
    /// A function, for `call`.
    Func(Func),
}

/// A value with fields and methods, for data types like Alertmanager's `KV`, `Alerts` and
/// `Alert`.
///
/// How the executor uses it:
/// - `.Name` with no arguments: [`method`](Object::method) with no arguments first (methods
///   win over fields and map keys in Go), then [`field`](Object::field). If both answer `None`,
///   a map-like object ([`is_map`](Object::is_map)) yields a missing key (`<no value>`, or
///   [`map_zero`](Object::map_zero) with `missingkey=zero`), anything else is Go's
///   `can't evaluate field Name in type T` error.
/// - `.Name arg...` (or the end of a pipeline): [`method`](Object::method) with the arguments.
/// - `len`, `range`, `index`, truth (`if`/`with`/`and`/`or`/`not`), comparison (`eq`, `lt`...)
///   and printing use [`to_value`](Object::to_value) when the object behaves like a plain list
///   or map; printing prefers [`string`](Object::string) (a Go `String()` method).
pub trait Object: Send + Sync + fmt::Debug {
    /// The Go type name, for error messages and `%T` (e.g. `template.KV`).
    fn type_name(&self) -> String {
        "object".to_string()
    }

    /// A field, a map entry or a method without arguments; `None` if there is none.
    fn field(&self, name: &str) -> Option<Value>;

    /// A method call; `None` if there is no such method. `Err` is the method's error (Go's
    /// second result), reported as `error calling NAME: ...`.
    fn method(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let _ = (name, args);
        None
    }

    /// Whether the type has a method of that name: lets the executor report a field or map
    /// key given arguments before evaluating them, as Go does. Objects that do not say are
    /// still asked through [`method`](Object::method).
    fn has_method(&self, name: &str) -> bool {
        let _ = name;
        false
    }

    /// Whether the object is a Go map: a missing key is not an error.
    fn is_map(&self) -> bool {
        false
    }

    /// The value of a missing key under `missingkey=zero` (the map's element zero value):
    /// `""` for Go's `map[string]string`.
    fn map_zero(&self) -> Value {
        Value::Nil
    }

    /// The object as a plain list or map, when it is one in Go (a named slice or map type):
    /// used by `len`, `range`, `index`, truth, comparison and printing.
    fn to_value(&self) -> Option<Value> {
        None
    }

    /// Go's `String()` method, if the type has one: used when printing with `%v`, `%s`, `%q`,
    /// `%x` and in actions.
    fn string(&self) -> Option<String> {
        None
    }

    /// For printing a struct as Go does (`{v1 v2}`, `%+v` as `{Name:v1 ...}`): the fields in
    /// declaration order.
    fn struct_fields(&self) -> Option<Vec<(String, Value)>> {
        None
    }

    /// Whether the Go value is a pointer to a struct (printed as `&{...}` at top level).
    fn is_pointer(&self) -> bool {
        false
    }

    /// Truth in `if`, `with`, `and`, `or`, `not`: Go's non-zero test. Structs are always true.
    fn truth(&self) -> bool {
        match self.to_value() {
            Some(v) => v.truth(),
            None => true,
        }
    }
}

impl Value {
    /// A `Value::String`.
    pub fn str(s: impl Into<String>) -> Value {
        Value::String(s.into())
    }

    /// A `Value::Object`.
    pub fn object(o: impl Object + 'static) -> Value {
        Value::Object(Arc::new(o))
    }

    /// A `Value::Func`.
    pub fn func(f: impl Fn(&[Value]) -> Result<Value, String> + Send + Sync + 'static) -> Value {
        Value::Func(Func(Arc::new(f)))
    }

    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// The string, if this is a `String`.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Go's truth test (`if`, `with`, `and`, `or`, `not`): false, 0, nil and empty strings,
    /// lists and maps are false.
    pub fn truth(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::String(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty(),
            Value::Object(o) => o.truth(),
            Value::Time(_) => true,
            Value::Func(_) => true,
        }
    }

    /// The Go type name (`%T`, error messages).
    pub fn go_type_name(&self) -> String {
        match self {
            Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Float(_) => "float64".into(),
            Value::String(_) => "string".into(),
            Value::List(l) => {
                // A list of one kind of object (or of strings) stands for a typed Go slice.
                let first = match l.first() {
                    Some(Value::String(_)) => "string".to_string(),
                    Some(Value::Object(o)) => o.type_name(),
                    _ => return "[]interface {}".into(),
                };
                let same = l.iter().all(|v| match v {
                    Value::String(_) => first == "string",
                    Value::Object(o) => o.type_name() == first,
                    _ => false,
                });
                if same {
                    format!("[]{}", first)
                } else {
                    "[]interface {}".into()
                }
            }
            Value::Map(_) => "map[string]interface {}".into(),
            Value::Object(o) => o.type_name(),
            Value::Time(_) => "time.Time".into(),
            Value::Func(_) => "func(...interface {}) (interface {}, error)".into(),
        }
    }

    /// The plain form of an object that is a list or a map in Go; other values as they are.
    pub(crate) fn plain(&self) -> std::borrow::Cow<'_, Value> {
        match self {
            Value::Object(o) => match o.to_value() {
                Some(v) => std::borrow::Cow::Owned(v),
                None => std::borrow::Cow::Borrowed(self),
            },
            _ => std::borrow::Cow::Borrowed(self),
        }
    }
}

/// Prints like Go's `fmt.Sprint` of the value (`%v`).
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::format::format_v(self))
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Nil, Value::Nil) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::String(a), Value::String(b)) => a == b,
            (Value::List(a), Value::List(b)) => a == b,
            (Value::Map(a), Value::Map(b)) => a == b,
            (Value::Time(a), Value::Time(b)) => a == b,
            (Value::Object(a), Value::Object(b)) => {
                Arc::ptr_eq(a, b) || matches!((a.to_value(), b.to_value()), (Some(x), Some(y)) if x == y)
            }
            (Value::Func(a), Value::Func(b)) => Arc::ptr_eq(&a.0, &b.0),
            _ => false,
        }
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Value {
        Value::Bool(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Value {
        Value::Int(v as i64)
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Value {
        Value::Int(v as i64)
    }
}
impl From<usize> for Value {
    fn from(v: usize) -> Value {
        Value::Int(v as i64)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Value {
        Value::Float(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::String(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::String(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Value {
        Value::String(v.clone())
    }
}
impl From<Time> for Value {
    fn from(v: Time) -> Value {
        Value::Time(v)
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Value {
        Value::List(v.into_iter().map(Into::into).collect())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map(Into::into).unwrap_or(Value::Nil)
    }
}
impl<K: Into<String>, V: Into<Value>> From<BTreeMap<K, V>> for Value {
    fn from(m: BTreeMap<K, V>) -> Value {
        Value::Map(m.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}
impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Value {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Value {
        Value::Map(iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

/// A Go struct built from plain fields: field access by name, printed as `{v1 v2 ...}`.
///
/// ```
/// use pharos_template::{StructValue, Value};
/// let s = StructValue::new("main.T").with("Name", "x").with("Count", 3i64);
/// assert_eq!(Value::object(s).to_string(), "{x 3}");
/// ```
#[derive(Debug, Clone, Default)]
pub struct StructValue {
    type_name: String,
    fields: Vec<(String, Value)>,
    pointer: bool,
}

impl StructValue {
    pub fn new(type_name: &str) -> StructValue {
        StructValue { type_name: type_name.to_string(), fields: Vec::new(), pointer: false }
    }

    /// Adds a field (in declaration order).
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> StructValue {
        self.fields.push((name.to_string(), value.into()));
        self
    }

    /// Marks it as a pointer to the struct (printed `&{...}`).
    pub fn pointer(mut self) -> StructValue {
        self.pointer = true;
        self
    }
}

impl Object for StructValue {
    fn type_name(&self) -> String {
        self.type_name.clone()
    }
    fn field(&self, name: &str) -> Option<Value> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    }
    fn struct_fields(&self) -> Option<Vec<(String, Value)>> {
        Some(self.fields.clone())
    }
    fn is_pointer(&self) -> bool {
        self.pointer
    }
}

/// A Go `map[string]string`: field access and `index` give `""` for a missing key under
/// `missingkey=zero`; ranges in key order; prints as `map[k:v ...]`. Prometheus' `$labels`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StringMap(pub BTreeMap<String, String>);

impl StringMap {
    pub fn new() -> StringMap {
        StringMap(BTreeMap::new())
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for StringMap {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> StringMap {
        StringMap(iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

impl Object for StringMap {
    fn type_name(&self) -> String {
        "map[string]string".into()
    }
    fn field(&self, name: &str) -> Option<Value> {
        self.0.get(name).map(|v| Value::String(v.clone()))
    }
    fn is_map(&self) -> bool {
        true
    }
    fn map_zero(&self) -> Value {
        Value::String(String::new())
    }
    fn to_value(&self) -> Option<Value> {
        Some(Value::Map(self.0.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect()))
    }
    fn truth(&self) -> bool {
        !self.0.is_empty()
    }
}

impl From<StringMap> for Value {
    fn from(m: StringMap) -> Value {
        Value::Object(Arc::new(m))
    }
}
