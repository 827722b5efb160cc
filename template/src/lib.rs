//! Go's `text/template` language, with the functions Prometheus rule files and Alertmanager
//! templates use.
//!
//! The language is Go 1.19's: actions and pipelines, variables, `if`/`else if`/`else`,
//! `range` (with `break`/`continue`), `with`, `define`, `template`, `block`, trim markers and
//! comments, Go's constants and escapes, Go's predefined functions with Go's comparison and
//! truth rules, and `printf` with Go's verbs. Values print like Go's `fmt` (`%v`), missing map
//! keys as `<no value>`; errors read like Go's (`template: NAME:LINE: ...` when parsing,
//! `template: NAME:LINE:COL: executing "NAME" at <NODE>: ...` when executing).
//!
//! ```
//! use pharos_template::{FuncMap, Template, Value};
//!
//! let mut t = Template::new("t");
//! t.parse(r#"{{ range $i, $e := . }}{{ if $i }}, {{ end }}{{ $e | printf "%.2f" }}{{ end }}"#).unwrap();
//! let data = Value::List(vec![Value::Float(1.0), Value::Float(2.5)]);
//! assert_eq!(t.execute(&data, &FuncMap::new()).unwrap(), "1.00, 2.50");
//! ```
//!
//! Data: [`Value`] holds Go's basic kinds, lists, string-keyed maps, times and [`Object`]s
//! (types with fields and methods). [`alertmanager`] has Alertmanager 0.25's notification data
//! (`KV`, `Pairs`, `Alerts`, `Alert`, `Data`) and [`prometheus`] the alert-rule template data
//! and query results.
//!
//! Functions: [`FuncMap::new`] has Go's builtins, [`FuncMap::prometheus`] and
//! [`FuncMap::alertmanager`] add those of Prometheus 2.42 and Alertmanager 0.25.
//!
//! HTML: [`Template::escape_html`] turns a parsed set into Go's `html/template` form once
//! (contextual auto-escaping, see [`html`]); [`Template::execute_html`] is Alertmanager's
//! `ExecuteHTMLString`. Alertmanager's `safeHtml` returns a `template.HTML`
//! ([`html::SafeContent`]), which HTML text takes as it is.
//!
//! Both Prometheus and Alertmanager execute with `missingkey=zero`: a missing label
//! (`{{ $labels.nope }}`, `{{ .CommonLabels.nope }}`) is then `""`, since labels are Go
//! `map[string]string`s ([`StringMap`], [`alertmanager::KV`]); a missing key of a plain
//! [`Value::Map`] (Go's `map[string]interface{}`) still prints `<no value>`. The helpers
//! [`prometheus::expand`] and [`alertmanager::new_template`] set it; a bare [`Template`] has
//! Go's default ([`MissingKey::Invalid`]).
//!
//! Differences from Go worth knowing:
//! - `parse` does not check that functions exist unless [`Template::funcs`] gave the names;
//!   an unknown function is then an execution error (`"foo" is not a defined function`).
//! - Integers are `i64` (no unsigned types); complex constants parse but executing one is an
//!   error.
//! - Execution nests `{{template}}` calls and control structures 1000 deep in all (Go allows
//!   100000 template calls), and the parser accepts 150 levels of nested control structures and
//!   parentheses: deeper is an error, not a stack overflow.
//! - Functions given with [`FuncMap::insert`] and methods of [`Object`]s get their arguments
//!   untyped (Go converts constants to the parameter types and reports mismatches itself); the
//!   built-in, Prometheus and Alertmanager functions and `time.Time` methods are checked as in Go.
//! - Regular expressions have Go's syntax and semantics through `pharos_goregex` (ASCII `\d`,
//!   `\w`, `\s`, `\b`, literal `{`, Go's errors), see [`go_regex`].
//! - A pointer inside a list prints as its target (Go prints its address), and so does `%p`.
//! - Go's `%d` of a `time.Time` (its raw struct fields) prints `%!d(time.Time=...)` here.
//! - Go's `slice` rejects an index read straight from a `map[string]interface{}`
//!   (`slice .L .M.i`: "cannot index slice/array with type interface {}"); here it works.
//!
//! The behaviour was checked against Go 1.19 itself, with the same templates and data run
//! through both (Go's own exec and parse tests, Prometheus 2.42's template tests, Alertmanager
//! 0.25's default templates, random templates, printf formats, regular expressions, time
//! layouts); the crate's tests keep those expectations.

mod exec;
mod format;
mod funcs;
mod gotime;
mod lex;
mod parse;
mod strconv;
mod value;

