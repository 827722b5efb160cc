//! The HTML context the escaper tracks while walking a template (Go's `html/template`
//! `context.go`): the parser state, attribute delimiter, URL part, JS regexp/division
//! ambiguity, attribute type and special element, plus `nudge` and `join`.

use std::fmt;

/// Go's `state`: the kind of text being emitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum State {
    /// Ordinary HTML text.
    #[default]
    Text,
    /// Inside a tag, before an attribute name.
    Tag,
    /// Inside an attribute name.
    AttrName,
    /// After an attribute name, before any `=`.
    AfterName,
    /// After `=`, before the value.
    BeforeValue,
    /// Inside an HTML comment.
    HtmlCmt,
    /// Inside `<textarea>` or `<title>`.
    Rcdata,
    /// Inside an ordinary attribute value.
    Attr,
    /// Inside a URL attribute value.
    Url,
    /// Inside a `srcset` attribute value.
    Srcset,
    /// JavaScript outside strings, regexps and comments.
    Js,
    JsDqStr,
    JsSqStr,
    JsBqStr,
    JsRegexp,
    JsBlockCmt,
    JsLineCmt,
    /// CSS outside strings, URLs and comments.
    Css,
    CssDqStr,
    CssSqStr,
    CssDqUrl,
    CssSqUrl,
    CssUrl,
    CssBlockCmt,
    CssLineCmt,
    /// An error (the context's `err` says which).
    Error,
    /// After `{{break}}` or `{{continue}}`: no output can follow.
    Dead,
}

impl State {
    /// Go's stringer name.
    pub(crate) fn name(self) -> &'static str {
        use State::*;
        match self {
            Text => "stateText",
            Tag => "stateTag",
            AttrName => "stateAttrName",
            AfterName => "stateAfterName",
            BeforeValue => "stateBeforeValue",
            HtmlCmt => "stateHTMLCmt",
            Rcdata => "stateRCDATA",
            Attr => "stateAttr",
            Url => "stateURL",
            Srcset => "stateSrcset",
            Js => "stateJS",
            JsDqStr => "stateJSDqStr",
            JsSqStr => "stateJSSqStr",
            JsBqStr => "stateJSBqStr",
            JsRegexp => "stateJSRegexp",
            JsBlockCmt => "stateJSBlockCmt",
            JsLineCmt => "stateJSLineCmt",
            Css => "stateCSS",
            CssDqStr => "stateCSSDqStr",
            CssSqStr => "stateCSSSqStr",
            CssDqUrl => "stateCSSDqURL",
            CssSqUrl => "stateCSSSqURL",
            CssUrl => "stateCSSURL",
            CssBlockCmt => "stateCSSBlockCmt",
            CssLineCmt => "stateCSSLineCmt",
            Error => "stateError",
            Dead => "stateDead",
        }
    }

    /// Whether the state is inside a comment (whose content is dropped).
    pub(crate) fn is_comment(self) -> bool {
        matches!(self, State::HtmlCmt | State::JsBlockCmt | State::JsLineCmt | State::CssBlockCmt | State::CssLineCmt)
    }

    /// Whether the state is inside a tag (between `<name` and `>`).
    pub(crate) fn is_in_tag(self) -> bool {
        matches!(self, State::Tag | State::AttrName | State::AfterName | State::BeforeValue | State::Attr)
    }
}

/// Go's `delim`: what ends the current attribute value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Delim {
    #[default]
    None,
    DoubleQuote,
    SingleQuote,
    SpaceOrTagEnd,
}

impl Delim {
    fn name(self) -> &'static str {
        match self {
            Delim::None => "delimNone",
            Delim::DoubleQuote => "delimDoubleQuote",
            Delim::SingleQuote => "delimSingleQuote",
            Delim::SpaceOrTagEnd => "delimSpaceOrTagEnd",
        }
    }

    /// The characters that end a value with this delimiter.
    pub(crate) fn ends(self) -> &'static [u8] {
        match self {
            Delim::None => b"",
            Delim::DoubleQuote => b"\"",
            Delim::SingleQuote => b"'",
            Delim::SpaceOrTagEnd => b" \t\n\x0c\r>",
        }
    }
}

