//! The parser and the parse tree: a port of Go's `text/template/parse` (Go 1.19).
//!
//! `{{define}}` and `{{block}}` bodies become trees of their own; everything else is the tree
//! of the template being parsed. Nodes keep their byte position so that execution errors can
//! report `name:line:col` and the node's text, as Go does.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use crate::lex::{lex, Item, ItemType};
use crate::strconv;

/// Deepest nesting of control structures and parenthesised pipelines the parser accepts.
/// Execution recurses along the same structure, so this also bounds its stack use.
pub(crate) const MAX_PARSE_DEPTH: usize = 150;

/// One parsed template.
#[derive(Debug)]
pub(crate) struct Tree {
    /// The template's name.
    pub name: String,
    /// The name of the top-level template being parsed when this tree was (for error messages).
    pub parse_name: String,
    pub root: List,
    /// The text that was parsed (positions index into it).
    pub text: Arc<str>,
}

#[derive(Debug, Clone)]
pub(crate) struct List {
    pub pos: usize,
    pub nodes: Vec<Node>,
}

#[derive(Debug, Clone)]
pub(crate) enum Node {
    Text { pos: usize, text: String },
    Action { pos: usize, pipe: Pipe },
    If(Branch),
    Range(Branch),
    With(Branch),
    Template { pos: usize, name: String, pipe: Option<Pipe> },
    Break { pos: usize },
    Continue { pos: usize },
}

#[derive(Debug, Clone)]
pub(crate) struct Branch {
    pub pos: usize,
    pub pipe: Pipe,
    pub list: List,
    pub else_list: Option<List>,
}

#[derive(Debug, Clone)]
pub(crate) struct Pipe {
    pub pos: usize,
    pub is_assign: bool,
    pub decl: Vec<VarNode>,
    pub cmds: Vec<Command>,
}

#[derive(Debug, Clone)]
pub(crate) struct VarNode {
    pub pos: usize,
    /// Variable name and fields: `$x.A.B` is `["$x", "A", "B"]`.
    pub ident: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Command {
    pub pos: usize,
    pub args: Vec<Arg>,
}

#[derive(Debug, Clone)]
pub(crate) struct NumberNode {
    pub pos: usize,
    pub is_int: bool,
    pub is_uint: bool,
    pub is_float: bool,
    pub is_complex: bool,
    pub int64: i64,
    pub uint64: u64,
    pub float64: f64,
    pub complex: (f64, f64),
    pub text: String,
}

/// An operand of a command.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Identifier { pos: usize, name: String },
    Dot { pos: usize },
    Nil { pos: usize },
    Bool { pos: usize, val: bool },
    Number(Box<NumberNode>),
    String { pos: usize, quoted: String, text: String },
    Field { pos: usize, ident: Vec<String> },
    Variable(VarNode),
    Chain { pos: usize, node: Box<Arg>, fields: Vec<String> },
    Pipe(Box<Pipe>),
}

impl Arg {
    pub fn pos(&self) -> usize {
        match self {
            Arg::Identifier { pos, .. }
            | Arg::Dot { pos }
            | Arg::Nil { pos }
            | Arg::Bool { pos, .. }
            | Arg::String { pos, .. }
            | Arg::Field { pos, .. }
            | Arg::Chain { pos, .. } => *pos,
            Arg::Number(n) => n.pos,
            Arg::Variable(v) => v.pos,
            Arg::Pipe(p) => p.pos,
        }
    }

    pub fn write_to(&self, sb: &mut String) {
        match self {
            Arg::Identifier { name, .. } => sb.push_str(name),
            Arg::Dot { .. } => sb.push('.'),
            Arg::Nil { .. } => sb.push_str("nil"),
            Arg::Bool { val, .. } => sb.push_str(if *val { "true" } else { "false" }),
            Arg::Number(n) => sb.push_str(&n.text),
            Arg::String { quoted, .. } => sb.push_str(quoted),
            Arg::Field { ident, .. } => {
                for id in ident {
                    sb.push('.');
                    sb.push_str(id);
                }
            }
            Arg::Variable(v) => v.write_to(sb),
            Arg::Chain { node, fields, .. } => {
                if let Arg::Pipe(p) = node.as_ref() {
                    sb.push('(');
                    p.write_to(sb);
                    sb.push(')');
                } else {
                    node.write_to(sb);
                }
                for f in fields {
                    sb.push('.');
                    sb.push_str(f);
                }
            }
            Arg::Pipe(p) => p.write_to(sb),
        }
    }

    pub fn to_go_string(&self) -> String {
        let mut s = String::new();
        self.write_to(&mut s);
        s
    }

    fn kind_is_literal(&self) -> bool {
        matches!(self, Arg::Bool { .. } | Arg::Dot { .. } | Arg::Nil { .. } | Arg::Number(_) | Arg::String { .. })
    }
}

impl VarNode {
    pub fn write_to(&self, sb: &mut String) {
        sb.push_str(&self.ident.join("."));
    }
}

