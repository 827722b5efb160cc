//! Context transitions over template text (Go's `html/template` `transition.go`, with the
//! helpers of `attr.go`, `js.go` and `css.go` they use): each function takes a context and
//! text, and returns the context after a prefix of the text and that prefix's length.

use super::content::ContentType;
use super::context::{Attr, Context, Delim, Element, JsCtx, State, UrlPart};
use crate::strconv::quote;

/// Runs the transition function of `c`'s state on `s`.
pub(crate) fn transition(c: &Context, s: &[u8]) -> (Context, usize) {
    use State::*;
    match c.state {
        Text => t_text(c, s),
        Tag => t_tag(c, s),
        AttrName => t_attr_name(c, s),
        AfterName => t_after_name(c, s),
        BeforeValue => t_before_value(c, s),
        HtmlCmt => t_html_cmt(c, s),
        Rcdata => t_special_tag_end(c, s),
        Attr | Error | Dead => (c.clone(), s.len()),
        Url | Srcset => t_url(c, s),
        Js => t_js(c, s),
        JsDqStr | JsSqStr | JsBqStr | JsRegexp => t_js_delimited(c, s),
        JsBlockCmt | CssBlockCmt => t_block_cmt(c, s),
        JsLineCmt | CssLineCmt => t_line_cmt(c, s),
        Css => t_css(c, s),
        CssDqStr | CssSqStr | CssDqUrl | CssSqUrl | CssUrl => t_css_str(c, s),
    }
}

/// Go's `%.32q` of bytes: at most 32 characters, quoted.
pub(crate) fn q32(s: &[u8]) -> String {
    let s = String::from_utf8_lossy(s);
    let cut: String = s.chars().take(32).collect();
    quote(&cut)
}

fn find(s: &[u8], pat: &[u8]) -> Option<usize> {
    if pat.is_empty() {
        return Some(0);
    }
    s.windows(pat.len()).position(|w| w == pat)
}

/// Go's `bytes.IndexAny` for ASCII sets.
pub(crate) fn index_any(s: &[u8], set: &[u8]) -> Option<usize> {
    s.iter().position(|b| set.contains(b))
}

/// Whether `s` at `i` starts U+2028 or U+2029 (JS line terminators).
fn is_ls_ps(s: &[u8], i: usize) -> bool {
    i + 2 < s.len() && s[i] == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)
}

fn t_text(c: &Context, s: &[u8]) -> (Context, usize) {
    let mut k = 0;
    loop {
        let Some(off) = s[k..].iter().position(|&b| b == b'<') else {
            return (c.clone(), s.len());
        };
        let mut i = k + off;
        if i + 1 == s.len() {
            return (c.clone(), s.len());
        }
        if i + 4 <= s.len() && &s[i..i + 4] == b"<!--" {
            return (Context::with_state(State::HtmlCmt, Element::None), i + 4);
        }
        i += 1;
        let mut end = false;
        if s[i] == b'/' {
            if i + 1 == s.len() {
                return (c.clone(), s.len());
            }
            end = true;
            i += 1;
        }
        let (j, e) = eat_tag_name(s, i);
        if j != i {
            let e = if end { Element::None } else { e };
            return (Context::with_state(State::Tag, e), j);
        }
        k = j;
    }
}

fn t_tag(c: &Context, s: &[u8]) -> (Context, usize) {
    let i = eat_white_space(s, 0);
    if i == s.len() {
        return (c.clone(), s.len());
    }
    if s[i] == b'>' {
        return (Context::with_state(c.element.content_state(), c.element), i + 1);
    }
    let j = match eat_attr_name(s, i) {
        Ok(j) => j,
        Err(e) => return (e, s.len()),
    };
    if i == j {
        return (
            Context::text_error(format!(
                "expected space, attr name, or end of tag, but got {}",
                quote(&String::from_utf8_lossy(&s[i..]))
            )),
            s.len(),
        );
    }
    let name = String::from_utf8_lossy(&s[i..j]).to_lowercase();
    let attr = if c.element == Element::Script && name == "type" {
        Attr::ScriptType
    } else {
        match attr_type(&name) {
            ContentType::Url => Attr::Url,
            ContentType::Css => Attr::Style,
            ContentType::Js => Attr::Script,
            ContentType::Srcset => Attr::Srcset,
            _ => Attr::None,
        }
    };
    let state = if j == s.len() { State::AttrName } else { State::AfterName };
    (Context { state, element: c.element, attr, ..Context::default() }, j)
}