/// Go's `urlPart`: where in a URL the output is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum UrlPart {
    #[default]
    None,
    PreQuery,
    QueryOrFrag,
    Unknown,
}

impl UrlPart {
    fn name(self) -> &'static str {
        match self {
            UrlPart::None => "urlPartNone",
            UrlPart::PreQuery => "urlPartPreQuery",
            UrlPart::QueryOrFrag => "urlPartQueryOrFrag",
            UrlPart::Unknown => "urlPartUnknown",
        }
    }
}

/// Go's `jsCtx`: whether a `/` in JS would start a regexp or be a division.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum JsCtx {
    #[default]
    Regexp,
    DivOp,
    Unknown,
}

impl JsCtx {
    fn name(self) -> &'static str {
        match self {
            JsCtx::Regexp => "jsCtxRegexp",
            JsCtx::DivOp => "jsCtxDivOp",
            JsCtx::Unknown => "jsCtxUnknown",
        }
    }
}

/// Go's `attr`: the type of the attribute being written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Attr {
    #[default]
    None,
    Script,
    ScriptType,
    Style,
    Url,
    Srcset,
}

impl Attr {
    fn name(self) -> &'static str {
        match self {
            Attr::None => "attrNone",
            Attr::Script => "attrScript",
            Attr::ScriptType => "attrScriptType",
            Attr::Style => "attrStyle",
            Attr::Url => "attrURL",
            Attr::Srcset => "attrSrcset",
        }
    }

    /// The state a value of this attribute type starts in.
    pub(crate) fn start_state(self) -> State {
        match self {
            Attr::None | Attr::ScriptType => State::Attr,
            Attr::Script => State::Js,
            Attr::Style => State::Css,
            Attr::Url => State::Url,
            Attr::Srcset => State::Srcset,
        }
    }
}

/// Go's `element`: a special element whose content is not plain HTML.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum Element {
    #[default]
    None,
    Script,
    Style,
    Textarea,
    Title,
}

impl Element {
    fn name(self) -> &'static str {
        match self {
            Element::None => "elementNone",
            Element::Script => "elementScript",
            Element::Style => "elementStyle",
            Element::Textarea => "elementTextarea",
            Element::Title => "elementTitle",
        }
    }

    /// The state of the element's content.
    pub(crate) fn content_state(self) -> State {
        match self {
            Element::None => State::Text,
            Element::Script => State::Js,
            Element::Style => State::Css,
            Element::Textarea | Element::Title => State::Rcdata,
        }
    }

    /// The tag name that ends the element's content.
    pub(crate) fn end_tag(self) -> &'static [u8] {
        match self {
            Element::None => b"",
            Element::Script => b"script",
            Element::Style => b"style",
            Element::Textarea => b"textarea",
            Element::Title => b"title",
        }
    }
}

/// An escaping error, printed as Go's `html/template.Error`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EscError {
    /// `NAME:LINE:COL` of the node the error is about, when there is one.
    pub loc: Option<String>,
    /// The template being escaped (set at the end, as Go does).
    pub name: String,
    /// A line number, used when there is no node.
    pub line: usize,
    pub description: String,
}

impl fmt::Display for EscError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.loc {
            write!(f, "html/template:{}: {}", loc, self.description)
        } else if self.line != 0 {
            write!(f, "html/template:{}:{}: {}", self.name, self.line, self.description)
        } else if !self.name.is_empty() {
            write!(f, "html/template:{}: {}", self.name, self.description)
        } else {
            write!(f, "html/template: {}", self.description)
        }
    }
}

/// The state of the HTML parser at a point of the template's output.
#[derive(Clone, Debug, Default)]
pub(crate) struct Context {
    pub state: State,
    pub delim: Delim,
    pub url_part: UrlPart,
    pub js_ctx: JsCtx,
    pub attr: Attr,
    pub element: Element,
    /// The `{{break}}`/`{{continue}}` this context was recorded at (its position).
    pub node: Option<usize>,
    pub err: Option<Box<EscError>>,
}

impl Context {
    /// The context of ordinary text in `element`.
    pub(crate) fn with_state(state: State, element: Element) -> Context {
        Context { state, element, ..Context::default() }
    }

