//! The contextual escaper (Go's `html/template` `escape.go`): walks a template from a start
//! context, tracking the HTML context through text, and gives every output action the escaper
//! functions its context needs. Templates called in a non-text context are escaped as copies
//! named `NAME$htmltemplate_CONTEXT`; branches must end in the same context.
//!
//! Go records edits per node and applies them at the end; here each escaped template body is
//! rebuilt as a new list, kept only when the inferences made for it hold (the same outcome).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use super::context::{join, nudge, Context, Delim, Element, EscError, JsCtx, State, UrlPart};
use super::entity::html_unescape;
use super::transition::{index_any, is_js_type, t_special_tag_end, transition};
use crate::parse::{Arg, Branch, Command, List, Node, Pipe, Tree};
use crate::strconv::quote;

/// The contexts at the `{{break}}`s and `{{continue}}`s of the range being escaped.
#[derive(Default)]
struct RangeContext {
    breaks: Vec<Context>,
    continues: Vec<Context>,
}

type Filter<'f> = &'f dyn Fn(&Escaper, &Context) -> bool;

struct Escaper<'a> {
    trees: &'a BTreeMap<String, Arc<Tree>>,
    /// The output context of each (mangled) template name escaped so far.
    output: HashMap<String, Context>,
    /// The (mangled) template names called.
    called: HashSet<String>,
    /// The escaped body of each (mangled) template name, with the tree it was made from.
    bodies: HashMap<String, (List, Arc<Tree>)>,
    ranges: Vec<RangeContext>,
    /// The tree whose nodes are being walked (for error locations).
    tree: Arc<Tree>,
}

/// Escapes the template `name` of `trees` (and, through it, the templates it calls) for a
/// start in HTML text. On success the escaped bodies and derived copies replace or join the
/// set; on error the set is unchanged.
pub(crate) fn escape_template(trees: &mut BTreeMap<String, Arc<Tree>>, name: &str) -> Result<(), EscError> {
    let Some(tree) = trees.get(name).cloned() else {
        return Err(EscError {
            loc: None,
            name: String::new(),
            line: 0,
            description: format!("{} is undefined", quote(name)),
        });
    };
    let bodies = {
        let mut e = Escaper {
            trees,
            output: HashMap::new(),
            called: HashSet::new(),
            bodies: HashMap::new(),
            ranges: Vec::new(),
            tree: tree.clone(),
        };
        let (c, _) = e.escape_tree(Context::default(), tree.root.pos, name, 0);
        if let Some(mut err) = c.err {
            err.name = name.to_string();
            return Err(*err);
        }
        if c.state != State::Text {
            return Err(EscError {
                loc: None,
                name: name.to_string(),
                line: 0,
                description: format!("ends in a non-text context: {}", c),
            });
        }
        e.bodies
    };
    for (dname, (root, src)) in bodies {
        let t = Tree { name: dname.clone(), parse_name: src.parse_name.clone(), root, text: src.text.clone() };
        trees.insert(dname, Arc::new(t));
    }
    Ok(())
}

/// `NAME:LINE:COL` of the byte position `pos` in `tree`'s text.
fn location(tree: &Tree, pos: usize) -> String {
    let text = &tree.text[..pos.min(tree.text.len())];
    let (line, col) = match text.rfind('\n') {
        None => (1, pos),
        Some(i) => (1 + text.matches('\n').count(), pos - (i + 1)),
    };
    format!("{}:{}:{}", tree.parse_name, line, col)
}

fn line_of(tree: &Tree, pos: usize) -> usize {
    1 + tree.text[..pos.min(tree.text.len())].matches('\n').count()
}