pub mod alertmanager;
pub mod html;
pub mod prometheus;
mod regex_cache;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub use format::{format_float, sprint, sprintf, sprintln};
pub use funcs::{arg_error, html_escape, js_escape, query_escape, FuncMap, Function};
pub use gotime::{Duration, Time};
pub use regex_cache::go_regex;
pub use strconv::{quote as go_quote, unquote as go_unquote, SyntaxError};
pub use value::{Func, Object, StringMap, StructValue, Value};

/// An error from parsing or executing a template, with Go's wording.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// A parse error: `template: NAME:LINE: message`.
    #[error("template: {name}:{line}: {message}")]
    Parse { name: String, line: usize, message: String },
    /// An execution error:
    /// `template: FILE:LINE:COL: executing "TEMPLATE" at <NODE>: message`, where FILE is the
    /// name the text was parsed under and TEMPLATE the template being executed.
    #[error("template: {location}: executing {} at <{context}>: {message}", go_quote(.template))]
    Exec { location: String, template: String, context: String, message: String },
    /// An HTML escaping error, with Go's `html/template` message
    /// (`html/template:NAME:LINE:COL: {{if}} branches end in different contexts: ...`).
    #[error("{0}")]
    Escape(String),
    /// Any other error, with its whole message (e.g.
    /// `template: no template "x" associated with template "y"`).
    #[error("{0}")]
    Other(String),
}

/// What a missing map key evaluates to (Go's `missingkey` option).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissingKey {
    /// `missingkey=default` / `invalid`: no value (prints `<no value>`).
    #[default]
    Invalid,
    /// `missingkey=zero`: the map element type's zero value (`""` for a `map[string]string`
    /// such as labels, no value for a map of `interface{}`).
    Zero,
    /// `missingkey=error`: execution stops with an error.
    Error,
}

/// A set of named templates, like Go's `*template.Template`.
#[derive(Clone, Debug)]
pub struct Template {
    name: String,
    trees: BTreeMap<String, Arc<parse::Tree>>,
    left_delim: String,
    right_delim: String,
    missing_key: MissingKey,
    parse_funcs: Option<Arc<BTreeSet<String>>>,
    /// The templates escaped for HTML (Go's html/template refuses to parse more after that).
    html_escaped: BTreeSet<String>,
}

impl Template {
    /// A new, empty set whose main template is `name`.
    pub fn new(name: &str) -> Template {
        Template {
            name: name.to_string(),
            trees: BTreeMap::new(),
            left_delim: String::new(),
            right_delim: String::new(),
            missing_key: MissingKey::Invalid,
            parse_funcs: None,
            html_escaped: BTreeSet::new(),
        }
    }

    /// The main template's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Parses `text` into this set: `{{define}}`/`{{block}}` bodies become named templates;
    /// the rest becomes (or replaces) the template named at [`new`](Template::new). A body of
    /// only spaces does not replace an existing template. Callable repeatedly (several files).
    /// On error the set is unchanged. After [`escape_html`](Template::escape_html) it is an
    /// error, as in Go's `html/template` (escaped copies would go stale).
    pub fn parse(&mut self, text: &str) -> Result<(), TemplateError> {
        if !self.html_escaped.is_empty() {
            return Err(TemplateError::Escape("html/template: cannot Parse after Execute".into()));
        }
        let funcs = self.parse_funcs.clone();
        let check = |name: &str| funcs.as_ref().map(|f| f.contains(name)).unwrap_or(true);
        let check_ref: Option<&dyn Fn(&str) -> bool> = if self.parse_funcs.is_some() { Some(&check) } else { None };
        let trees = parse::parse(&self.name, text, &self.left_delim, &self.right_delim, check_ref)
            .map_err(|e| TemplateError::Parse { name: e.name, line: e.line, message: e.message })?;
        for (name, tree) in trees {
            // As Go's AddParseTree: a body of only space does not replace an existing template.
            if self.trees.contains_key(&name) && parse::is_empty_list(&tree.root) {
                continue;
            }
            self.trees.insert(name, Arc::new(tree));
        }
        Ok(())
    }

    /// Executes the template named at [`new`](Template::new).
    pub fn execute(&self, data: &Value, funcs: &FuncMap) -> Result<String, TemplateError> {
        match self.trees.get(&self.name) {
            Some(tree) => exec::execute(&self.trees, tree, data, funcs, self.missing_key),
            None => Err(TemplateError::Other(format!(
                "template: {}: {} is an incomplete or empty template",
                self.name,
                go_quote(&self.name)
            ))),
        }
    }