    /// An error context.
    pub(crate) fn error(e: EscError) -> Context {
        Context { state: State::Error, err: Some(Box::new(e)), ..Context::default() }
    }

    /// An error without a node (from text transitions).
    pub(crate) fn text_error(description: String) -> Context {
        Context::error(EscError { loc: None, name: String::new(), line: 0, description })
    }

    /// Go's `context.eq` (the break/continue node is not compared).
    pub(crate) fn eq(&self, d: &Context) -> bool {
        self.state == d.state
            && self.delim == d.delim
            && self.url_part == d.url_part
            && self.js_ctx == d.js_ctx
            && self.attr == d.attr
            && self.element == d.element
            && self.err == d.err
    }

    /// Go's `mangle`: the name of the copy of `name` escaped for this start context.
    pub(crate) fn mangle(&self, name: &str) -> String {
        if self.state == State::Text {
            return name.to_string();
        }
        let mut s = format!("{}$htmltemplate_{}", name, self.state.name());
        if self.delim != Delim::None {
            s.push('_');
            s.push_str(self.delim.name());
        }
        if self.url_part != UrlPart::None {
            s.push('_');
            s.push_str(self.url_part.name());
        }
        if self.js_ctx != JsCtx::Regexp {
            s.push('_');
            s.push_str(self.js_ctx.name());
        }
        if self.attr != Attr::None {
            s.push('_');
            s.push_str(self.attr.name());
        }
        if self.element != Element::None {
            s.push('_');
            s.push_str(self.element.name());
        }
        s
    }
}

/// Go's `%v` of a context: `{stateTag delimNone urlPartNone jsCtxRegexp attrNone elementNone <nil>}`.
impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let err = match &self.err {
            Some(e) => e.to_string(),
            None => "<nil>".to_string(),
        };
        write!(
            f,
            "{{{} {} {} {} {} {} {}}}",
            self.state.name(),
            self.delim.name(),
            self.url_part.name(),
            self.js_ctx.name(),
            self.attr.name(),
            self.element.name(),
            err
        )
    }
}

/// Go's `nudge`: the context after the empty-string transitions an action takes, e.g. `<a href=`
/// followed by an action is an unquoted URL value.
pub(crate) fn nudge(c: &Context) -> Context {
    let mut c = c.clone();
    match c.state {
        State::Tag => c.state = State::AttrName,
        State::BeforeValue => {
            c.state = c.attr.start_state();
            c.delim = Delim::SpaceOrTagEnd;
            c.attr = Attr::None;
        }
        State::AfterName => {
            c.state = State::AttrName;
            c.attr = Attr::None;
        }
        _ => {}
    }
    c
}

/// Go's `join`: the context after a branch whose arms end in `a` and `b`; an error context
/// (with `make_err`'s location) when they cannot be reconciled.
pub(crate) fn join(a: &Context, b: &Context, node_name: &str, loc: &dyn Fn() -> String) -> Context {
    if a.state == State::Error {
        return a.clone();
    }
    if b.state == State::Error {
        return b.clone();
    }
    if a.state == State::Dead {
        return b.clone();
    }
    if b.state == State::Dead {
        return a.clone();
    }
    if a.eq(b) {
        return a.clone();
    }
    let mut c = a.clone();
    c.url_part = b.url_part;
    if c.eq(b) {
        c.url_part = UrlPart::Unknown;
        return c;
    }
    let mut c = a.clone();
    c.js_ctx = b.js_ctx;
    if c.eq(b) {
        c.js_ctx = JsCtx::Unknown;
        return c;
    }
    // A nudged context may join an unnudged one: `<p title={{if .C}}{{.}}{{end}}`.
    let (c, d) = (nudge(a), nudge(b));
    if !(c.eq(a) && d.eq(b)) {
        let e = join(&c, &d, node_name, loc);
        if e.state != State::Error {
            return e;
        }
    }
    Context::error(EscError {
        loc: Some(loc()),
        name: String::new(),
        line: 0,
        description: format!("{{{{{}}}}} branches end in different contexts: {}, {}", node_name, a, b),
    })
}
