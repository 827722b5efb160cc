//! Go's `html/template` typed strings (`template.HTML`, `template.URL`, ...): values known to
//! be safe in one context, which the escapers let through there (`content.go`).

use crate::value::{Object, Value};

/// The kind of a typed string, or of an attribute value (Go's `contentType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContentType {
    /// An ordinary string.
    Plain,
    /// `template.CSS`
    Css,
    /// `template.HTML`
    Html,
    /// `template.HTMLAttr`
    HtmlAttr,
    /// `template.JS`
    Js,
    /// `template.JSStr`
    JsStr,
    /// `template.URL`
    Url,
    /// `template.Srcset`
    Srcset,
    /// An attribute whose value cannot be made safe (only for attribute types).
    Unsafe,
}

impl ContentType {
    /// The Go type name (`template.HTML`, ...); `string` for a plain one.
    pub fn go_type_name(self) -> &'static str {
        match self {
            ContentType::Plain | ContentType::Unsafe => "string",
            ContentType::Css => "template.CSS",
            ContentType::Html => "template.HTML",
            ContentType::HtmlAttr => "template.HTMLAttr",
            ContentType::Js => "template.JS",
            ContentType::JsStr => "template.JSStr",
            ContentType::Url => "template.URL",
            ContentType::Srcset => "template.Srcset",
        }
    }

    fn from_type_name(name: &str) -> Option<ContentType> {
        Some(match name {
            "template.CSS" => ContentType::Css,
            "template.HTML" => ContentType::Html,
            "template.HTMLAttr" => ContentType::HtmlAttr,
            "template.JS" => ContentType::Js,
            "template.JSStr" => ContentType::JsStr,
            "template.URL" => ContentType::Url,
            "template.Srcset" => ContentType::Srcset,
            _ => return None,
        })
    }
}

/// A typed string such as Go's `template.HTML`: prints, compares and measures as its text, but
/// the HTML escapers trust it in its own context (a `template.HTML` is not escaped in HTML
/// text, a `template.URL` passes the URL filter). It is not a `string` for functions that
/// want one, as in Go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SafeContent {
    /// What the text is safe as.
    pub kind: ContentType,
    /// The text.
    pub text: String,
}

impl SafeContent {
    /// A typed string value of `kind`.
    pub fn value(kind: ContentType, text: impl Into<String>) -> Value {
        Value::object(SafeContent { kind, text: text.into() })
    }
}

impl Object for SafeContent {
    fn type_name(&self) -> String {
        self.kind.go_type_name().to_string()
    }
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    fn to_value(&self) -> Option<Value> {
        Some(Value::String(self.text.clone()))
    }
    fn string(&self) -> Option<String> {
        Some(self.text.clone())
    }
    fn truth(&self) -> bool {
        !self.text.is_empty()
    }
}

/// The text and kind of a typed string value, if `v` is one.
pub(crate) fn typed_content(v: &Value) -> Option<(String, ContentType)> {
    match v {
        Value::Object(o) => {
            let kind = ContentType::from_type_name(&o.type_name())?;
            Some((o.string()?, kind))
        }
        _ => None,
    }
}