fn t_attr_name(c: &Context, s: &[u8]) -> (Context, usize) {
    match eat_attr_name(s, 0) {
        Err(e) => (e, s.len()),
        Ok(i) => {
            let mut c = c.clone();
            if i != s.len() {
                c.state = State::AfterName;
            }
            (c, i)
        }
    }
}

fn t_after_name(c: &Context, s: &[u8]) -> (Context, usize) {
    let i = eat_white_space(s, 0);
    let mut c = c.clone();
    if i == s.len() {
        return (c, s.len());
    } else if s[i] != b'=' {
        // A tag end or a valueless attribute.
        c.state = State::Tag;
        return (c, i);
    }
    c.state = State::BeforeValue;
    (c, i + 1)
}

fn t_before_value(c: &Context, s: &[u8]) -> (Context, usize) {
    let mut i = eat_white_space(s, 0);
    let mut c = c.clone();
    if i == s.len() {
        return (c, s.len());
    }
    let mut delim = Delim::SpaceOrTagEnd;
    match s[i] {
        b'\'' => {
            delim = Delim::SingleQuote;
            i += 1;
        }
        b'"' => {
            delim = Delim::DoubleQuote;
            i += 1;
        }
        _ => {}
    }
    c.state = c.attr.start_state();
    c.delim = delim;
    (c, i)
}

fn t_html_cmt(c: &Context, s: &[u8]) -> (Context, usize) {
    match find(s, b"-->") {
        Some(i) => (Context::default(), i + 3),
        None => (c.clone(), s.len()),
    }
}

/// Raw text and RCDATA: everything up to the element's end tag.
pub(crate) fn t_special_tag_end(c: &Context, s: &[u8]) -> (Context, usize) {
    if c.element != Element::None {
        if let Some(i) = index_tag_end(s, c.element.end_tag()) {
            return (Context::default(), i);
        }
    }
    (c.clone(), s.len())
}

/// The index of `</tag` followed by a tag-end separator, case-insensitively.
fn index_tag_end(s: &[u8], tag: &[u8]) -> Option<usize> {
    let mut res = 0;
    let mut s = s;
    while !s.is_empty() {
        let i = find(s, b"</")?;
        s = &s[i + 2..];
        if tag.len() <= s.len() && tag.eq_ignore_ascii_case(&s[..tag.len()]) {
            s = &s[tag.len()..];
            if !s.is_empty() && b"> \t\n\x0c/".contains(&s[0]) {
                return Some(res + i);
            }
            res += tag.len();
        }
        res += i + 2;
    }
    None
}

fn t_url(c: &Context, s: &[u8]) -> (Context, usize) {
    let mut c = c.clone();
    if s.contains(&b'#') || s.contains(&b'?') {
        c.url_part = UrlPart::QueryOrFrag;
    } else if s.len() != eat_white_space(s, 0) && c.url_part == UrlPart::None {
        // A URL attribute may be surrounded by spaces.
        c.url_part = UrlPart::PreQuery;
    }
    (c, s.len())
}

fn t_js(c: &Context, s: &[u8]) -> (Context, usize) {
    let mut c = c.clone();
    let Some(mut i) = index_any(s, b"\"`'/") else {
        c.js_ctx = next_js_ctx(s, c.js_ctx);
        return (c, s.len());
    };
    c.js_ctx = next_js_ctx(&s[..i], c.js_ctx);
    match s[i] {
        b'"' => (c.state, c.js_ctx) = (State::JsDqStr, JsCtx::Regexp),
        b'\'' => (c.state, c.js_ctx) = (State::JsSqStr, JsCtx::Regexp),
        b'`' => (c.state, c.js_ctx) = (State::JsBqStr, JsCtx::Regexp),
        _ => {
            if i + 1 < s.len() && s[i + 1] == b'/' {
                c.state = State::JsLineCmt;
                i += 1;
            } else if i + 1 < s.len() && s[i + 1] == b'*' {
                c.state = State::JsBlockCmt;
                i += 1;
            } else if c.js_ctx == JsCtx::Regexp {
                c.state = State::JsRegexp;
            } else if c.js_ctx == JsCtx::DivOp {
                c.js_ctx = JsCtx::Regexp;
            } else {
                return (
                    Context::text_error(format!("'/' could start a division or regexp: {}", q32(&s[i..]))),
                    s.len(),
                );
            }
        }
    }
    (c, i + 1)
}