impl Pipe {
    pub fn write_to(&self, sb: &mut String) {
        if !self.decl.is_empty() {
            for (i, v) in self.decl.iter().enumerate() {
                if i > 0 {
                    sb.push_str(", ");
                }
                v.write_to(sb);
            }
            sb.push_str(" := ");
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                sb.push_str(" | ");
            }
            c.write_to(sb);
        }
    }
}

impl Command {
    pub fn write_to(&self, sb: &mut String) {
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                sb.push(' ');
            }
            if let Arg::Pipe(p) = arg {
                sb.push('(');
                p.write_to(sb);
                sb.push(')');
                continue;
            }
            arg.write_to(sb);
        }
    }
}

impl List {
    pub fn write_to(&self, sb: &mut String) {
        for n in &self.nodes {
            n.write_to(sb);
        }
    }
}

impl Node {
    pub fn pos(&self) -> usize {
        match self {
            Node::Text { pos, .. }
            | Node::Action { pos, .. }
            | Node::Template { pos, .. }
            | Node::Break { pos }
            | Node::Continue { pos } => *pos,
            Node::If(b) | Node::Range(b) | Node::With(b) => b.pos,
        }
    }

    pub fn write_to(&self, sb: &mut String) {
        match self {
            Node::Text { text, .. } => sb.push_str(text),
            Node::Action { pipe, .. } => {
                sb.push_str("{{");
                pipe.write_to(sb);
                sb.push_str("}}");
            }
            Node::If(b) => b.write_to("if", sb),
            Node::Range(b) => b.write_to("range", sb),
            Node::With(b) => b.write_to("with", sb),
            Node::Template { name, pipe, .. } => {
                sb.push_str("{{template ");
                sb.push_str(&strconv::quote(name));
                if let Some(p) = pipe {
                    sb.push(' ');
                    p.write_to(sb);
                }
                sb.push_str("}}");
            }
            Node::Break { .. } => sb.push_str("{{break}}"),
            Node::Continue { .. } => sb.push_str("{{continue}}"),
        }
    }
}

impl Branch {
    fn write_to(&self, name: &str, sb: &mut String) {
        let _ = write!(sb, "{{{{{} ", name);
        self.pipe.write_to(sb);
        sb.push_str("}}");
        self.list.write_to(sb);
        if let Some(e) = &self.else_list {
            sb.push_str("{{else}}");
            e.write_to(sb);
        }
        sb.push_str("{{end}}");
    }
}

/// Go's `parse.IsEmptyTree`: only space (and comments, which are not kept).
pub(crate) fn is_empty_list(l: &List) -> bool {
    l.nodes.iter().all(|n| match n {
        Node::Text { text, .. } => text.trim().is_empty(),
        _ => false,
    })
}

/// A parse error: the message already has Go's `template: NAME:LINE: ` prefix.
#[derive(Debug, Clone)]
pub(crate) struct ParseError {
    pub name: String,
    pub line: usize,
    pub message: String,
}

type PResult<T> = Result<T, ParseError>;

/// Control items returned by `item_list` besides nodes.
enum Parsed {
    Node(Node),
    End,
    Else { pos: usize },
}

/// The per-tree state of Go's `parse.Tree` during parsing.
struct TreeState {
    name: String,
    token: [Item; 3],
    peek_count: usize,
    vars: Vec<String>,
    action_line: usize,
    range_depth: usize,
}

fn blank_item() -> Item {
    Item { typ: ItemType::Eof, pos: 0, val: String::new(), line: 0 }
}

impl TreeState {
    fn new(name: &str) -> TreeState {
        TreeState {
            name: name.to_string(),
            token: [blank_item(), blank_item(), blank_item()],
            peek_count: 0,
            vars: vec!["$".to_string()],
            action_line: 0,
            range_depth: 0,
        }
    }
}

pub(crate) struct Parser<'a> {
    parse_name: String,
    text: Arc<str>,
    items: Vec<Item>,
    idx: usize,
    t: TreeState,
    /// Whether a function name is defined; `None` skips the check (Go's SkipFuncCheck).
    has_function: Option<&'a dyn Fn(&str) -> bool>,
    /// Trees defined so far in this parse.
    tree_set: BTreeMap<String, Tree>,
    depth: usize,
}

/// Parses `text` as the template `name`; returns every tree it defines (including `name`'s
/// own, even when empty), like Go's `parse.Parse`.
pub(crate) fn parse(
    name: &str,
    text: &str,
    left: &str,
    right: &str,
    has_function: Option<&dyn Fn(&str) -> bool>,
) -> Result<BTreeMap<String, Tree>, ParseError> {
    let break_ok = !has_function.map(|f| f("break")).unwrap_or(false);
    let continue_ok = !has_function.map(|f| f("continue")).unwrap_or(false);
    let items = lex(text, left, right, break_ok, continue_ok);
    let mut p = Parser {
        parse_name: name.to_string(),
        text: Arc::from(text),
        items,
        idx: 0,
        t: TreeState::new(name),
        has_function,
        tree_set: BTreeMap::new(),
        depth: 0,
    };
    let root = p.parse_top()?;
    p.add(name.to_string(), root)?;
    Ok(p.tree_set)
}