impl Escaper<'_> {
    fn node_error(&self, pos: usize, description: String) -> Context {
        Context::error(EscError { loc: Some(location(&self.tree, pos)), name: String::new(), line: 0, description })
    }

    fn escape(&mut self, c: Context, n: &Node) -> (Context, Node) {
        match n {
            Node::Action { pos, pipe } => self.escape_action(c, n, *pos, pipe),
            Node::Break { pos } => {
                let mut c = c;
                c.node = Some(*pos);
                if let Some(r) = self.ranges.last_mut() {
                    r.breaks.push(c);
                }
                (Context::with_state(State::Dead, Element::None), n.clone())
            }
            Node::Continue { pos } => {
                let mut c = c;
                c.node = Some(*pos);
                if let Some(r) = self.ranges.last_mut() {
                    // As Go 1.19 does: the continues become the breaks plus this one.
                    let mut cs = r.breaks.clone();
                    cs.push(c);
                    r.continues = cs;
                }
                (Context::with_state(State::Dead, Element::None), n.clone())
            }
            Node::If(b) => {
                let (c, b) = self.escape_branch(c, b, "if");
                (c, Node::If(b))
            }
            Node::With(b) => {
                let (c, b) = self.escape_branch(c, b, "with");
                (c, Node::With(b))
            }
            Node::Range(b) => {
                let (c, b) = self.escape_branch(c, b, "range");
                (c, Node::Range(b))
            }
            Node::Template { pos, name, pipe } => {
                let line = line_of(&self.tree, *pos);
                let (c, dname) = self.escape_tree(c, *pos, name, line);
                (c, Node::Template { pos: *pos, name: dname, pipe: pipe.clone() })
            }
            Node::Text { pos, text } => {
                let (c, new_text) = escape_text(c, text);
                (c, Node::Text { pos: *pos, text: new_text.unwrap_or_else(|| text.clone()) })
            }
        }
    }

    fn escape_action(&mut self, c: Context, n: &Node, pos: usize, pipe: &Pipe) -> (Context, Node) {
        if !pipe.decl.is_empty() {
            // A variable assignment, not output.
            return (c, n.clone());
        }
        let mut c = nudge(&c);
        let last = pipe.cmds.len().saturating_sub(1);
        for (i, cmd) in pipe.cmds.iter().enumerate() {
            if let Some(Arg::Identifier { name, .. }) = cmd.args.first() {
                if is_predefined_escaper(name)
                    && (i < last || (c.state == State::Attr && c.delim == Delim::SpaceOrTagEnd && name == "html"))
                {
                    let d = format!("predefined escaper {} disallowed in template", quote(name));
                    return (self.node_error(pos, d), n.clone());
                }
            }
        }
        let mut s: Vec<&'static str> = Vec::with_capacity(3);
        match c.state {
            State::Error => return (c, n.clone()),
            State::Url | State::CssDqStr | State::CssSqStr | State::CssDqUrl | State::CssSqUrl | State::CssUrl => {
                match c.url_part {
                    UrlPart::None | UrlPart::PreQuery => {
                        if c.url_part == UrlPart::None {
                            s.push("_html_template_urlfilter");
                        }
                        if matches!(c.state, State::CssDqStr | State::CssSqStr) {
                            s.push("_html_template_cssescaper");
                        } else {
                            s.push("_html_template_urlnormalizer");
                        }
                    }
                    UrlPart::QueryOrFrag => s.push("_html_template_urlescaper"),
                    UrlPart::Unknown => {
                        let d = format!("{} appears in an ambiguous context within a URL", node_string(n));
                        return (self.node_error(pos, d), n.clone());
                    }
                }
            }
            State::Js => {
                s.push("_html_template_jsvalescaper");
                // A slash after a value is a division.
                c.js_ctx = JsCtx::DivOp;
            }
            State::JsDqStr | State::JsSqStr => s.push("_html_template_jsstrescaper"),
            State::JsBqStr => {
                let d = format!("{} appears in a JS template literal", node_string(n));
                return (self.node_error(pos, d), n.clone());
            }
            State::JsRegexp => s.push("_html_template_jsregexpescaper"),
            State::Css => s.push("_html_template_cssvaluefilter"),
            State::Text => s.push("_html_template_htmlescaper"),
            State::Rcdata => s.push("_html_template_rcdataescaper"),
            State::Attr => {}
            State::AttrName | State::Tag => {
                c.state = State::AttrName;
                s.push("_html_template_htmlnamefilter");
            }
            State::Srcset => s.push("_html_template_srcsetescaper"),
            st if st.is_comment() => s.push("_html_template_commentescaper"),
            st => {
                let d = format!("unexpected state {}", st.name());
                return (self.node_error(pos, d), n.clone());
            }
        }
        match c.delim {
            Delim::None => {}
            Delim::SpaceOrTagEnd => s.push("_html_template_nospaceescaper"),
            _ => s.push("_html_template_attrescaper"),
        }
        (c, Node::Action { pos, pipe: ensure_pipeline_contains(pipe, &s) })
    }

    fn escape_branch(&mut self, c: Context, b: &Branch, kind: &str) -> (Context, Branch) {
        let is_range = kind == "range";
        if is_range {
            self.ranges.push(RangeContext::default());
        }
        let (mut c0, list) = self.escape_list(c.clone(), &b.list);
        if is_range {
            let rc = self.ranges.pop().unwrap_or_default();
            if c0.state != State::Error {
                c0 = self.join_range(c0, rc);
            }
            if c0.state == State::Error {
                return (c0, b.clone());
            }
            // The body may run again: escaping it once more from where it ends must end in
            // the same context.
            self.ranges.push(RangeContext::default());
            let (c1, _, _) = self.escape_list_conditionally(c0.clone(), &b.list, None);
            let tree = self.tree.clone();
            c0 = join(&c0, &c1, kind, &|| location(&tree, b.pos));
            if let Some(err) = c0.err.as_mut() {
                self.ranges.pop();
                err.line = line_of(&self.tree, b.pos);
                err.description = format!("on range loop re-entry: {}", err.description);
                return (c0, b.clone());
            }
            let rc = self.ranges.pop().unwrap_or_default();
            c0 = self.join_range(c0, rc);
            if c0.state == State::Error {
                return (c0, b.clone());
            }
        }
        let (c1, else_list) = match &b.else_list {
            Some(l) => {
                let (c1, l1) = self.escape_list(c, l);
                (c1, Some(l1))
            }
            None => (c, None),
        };
        let tree = self.tree.clone();
        let joined = join(&c0, &c1, kind, &|| location(&tree, b.pos));
        (joined, Branch { pos: b.pos, pipe: b.pipe.clone(), list, else_list })
    }

    /// Joins the contexts at the range's breaks and continues into the body's end context.
    fn join_range(&self, c0: Context, rc: RangeContext) -> Context {
        let mut c0 = c0;
        for (contexts, what) in [(rc.breaks, "break"), (rc.continues, "continue")] {
            for c in contexts {
                let pos = c.node.unwrap_or(0);
                c0 = join(&c0, &c, "range", &|| location(&self.tree, pos));
                if let Some(err) = c0.err.as_mut() {
                    err.line = line_of(&self.tree, pos);
                    err.description = format!("at range loop {}: {}", what, err.description);
                    return c0;
                }
            }
        }
        c0
    }

    fn escape_list(&mut self, c: Context, list: &List) -> (Context, List) {
        let mut c = c;
        let mut nodes = Vec::with_capacity(list.nodes.len());
        for (i, n) in list.nodes.iter().enumerate() {
            let (c1, n1) = self.escape(c, n);
            nodes.push(n1);
            c = c1;
            if c.state == State::Dead {
                // Nothing after a break or continue runs; keep it as it is.
                nodes.extend(list.nodes[i + 1..].iter().cloned());
                break;
            }
        }
        (c, List { pos: list.pos, nodes })
    }

    /// Escapes `list` with a scratch escaper; its inferences (output contexts, escaped bodies)
    /// are kept only if `filter` accepts them. Returns the end context, whether they were kept,
    /// and the escaped list.
    fn escape_list_conditionally(&mut self, c: Context, list: &List, filter: Option<Filter>) -> (Context, bool, List) {
        let mut e1 = Escaper {
            trees: self.trees,
            output: self.output.clone(),
            called: HashSet::new(),
            bodies: HashMap::new(),
            ranges: std::mem::take(&mut self.ranges),
            tree: self.tree.clone(),
        };
        let (c, l) = e1.escape_list(c, list);
        let ok = filter.map(|f| f(&e1, &c)).unwrap_or(false);
        self.ranges = std::mem::take(&mut e1.ranges);
        if ok {
            self.output.extend(e1.output);
            self.bodies.extend(e1.bodies);
            self.called.extend(e1.called);
        }
        (c, ok, l)
    }

    /// Escapes the template `name` for start context `c` (as a derived copy unless `c` is
    /// text): its end context and the name to call.
    fn escape_tree(&mut self, c: Context, pos: usize, name: &str, line: usize) -> (Context, String) {
        let dname = c.mangle(name);
        self.called.insert(dname.clone());
        if let Some(out) = self.output.get(&dname) {
            return (out.clone(), dname);
        }
        let Some(t) = self.trees.get(name).cloned() else {
            let mut e = self.node_error(pos, format!("no such template {}", quote(name)));
            if let Some(err) = e.err.as_mut() {
                err.line = line;
            }
            return (e, dname);
        };
        // A copy derived by an earlier escaping of the set is reused.
        let src = if dname != name { self.trees.get(&dname).cloned().unwrap_or(t) } else { t };
        (self.compute_out_ctx(c, &dname, src), dname)
    }

    /// The end context of `src` started in `c`, assuming first that recursive calls end where
    /// they start, then that they end where the first attempt ended.
    fn compute_out_ctx(&mut self, c: Context, tname: &str, src: Arc<Tree>) -> Context {
        let (mut c1, mut ok) = self.escape_template_body(c, tname, &src);
        if !ok {
            let (c2, ok2) = self.escape_template_body(c1.clone(), tname, &src);
            if ok2 {
                c1 = c2;
                ok = true;
            }
        }
        if !ok && c1.state != State::Error {
            return Context::error(EscError {
                loc: Some(location(&src, src.root.pos)),
                name: String::new(),
                line: 0,
                description: format!("cannot compute output context for template {}", tname),
            });
        }
        c1
    }

    fn escape_template_body(&mut self, c: Context, tname: &str, src: &Arc<Tree>) -> (Context, bool) {
        // Assume the output context is the start context, so recursive calls terminate.
        self.output.insert(tname.to_string(), c.clone());
        let saved = std::mem::replace(&mut self.tree, src.clone());
        let filter = |e1: &Escaper, c1: &Context| c1.state != State::Error && (!e1.called.contains(tname) || c.eq(c1));
        let (c1, ok, body) = self.escape_list_conditionally(c.clone(), &src.root, Some(&filter));
        self.tree = saved;
        if ok {
            self.bodies.insert(tname.to_string(), (body, src.clone()));
        }
        (c1, ok)
    }
}

