//! `/api/v1/parse_query`: the query's syntax tree as JSON, in the shape of Prometheus'
//! `translateAST` (the tree view of its UI). Fields for parser features Pharos does not have
//! (duration expressions, `anchored`/`smoothed` selectors, fill values) are `null` or `false`.

use promql_parser::label::Matchers;
use promql_parser::parser::{AtModifier, Expr, LabelModifier, Offset, VectorMatchCardinality, VectorSelector};
use serde_json::{json, Value};
use std::time::{Duration, UNIX_EPOCH};

/// The JSON tree of a parsed expression.
pub(super) fn translate(expr: &Expr) -> Value {
    match expr {
        Expr::Aggregate(a) => {
            let (grouping, without) = match &a.modifier {
                Some(LabelModifier::Include(l)) => (l.labels.clone(), false),
                Some(LabelModifier::Exclude(l)) => (l.labels.clone(), true),
                None => (Vec::new(), false),
            };
            json!({
                "type": "aggregation",
                "op": a.op.to_string(),
                "expr": translate(&a.expr),
                "param": a.param.as_deref().map(translate),
                "grouping": grouping,
                "without": without,
            })
        }
        Expr::Binary(b) => {
            let vector_operands = b.lhs.value_type() == promql_parser::parser::value::ValueType::Vector
                && b.rhs.value_type() == promql_parser::parser::value::ValueType::Vector;
            let matching = match &b.modifier {
                Some(m) if vector_operands => {
                    let (labels, on) = match &m.matching {
                        Some(LabelModifier::Include(l)) => (l.labels.clone(), true),
                        Some(LabelModifier::Exclude(l)) => (l.labels.clone(), false),
                        None => (Vec::new(), false),
                    };
                    let (card, include) = match &m.card {
                        VectorMatchCardinality::OneToOne => ("one-to-one", Vec::new()),
                        VectorMatchCardinality::ManyToOne(l) => ("many-to-one", l.labels.clone()),
                        VectorMatchCardinality::OneToMany(l) => ("one-to-many", l.labels.clone()),
                        VectorMatchCardinality::ManyToMany => ("many-to-many", Vec::new()),
                    };
                    json!({
                        "card": card,
                        "labels": labels,
                        "on": on,
                        "include": include,
                        "fillValues": { "lhs": m.fill_values.lhs, "rhs": m.fill_values.rhs },
                    })
                }
                // Prometheus sets one-to-one matching on every vector-vector operation.
                None if vector_operands => {
                    let card = if is_set_operator(&b.op.to_string()) { "many-to-many" } else { "one-to-one" };
                    json!({
                        "card": card,
                        "labels": [],
                        "on": false,
                        "include": [],
                        "fillValues": { "lhs": null, "rhs": null },
                    })
                }
                _ => Value::Null,
            };
            json!({
                "type": "binaryExpr",
                "op": b.op.to_string(),
                "lhs": translate(&b.lhs),
                "rhs": translate(&b.rhs),
                "matching": matching,
                "bool": b.modifier.as_ref().is_some_and(|m| m.return_bool),
            })
        }
        Expr::Call(c) => json!({
            "type": "call",
            "func": {
                "name": c.func.name,
                "argTypes": c.func.arg_types.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
                "variadic": c.func.variadic,
                "returnType": c.func.return_type.to_string(),
            },
            "args": c.args.args.iter().map(|a| translate(a)).collect::<Vec<_>>(),
        }),
        Expr::MatrixSelector(ms) => {
            let mut v = selector(&ms.vs, "matrixSelector");
            v["range"] = json!(millis(&ms.range));
            v["rangeExpr"] = Value::Null;
            v
        }
        Expr::Subquery(sq) => {
            let (timestamp, start_or_end) = at(&sq.at);
            json!({
                "type": "subquery",
                "expr": translate(&sq.expr),
                "range": millis(&sq.range),
                "rangeExpr": null,
                "offset": offset(&sq.offset),
                "offsetExpr": null,
                "step": sq.step.as_ref().map(millis).unwrap_or(0),
                "stepExpr": null,
                "timestamp": timestamp,
                "startOrEnd": start_or_end,
            })
        }
        Expr::NumberLiteral(n) => json!({ "type": "numberLiteral", "val": go_float(n.val) }),
        Expr::Paren(p) => json!({ "type": "parenExpr", "expr": translate(&p.expr) }),
        Expr::StringLiteral(s) => json!({ "type": "stringLiteral", "val": s.val }),
        Expr::Unary(u) => json!({ "type": "unaryExpr", "op": "-", "expr": translate(&u.expr) }),
        Expr::VectorSelector(vs) => selector(vs, "vectorSelector"),
        Expr::Extension(_) => Value::Null,
    }
}

fn is_set_operator(op: &str) -> bool {
    matches!(op, "and" | "or" | "unless")
}

/// The fields of a vector selector (also those of a matrix selector).
fn selector(vs: &VectorSelector, kind: &str) -> Value {
    let (timestamp, start_or_end) = at(&vs.at);
    json!({
        "type": kind,
        "name": vs.name.clone().unwrap_or_default(),
        "offset": offset(&vs.offset),
        "offsetExpr": null,
        "matchers": matchers(&vs.matchers, vs.name.as_deref()),
        "timestamp": timestamp,
        "startOrEnd": start_or_end,
        "anchored": false,
        "smoothed": false,
    })
}

/// The label matchers, with the metric name's matcher last, as Prometheus' parser adds it.
fn matchers(m: &Matchers, name: Option<&str>) -> Vec<Value> {
    let mut out: Vec<Value> =
        m.matchers.iter().map(|m| json!({ "name": m.name, "value": m.value, "type": m.op.to_string() })).collect();
    if let Some(name) = name {
        out.push(json!({ "name": "__name__", "value": name, "type": "=" }));
    }
    out
}

fn millis(d: &Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn offset(o: &Option<Offset>) -> i64 {
    match o {
        Some(Offset::Pos(d)) => millis(d),
        Some(Offset::Neg(d)) => -millis(d),
        None => 0,
    }
}

/// `(timestamp, startOrEnd)` of an `@` modifier.
fn at(a: &Option<AtModifier>) -> (Value, Value) {
    match a {
        Some(AtModifier::Start) => (Value::Null, json!("start")),
        Some(AtModifier::End) => (Value::Null, json!("end")),
        Some(AtModifier::At(t)) => {
            let ms = match t.duration_since(UNIX_EPOCH) {
                Ok(d) => millis(&d),
                Err(e) => -millis(&e.duration()),
            };
            (json!(ms), Value::Null)
        }
        None => (Value::Null, Value::Null),
    }
}

/// A number as Go's `strconv.FormatFloat(v, 'f', -1, 64)`: plain decimal, shortest.
fn go_float(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    format!("{v}")
}