impl<'a> Parser<'a> {
    fn lex_next(&mut self) -> Item {
        if self.idx < self.items.len() {
            let it = self.items[self.idx].clone();
            self.idx += 1;
            it
        } else {
            // After an error or EOF Go's closed channel yields zero items (EOF type 0 = error);
            // repeat the last item.
            self.items.last().cloned().unwrap_or_else(blank_item)
        }
    }

    fn next(&mut self) -> Item {
        if self.t.peek_count > 0 {
            self.t.peek_count -= 1;
        } else {
            self.t.token[0] = self.lex_next();
        }
        self.t.token[self.t.peek_count].clone()
    }

    fn backup(&mut self) {
        self.t.peek_count += 1;
    }

    fn backup2(&mut self, t1: Item) {
        self.t.token[1] = t1;
        self.t.peek_count = 2;
    }

    fn backup3(&mut self, t2: Item, t1: Item) {
        self.t.token[1] = t1;
        self.t.token[2] = t2;
        self.t.peek_count = 3;
    }

    fn peek(&mut self) -> Item {
        if self.t.peek_count > 0 {
            return self.t.token[self.t.peek_count - 1].clone();
        }
        self.t.peek_count = 1;
        self.t.token[0] = self.lex_next();
        self.t.token[0].clone()
    }

