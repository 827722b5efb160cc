//! The parser: Go's `parse.Tree` methods, from lexer items to trees, with Go's error messages.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::node::{is_empty_list, Arg, Branch, Command, List, Node, Pipe, Tree, VarNode};
use super::number::new_number;
use super::MAX_PARSE_DEPTH;
use crate::lex::{lex, Item, ItemType};
use crate::strconv;

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