fn t_js_delimited(c: &Context, s: &[u8]) -> (Context, usize) {
    let specials: &[u8] = match c.state {
        State::JsSqStr => b"\\'",
        State::JsBqStr => b"`\\",
        State::JsRegexp => b"\\/[]",
        _ => b"\\\"",
    };
    let mut c = c.clone();
    let (mut k, mut in_charset) = (0, false);
    while let Some(off) = index_any(&s[k..], specials) {
        let mut i = k + off;
        match s[i] {
            b'\\' => {
                i += 1;
                if i == s.len() {
                    return (
                        Context::text_error(format!(
                            "unfinished escape sequence in JS string: {}",
                            quote(&String::from_utf8_lossy(s))
                        )),
                        s.len(),
                    );
                }
            }
            b'[' => in_charset = true,
            b']' => in_charset = false,
            _ => {
                // The end delimiter.
                if !in_charset {
                    c.state = State::Js;
                    c.js_ctx = JsCtx::DivOp;
                    return (c, i + 1);
                }
            }
        }
        k = i + 1;
    }
    if in_charset {
        return (
            Context::text_error(format!("unfinished JS regexp charset: {}", quote(&String::from_utf8_lossy(s)))),
            s.len(),
        );
    }
    (c, s.len())
}

fn t_block_cmt(c: &Context, s: &[u8]) -> (Context, usize) {
    let Some(i) = find(s, b"*/") else {
        return (c.clone(), s.len());
    };
    let mut c = c.clone();
    c.state = if c.state == State::JsBlockCmt { State::Js } else { State::Css };
    (c, i + 2)
}

fn t_line_cmt(c: &Context, s: &[u8]) -> (Context, usize) {
    let mut c = c.clone();
    let found = if c.state == State::JsLineCmt {
        (0..s.len()).find(|&i| s[i] == b'\n' || s[i] == b'\r' || is_ls_ps(s, i))
    } else {
        index_any(s, b"\n\x0c\r")
    };
    let Some(i) = found else {
        return (c, s.len());
    };
    c.state = if c.state == State::JsLineCmt { State::Js } else { State::Css };
    // The line terminator is not part of the comment.
    (c, i)
}

fn t_css(c: &Context, s: &[u8]) -> (Context, usize) {
    let mut c = c.clone();
    let mut k = 0;
    loop {
        let Some(off) = index_any(&s[k..], b"(\"'/") else {
            return (c, s.len());
        };
        let i = k + off;
        match s[i] {
            b'(' => {
                // Look for `url` to the left.
                let p = trim_right(&s[..i], b"\t\n\x0c\r ");
                if ends_with_css_keyword(p, "url") {
                    let rest = &s[i + 1..];
                    let mut j = s.len() - trim_left(rest, b"\t\n\x0c\r ").len();
                    if j != s.len() && s[j] == b'"' {
                        c.state = State::CssDqUrl;
                        j += 1;
                    } else if j != s.len() && s[j] == b'\'' {
                        c.state = State::CssSqUrl;
                        j += 1;
                    } else {
                        c.state = State::CssUrl;
                    }
                    return (c, j);
                }
            }
            b'/' => {
                if i + 1 < s.len() {
                    match s[i + 1] {
                        b'/' => {
                            c.state = State::CssLineCmt;
                            return (c, i + 2);
                        }
                        b'*' => {
                            c.state = State::CssBlockCmt;
                            return (c, i + 2);
                        }
                        _ => {}
                    }
                }
            }
            b'"' => {
                c.state = State::CssDqStr;
                return (c, i + 1);
            }
            _ => {
                c.state = State::CssSqStr;
                return (c, i + 1);
            }
        }
        k = i + 1;
    }
}

