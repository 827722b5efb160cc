//! The escaping and filtering functions the escaper appends to actions (Go's `html.go`,
//! `url.go`, `css.go` and the string escapers of `js.go`), and the table that names them.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use super::content::{typed_content, ContentType};
use super::context::{Context, Delim, Element, State};
use super::js;
use super::transition::transition;
use super::transition::{attr_type, decode_css, index_any, is_css_nmchar, is_css_space, is_hex, t_special_tag_end};
use crate::format::{format_deref, sprint};
use crate::funcs::{FuncImpl, Sig, Ty};
use crate::value::Value;

/// What unsafe values are replaced with: distinctive, and harmless in every context.
pub(crate) const FILTER_FAILSAFE: &str = "ZgotmplZ";

/// The escaper functions by the names the escaper gives them in pipelines.
static ESCAPERS: OnceLock<HashMap<&'static str, FuncImpl>> = OnceLock::new();

/// The escaper function named `name` (`_html_template_htmlescaper`, ..., `_eval_args_`).
pub(crate) fn escaper_func(name: &str) -> Option<&'static FuncImpl> {
    if !name.starts_with('_') {
        return None;
    }
    ESCAPERS.get_or_init(build).get(name)
}

/// An escaper: its arguments to the escaped text.
type EscaperFn = fn(&[Value]) -> String;

fn build() -> HashMap<&'static str, FuncImpl> {
    let table: [(&'static str, EscaperFn); 16] = [
        ("_html_template_attrescaper", attr_escaper),
        ("_html_template_commentescaper", |_| String::new()),
        ("_html_template_cssescaper", css_escaper),
        ("_html_template_cssvaluefilter", css_value_filter),
        ("_html_template_htmlnamefilter", html_name_filter),
        ("_html_template_htmlescaper", html_escaper),
        ("_html_template_jsregexpescaper", js::js_regexp_escaper),
        ("_html_template_jsstrescaper", js::js_str_escaper),
        ("_html_template_jsvalescaper", js::js_val_escaper),
        ("_html_template_nospaceescaper", html_nospace_escaper),
        ("_html_template_rcdataescaper", rcdata_escaper),
        ("_html_template_srcsetescaper", srcset_filter_and_escaper),
        ("_html_template_urlescaper", |a| url_processor(false, a)),
        ("_html_template_urlfilter", url_filter),
        ("_html_template_urlnormalizer", |a| url_processor(true, a)),
        ("_eval_args_", eval_args),
    ];
    table
        .into_iter()
        .map(|(name, f)| {
            let func = FuncImpl::Typed {
                sig: Sig { params: Vec::new(), variadic: Some(Ty::Any) },
                f: Arc::new(move |a: &[Value]| Ok(Value::String(f(a)))),
            };
            (name, func)
        })
        .collect()
}

/// Go's `stringify`: a single string or typed string as it is, anything else printed with
/// `fmt.Sprint` (nil arguments left out).
pub(crate) fn stringify(args: &[Value]) -> (String, ContentType) {
    if let [a] = args {
        if let Value::String(s) = a {
            return (s.clone(), ContentType::Plain);
        }
        if let Some(t) = typed_content(a) {
            return t;
        }
    }
    let non_nil: Vec<Value> = args.iter().filter(|a| !a.is_nil()).cloned().collect();
    match non_nil.as_slice() {
        // Go prints what a pointer points to (indirectToStringerOrError).
        [one] => (format_deref(one), ContentType::Plain),
        _ => (sprint(&non_nil), ContentType::Plain),
    }
}

/// html/template's `_eval_args_`: `fmt.Sprint` of the arguments (nil prints as `<nil>`).
fn eval_args(args: &[Value]) -> String {
    if let [Value::String(s)] = args {
        return s.clone();
    }
    match args {
        [one] => format_deref(one),
        _ => sprint(args),
    }
}

