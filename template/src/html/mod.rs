//! Go's `html/template` contextual auto-escaping (Go 1.19), for templates whose output is
//! HTML (Alertmanager's e-mail `html` field).
//!
//! [`Template::escape_html`](crate::Template::escape_html) rewrites a parsed template once:
//! it follows the HTML context through the template's text (text, RCDATA in `<title>` and
//! `<textarea>`, tags, attribute names, quoted and unquoted values, URL and `srcset`
//! attributes, JS in `<script>` and `on*` attributes, CSS in `<style>` and `style`
//! attributes, comments) and appends to each output action the escapers of its context, as
//! Go does. HTML comments are removed from the text, `{{template}}` calls in a non-text
//! context run a copy escaped for that context (`NAME$htmltemplate_...`), and the branches of
//! `if`, `range` and `with` must end in the same context. Executing the escaped template then
//! costs what executing any template costs.
//!
//! ```
//! use pharos_template::{FuncMap, Template, Value};
//!
//! let mut t = Template::new("t");
//! t.parse(r#"<a href="{{ .U }}" title={{ .T }}>{{ .T }}</a>"#).unwrap();
//! t.escape_html().unwrap();
//! let data = [("U", "javascript:alert(1)"), ("T", "a<b> & c")].into_iter().collect();
//! assert_eq!(
//!     t.execute(&data, &FuncMap::new()).unwrap(),
//!     r##"<a href="#ZgotmplZ" title=a&lt;b&gt;&#32;&amp;&#32;c>a&lt;b&gt; &amp; c</a>"##
//! );
//! ```
//!
//! Typed strings ([`SafeContent`], Go's `template.HTML`, `template.URL`, ...) pass the
//! escaper of their own context unchanged: Alertmanager's `safeHtml` returns a
//! `template.HTML`.
//!
//! Differences from Go: HTML character references in attribute values are decoded (to follow
//! the context inside them) for numeric references and the named ones standing for ASCII
//! characters only; others are left as they are, which can only matter for a `/` or a CSS
//! `url(` right after one. JSON for JS values uses the field names of Alertmanager's `Alert`
//! and `Data` json tags, and plain field names for other structs.

mod content;
mod context;
mod entity;
mod escape;
mod escapers;
mod js;
mod transition;

pub use content::{ContentType, SafeContent};
pub(crate) use escape::escape_template;
pub(crate) use escapers::escaper_func;

#[cfg(test)]
mod tests {
    use super::context::{Context, Element, State};
    use super::entity::html_unescape;

    #[test]
    fn unescapes_references_like_go() {
        let u = |s: &str| String::from_utf8(html_unescape(s.as_bytes())).unwrap();
        assert_eq!(u("a&quot;b&#34;c&#x22;d&amp;e&lt&gt;"), "a\"b\"c\"d&e<>");
        assert_eq!(u("&ampx &nbsp; &#0; &#x80; &#;"), "&x &nbsp; \u{FFFD} \u{20AC} &#;");
        assert_eq!(u("&sol;&quest;&num;"), "/?#");
    }

    #[test]
    fn mangles_like_go() {
        let c = Context::with_state(State::Rcdata, Element::Title);
        assert_eq!(c.mangle("x"), "x$htmltemplate_stateRCDATA_elementTitle");
        assert_eq!(Context::default().mangle("x"), "x");
    }
}