fn t_css_str(c: &Context, s: &[u8]) -> (Context, usize) {
    let end_and_esc: &[u8] = match c.state {
        State::CssDqStr | State::CssDqUrl => b"\\\"",
        State::CssSqStr | State::CssSqUrl => b"\\'",
        // Unquoted URLs end with a space or a close parenthesis.
        _ => b"\\\t\n\x0c\r )",
    };
    let mut c = c.clone();
    let mut k = 0;
    loop {
        let Some(off) = index_any(&s[k..], end_and_esc) else {
            let (c1, n) = t_url(&c, &decode_css(&s[k..]));
            return (c1, k + n);
        };
        let mut i = k + off;
        if s[i] == b'\\' {
            i += 1;
            if i == s.len() {
                return (
                    Context::text_error(format!(
                        "unfinished escape sequence in CSS string: {}",
                        quote(&String::from_utf8_lossy(s))
                    )),
                    s.len(),
                );
            }
        } else {
            c.state = State::Css;
            return (c, i + 1);
        }
        c = t_url(&c, &decode_css(&s[..i + 1])).0;
        k = i + 1;
    }
}

fn trim_right<'s>(s: &'s [u8], set: &[u8]) -> &'s [u8] {
    let mut e = s.len();
    while e > 0 && set.contains(&s[e - 1]) {
        e -= 1;
    }
    &s[..e]
}

fn trim_left<'s>(s: &'s [u8], set: &[u8]) -> &'s [u8] {
    let mut b = 0;
    while b < s.len() && set.contains(&s[b]) {
        b += 1;
    }
    &s[b..]
}

/// The largest `j` such that `s[i..j]` is an attribute name, or an error context for a quote
/// or `<` in it.
fn eat_attr_name(s: &[u8], i: usize) -> Result<usize, Context> {
    for j in i..s.len() {
        match s[j] {
            b' ' | b'\t' | b'\n' | b'\x0c' | b'\r' | b'=' | b'>' => return Ok(j),
            b'\'' | b'"' | b'<' => {
                return Err(Context::text_error(format!(
                    "{} in attribute name: {}",
                    quote(&String::from_utf8_lossy(&s[j..j + 1])),
                    q32(s)
                )))
            }
            _ => {}
        }
    }
    Ok(s.len())
}

/// The largest `j` such that `s[i..j]` is a tag name, and the element it names.
fn eat_tag_name(s: &[u8], i: usize) -> (usize, Element) {
    if i == s.len() || !s[i].is_ascii_alphabetic() {
        return (i, Element::None);
    }
    let mut j = i + 1;
    while j < s.len() {
        let x = s[j];
        if x.is_ascii_alphanumeric() {
            j += 1;
            continue;
        }
        // "x-y" and "x:y", not "x-", "-y" or "x--y".
        if (x == b':' || x == b'-') && j + 1 < s.len() && s[j + 1].is_ascii_alphanumeric() {
            j += 2;
            continue;
        }
        break;
    }
    let e = match s[i..j].to_ascii_lowercase().as_slice() {
        b"script" => Element::Script,
        b"style" => Element::Style,
        b"textarea" => Element::Textarea,
        b"title" => Element::Title,
        _ => Element::None,
    };
    (j, e)
}

/// The largest `j` such that `s[i..j]` is HTML white space.
pub(crate) fn eat_white_space(s: &[u8], i: usize) -> usize {
    for (j, b) in s.iter().enumerate().skip(i) {
        if !matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r') {
            return j;
        }
    }
    s.len()
}