fn node_string(n: &Node) -> String {
    let mut s = String::new();
    n.write_to(&mut s);
    s
}

/// Escapes a text node: `<` that starts no tag becomes `&lt;`, comments are dropped. Returns
/// the end context and the new text, if it changed.
fn escape_text(c: Context, text: &str) -> (Context, Option<String>) {
    let s = text.as_bytes();
    let (mut c, mut written, mut i) = (c, 0, 0);
    let mut b: Vec<u8> = Vec::new();
    while i != s.len() {
        let (c1, nread) = context_after_text(&c, &s[i..]);
        let i1 = i + nread;
        if c.state == State::Text || c.state == State::Rcdata {
            let mut end = i1;
            if c1.state != c.state {
                if let Some(k) = s[i..end].iter().rposition(|&x| x == b'<') {
                    end = i + k;
                }
            }
            for j in i..end {
                if s[j] == b'<' && !starts_with_ci(&s[j..], b"<!DOCTYPE") {
                    b.extend_from_slice(&s[written..j]);
                    b.extend_from_slice(b"&lt;");
                    written = j + 1;
                }
            }
        } else if c.state.is_comment() && c.delim == Delim::None {
            match c.state {
                // A block comment with a line terminator counts as one (ES5 7.4).
                State::JsBlockCmt => {
                    let seg = &s[written.min(i1)..i1];
                    let has_lt = seg.iter().any(|&x| x == b'\n' || x == b'\r')
                        || String::from_utf8_lossy(seg).contains(['\u{2028}', '\u{2029}']);
                    b.push(if has_lt { b'\n' } else { b' ' });
                }
                State::CssBlockCmt => b.push(b' '),
                _ => {}
            }
            written = i1;
        }
        if c.state != c1.state && c1.state.is_comment() && c1.delim == Delim::None {
            // Keep what precedes the comment opener.
            let cs = i1.saturating_sub(if c1.state == State::HtmlCmt { 4 } else { 2 });
            if written <= cs {
                b.extend_from_slice(&s[written..cs]);
            }
            written = i1;
        }
        if i == i1 && c.state == c1.state {
            let d = format!("infinite loop from {} to {} on {:?}", c, c1, text);
            return (Context::text_error(d), None);
        }
        c = c1;
        i = i1;
    }
    if written != 0 && c.state != State::Error {
        if !c.state.is_comment() || c.delim != Delim::None {
            b.extend_from_slice(&s[written..]);
        }
        return (c, Some(String::from_utf8_lossy(&b).into_owned()));
    }
    (c, None)
}

