//! The executor: a port of Go's `text/template/exec.go` (Go 1.19) over [`Value`]s.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::funcs::{split_error, FuncImpl, FuncMap, Sig, Ty};
use crate::parse::{Arg, Branch, Command, List, Node, NumberNode, Pipe, Tree, VarNode};
use crate::strconv;
use crate::value::Value;
use crate::{MissingKey, TemplateError};

/// Deepest nesting of `{{template}}` calls and control structures together during execution
/// (Go allows 100000 template calls; a thread's stack here holds about a thousand levels).
pub(crate) const MAX_EXEC_DEPTH: usize = 1000;

/// The node being evaluated, for error messages.
#[derive(Clone, Copy)]
enum At<'a> {
    None,
    Node(&'a Node),
    List(&'a List),
    Pipe(&'a Pipe),
    Cmd(&'a Command),
    Arg(&'a Arg),
    Var(&'a VarNode),
}

impl At<'_> {
    fn pos(&self) -> usize {
        match self {
            At::None => 0,
            At::Node(n) => n.pos(),
            At::List(l) => l.pos,
            At::Pipe(p) => p.pos,
            At::Cmd(c) => c.pos,
            At::Arg(a) => a.pos(),
            At::Var(v) => v.pos,
        }
    }

    fn text(&self) -> String {
        let mut s = String::new();
        match self {
            At::None => {}
            At::Node(n) => n.write_to(&mut s),
            At::List(l) => l.write_to(&mut s),
            At::Pipe(p) => p.write_to(&mut s),
            At::Cmd(c) => c.write_to(&mut s),
            At::Arg(a) => a.write_to(&mut s),
            At::Var(v) => v.write_to(&mut s),
        }
        s
    }
}

/// Control flow out of `walk`: `{{break}}`, `{{continue}}` or an error.
pub(crate) enum Flow {
    Break,
    Continue,
    Error(Box<TemplateError>),
}

type R<T> = Result<T, Flow>;

pub(crate) struct State<'a> {
    trees: &'a BTreeMap<String, Arc<Tree>>,
    tmpl: &'a Tree,
    funcs: &'a FuncMap,
    missing_key: MissingKey,
    node: At<'a>,
    vars: Vec<(String, Value)>,
    depth: usize,
    /// Whether dot has Go's static type `interface {}` (an element of a list or map being
    /// ranged over): only for error messages.
    dot_iface: bool,
    pub out: String,
}

/// Executes `tree` with `data`, appending to `out`.
pub(crate) fn execute(
    trees: &BTreeMap<String, Arc<Tree>>,
    tree: &Tree,
    data: &Value,
    funcs: &FuncMap,
    missing_key: MissingKey,
) -> Result<String, TemplateError> {
    let mut s = State {
        trees,
        tmpl: tree,
        funcs,
        missing_key,
        node: At::None,
        vars: vec![("$".to_string(), data.clone())],
        depth: 0,
        dot_iface: false,
        out: String::new(),
    };
    match s.walk_list(data, &tree.root) {
        Ok(()) => Ok(s.out),
        Err(Flow::Error(e)) => Err(*e),
        // The parser only allows break and continue inside range.
        Err(Flow::Break) | Err(Flow::Continue) => Ok(s.out),
    }
}

fn is_hex_int(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() > 2 && b[0] == b'0' && (b[1] == b'x' || b[1] == b'X') && !s.contains(['p', 'P'])
}

impl<'a> State<'a> {
    fn at(&mut self, node: At<'a>) {
        self.node = node;
    }

    fn errorf<T>(&self, msg: impl Into<String>) -> R<T> {
        Err(Flow::Error(Box::new(self.error(msg.into()))))
    }

    fn error(&self, message: String) -> TemplateError {
        let name = self.tmpl.name.clone();
        if let At::None = self.node {
            return TemplateError::Other(format!("template: {}: {}", name, message));
        }
        let pos = self.node.pos();
        let text = &self.tmpl.text[..pos.min(self.tmpl.text.len())];
        let (line, col) = match text.rfind('\n') {
            None => (1, pos),
            Some(i) => (1 + text.matches('\n').count(), pos - (i + 1)),
        };
        TemplateError::Exec {
            location: format!("{}:{}:{}", self.tmpl.parse_name, line, col),
            template: name,
            context: self.node.text(),
            message,
        }
    }

    // Variables.

    fn push(&mut self, name: &str, value: Value) {
        self.vars.push((name.to_string(), value));
    }

    fn mark(&self) -> usize {
        self.vars.len()
    }

    fn pop(&mut self, mark: usize) {
        self.vars.truncate(mark);
    }

    fn set_var(&mut self, name: &str, value: Value) -> R<()> {
        for v in self.vars.iter_mut().rev() {
            if v.0 == name {
                v.1 = value;
                return Ok(());
            }
        }
        self.errorf(format!("undefined variable: {}", name))
    }

    fn set_top_var(&mut self, n: usize, value: Value) {
        let len = self.vars.len();
        self.vars[len - n].1 = value;
    }

    fn var_value(&self, name: &str) -> R<Value> {
        for v in self.vars.iter().rev() {
            if v.0 == name {
                return Ok(v.1.clone());
            }
        }
        self.errorf(format!("undefined variable: {}", name))
    }

    // Walking.

    fn walk_list(&mut self, dot: &Value, list: &'a List) -> R<()> {
        self.at(At::List(list));
        if self.depth >= MAX_EXEC_DEPTH {
            return self.errorf(format!("exceeded maximum template depth ({})", MAX_EXEC_DEPTH));
        }
        self.depth += 1;
        let mut r = Ok(());
        for n in &list.nodes {
            r = self.walk(dot, n);
            if r.is_err() {
                break;
            }
        }
        self.depth -= 1;
        r
    }

    fn walk(&mut self, dot: &Value, node: &'a Node) -> R<()> {
        self.at(At::Node(node));
        match node {
            Node::Action { pipe, .. } => {
                let val = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.print_value(At::Node(node), &val)?;
                }
                Ok(())
            }
            Node::Break { .. } => Err(Flow::Break),
            Node::Continue { .. } => Err(Flow::Continue),
            Node::If(b) => self.walk_if_or_with(false, dot, b),
            Node::With(b) => self.walk_if_or_with(true, dot, b),
            Node::Range(b) => self.walk_range(dot, node, b),
            Node::Template { name, pipe, .. } => self.walk_template(dot, node, name, pipe.as_ref()),
            Node::Text { text, .. } => {
                self.out.push_str(text);
                Ok(())
            }
        }
    }

    fn walk_if_or_with(&mut self, with: bool, dot: &Value, b: &'a Branch) -> R<()> {
        let mark = self.mark();
        let val = self.eval_pipeline(dot, &b.pipe)?;
        let r = if val.truth() {
            if with {
                let saved = std::mem::replace(&mut self.dot_iface, false);
                let r = self.walk_list(&val, &b.list);
                self.dot_iface = saved;
                r
            } else {
                self.walk_list(dot, &b.list)
            }
        } else if let Some(e) = &b.else_list {
            self.walk_list(dot, e)
        } else {
            Ok(())
        };
        self.pop(mark);
        r
    }

    fn walk_range(&mut self, dot: &Value, node: &'a Node, r: &'a Branch) -> R<()> {
        self.at(At::Node(node));
        let mark0 = self.mark();
        let val = self.eval_pipeline(dot, &r.pipe)?;
        let mark = self.mark();
        // Elements of Go's []interface{} and map[string]interface{} have static type interface{}.
        let elem_iface = match &val {
            Value::List(_) => val.go_type_name() == "[]interface {}",
            Value::Map(_) => true,
            _ => false,
        };
        let items: Vec<(Value, Value)> = match val.plain().into_owned() {
            Value::List(l) => l.into_iter().enumerate().map(|(i, v)| (Value::Int(i as i64), v)).collect(),
            Value::Map(m) => m.into_iter().map(|(k, v)| (Value::String(k), v)).collect(),
            Value::Nil => Vec::new(),
            _ => return self.errorf(format!("range can't iterate over {}", crate::format::format_deref(&val))),
        };
        let empty = items.is_empty();
        for (index, elem) in items {
            if !r.pipe.decl.is_empty() {
                self.set_top_var(1, elem.clone());
            }
            if r.pipe.decl.len() > 1 {
                self.set_top_var(2, index);
            }
            let saved = std::mem::replace(&mut self.dot_iface, elem_iface);
            let res = self.walk_list(&elem, &r.list);
            self.dot_iface = saved;
            self.pop(mark);
            match res {
                Ok(()) | Err(Flow::Continue) => {}
                Err(Flow::Break) => break,
                Err(e) => return Err(e),
            }
        }
        if empty {
            if let Some(e) = &r.else_list {
                self.walk_list(dot, e)?;
            }
        }
        self.pop(mark0);
        Ok(())
    }

    fn walk_template(&mut self, dot: &Value, node: &'a Node, name: &str, pipe: Option<&'a Pipe>) -> R<()> {
        self.at(At::Node(node));
        let trees = self.trees;
        let Some(tmpl) = trees.get(name) else {
            return self.errorf(format!("template {} not defined", strconv::quote(name)));
        };
        if self.depth >= MAX_EXEC_DEPTH {
            return self.errorf(format!("exceeded maximum template depth ({})", MAX_EXEC_DEPTH));
        }
        let new_dot = match pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Value::Nil,
        };
        // No dynamic scoping: template invocations inherit no variables.
        let saved_vars = std::mem::replace(&mut self.vars, vec![("$".to_string(), new_dot.clone())]);
        let saved_tmpl = self.tmpl;
        let saved_node = self.node;
        self.tmpl = tmpl;
        let saved_iface = std::mem::replace(&mut self.dot_iface, false);
        let r = self.walk_list(&new_dot, &tmpl.root);
        self.dot_iface = saved_iface;
        self.tmpl = saved_tmpl;
        self.vars = saved_vars;
        self.node = saved_node;
        match r {
            Err(Flow::Break) | Err(Flow::Continue) => Ok(()),
            r => r,
        }
    }

    // Evaluation.

    fn eval_pipeline(&mut self, dot: &Value, pipe: &'a Pipe) -> R<Value> {
        self.at(At::Pipe(pipe));
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            value = Some(self.eval_command(dot, cmd, value)?);
        }
        let value = value.unwrap_or(Value::Nil);
        for v in &pipe.decl {
            if pipe.is_assign {
                self.set_var(&v.ident[0], value.clone())?;
            } else {
                self.push(&v.ident[0], value.clone());
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, args: &[Arg], fin: &Option<Value>) -> R<()> {
        if args.len() > 1 || fin.is_some() {
            return self.errorf(format!("can't give argument to non-function {}", args[0].to_go_string()));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Value, cmd: &'a Command, fin: Option<Value>) -> R<Value> {
        let first = &cmd.args[0];
        match first {
            Arg::Field { ident, .. } => return self.eval_field_node(dot, first, ident, Some(&cmd.args), fin),
            Arg::Chain { node, fields, .. } => {
                return self.eval_chain_node(dot, first, node, fields, Some(&cmd.args), fin)
            }
            Arg::Identifier { name, .. } => {
                return self.eval_function(dot, first, name, At::Cmd(cmd), Some(&cmd.args), fin)
            }
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &fin)?;
                return self.eval_pipeline(dot, p);
            }
            Arg::Variable(v) => return self.eval_variable_node(dot, v, Some(&cmd.args), fin),
            _ => {}
        }
        self.at(At::Arg(first));
        self.not_a_function(&cmd.args, &fin)?;
        match first {
            Arg::Bool { val, .. } => Ok(Value::Bool(*val)),
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Nil { .. } => self.errorf("nil is not a command"),
            Arg::Number(n) => self.ideal_constant(first, n),
            Arg::String { text, .. } => Ok(Value::String(text.clone())),
            _ => self.errorf(format!("can't evaluate command {}", strconv::quote(&first.to_go_string()))),
        }
    }

    fn ideal_constant(&mut self, node: &'a Arg, n: &NumberNode) -> R<Value> {
        self.at(At::Arg(node));
        if n.is_complex {
            return self.errorf(format!("complex constant {} is not supported", n.text));
        }
        if n.is_float && !is_hex_int(&n.text) && !n.text.starts_with('\'') && n.text.contains(['.', 'e', 'E', 'p', 'P'])
        {
            return Ok(Value::Float(n.float64));
        }
        if n.is_int {
            return Ok(Value::Int(n.int64));
        }
        if n.is_uint {
            return self.errorf(format!("{} overflows int", n.text));
        }
        Ok(Value::Nil)
    }

    fn eval_field_node(
        &mut self,
        dot: &Value,
        node: &'a Arg,
        ident: &'a [String],
        args: Option<&'a [Arg]>,
        fin: Option<Value>,
    ) -> R<Value> {
        self.at(At::Arg(node));
        let iface = self.dot_iface;
        self.eval_field_chain(dot, dot.clone(), iface, At::Arg(node), ident, args, fin)
    }

    fn eval_chain_node(
        &mut self,
        dot: &Value,
        chain: &'a Arg,
        node: &'a Arg,
        fields: &'a [String],
        args: Option<&'a [Arg]>,
        fin: Option<Value>,
    ) -> R<Value> {
        self.at(At::Arg(chain));
        if fields.is_empty() {
            return self.errorf("internal error: no fields in evalChainNode");
        }
        if let Arg::Nil { .. } = node {
            return self.errorf(format!("indirection through explicit nil in {}", chain.to_go_string()));
        }
        let pipe = self.eval_arg(dot, Ty::Any, node)?;
        self.eval_field_chain(dot, pipe, false, At::Arg(chain), fields, args, fin)
    }

    fn eval_variable_node(
        &mut self,
        dot: &Value,
        v: &'a VarNode,
        args: Option<&'a [Arg]>,
        fin: Option<Value>,
    ) -> R<Value> {
        self.at(At::Var(v));
        let value = self.var_value(&v.ident[0])?;
        if v.ident.len() == 1 {
            if let Some(a) = args {
                self.not_a_function(a, &fin)?;
            } else if fin.is_some() {
                return self.errorf(format!("can't give argument to non-function {}", v.ident[0]));
            }
            return Ok(value);
        }
        self.eval_field_chain(dot, value, false, At::Var(v), &v.ident[1..], args, fin)
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_field_chain(
        &mut self,
        dot: &Value,
        receiver: Value,
        iface: bool,
        node: At<'a>,
        ident: &'a [String],
        args: Option<&'a [Arg]>,
        fin: Option<Value>,
    ) -> R<Value> {
        let n = ident.len();
        let mut receiver = receiver;
        let mut iface = iface;
        for name in &ident[..n - 1] {
            let from_map = matches!(receiver, Value::Map(_));
            receiver = self.eval_field(dot, name, node, None, None, receiver, iface)?;
            iface = from_map;
        }
        self.eval_field(dot, &ident[n - 1], node, args, fin, receiver, iface)
    }

    fn eval_function(
        &mut self,
        dot: &Value,
        node: &'a Arg,
        name: &str,
        cmd: At<'a>,
        args: Option<&'a [Arg]>,
        fin: Option<Value>,
    ) -> R<Value> {
        self.at(At::Arg(node));
        let funcs = self.funcs;
        // The escapers html/template inserts are found even when not in the caller's map.
        let Some(f) = funcs.get(name).or_else(|| crate::html::escaper_func(name)) else {
            return self.errorf(format!("{} is not a defined function", strconv::quote(name)));
        };
        self.eval_call(dot, f, cmd, name, args, fin)
    }

    /// Evaluates method arguments (untyped) plus the piped value.
    fn eval_method_args(&mut self, dot: &Value, args: Option<&'a [Arg]>, fin: Option<Value>) -> R<Vec<Value>> {
        let mut argv = Vec::new();
        if let Some(a) = args {
            for n in &a[1..] {
                argv.push(self.eval_arg(dot, Ty::Any, n)?);
            }
        }
        if let Some(f) = fin {
            argv.push(f);
        }
        Ok(argv)
    }

    fn call_result(&mut self, node: At<'a>, name: &str, r: Result<Value, String>) -> R<Value> {
        match r {
            Ok(v) => Ok(v),
            Err(e) => {
                self.at(node);
                let (is_arg, msg) = split_error(&e);
                if is_arg {
                    self.errorf(msg.to_string())
                } else {
                    self.errorf(format!("error calling {}: {}", name, msg))
                }
            }
        }
    }

    fn missing_key(&self, name: &str, zero: Value) -> R<Value> {
        match self.missing_key {
            MissingKey::Invalid => Ok(Value::Nil),
            MissingKey::Zero => Ok(zero),
            MissingKey::Error => self.errorf(format!("map has no entry for key {}", strconv::quote(name))),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_field(
        &mut self,
        dot: &Value,
        name: &str,
        node: At<'a>,
        args: Option<&'a [Arg]>,
        fin: Option<Value>,
        receiver: Value,
        iface: bool,
    ) -> R<Value> {
        let has_args = args.map(|a| a.len() > 1).unwrap_or(false) || fin.is_some();
        let type_name = |v: &Value| if iface { "interface {}".to_string() } else { v.go_type_name() };
        match &receiver {
            Value::Nil => {
                if self.missing_key == MissingKey::Error {
                    return self.errorf(format!("nil data; no entry for key {}", strconv::quote(name)));
                }
                Ok(Value::Nil)
            }
            Value::Map(m) => {
                if has_args {
                    return self.errorf(format!("{} is not a method but has arguments", name));
                }
                match m.get(name) {
                    Some(v) => Ok(v.clone()),
                    None => self.missing_key(name, Value::Nil),
                }
            }
            Value::Object(o) => {
                let o = o.clone();
                if has_args {
                    if !o.has_method(name) && o.field(name).is_some() {
                        if o.is_map() {
                            return self.errorf(format!("{} is not a method but has arguments", name));
                        }
                        return self.errorf(format!("{} has arguments but cannot be invoked as function", name));
                    }
                    let argv = self.eval_method_args(dot, args, fin)?;
                    if let Some(r) = o.method(name, &argv) {
                        return self.call_result(node, name, r);
                    }
                    if o.is_map() {
                        return self.errorf(format!("{} is not a method but has arguments", name));
                    }
                    return self.errorf(format!("can't evaluate field {} in type {}", name, type_name(&receiver)));
                }
                if let Some(r) = o.method(name, &[]) {
                    return self.call_result(node, name, r);
                }
                if let Some(v) = o.field(name) {
                    return Ok(v);
                }
                if o.is_map() {
                    return self.missing_key(name, o.map_zero());
                }
                self.errorf(format!("can't evaluate field {} in type {}", name, type_name(&receiver)))
            }
            Value::Time(t) => match crate::gotime::method_sig(name) {
                Some(sig) => {
                    let t = t.clone();
                    let method = name.to_string();
                    let f = FuncImpl::Typed {
                        sig,
                        f: Arc::new(move |a: &[Value]| {
                            t.method(&method, a).unwrap_or_else(|| Err("no such method".into()))
                        }),
                    };
                    self.eval_call(dot, &f, node, name, args, fin)
                }
                None => self.errorf(format!("can't evaluate field {} in type {}", name, type_name(&receiver))),
            },
            other => self.errorf(format!("can't evaluate field {} in type {}", name, type_name(other))),
        }
    }

    fn eval_call(
        &mut self,
        dot: &Value,
        f: &FuncImpl,
        node: At<'a>,
        name: &str,
        args: Option<&'a [Arg]>,
        fin: Option<Value>,
    ) -> R<Value> {
        let argn: &'a [Arg] = match args {
            Some(a) => &a[1..],
            None => &[],
        };
        let num_in = argn.len() + usize::from(fin.is_some());
        let (sig, func) = match f {
            FuncImpl::User(func) => {
                let mut argv = Vec::with_capacity(num_in);
                for n in argn {
                    argv.push(self.eval_arg(dot, Ty::Any, n)?);
                }
                if let Some(v) = fin {
                    argv.push(v);
                }
                let func = func.clone();
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| func(&argv)))
                    .unwrap_or_else(|p| Err(panic_message(p)));
                return self.call_result(node, name, r);
            }
            FuncImpl::AndOr(is_or) => {
                if num_in < 1 {
                    return self.errorf(format!(
                        "wrong number of args for {}: want at least 1 got {}",
                        name,
                        argn.len()
                    ));
                }
                let mut v = Value::Nil;
                for n in argn {
                    v = self.eval_arg(dot, Ty::Reflect, n)?;
                    if v.truth() == *is_or {
                        return Ok(v);
                    }
                }
                if let Some(f) = fin {
                    v = f;
                }
                return Ok(v);
            }
            FuncImpl::Typed { sig, f } => (sig, f),
        };
        let Sig { params, variadic } = sig;
        let num_fixed = if variadic.is_some() { params.len() } else { argn.len() };
        if variadic.is_some() {
            if num_in < num_fixed {
                return self.errorf(format!(
                    "wrong number of args for {}: want at least {} got {}",
                    name,
                    params.len(),
                    argn.len()
                ));
            }
        } else if num_in != params.len() {
            return self.errorf(format!("wrong number of args for {}: want {} got {}", name, params.len(), num_in));
        }
        let mut argv = Vec::with_capacity(num_in);
        let mut i = 0;
        while i < num_fixed && i < argn.len() {
            argv.push(self.eval_arg(dot, params[i], &argn[i])?);
            i += 1;
        }
        if let Some(vt) = variadic {
            while i < argn.len() {
                argv.push(self.eval_arg(dot, *vt, &argn[i])?);
                i += 1;
            }
        }
        if let Some(v) = fin {
            let t = match variadic {
                Some(vt) => {
                    if num_in - 1 < num_fixed {
                        params[num_in - 1]
                    } else {
                        *vt
                    }
                }
                None => *params.last().unwrap(),
            };
            argv.push(self.validate_type(v, t)?);
        }
        let r = func(&argv);
        self.call_result(node, name, r)
    }

    fn validate_type(&self, value: Value, ty: Ty) -> R<Value> {
        if value.is_nil() {
            if ty.can_be_nil() {
                return Ok(Value::Nil);
            }
            return self.errorf(format!("invalid value; expected {}", ty.go_name()));
        }
        let ok = match ty {
            Ty::Any | Ty::Reflect => true,
            Ty::Str => matches!(value, Value::String(_)),
            Ty::Float => matches!(value, Value::Float(_)),
            Ty::Int => matches!(value, Value::Int(_)),
            Ty::Duration => match &value {
                Value::Object(o) => o.type_name() == "time.Duration",
                _ => false,
            },
            Ty::Bool => matches!(value, Value::Bool(_)),
            Ty::Time => matches!(value, Value::Time(_)),
            Ty::StrList => match value.plain().as_ref() {
                Value::List(l) => l.iter().all(|v| matches!(v, Value::String(_))),
                _ => false,
            },
            Ty::Sample => matches!(value, Value::Object(_) | Value::Map(_)),
            Ty::QueryResult => match &value {
                Value::List(l) => l.iter().all(|v| matches!(v, Value::Object(_) | Value::Map(_))),
                Value::Object(o) => o.type_name() == "template.queryResult",
                _ => false,
            },
        };
        if !ok {
            return self.errorf(format!(
                "wrong type for value; expected {}; got {}",
                ty.go_name(),
                value.go_type_name()
            ));
        }
        Ok(value)
    }

    fn eval_arg(&mut self, dot: &Value, ty: Ty, n: &'a Arg) -> R<Value> {
        self.at(At::Arg(n));
        match n {
            Arg::Dot { .. } => return self.validate_type(dot.clone(), ty),
            Arg::Nil { .. } => {
                if ty.can_be_nil() {
                    return Ok(Value::Nil);
                }
                return self.errorf(format!("cannot assign nil to {}", ty.go_name()));
            }
            Arg::Field { ident, .. } => {
                let v = self.eval_field_node(dot, n, ident, Some(std::slice::from_ref(n)), None)?;
                return self.validate_type(v, ty);
            }
            Arg::Variable(v) => {
                let val = self.eval_variable_node(dot, v, None, None)?;
                return self.validate_type(val, ty);
            }
            Arg::Pipe(p) => {
                let v = self.eval_pipeline(dot, p)?;
                return self.validate_type(v, ty);
            }
            Arg::Identifier { name, .. } => {
                let v = self.eval_function(dot, n, name, At::Arg(n), None, None)?;
                return self.validate_type(v, ty);
            }
            Arg::Chain { node, fields, .. } => {
                let v = self.eval_chain_node(dot, n, node, fields, None, None)?;
                return self.validate_type(v, ty);
            }
            _ => {}
        }
        match ty {
            Ty::Bool => match n {
                Arg::Bool { val, .. } => Ok(Value::Bool(*val)),
                _ => self.errorf(format!("expected bool; found {}", n.to_go_string())),
            },
            Ty::Float => match n {
                Arg::Number(num) if num.is_float => Ok(Value::Float(num.float64)),
                _ => self.errorf(format!("expected float; found {}", n.to_go_string())),
            },
            Ty::Int | Ty::Duration => match n {
                Arg::Number(num) if num.is_int => Ok(Value::Int(num.int64)),
                _ => self.errorf(format!("expected integer; found {}", n.to_go_string())),
            },
            Ty::Str => match n {
                Arg::String { text, .. } => Ok(Value::String(text.clone())),
                _ => self.errorf(format!("expected string; found {}", n.to_go_string())),
            },
            Ty::Any | Ty::Reflect => self.eval_empty_interface(dot, n),
            _ => self.errorf(format!("can't handle {} for arg of type {}", n.to_go_string(), ty.go_name())),
        }
    }

    fn eval_empty_interface(&mut self, dot: &Value, n: &'a Arg) -> R<Value> {
        self.at(At::Arg(n));
        match n {
            Arg::Bool { val, .. } => Ok(Value::Bool(*val)),
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Number(num) => self.ideal_constant(n, num),
            Arg::String { text, .. } => Ok(Value::String(text.clone())),
            _ => self.errorf(format!("can't handle assignment of {} to empty interface argument", n.to_go_string())),
        }
    }

    fn print_value(&mut self, node: At<'a>, v: &Value) -> R<()> {
        self.at(node);
        match v {
            Value::Nil => self.out.push_str("<no value>"),
            Value::String(s) => self.out.push_str(s),
            Value::Int(i) => {
                use std::fmt::Write as _;
                let _ = write!(self.out, "{}", i);
            }
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Func(_) => {
                return self.errorf(format!("can't print {} of type {}", node.text(), v.go_type_name()));
            }
            _ => {
                // Go's printValue dereferences a pointer before printing it.
                let s = crate::format::format_deref(v);
                self.out.push_str(&s);
            }
        }
        Ok(())
    }
}

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic in template function".to_string()
    }
}
