//! The parser and the parse tree: a port of Go's `text/template/parse` (Go 1.19).
//!
//! `{{define}}` and `{{block}}` bodies become trees of their own; everything else is the tree
//! of the template being parsed. Nodes keep their byte position so that execution errors can
//! report `name:line:col` and the node's text, as Go does.
//!
//! `node` has the tree's node types (and Go's `String()` of each), `parser` the parser,
//! `number` the interpretation of number and character constants.

mod node;
mod number;
mod parser;
#[cfg(test)]
mod tests;

pub(crate) use node::{is_empty_list, Arg, Branch, Command, List, Node, NumberNode, Pipe, Tree, VarNode};
pub(crate) use parser::parse;

/// Deepest nesting of control structures and parenthesised pipelines the parser accepts.
/// Execution recurses along the same structure, so this also bounds its stack use.
pub(crate) const MAX_PARSE_DEPTH: usize = 150;