/// Go's `attrType`: what an attribute's value holds, by the (lower-case) attribute name.
pub(crate) fn attr_type(name: &str) -> ContentType {
    use ContentType::*;
    let name = if let Some(rest) = name.strip_prefix("data-") {
        rest
    } else if let Some((prefix, short)) = name.split_once(':') {
        if prefix == "xmlns" {
            return Url;
        }
        short
    } else {
        name
    };
    match name {
        "accept" | "alt" | "autocomplete" | "autofocus" | "autoplay" | "border" | "checked" | "class" | "cols"
        | "colspan" | "contenteditable" | "contextmenu" | "controls" | "coords" | "datetime" | "default" | "dir"
        | "dirname" | "disabled" | "draggable" | "dropzone" | "for" | "formtarget" | "headers" | "height"
        | "hidden" | "high" | "hreflang" | "id" | "ismap" | "kind" | "label" | "lang" | "list" | "loop" | "low"
        | "max" | "maxlength" | "media" | "mediagroup" | "min" | "multiple" | "name" | "open" | "optimum"
        | "placeholder" | "preload" | "pubdate" | "radiogroup" | "readonly" | "required" | "reversed" | "rows"
        | "rowspan" | "spellcheck" | "scope" | "scoped" | "seamless" | "selected" | "shape" | "size" | "sizes"
        | "span" | "srclang" | "start" | "step" | "tabindex" | "target" | "title" | "width" | "wrap" => Plain,
        "accept-charset" | "async" | "challenge" | "charset" | "content" | "crossorigin" | "defer" | "enctype"
        | "form" | "formenctype" | "formmethod" | "formnovalidate" | "http-equiv" | "keytype" | "language"
        | "method" | "novalidate" | "pattern" | "rel" | "sandbox" | "type" | "value" => Unsafe,
        "action" | "archive" | "background" | "cite" | "classid" | "codebase" | "data" | "formaction" | "href"
        | "icon" | "longdesc" | "manifest" | "poster" | "profile" | "src" | "usemap" | "xmlns" => Url,
        "srcdoc" => Html,
        "srcset" => Srcset,
        "style" => Css,
        _ if name.starts_with("on") => Js,
        // Heuristic for custom attributes.
        _ if name.contains("src") || name.contains("uri") || name.contains("url") => Url,
        _ => Plain,
    }
}

/// Go's `isJSType`: whether a `<script type=...>` holds JavaScript.
pub(crate) fn is_js_type(mime: &str) -> bool {
    let mime = mime.split(';').next().unwrap_or("").to_lowercase();
    matches!(
        mime.trim(),
        "application/ecmascript"
            | "application/javascript"
            | "application/json"
            | "application/ld+json"
            | "application/x-ecmascript"
            | "application/x-javascript"
            | "module"
            | "text/ecmascript"
            | "text/javascript"
            | "text/javascript1.0"
            | "text/javascript1.1"
            | "text/javascript1.2"
            | "text/javascript1.3"
            | "text/javascript1.4"
            | "text/javascript1.5"
            | "text/jscript"
            | "text/livescript"
            | "text/x-ecmascript"
            | "text/x-javascript"
    )
}

/// Go's `isJSIdentPart` (ASCII only, as Go's).
pub(crate) fn is_js_ident_part(r: char) -> bool {
    r == '$' || r == '_' || r.is_ascii_alphanumeric()
}

/// Go's `nextJSCtx`: whether a `/` after `s` starts a regexp or is a division.
fn next_js_ctx(s: &[u8], preceding: JsCtx) -> JsCtx {
    // Trim trailing JS white space (including U+2028 and U+2029).
    let mut n = s.len();
    loop {
        if n > 0 && matches!(s[n - 1], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ') {
            n -= 1;
        } else if n >= 3 && is_ls_ps(s, n - 3) {
            n -= 3;
        } else {
            break;
        }
    }
    let s = &s[..n];
    if n == 0 {
        return preceding;
    }
    let c = s[n - 1];
    match c {
        b'+' | b'-' => {
            // ++ and -- end a value; a lone + or - is a binary or unary operator.
            let mut start = n - 1;
            while start > 0 && s[start - 1] == c {
                start -= 1;
            }
            if (n - start) & 1 == 1 {
                JsCtx::Regexp
            } else {
                JsCtx::DivOp
            }
        }
        b'.' => {
            if n != 1 && s[n - 2].is_ascii_digit() {
                JsCtx::DivOp
            } else {
                JsCtx::Regexp
            }
        }
        b',' | b'<' | b'>' | b'=' | b'*' | b'%' | b'&' | b'|' | b'^' | b'?' | b'!' | b'~' | b'(' | b'[' | b':'
        | b';' | b'{' | b'}' => JsCtx::Regexp,
        _ => {
            let mut j = n;
            while j > 0 && is_js_ident_part(s[j - 1] as char) {
                j -= 1;
            }
            match &s[j..] {
                b"break" | b"case" | b"continue" | b"delete" | b"do" | b"else" | b"finally" | b"in" | b"instanceof"
                | b"return" | b"throw" | b"try" | b"typeof" | b"void" => JsCtx::Regexp,
                _ => JsCtx::DivOp,
            }
        }
    }
}