/// The replacement of `r` in HTML text and quoted attributes; `norm` leaves `&` alone (for
/// already-escaped HTML).
fn html_table(r: char, norm: bool) -> Option<&'static str> {
    Some(match r {
        '\0' => "\u{FFFD}",
        '"' => "&#34;",
        '&' if !norm => "&amp;",
        '\'' => "&#39;",
        '+' => "&#43;",
        '<' => "&lt;",
        '>' => "&gt;",
        _ => return None,
    })
}

/// The replacement of `r` in unquoted attributes.
fn nospace_table(r: char, norm: bool) -> Option<&'static str> {
    Some(match r {
        '\0' => "&#xfffd;",
        '\t' => "&#9;",
        '\n' => "&#10;",
        '\u{b}' => "&#11;",
        '\u{c}' => "&#12;",
        '\r' => "&#13;",
        ' ' => "&#32;",
        '"' => "&#34;",
        '&' if !norm => "&amp;",
        '\'' => "&#39;",
        '+' => "&#43;",
        '<' => "&lt;",
        '=' => "&#61;",
        '>' => "&gt;",
        '`' => "&#96;",
        _ => return None,
    })
}

/// Go's `htmlReplacer`; without `bad_runes`, the non-characters U+FDD0..U+FDEF and
/// U+FFF0..U+FFFF become references too.
fn html_replacer(s: &str, table: fn(char, bool) -> Option<&'static str>, norm: bool, bad_runes: bool) -> String {
    let mut b = String::with_capacity(s.len());
    for r in s.chars() {
        if let Some(repl) = table(r, norm) {
            b.push_str(repl);
        } else if !bad_runes && matches!(r as u32, 0xfdd0..=0xfdef | 0xfff0..=0xffff) {
            b.push_str(&format!("&#x{:x};", r as u32));
        } else {
            b.push(r);
        }
    }
    b
}

/// Unquoted attribute values.
fn html_nospace_escaper(args: &[Value]) -> String {
    let (s, t) = stringify(args);
    if t == ContentType::Html {
        return html_replacer(&strip_tags(&s), nospace_table, true, false);
    }
    html_replacer(&s, nospace_table, false, false)
}

/// Quoted attribute values.
fn attr_escaper(args: &[Value]) -> String {
    let (s, t) = stringify(args);
    if t == ContentType::Html {
        return html_replacer(&strip_tags(&s), html_table, true, true);
    }
    html_replacer(&s, html_table, false, true)
}

/// `<textarea>` and `<title>` content.
fn rcdata_escaper(args: &[Value]) -> String {
    let (s, t) = stringify(args);
    if t == ContentType::Html {
        return html_replacer(&s, html_table, true, true);
    }
    html_replacer(&s, html_table, false, true)
}

/// HTML text: a `template.HTML` as it is, anything else escaped.
fn html_escaper(args: &[Value]) -> String {
    let (s, t) = stringify(args);
    if t == ContentType::Html {
        return s;
    }
    html_replacer(&s, html_table, false, true)
}

/// Go's `stripTags`: the text content of an HTML fragment (for HTML put into an attribute).
fn strip_tags(html: &str) -> String {
    let s = html.as_bytes();
    let mut b: Vec<u8> = Vec::with_capacity(s.len());
    let (mut c, mut i, mut all_text) = (Context::default(), 0, true);
    while i != s.len() {
        if c.delim == Delim::None {
            let st = if c.element != Element::None && !c.state.is_in_tag() { State::Rcdata } else { c.state };
            let (d, nread) = if st == State::Rcdata { t_special_tag_end(&c, &s[i..]) } else { transition(&c, &s[i..]) };
            let i1 = i + nread;
            if c.state == State::Text || c.state == State::Rcdata {
                let mut j = i1;
                if d.state != c.state {
                    if let Some(k) = s[i..j].iter().rposition(|&x| x == b'<') {
                        j = i + k;
                    }
                }
                b.extend_from_slice(&s[i..j]);
            } else {
                all_text = false;
            }
            c = d;
            i = i1;
            continue;
        }
        let Some(off) = index_any(&s[i..], c.delim.ends()) else {
            break;
        };
        let mut i1 = i + off;
        if c.delim != Delim::SpaceOrTagEnd {
            i1 += 1;
        }
        c = Context::with_state(State::Tag, c.element);
        i = i1;
    }
    if all_text {
        return html.to_string();
    } else if c.state == State::Text || c.state == State::Rcdata {
        b.extend_from_slice(&s[i..]);
    }
    String::from_utf8_lossy(&b).into_owned()
}