fn starts_with_ci(s: &[u8], prefix: &[u8]) -> bool {
    s.len() >= prefix.len() && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Go's `contextAfterText`: the context after a prefix of `s`, and the prefix's length.
fn context_after_text(c: &Context, s: &[u8]) -> (Context, usize) {
    if c.delim == Delim::None {
        let (c1, i) = t_special_tag_end(c, s);
        if i == 0 {
            // A special end tag (`</script>`) follows what was consumed before.
            return (c1, 0);
        }
        return transition(c, &s[..i]);
    }
    // Inside an attribute value.
    let i = index_any(s, c.delim.ends()).unwrap_or(s.len());
    if c.delim == Delim::SpaceOrTagEnd {
        // Characters HTML parsers disagree about in unquoted values.
        if let Some(j) = index_any(&s[..i], b"\"'<=`") {
            let d = format!(
                "{} in unquoted attr: {}",
                quote(&String::from_utf8_lossy(&s[j..j + 1])),
                quote(&String::from_utf8_lossy(&s[..i]))
            );
            return (Context::text_error(d), s.len());
        }
    }
    if i == s.len() {
        // The value goes on: run the transitions on its decoded text, so that
        // `onclick="alert(&quot;x&quot;)"` is read as JS.
        let u = html_unescape(s);
        let mut u: &[u8] = &u;
        let mut c = c.clone();
        while !u.is_empty() {
            let (c1, i1) = transition(&c, u);
            if i1 == 0 && c1.state == c.state {
                break;
            }
            c = c1;
            u = &u[i1..];
        }
        return (c, s.len());
    }
    let mut element = c.element;
    // A non-JS `type` of a script element makes its content plain text.
    if c.state == State::Attr
        && c.element == Element::Script
        && c.attr == super::context::Attr::ScriptType
        && !is_js_type(&String::from_utf8_lossy(&s[..i]))
    {
        element = Element::None;
    }
    let i = if c.delim != Delim::SpaceOrTagEnd { i + 1 } else { i };
    // Leaving the value keeps only the element.
    (Context::with_state(State::Tag, element), i)
}

fn is_predefined_escaper(name: &str) -> bool {
    name == "html" || name == "urlquery"
}

/// The predefined escaper equivalent to a contextual one, else the name itself.
fn normalize_esc_fn(e: &str) -> &str {
    match e {
        "_html_template_attrescaper" | "_html_template_htmlescaper" | "_html_template_rcdataescaper" => "html",
        "_html_template_urlescaper" | "_html_template_urlnormalizer" => "urlquery",
        _ => e,
    }
}

/// Whether `next(last(x)) == last(x)` for all x: `next` need not follow `last`.
fn redundant(last: &str, next: &str) -> bool {
    matches!(
        (last, next),
        (
            "_html_template_commentescaper",
            "_html_template_attrescaper" | "_html_template_nospaceescaper" | "_html_template_htmlescaper"
        ) | ("_html_template_cssescaper", "_html_template_attrescaper")
            | ("_html_template_jsregexpescaper", "_html_template_attrescaper")
            | ("_html_template_jsstrescaper", "_html_template_attrescaper")
            | ("_html_template_urlescaper", "_html_template_urlnormalizer")
    )
}

fn ident_of(cmd: &Command) -> Option<&str> {
    match cmd.args.first() {
        Some(Arg::Identifier { name, .. }) => Some(name),
        _ => None,
    }
}

fn new_ident_cmd(name: &str, pos: usize) -> Command {
    Command { pos, args: vec![Arg::Identifier { pos, name: name.to_string() }] }
}

/// Appends `cmd` unless it is redundant after the last command.
fn append_cmd(cmds: &mut Vec<Command>, cmd: Command) {
    if let (Some(last), Some(next)) = (cmds.last().and_then(ident_of), ident_of(&cmd)) {
        if redundant(last, next) {
            return;
        }
    }
    cmds.push(cmd);
}

/// Go's `ensurePipelineContains`: the pipeline ends with the escapers `s`, merged with a
/// trailing predefined escaper (`html`, `urlquery`) that does the same job, and without
/// escapers it already has.
fn ensure_pipeline_contains(p: &Pipe, s: &[&str]) -> Pipe {
    let mut p = p.clone();
    if s.is_empty() {
        return p;
    }
    let mut s: Vec<String> = s.iter().map(|x| x.to_string()).collect();
    let mut pipeline_len = p.cmds.len();
    if let Some(esc) = p.cmds.last().and_then(ident_of).map(str::to_string) {
        if is_predefined_escaper(&esc) {
            if p.cmds.len() == 1 && p.cmds[0].args.len() > 1 {
                // {{ esc a b }} becomes {{ _eval_args_ a b | esc }}, so esc can be merged.
                let pos = p.cmds[0].args[0].pos();
                p.cmds[0].args[0] = Arg::Identifier { pos, name: "_eval_args_".into() };
                append_cmd(&mut p.cmds, new_ident_cmd(&esc, p.pos));
                pipeline_len += 1;
            }
            let mut dup = false;
            for x in s.iter_mut() {
                if normalize_esc_fn(&esc) == normalize_esc_fn(x) {
                    *x = esc.clone();
                    dup = true;
                }
            }
            if dup {
                // The predefined escaper is inserted with the others below.
                pipeline_len -= 1;
            }
        }
    }
    let mut cmds: Vec<Command> = p.cmds[..pipeline_len].to_vec();
    let inserted: HashSet<String> = cmds.iter().filter_map(ident_of).map(|n| normalize_esc_fn(n).to_string()).collect();
    for name in &s {
        // Escapers inserted by an earlier escaping of the same tree are not added again.
        if !inserted.contains(normalize_esc_fn(name)) {
            append_cmd(&mut cmds, new_ident_cmd(name, p.pos));
        }
    }
    p.cmds = cmds;
    p
}