/// Go's `isCSSNmchar`.
pub(crate) fn is_css_nmchar(r: char) -> bool {
    let r = r as u32;
    matches!(r, 0x61..=0x7a | 0x41..=0x5a | 0x30..=0x39 | 0x2d | 0x5f | 0x80..=0xd7ff | 0xe000..=0xfffd | 0x10000..=0x10ffff)
}

/// The last character of `b` (U+FFFD for a broken sequence, as Go's `DecodeLastRune`).
fn last_rune(b: &[u8]) -> char {
    for k in 1..=4.min(b.len()) {
        if let Ok(s) = std::str::from_utf8(&b[b.len() - k..]) {
            if let Some(c) = s.chars().next() {
                return c;
            }
        }
    }
    '\u{FFFD}'
}

/// Go's `endsWithCSSKeyword`: whether `b` ends with the keyword `kw`, case-insensitively.
fn ends_with_css_keyword(b: &[u8], kw: &str) -> bool {
    let Some(i) = b.len().checked_sub(kw.len()) else {
        return false;
    };
    if i != 0 && is_css_nmchar(last_rune(&b[..i])) {
        return false;
    }
    b[i..].eq_ignore_ascii_case(kw.as_bytes())
}

/// Go's `isHex`.
pub(crate) fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

/// Go's `decodeCSS`: CSS escapes (`\41`, `\"`) decoded.
pub(crate) fn decode_css(s: &[u8]) -> Vec<u8> {
    if !s.contains(&b'\\') {
        return s.to_vec();
    }
    let mut b = Vec::with_capacity(s.len());
    let mut s = s;
    while !s.is_empty() {
        let i = s.iter().position(|&c| c == b'\\').unwrap_or(s.len());
        b.extend_from_slice(&s[..i]);
        s = &s[i..];
        if s.len() < 2 {
            break;
        }
        if is_hex(s[1]) {
            let mut j = 2;
            while j < s.len() && j < 7 && is_hex(s[j]) {
                j += 1;
            }
            let mut r = s[1..j].iter().fold(0u32, |n, &c| n * 16 + (c as char).to_digit(16).unwrap_or(0));
            if r > 0x10FFFF {
                r /= 16;
                j -= 1;
            }
            let ch = char::from_u32(r).unwrap_or('\u{FFFD}');
            let mut buf = [0u8; 4];
            b.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            s = skip_css_space(&s[j..]);
        } else {
            let n = utf8_len(&s[1..]);
            b.extend_from_slice(&s[1..1 + n]);
            s = &s[1 + n..];
        }
    }
    b
}

/// The length of the UTF-8 sequence at the start of `s` (1 for a broken one).
fn utf8_len(s: &[u8]) -> usize {
    for k in 1..=4.min(s.len()) {
        if std::str::from_utf8(&s[..k]).is_ok() {
            return k;
        }
    }
    1.min(s.len())
}

fn skip_css_space(c: &[u8]) -> &[u8] {
    match c.first() {
        Some(b'\t' | b'\n' | b'\x0c' | b' ') => &c[1..],
        Some(b'\r') if c.len() >= 2 && c[1] == b'\n' => &c[2..],
        Some(b'\r') => &c[1..],
        _ => c,
    }
}

/// Go's `isCSSSpace`.
pub(crate) fn is_css_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}