    /// Executes the named template (a `define`d one, or the main one).
    pub fn execute_named(&self, name: &str, data: &Value, funcs: &FuncMap) -> Result<String, TemplateError> {
        match self.trees.get(name) {
            Some(tree) => exec::execute(&self.trees, tree, data, funcs, self.missing_key),
            None => Err(TemplateError::Other(format!(
                "template: no template {} associated with template {}",
                go_quote(name),
                go_quote(&self.name)
            ))),
        }
    }

    /// Whether a template of that name is defined.
    pub fn has(&self, name: &str) -> bool {
        self.trees.contains_key(name)
    }

    /// The names of the defined templates, sorted.
    pub fn names(&self) -> Vec<String> {
        self.trees.keys().cloned().collect()
    }

    /// Go's `Option`: `missingkey=default`, `missingkey=invalid`, `missingkey=zero` or
    /// `missingkey=error`.
    pub fn option(&mut self, opt: &str) -> Result<(), TemplateError> {
        self.missing_key = match opt {
            "missingkey=default" | "missingkey=invalid" => MissingKey::Invalid,
            "missingkey=zero" => MissingKey::Zero,
            "missingkey=error" => MissingKey::Error,
            _ => return Err(TemplateError::Other(format!("unrecognized option: {}", opt))),
        };
        Ok(())
    }

    /// Sets what a missing map key evaluates to.
    pub fn set_missing_key(&mut self, m: MissingKey) {
        self.missing_key = m;
    }

    /// Go's `Delims`: the action delimiters for later `parse` calls (empty means `{{`/`}}`).
    pub fn delims(&mut self, left: &str, right: &str) {
        self.left_delim = left.to_string();
        self.right_delim = right.to_string();
    }

    /// Makes `parse` check function names against `funcs`, as Go's parser does
    /// (`function "foo" not defined`). Without it, unknown functions fail at execution.
    pub fn funcs(&mut self, funcs: &FuncMap) {
        self.parse_funcs = Some(Arc::new(funcs.map.keys().cloned().collect()));
    }

    /// Parses `text` as a new template in a copy of this set and executes it: what
    /// Alertmanager's `ExecuteTextString` does (the new template is named `""`, so it can use
    /// every `define`d template of the set, and may define more for itself).
    pub fn execute_text(&self, text: &str, data: &Value, funcs: &FuncMap) -> Result<String, TemplateError> {
        if text.is_empty() {
            return Ok(String::new());
        }
        let mut t = self.clone();
        t.name = String::new();
        t.parse(text)?;
        t.execute(data, funcs)
    }

    /// Escapes the main template for HTML output, as Go's `html/template` does before its
    /// first execution: every output action gets the escapers of its HTML context, and the
    /// templates it calls are escaped for the contexts they are called in (see [`html`]).
    /// Later [`execute`](Template::execute) calls run the escaped form; escaping again does
    /// nothing. On error the set is unchanged.
    pub fn escape_html(&mut self) -> Result<(), TemplateError> {
        let name = self.name.clone();
        self.escape_html_named(&name)
    }

    /// Escapes the named template for HTML output, like [`escape_html`](Template::escape_html)
    /// (what Go's `ExecuteTemplate` does first), for [`execute_named`](Template::execute_named).
    pub fn escape_html_named(&mut self, name: &str) -> Result<(), TemplateError> {
        if self.html_escaped.contains(name) {
            return Ok(());
        }
        if !self.trees.contains_key(name) {
            let msg = if name == self.name {
                format!("template: {} is an incomplete or empty template", go_quote(name))
            } else {
                format!("html/template: {} is undefined", go_quote(name))
            };
            return Err(TemplateError::Escape(msg));
        }
        html::escape_template(&mut self.trees, name).map_err(|e| TemplateError::Escape(e.to_string()))?;
        self.html_escaped.insert(name.to_string());
        Ok(())
    }

    /// Parses `text` as a new template in a copy of this set, escapes it for HTML and executes
    /// it: what Alertmanager's `ExecuteHTMLString` does with its `html/template` set (empty text
    /// renders as empty).
    pub fn execute_html(&self, text: &str, data: &Value, funcs: &FuncMap) -> Result<String, TemplateError> {
        if text.is_empty() {
            return Ok(String::new());
        }
        let mut t = self.clone();
        t.name = String::new();
        t.html_escaped.clear();
        t.parse(text)?;
        t.escape_html()?;
        t.execute(data, funcs)
    }
}

#[cfg(test)]
mod tests;