/// Attribute names: only plain, alphanumeric names pass.
fn html_name_filter(args: &[Value]) -> String {
    let (s, t) = stringify(args);
    if t == ContentType::HtmlAttr {
        return s;
    }
    if s.is_empty() {
        return FILTER_FAILSAFE.into();
    }
    let s = s.to_lowercase();
    if attr_type(&s) != ContentType::Plain {
        return FILTER_FAILSAFE.into();
    }
    if !s.chars().all(|r| r.is_ascii_digit() || r.is_ascii_lowercase()) {
        return FILTER_FAILSAFE.into();
    }
    s
}

/// Go's `urlFilter`: a URL with a scheme other than http, https or mailto becomes `#ZgotmplZ`.
fn url_filter(args: &[Value]) -> String {
    let (s, t) = stringify(args);
    if t == ContentType::Url {
        return s;
    }
    if !is_safe_url(&s) {
        return format!("#{}", FILTER_FAILSAFE);
    }
    s
}

/// Whether a URL's scheme (if any) is http, https or mailto.
fn is_safe_url(s: &str) -> bool {
    if let Some((protocol, _)) = s.split_once(':') {
        if !protocol.contains('/')
            && !protocol.eq_ignore_ascii_case("http")
            && !protocol.eq_ignore_ascii_case("https")
            && !protocol.eq_ignore_ascii_case("mailto")
        {
            return false;
        }
    }
    true
}

/// Go's `urlProcessor`: percent-encodes what is not allowed in a URL (`norm`: keeps reserved
/// characters and valid `%xx` escapes, for a whole URL) or in a query part.
fn url_processor(norm: bool, args: &[Value]) -> String {
    let (s, t) = stringify(args);
    let norm = norm || t == ContentType::Url;
    let mut b = String::with_capacity(s.len() + 16);
    process_url_onto(&s, norm, &mut b);
    b
}

/// Appends `s` percent-encoded to `b`; whether anything was encoded.
fn process_url_onto(s: &str, norm: bool, b: &mut String) -> bool {
    let bytes = s.as_bytes();
    let mut written = 0;
    for (i, &c) in bytes.iter().enumerate() {
        let keep = match c {
            b'!' | b'#' | b'$' | b'&' | b'*' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' | b'[' | b']' => {
                norm
            }
            b'-' | b'.' | b'_' | b'~' => true,
            b'%' => norm && i + 2 < bytes.len() && is_hex(bytes[i + 1]) && is_hex(bytes[i + 2]),
            _ => c.is_ascii_alphanumeric(),
        };
        if keep {
            continue;
        }
        // Everything up to here is ASCII that was kept, so slicing at `i` is on a boundary.
        b.push_str(&String::from_utf8_lossy(&bytes[written..i]));
        b.push_str(&format!("%{:02x}", c));
        written = i + 1;
    }
    b.push_str(&String::from_utf8_lossy(&bytes[written..]));
    written != 0
}