    fn next_non_space(&mut self) -> Item {
        loop {
            let token = self.next();
            if token.typ != ItemType::Space {
                return token;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item {
        let token = self.next_non_space();
        self.backup();
        token
    }

    fn errorf<T>(&self, msg: impl Into<String>) -> PResult<T> {
        Err(ParseError { name: self.parse_name.clone(), line: self.t.token[0].line, message: msg.into() })
    }

    fn expect(&mut self, expected: ItemType, context: &str) -> PResult<Item> {
        let token = self.next_non_space();
        if token.typ != expected {
            return self.unexpected(&token, context);
        }
        Ok(token)
    }

    fn expect_one_of(&mut self, e1: ItemType, e2: ItemType, context: &str) -> PResult<Item> {
        let token = self.next_non_space();
        if token.typ != e1 && token.typ != e2 {
            return self.unexpected(&token, context);
        }
        Ok(token)
    }

    fn unexpected<T>(&self, token: &Item, context: &str) -> PResult<T> {
        if token.typ == ItemType::Error {
            let mut extra = String::new();
            if self.t.action_line != 0 && self.t.action_line != token.line {
                extra = format!(" in action started at {}:{}", self.parse_name, self.t.action_line);
                if token.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.errorf(format!("{}{}", token.describe(), extra));
        }
        self.errorf(format!("unexpected {} in {}", token.describe(), context))
    }

    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH {
            return self.errorf("max expression depth exceeded");
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Go's `Tree.add`, for the tree `name` with `root`.
    fn add(&mut self, name: String, root: List) -> PResult<()> {
        match self.tree_set.get(&name) {
            Some(existing) if !is_empty_list(&existing.root) => {
                if !is_empty_list(&root) {
                    return self.errorf(format!("template: multiple definition of template {}", strconv::quote(&name)));
                }
                Ok(())
            }
            _ => {
                self.tree_set.insert(
                    name.clone(),
                    Tree { name, parse_name: self.parse_name.clone(), root, text: self.text.clone() },
                );
                Ok(())
            }
        }
    }

    /// Go's `Tree.parse`: the top level, which may contain `{{define}}`.
    fn parse_top(&mut self) -> PResult<List> {
        let pos = self.peek().pos;
        let mut root = List { pos, nodes: Vec::new() };
        while self.peek().typ != ItemType::Eof {
            if self.peek().typ == ItemType::LeftDelim {
                let delim = self.next();
                if self.next_non_space().typ == ItemType::Define {
                    // A new tree: its own token buffer and variables, the same lexer.
                    let saved = std::mem::replace(&mut self.t, TreeState::new("definition"));
                    let r = self.parse_definition();
                    self.t = saved;
                    r?;
                    continue;
                }
                self.backup2(delim);
            }
            match self.text_or_action()? {
                Parsed::Node(n) => root.nodes.push(n),
                Parsed::End => return self.errorf("unexpected {{end}}"),
                Parsed::Else { .. } => return self.errorf("unexpected {{else}}"),
            }
        }
        Ok(root)
    }

    fn parse_definition(&mut self) -> PResult<()> {
        let context = "define clause";
        let name = self.expect_one_of(ItemType::String, ItemType::RawString, context)?;
        let n = match strconv::unquote(&name.val) {
            Ok(n) => n,
            Err(_) => return self.errorf("invalid syntax"),
        };
        self.t.name = n.clone();
        self.expect(ItemType::RightDelim, context)?;
        let (list, end) = self.item_list()?;
        match end {
            Parsed::End => {}
            Parsed::Else { .. } => return self.errorf(format!("unexpected {{{{else}}}} in {}", context)),
            Parsed::Node(_) => unreachable!(),
        }
        self.add(n, list)
    }

    /// `textOrAction*`, up to `{{end}}` or `{{else}}`, returned separately.
    fn item_list(&mut self) -> PResult<(List, Parsed)> {
        let pos = self.peek_non_space().pos;
        let mut list = List { pos, nodes: Vec::new() };
        while self.peek_non_space().typ != ItemType::Eof {
            match self.text_or_action()? {
                Parsed::Node(n) => list.nodes.push(n),
                other => return Ok((list, other)),
            }
        }
        self.errorf("unexpected EOF")
    }

    fn text_or_action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Text => Ok(Parsed::Node(Node::Text { pos: token.pos, text: token.val })),
            ItemType::LeftDelim => {
                self.t.action_line = token.line;
                let r = self.action();
                self.t.action_line = 0;
                r
            }
            _ => self.unexpected(&token, "input"),
        }
    }

    fn action(&mut self) -> PResult<Parsed> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Block => return self.block_control().map(Parsed::Node),
            ItemType::Break => return self.break_control(token.pos, "{{break}}").map(Parsed::Node),
            ItemType::Continue => return self.break_control(token.pos, "{{continue}}").map(Parsed::Node),
            ItemType::Else => return self.else_control(),
            ItemType::End => {
                self.expect(ItemType::RightDelim, "end")?;
                return Ok(Parsed::End);
            }
            ItemType::If => return self.if_control().map(Parsed::Node),
            ItemType::Range => {
                let b = self.parse_control(false, "range")?;
                return Ok(Parsed::Node(Node::Range(b)));
            }
            ItemType::Template => return self.template_control().map(Parsed::Node),
            ItemType::With => {
                let b = self.parse_control(false, "with")?;
                return Ok(Parsed::Node(Node::With(b)));
            }
            _ => {}
        }
        self.backup();
        let token = self.peek();
        let pipe = self.pipeline("command", ItemType::RightDelim)?;
        Ok(Parsed::Node(Node::Action { pos: token.pos, pipe }))
    }

    fn break_control(&mut self, pos: usize, what: &str) -> PResult<Node> {
        let token = self.next_non_space();
        if token.typ != ItemType::RightDelim {
            return self.unexpected(&token, what);
        }
        if self.t.range_depth == 0 {
            return self.errorf(format!("{} outside {{{{range}}}}", what));
        }
        Ok(if what == "{{break}}" { Node::Break { pos } } else { Node::Continue { pos } })
    }

    fn pipeline(&mut self, context: &str, end: ItemType) -> PResult<Pipe> {
        self.enter()?;
        let r = self.pipeline_inner(context, end);
        self.leave();
        r
    }

    fn pipeline_inner(&mut self, context: &str, end: ItemType) -> PResult<Pipe> {
        let token = self.peek_non_space();
        let mut pipe = Pipe { pos: token.pos, is_assign: false, decl: Vec::new(), cmds: Vec::new() };
        // Are there declarations or assignments?
        'decls: loop {
            let v = self.peek_non_space();
            if v.typ != ItemType::Variable {
                break;
            }
            self.next();
            let token_after_variable = self.peek();
            let next = self.peek_non_space();
            if next.typ == ItemType::Assign || next.typ == ItemType::Declare {
                pipe.is_assign = next.typ == ItemType::Assign;
                self.next_non_space();
                pipe.decl.push(VarNode { pos: v.pos, ident: split_ident(&v.val) });
                self.t.vars.push(v.val.clone());
            } else if next.typ == ItemType::Char && next.val == "," {
                self.next_non_space();
                pipe.decl.push(VarNode { pos: v.pos, ident: split_ident(&v.val) });
                self.t.vars.push(v.val.clone());
                if context == "range" && pipe.decl.len() < 2 {
                    match self.peek_non_space().typ {
                        ItemType::Variable | ItemType::RightDelim | ItemType::RightParen => {
                            continue 'decls;
                        }
                        _ => return self.errorf("range can only initialize variables"),
                    }
                }
                return self.errorf(format!("too many declarations in {}", context));
            } else if token_after_variable.typ == ItemType::Space {
                self.backup3(v, token_after_variable);
            } else {
                self.backup2(v);
            }
            break;
        }
        loop {
            let token = self.next_non_space();
            match token.typ {
                t if t == end => {
                    self.check_pipeline(&pipe, context)?;
                    return Ok(pipe);
                }
                ItemType::Bool
                | ItemType::CharConstant
                | ItemType::Complex
                | ItemType::Dot
                | ItemType::Field
                | ItemType::Identifier
                | ItemType::Number
                | ItemType::Nil
                | ItemType::RawString
                | ItemType::String
                | ItemType::Variable
                | ItemType::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                }
                _ => return self.unexpected(&token, context),
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return self.errorf(format!("missing value for {}", context));
        }
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if c.args[0].kind_is_literal() {
                return self.errorf(format!("non executable command in pipeline stage {}", i + 1));
            }
        }
        Ok(())
    }

    fn parse_control(&mut self, allow_else_if: bool, context: &str) -> PResult<Branch> {
        self.enter()?;
        let nvars = self.t.vars.len();
        let r = self.parse_control_inner(allow_else_if, context);
        self.t.vars.truncate(nvars);
        self.leave();
        r
    }

    fn parse_control_inner(&mut self, allow_else_if: bool, context: &str) -> PResult<Branch> {
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        if context == "range" {
            self.t.range_depth += 1;
        }
        let r = self.item_list();
        if context == "range" {
            self.t.range_depth -= 1;
        }
        let (list, next) = r?;
        let mut else_list = None;
        match next {
            Parsed::End => {}
            Parsed::Else { pos } => {
                let mut handled = false;
                if allow_else_if && self.peek().typ == ItemType::If {
                    // "{{else if ...}}" is "{{else}}{{if ...}}...{{end}}{{end}}" with one {{end}}.
                    self.next();
                    let inner = self.if_control()?;
                    else_list = Some(List { pos, nodes: vec![inner] });
                    handled = true;
                }
                if !handled {
                    let (el, next) = self.item_list()?;
                    match next {
                        Parsed::End => {}
                        _ => return self.errorf("expected end; found {{else}}"),
                    }
                    else_list = Some(el);
                }
            }
            Parsed::Node(_) => unreachable!(),
        }
        Ok(Branch { pos: pipe.pos, pipe, list, else_list })
    }

    fn if_control(&mut self) -> PResult<Node> {
        Ok(Node::If(self.parse_control(true, "if")?))
    }

    fn else_control(&mut self) -> PResult<Parsed> {
        let peek = self.peek_non_space();
        if peek.typ == ItemType::If {
            return Ok(Parsed::Else { pos: peek.pos });
        }
        let token = self.expect(ItemType::RightDelim, "else")?;
        Ok(Parsed::Else { pos: token.pos })
    }

    fn block_control(&mut self) -> PResult<Node> {
        let context = "block clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, context)?;
        let pipe = self.pipeline(context, ItemType::RightDelim)?;

        let saved = std::mem::replace(&mut self.t, TreeState::new(&name));
        let r = match self.item_list() {
            Ok((list, Parsed::End)) => self.add(name.clone(), list).map(|_| None),
            Ok((_, _)) => Ok(Some("{{else}}")),
            Err(e) => Err(e),
        };
        self.t = saved;
        if let Some(what) = r? {
            // Go reports this through the outer tree, whose last token is stale.
            return self.errorf(format!("unexpected {} in {}", what, context));
        }
        Ok(Node::Template { pos: token.pos, name, pipe: Some(pipe) })
    }

    fn template_control(&mut self) -> PResult<Node> {
        let context = "template clause";
        let token = self.next_non_space();
        let name = self.parse_template_name(&token, context)?;
        let mut pipe = None;
        if self.next_non_space().typ != ItemType::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(context, ItemType::RightDelim)?);
        }
        Ok(Node::Template { pos: token.pos, name, pipe })
    }

    fn parse_template_name(&mut self, token: &Item, context: &str) -> PResult<String> {
        match token.typ {
            ItemType::String | ItemType::RawString => match strconv::unquote(&token.val) {
                Ok(s) => Ok(s),
                Err(_) => self.errorf("invalid syntax"),
            },
            _ => self.unexpected(token, context),
        }
    }

    fn command(&mut self) -> PResult<Command> {
        let pos = self.peek_non_space().pos;
        let mut cmd = Command { pos, args: Vec::new() };
        loop {
            self.peek_non_space();
            if let Some(operand) = self.operand()? {
                cmd.args.push(operand);
            }
            let token = self.next();
            match token.typ {
                ItemType::Space => continue,
                ItemType::RightDelim | ItemType::RightParen => self.backup(),
                ItemType::Pipe => {}
                _ => return self.unexpected(&token, "operand"),
            }
            break;
        }
        if cmd.args.is_empty() {
            return self.errorf("empty command");
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else {
            return Ok(None);
        };
        if self.peek().typ == ItemType::Field {
            let chain_pos = self.peek().pos;
            let mut fields = Vec::new();
            while self.peek().typ == ItemType::Field {
                let f = self.next().val;
                fields.push(f[1..].to_string());
            }
            return Ok(Some(match node {
                Arg::Field { ident, .. } => {
                    let mut ident = ident;
                    ident.extend(fields);
                    Arg::Field { pos: chain_pos, ident }
                }
                Arg::Variable(v) => {
                    let mut ident = v.ident;
                    ident.extend(fields);
                    Arg::Variable(VarNode { pos: chain_pos, ident })
                }
                Arg::Bool { .. } | Arg::String { .. } | Arg::Number(_) | Arg::Nil { .. } | Arg::Dot { .. } => {
                    return self.errorf(format!("unexpected . after term {}", strconv::quote(&node.to_go_string())));
                }
                other => Arg::Chain { pos: chain_pos, node: Box::new(other), fields },
            }));
        }
        Ok(Some(node))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let token = self.next_non_space();
        Ok(Some(match token.typ {
            ItemType::Identifier => {
                if let Some(has) = self.has_function {
                    if !has(&token.val) {
                        return self.errorf(format!("function {} not defined", strconv::quote(&token.val)));
                    }
                }
                Arg::Identifier { pos: token.pos, name: token.val }
            }
            ItemType::Dot => Arg::Dot { pos: token.pos },
            ItemType::Nil => Arg::Nil { pos: token.pos },
            ItemType::Variable => {
                let v = VarNode { pos: token.pos, ident: split_ident(&token.val) };
                if !self.t.vars.iter().any(|n| *n == v.ident[0]) {
                    return self.errorf(format!("undefined variable {}", strconv::quote(&v.ident[0])));
                }
                Arg::Variable(v)
            }
            ItemType::Field => {
                Arg::Field { pos: token.pos, ident: token.val[1..].split('.').map(str::to_string).collect() }
            }
            ItemType::Bool => Arg::Bool { pos: token.pos, val: token.val == "true" },
            ItemType::CharConstant | ItemType::Complex | ItemType::Number => {
                match new_number(token.pos, &token.val, token.typ) {
                    Ok(n) => Arg::Number(Box::new(n)),
                    Err(e) => return self.errorf(e),
                }
            }
            ItemType::LeftParen => {
                let p = self.pipeline("parenthesized pipeline", ItemType::RightParen)?;
                Arg::Pipe(Box::new(p))
            }
            ItemType::String | ItemType::RawString => match strconv::unquote(&token.val) {
                Ok(s) => Arg::String { pos: token.pos, quoted: token.val, text: s },
                Err(_) => return self.errorf("invalid syntax"),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

fn split_ident(s: &str) -> Vec<String> {
    s.split('.').map(str::to_string).collect()
}

/// Go's `Tree.newNumber`.
fn new_number(pos: usize, text: &str, typ: ItemType) -> Result<NumberNode, String> {
    let mut n = NumberNode {
        pos,
        is_int: false,
        is_uint: false,
        is_float: false,
        is_complex: false,
        int64: 0,
        uint64: 0,
        float64: 0.0,
        complex: (0.0, 0.0),
        text: text.to_string(),
    };
    match typ {
        ItemType::CharConstant => {
            let (r, tail) = strconv::unquote_char(&text[1..], text.as_bytes()[0] as char)
                .map_err(|_| "invalid syntax".to_string())?;
            if tail != "'" {
                return Err(format!("malformed character constant: {}", text));
            }
            n.int64 = r as i64;
            n.is_int = true;
            n.uint64 = r as u64;
            n.is_uint = true;
            n.float64 = r as u32 as f64;
            n.is_float = true;
            return Ok(n);
        }
        ItemType::Complex => {
            let (re, im) = parse_complex(text).ok_or_else(|| format!("expected integer; found {}", text))?;
            n.is_complex = true;
            n.complex = (re, im);
            simplify_complex(&mut n);
            return Ok(n);
        }
        _ => {}
    }
    if let Some(imag) = text.strip_suffix('i') {
        if let Ok(f) = strconv::parse_float(imag) {
            n.is_complex = true;
            n.complex = (0.0, f);
            simplify_complex(&mut n);
            return Ok(n);
        }
    }
    let u = strconv::parse_uint0(text);
    if let Ok(u) = u {
        n.is_uint = true;
        n.uint64 = u;
    }
    if let Ok(i) = strconv::parse_int0(text) {
        n.is_int = true;
        n.int64 = i;
        if i == 0 {
            n.is_uint = true;
            n.uint64 = u.unwrap_or(0);
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float64 = n.int64 as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float64 = n.uint64 as f64;
    } else if let Ok(f) = strconv::parse_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", strconv::quote(text)));
        }
        n.is_float = true;
        n.float64 = f;
        if !n.is_int && (f as i64) as f64 == f && f.abs() < 9.3e18 {
            n.is_int = true;
            n.int64 = f as i64;
        }
        if !n.is_uint && f >= 0.0 && (f as u64) as f64 == f && f < 1.85e19 {
            n.is_uint = true;
            n.uint64 = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!("illegal number syntax: {}", strconv::quote(text)));
    }
    Ok(n)
}

fn simplify_complex(n: &mut NumberNode) {
    n.is_float = n.complex.1 == 0.0;
    if n.is_float {
        let f = n.complex.0;
        n.float64 = f;
        n.is_int = (f as i64) as f64 == f && f.abs() < 9.3e18;
        if n.is_int {
            n.int64 = f as i64;
        }
        n.is_uint = f >= 0.0 && (f as u64) as f64 == f && f < 1.85e19;
        if n.is_uint {
            n.uint64 = f as u64;
        }
    }
}

/// Parses `a+bi` / `a-bi` (what Go's lexer hands over as a complex constant).
fn parse_complex(text: &str) -> Option<(f64, f64)> {
    let body = text.strip_suffix('i')?;
    let b = body.as_bytes();
    // Find the sign that splits real and imaginary parts (not the leading one, not after e/p).
    let mut split = None;
    for i in (1..b.len()).rev() {
        if (b[i] == b'+' || b[i] == b'-') && !matches!(b[i - 1], b'e' | b'E' | b'p' | b'P') {
            split = Some(i);
            break;
        }
    }
    let i = split?;
    let re = strconv::parse_float(&body[..i]).ok()?;
    let im = strconv::parse_float(&body[i..]).ok()?;
    Some((re, im))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<String, String> {
        let has = |name: &str| {
            matches!(name, "printf" | "and" | "or" | "not" | "len" | "index" | "eq" | "html" | "contains" | "lt")
        };
        match parse("t", text, "", "", Some(&has)) {
            Ok(trees) => {
                let mut s = String::new();
                trees["t"].root.write_to(&mut s);
                for (name, t) in &trees {
                    if name != "t" {
                        let _ = write!(s, " [{}: ", name);
                        t.root.write_to(&mut s);
                        s.push(']');
                    }
                }
                Ok(s)
            }
            Err(e) => Err(format!("template: {}:{}: {}", e.name, e.line, e.message)),
        }
    }

    #[test]
    fn round_trips_like_go() {
        // Cases from Go's parse_test.go: input and the tree's String().
        let cases: &[(&str, &str)] = &[
            ("", ""),
            ("{{/*\n\n\n*/}}", ""),
            (" \t\n", " \t\n"),
            ("some text", "some text"),
            ("{{}}", "ERR"),
            ("{{.X}}", "{{.X}}"),
            ("{{printf}}", "{{printf}}"),
            ("{{$}}", "{{$}}"),
            ("{{with $x := 3}}{{$x 23}}{{end}}", "{{with $x := 3}}{{$x 23}}{{end}}"),
            ("{{$.I}}", "{{$.I}}"),
            ("{{printf `%d` 23}}", "{{printf `%d` 23}}"),
            ("{{.X|.Y}}", "{{.X | .Y}}"),
            ("{{$x := .X|.Y}}", "{{$x := .X | .Y}}"),
            ("{{.X (.Y .Z) (.A | .B .C) (.E)}}", "{{.X (.Y .Z) (.A | .B .C) (.E)}}"),
            ("{{(.Y .Z).Field}}", "{{(.Y .Z).Field}}"),
            ("{{if .X}}hello{{end}}", "{{if .X}}hello{{end}}"),
            ("{{if .X}}true{{else}}false{{end}}", "{{if .X}}true{{else}}false{{end}}"),
            ("{{if .X}}true{{else if .Y}}false{{end}}", "{{if .X}}true{{else}}{{if .Y}}false{{end}}{{end}}"),
            (
                "+{{if .X}}X{{else if .Y}}Y{{else if .Z}}Z{{end}}+",
                "+{{if .X}}X{{else}}{{if .Y}}Y{{else}}{{if .Z}}Z{{end}}{{end}}{{end}}+",
            ),
            ("{{range .X}}hello{{end}}", "{{range .X}}hello{{end}}"),
            ("{{range .X.Y.Z}}hello{{end}}", "{{range .X.Y.Z}}hello{{end}}"),
            (
                "{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}",
                "{{range .X}}hello{{range .Y}}goodbye{{end}}{{end}}",
            ),
            ("{{range .X}}true{{else}}false{{end}}", "{{range .X}}true{{else}}false{{end}}"),
            ("{{range .X|.M}}true{{else}}false{{end}}", "{{range .X | .M}}true{{else}}false{{end}}"),
            ("{{range .SI}}{{.}}{{end}}", "{{range .SI}}{{.}}{{end}}"),
            ("{{range $x := .SI}}{{.}}{{end}}", "{{range $x := .SI}}{{.}}{{end}}"),
            ("{{range $x, $y := .SI}}{{.}}{{end}}", "{{range $x, $y := .SI}}{{.}}{{end}}"),
            ("{{range .SI}}{{.}}{{break}}{{end}}", "{{range .SI}}{{.}}{{break}}{{end}}"),
            ("{{range .SI}}{{.}}{{continue}}{{end}}", "{{range .SI}}{{.}}{{continue}}{{end}}"),
            ("{{range $.SI}}{{.}}{{end}}", "{{range $.SI}}{{.}}{{end}}"),
            ("{{template `x`}}", "{{template \"x\"}}"),
            ("{{template `x` .Y}}", "{{template \"x\" .Y}}"),
            ("{{with .X}}hello{{end}}", "{{with .X}}hello{{end}}"),
            ("{{with .X}}hello{{else}}goodbye{{end}}", "{{with .X}}hello{{else}}goodbye{{end}}"),
            ("{{.X | .Y -}} \n\t {{.Z}}", "{{.X | .Y}}{{.Z}}"),
            ("{{.X}}{{- /* c */ -}}{{.Y}}", "{{.X}}{{.Y}}"),
            ("{{printf \"%d\" ( 1 ) }}", "{{printf \"%d\" (1)}}"),
            ("{{.X|.Y\n}}", "{{.X | .Y}}"),
            // Errors.
            ("hello{{range .x}}", "ERR"),
            ("{{nothing}}", "ERR"),
            ("{{$x}}", "ERR"),
            ("{{with $x := 4}}{{end}}{{$x}}", "ERR"),
            ("{{range 3}}{{end}}{{template \"x\" $y}}", "ERR"),
            ("{{if}}", "ERR"),
            ("{{range $k, $v, $z := .}}{{end}}", "ERR"),
            ("{{ .X | 3 }}", "ERR"),
            ("{{break}}", "ERR"),
            ("{{range .}}{{with .}}{{break 3}}{{end}}{{end}}", "ERR"),
            ("{{ 3.x }}", "ERR"),
            ("{{define \"a\"}}a{{end}}{{define \"a\"}}b{{end}}", "ERR"),
            ("{{ 0xi }}", "ERR"),
            ("{{ 'ab' }}", "ERR"),
            ("{{ '' }}", "ERR"),
        ];
        for (input, want) in cases {
            let got = parse_str(input);
            if *want == "ERR" {
                assert!(got.is_err(), "{:?} should fail, got {:?}", input, got);
            } else {
                assert_eq!(got.as_deref(), Ok(*want), "{:?}", input);
            }
        }
    }

    #[test]
    fn defines_and_blocks() {
        assert_eq!(
            parse_str("{{define `a`}}A{{end}}x{{block \"b\" .}}B{{end}}").unwrap(),
            "x{{template \"b\" .}} [a: A] [b: B]"
        );
    }

    #[test]
    fn error_messages() {
        let cases: &[(&str, &str)] = &[
            ("{{", "template: t:1: unclosed action"),
            ("{{end}}", "template: t:1: unexpected {{end}}"),
            ("{{else}}", "template: t:1: unexpected {{else}}"),
            ("{{nothing}}", "template: t:1: function \"nothing\" not defined"),
            ("\n\n{{$x}}", "template: t:3: undefined variable \"$x\""),
            ("{{if .X}}", "template: t:1: unexpected EOF"),
            ("{{.X 3 | 4}}", "template: t:1: non executable command in pipeline stage 2"),
            ("{{range .X}}{{end}}{{break}}", "template: t:1: {{break}} outside {{range}}"),
            ("{{printf \"x\" 3\n}}{{.X\n", "template: t:3: unclosed action started at t:2"),
            ("{{\"a\n\"}}", "template: t:1: unterminated quoted string"),
            (
                "{{define \"a\"}}x{{end}}{{define \"a\"}}y{{end}}",
                "template: t:1: template: multiple definition of template \"a\"",
            ),
            ("{{3 | printf | 4}}", "template: t:1: non executable command in pipeline stage 3"),
            ("{{with}}", "template: t:1: missing value for with"),
            ("{{if .X}}a{{else}}b{{else}}c{{end}}", "template: t:1: expected end; found {{else}}"),
            ("{{range .X}}{{else if .Y}}{{end}}", "template: t:1: unexpected <if> in input"),
            ("{{.X.}}", "template: t:1: unexpected <.> in operand"),
            ("{{ 9999999999999999999999 }}", "template: t:1: integer overflow: \"9999999999999999999999\""),
            ("{{(1 2 3}}", "template: t:1: unclosed left paren"),
            ("{{template .X}}", "template: t:1: unexpected \".X\" in template clause"),
        ];
        for (input, want) in cases {
            assert_eq!(parse_str(input).unwrap_err(), *want, "{:?}", input);
        }
    }

    #[test]
    fn depth_limit() {
        let deep = format!("{{{{{}1{}}}}}", "(".repeat(MAX_PARSE_DEPTH + 5), ")".repeat(MAX_PARSE_DEPTH + 5));
        assert_eq!(parse_str(&deep).unwrap_err(), "template: t:1: max expression depth exceeded");
        let ok = format!("{{{{{}1{}}}}}", "(".repeat(50), ")".repeat(50));
        assert!(parse_str(&ok).is_ok());
    }
}