/// `srcset` attribute values: each URL filtered and normalised, metadata checked.
fn srcset_filter_and_escaper(args: &[Value]) -> String {
    let (s, t) = stringify(args);
    match t {
        ContentType::Srcset => return s,
        ContentType::Url => {
            let mut b = String::new();
            process_url_onto(&s, true, &mut b);
            return b.replace(',', "%2c");
        }
        _ => {}
    }
    let mut b = String::new();
    let mut written = 0;
    for (i, c) in s.bytes().enumerate() {
        if c == b',' {
            filter_srcset_element(&s, written, i, &mut b);
            b.push(',');
            written = i + 1;
        }
    }
    filter_srcset_element(&s, written, s.len(), &mut b);
    b
}

fn is_html_space(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn filter_srcset_element(s: &str, left: usize, right: usize, b: &mut String) {
    let bytes = s.as_bytes();
    let mut start = left;
    while start < right && is_html_space(bytes[start]) {
        start += 1;
    }
    let end = (start..right).find(|&i| is_html_space(bytes[i])).unwrap_or(right);
    let url = &bytes[start..end];
    let url = String::from_utf8_lossy(url);
    if is_safe_url(&url) {
        let metadata_ok = bytes[end..right].iter().all(|&c| is_html_space(c) || c.is_ascii_alphanumeric());
        if metadata_ok {
            b.push_str(&String::from_utf8_lossy(&bytes[left..start]));
            process_url_onto(&url, true, b);
            b.push_str(&String::from_utf8_lossy(&bytes[end..right]));
            return;
        }
    }
    b.push('#');
    b.push_str(FILTER_FAILSAFE);
}

/// The CSS escape of `r`, if it needs one.
fn css_table(r: char) -> Option<&'static str> {
    Some(match r {
        '\0' => "\\0",
        '\t' => "\\9",
        '\n' => "\\a",
        '\u{c}' => "\\c",
        '\r' => "\\d",
        '"' => "\\22",
        '&' => "\\26",
        '\'' => "\\27",
        '(' => "\\28",
        ')' => "\\29",
        '+' => "\\2b",
        '/' => "\\2f",
        ':' => "\\3a",
        ';' => "\\3b",
        '<' => "\\3c",
        '>' => "\\3e",
        '\\' => "\\\\",
        '{' => "\\7b",
        '}' => "\\7d",
        _ => return None,
    })
}

/// CSS strings and URLs in CSS: special characters hex-escaped.
fn css_escaper(args: &[Value]) -> String {
    let (s, _) = stringify(args);
    let bytes = s.as_bytes();
    let mut b = String::with_capacity(s.len());
    for (i, r) in s.char_indices() {
        let Some(repl) = css_table(r) else {
            b.push(r);
            continue;
        };
        b.push_str(repl);
        let written = i + r.len_utf8();
        // A space ends the escape when a hex digit or space follows.
        if repl != "\\\\" && (written == bytes.len() || is_hex(bytes[written]) || is_css_space(bytes[written])) {
            b.push(' ');
        }
    }
    b
}

/// CSS values: anything that could leave the value or run code becomes `ZgotmplZ`.
fn css_value_filter(args: &[Value]) -> String {
    let (s, t) = stringify(args);
    if t == ContentType::Css {
        return s;
    }
    let b = decode_css(s.as_bytes());
    let mut id: Vec<u8> = Vec::with_capacity(64);
    for (i, &c) in b.iter().enumerate() {
        match c {
            0 | b'"' | b'\'' | b'(' | b')' | b'/' | b';' | b'@' | b'[' | b'\\' | b']' | b'`' | b'{' | b'}' => {
                return FILTER_FAILSAFE.into()
            }
            b'-' => {
                if i != 0 && b[i - 1] == b'-' {
                    return FILTER_FAILSAFE.into();
                }
            }
            _ => {
                if c < 0x80 && is_css_nmchar(c as char) {
                    id.push(c);
                }
            }
        }
    }
    let id = String::from_utf8_lossy(&id).to_ascii_lowercase();
    if id.contains("expression") || id.contains("mozbinding") {
        return FILTER_FAILSAFE.into();
    }
    String::from_utf8_lossy(&b).into_owned()
}
