//! Binary operators: arithmetic, comparison (with and without `bool`), set operators, and
//! one-to-one, many-to-one and one-to-many (`group_left` / `group_right`) vector matching with
//! `on` / `ignoring`, following Prometheus' `VectorBinop`, `VectorscalarBinop` and
//! `scalarBinop` in `promql/engine.go`.

use super::error::{PromqlError, Result};
use super::eval::{check_duplicates, Evaluator, StepValue};
use super::value::{labels_string, InstantSample, LabelCaches, Metric, Vector};
use pharos_protocol::model::METRIC_NAME_LABEL;
use pharos_protocol::Labels;
use promql_parser::label::Labels as LabelList;
use promql_parser::parser::token::{
    TokenId, T_ADD, T_ATAN2, T_DIV, T_EQLC, T_GTE, T_GTR, T_LAND, T_LOR, T_LSS, T_LTE, T_LUNLESS, T_MOD, T_MUL, T_NEQ,
    T_POW, T_SUB,
};
use promql_parser::parser::{BinaryExpr, LabelModifier, VectorMatchCardinality};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

#[cfg(test)]
mod tests;

/// Evaluates a binary expression at step `ts`.
pub(crate) fn eval_binary(ev: &mut Evaluator<'_>, b: &BinaryExpr, ts: i64) -> Result<StepValue> {
    let op = b.op.id();
    let return_bool = b.modifier.as_ref().is_some_and(|m| m.return_bool);
    let matching = b.modifier.as_ref().and_then(|m| m.matching.as_ref());
    let mut card = Card::OneToOne;
    let mut include: &[String] = &[];
    if let Some(m) = &b.modifier {
        if m.fill_values.lhs.is_some() || m.fill_values.rhs.is_some() {
            return Err(PromqlError::unsupported("fill modifiers in binary operations"));
        }
        match &m.card {
            VectorMatchCardinality::ManyToOne(ls) => (card, include) = (Card::ManyToOne, &ls.labels),
            VectorMatchCardinality::OneToMany(ls) => (card, include) = (Card::OneToMany, &ls.labels),
            VectorMatchCardinality::OneToOne | VectorMatchCardinality::ManyToMany => {}
        }
    }
    let lhs = ev.eval(&b.lhs, ts)?;
    let rhs = ev.eval(&b.rhs, ts)?;
    match (lhs, rhs) {
        (StepValue::Scalar(l), StepValue::Scalar(r)) => Ok(StepValue::Scalar(scalar_binop(op, l, r)?)),
        (StepValue::Vector(l), StepValue::Scalar(r)) => vector_scalar(op, l, r, false, return_bool, &mut ev.caches),
        (StepValue::Scalar(l), StepValue::Vector(r)) => vector_scalar(op, r, l, true, return_bool, &mut ev.caches),
        (StepValue::Vector(l), StepValue::Vector(r)) => {
            let mut join = Join { node: b as *const BinaryExpr as usize, matching, caches: &mut ev.caches };
            let out = match op {
                T_LAND => vector_and(l, &r, &mut join),
                T_LOR => vector_or(l, r, &mut join),
                T_LUNLESS => vector_unless(l, &r, &mut join),
                _ => vector_binop(op, l, r, return_bool, Grouping { card, include }, &mut join)?,
            };
            check_duplicates(&out)?;
            Ok(StepValue::Vector(out))
        }
        _ => Err(PromqlError::exec(format!("binary operator '{}' needs scalar or instant vector operands", b.op))),
    }
}

/// Whether the operator changes what the metric means, so the result loses its name.
fn changes_metric_schema(op: TokenId) -> bool {
    matches!(op, T_ADD | T_SUB | T_MUL | T_DIV | T_POW | T_MOD | T_ATAN2)
}

fn is_comparison(op: TokenId) -> bool {
    matches!(op, T_EQLC | T_NEQ | T_GTR | T_LSS | T_GTE | T_LTE)
}

fn btos(b: bool) -> f64 {
    if b {
        1.0
    } else {
        0.0
    }
}

/// Arithmetic on two floats; Rust's `%` and `powf` agree with Go's `math.Mod` and `math.Pow`.
fn arithmetic(op: TokenId, l: f64, r: f64) -> Option<f64> {
    Some(match op {
        T_ADD => l + r,
        T_SUB => l - r,
        T_MUL => l * r,
        T_DIV => l / r,
        T_POW => l.powf(r),
        T_MOD => l % r,
        T_ATAN2 => l.atan2(r),
        _ => return None,
    })
}

fn compare(op: TokenId, l: f64, r: f64) -> Option<bool> {
    Some(match op {
        T_EQLC => l == r,
        T_NEQ => l != r,
        T_GTR => l > r,
        T_LSS => l < r,
        T_GTE => l >= r,
        T_LTE => l <= r,
        _ => return None,
    })
}

fn bad_operator(op: TokenId) -> PromqlError {
    PromqlError::exec(format!("operator {op} not allowed here"))
}

/// `scalar op scalar`; comparisons yield 0 or 1 (the parser insists on `bool` there).
fn scalar_binop(op: TokenId, l: f64, r: f64) -> Result<f64> {
    if let Some(v) = arithmetic(op, l, r) {
        return Ok(v);
    }
    compare(op, l, r).map(btos).ok_or_else(|| bad_operator(op))
}

/// One element operation: the value and whether to keep it (comparisons filter, keeping `l`).
fn elem_binop(op: TokenId, l: f64, r: f64) -> Result<(f64, bool)> {
    if let Some(v) = arithmetic(op, l, r) {
        return Ok((v, true));
    }
    compare(op, l, r).map(|keep| (l, keep)).ok_or_else(|| bad_operator(op))
}

/// `vector op scalar`, or `scalar op vector` when `swap` is set (`vec` is then the right side).
fn vector_scalar(
    op: TokenId,
    vec: Vector,
    scalar: f64,
    swap: bool,
    return_bool: bool,
    names: &mut LabelCaches,
) -> Result<StepValue> {
    let mut out = Vec::with_capacity(vec.len());
    for s in vec {
        let (l, r) = if swap { (scalar, s.v) } else { (s.v, scalar) };
        let (mut v, mut keep) = elem_binop(op, l, r)?;
        // A comparison keeps the vector's value even when the scalar is on the left.
        if is_comparison(op) {
            v = s.v;
        }
        if return_bool {
            v = btos(keep);
            keep = true;
        }
        if keep {
            let metric = if changes_metric_schema(op) || return_bool { names.drop_name(&s.metric) } else { s.metric };
            out.push(InstantSample { metric, t: s.t, v });
        }
    }
    check_duplicates(&out)?;
    Ok(StepValue::Vector(out))
}

/// The join signature of a series: the `on` labels, or every label but the `ignoring` ones and
/// the metric name. Encoded as a string so it can key a hash map.
fn signature(metric: &Labels, matching: Option<&LabelModifier>) -> String {
    let mut sig = String::new();
    let mut add = |name: &str, value: &str| {
        sig.push_str(name);
        sig.push('\u{ff}');
        sig.push_str(value);
        sig.push('\u{ff}');
    };
    match matching {
        Some(LabelModifier::Include(on)) => {
            for l in metric.iter().filter(|l| on.labels.contains(&l.name)) {
                add(&l.name, &l.value);
            }
        }
        Some(LabelModifier::Exclude(ignoring)) => {
            for l in metric.iter().filter(|l| l.name != METRIC_NAME_LABEL && !ignoring.labels.contains(&l.name)) {
                add(&l.name, &l.value);
            }
        }
        None => {
            for l in metric.iter().filter(|l| l.name != METRIC_NAME_LABEL) {
                add(&l.name, &l.value);
            }
        }
    }
    sig
}

/// The labels the join signature is made of, as Prometheus prints them in errors.
fn match_labels(metric: &Labels, matching: Option<&LabelModifier>) -> Labels {
    let keep = |name: &str| match matching {
        Some(LabelModifier::Include(on)) => on.labels.iter().any(|n| n == name),
        Some(LabelModifier::Exclude(ign)) => name != METRIC_NAME_LABEL && !ign.labels.iter().any(|n| n == name),
        None => name != METRIC_NAME_LABEL,
    };
    Labels::from_vec(metric.iter().filter(|l| keep(&l.name)).cloned().collect())
}

/// Vector matching for one binary expression node, with per-query caches of signatures and
/// result labels keyed by that node.
struct Join<'a, 'c> {
    /// Address of the expression node: tags its cache entries.
    node: usize,
    matching: Option<&'a LabelModifier>,
    caches: &'c mut LabelCaches,
}

impl Join<'_, '_> {
    fn signature(&mut self, metric: &Metric) -> Arc<str> {
        let matching = self.matching;
        self.caches.signatures.get_or_insert_with(self.node, metric, |m| signature(m, matching).into())
    }

    /// The result labels of a one-to-one match: the left side's, without the name when the
    /// operator changes meaning or `bool` is set, reduced to the `on` labels or stripped of the
    /// `ignoring` ones.
    fn result_metric(&mut self, lhs: &Metric, op: TokenId, return_bool: bool) -> Metric {
        let drop_name = changes_metric_schema(op) || return_bool;
        let unchanged = match self.matching {
            None => true,
            Some(LabelModifier::Exclude(ign)) => ign.labels.is_empty(),
            Some(LabelModifier::Include(_)) => false,
        };
        if unchanged {
            return if drop_name { self.caches.drop_name(lhs) } else { lhs.clone() };
        }
        let matching = self.matching;
        // `drop_name` is fixed per node (it depends on the operator and `bool` only), so the node
        // alone identifies the derivation.
        let tag = self.node;
        self.caches.results.get_or_insert_with(tag, lhs, |lhs| {
            let keep = |name: &str, list: &LabelList| list.labels.iter().any(|n| n == name);
            let labels = lhs
                .iter()
                .filter(|l| !(drop_name && l.name == METRIC_NAME_LABEL))
                .filter(|l| match matching {
                    Some(LabelModifier::Include(on)) => keep(&l.name, on),
                    Some(LabelModifier::Exclude(ign)) => !keep(&l.name, ign),
                    None => true,
                })
                .cloned()
                .collect();
            Arc::new(Labels::from_vec(labels))
        })
    }

    fn right_signatures(&mut self, rhs: &[InstantSample]) -> HashSet<Arc<str>> {
        rhs.iter().map(|s| self.signature(&s.metric)).collect()
    }
}

/// The cardinality of a vector/vector arithmetic or comparison operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Card {
    OneToOne,
    /// `group_left`: the right side is the "one" side.
    ManyToOne,
    /// `group_right`: the left side is the "one" side.
    OneToMany,
}

/// The cardinality and the `group_left` / `group_right` labels copied from the "one" side.
#[derive(Debug, Clone, Copy)]
struct Grouping<'a> {
    card: Card,
    include: &'a [String],
}

/// The result labels of a many-to-one (or one-to-many) match, as Prometheus' `resultMetric`:
/// the "many" side's labels (without the name when the operator changes meaning or `bool` is
/// set), with each `group_x` label taken from the "one" side, or removed where it lacks it.
fn grouped_metric(many: &Labels, one: &Labels, drop_name: bool, include: &[String]) -> Metric {
    let mut labels = many.clone();
    if drop_name {
        labels.remove(METRIC_NAME_LABEL);
    }
    for name in include {
        labels.set(name, one.get(name).unwrap_or(""));
    }
    Arc::new(labels)
}

/// `vector op vector` (arithmetic and comparisons) with one-to-one, many-to-one or one-to-many
/// matching, following Prometheus' `VectorBinop`: for one-to-many the sides are swapped so the
/// right side is always the "one" side, and swapped back for the operation itself.
fn vector_binop(
    op: TokenId,
    lhs: Vector,
    rhs: Vector,
    return_bool: bool,
    grouping: Grouping<'_>,
    join: &mut Join<'_, '_>,
) -> Result<Vector> {
    if lhs.is_empty() || rhs.is_empty() {
        return Ok(Vec::new());
    }
    let card = grouping.card;
    let swapped = card == Card::OneToMany;
    let (many, one) = if swapped { (rhs, lhs) } else { (lhs, rhs) };
    let mut right: HashMap<Arc<str>, &InstantSample> = HashMap::with_capacity(one.len());
    for rs in &one {
        if let Some(prev) = right.insert(join.signature(&rs.metric), rs) {
            let (mut a, mut b) = (labels_string(&rs.metric), labels_string(&prev.metric));
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            let side = if swapped { "left" } else { "right" };
            return Err(PromqlError::exec(format!(
                "found duplicate series for the match group {} on the {side} hand-side of the operation: [{a}, {b}];\
                 many-to-many matching not allowed: matching labels must be unique on one side",
                labels_string(&match_labels(&rs.metric, join.matching)),
            )));
        }
    }
    // Per matched signature, the result label sets produced so far (many-to-one only).
    let mut matched: HashMap<Arc<str>, HashSet<Metric>> = HashMap::with_capacity(many.len());
    let drop_name = changes_metric_schema(op) || return_bool;
    let mut out = Vec::with_capacity(many.len());
    for ls in many {
        let sig = join.signature(&ls.metric);
        let Some(rs) = right.get(&sig) else { continue };
        let (fl, fr) = if swapped { (rs.v, ls.v) } else { (ls.v, rs.v) };
        let (mut v, mut keep) = elem_binop(op, fl, fr)?;
        if return_bool {
            v = btos(keep);
            keep = true;
        }
        if !keep {
            continue;
        }
        let metric = if card == Card::OneToOne {
            if matched.insert(sig, HashSet::new()).is_some() {
                return Err(PromqlError::exec(
                    "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)",
                ));
            }
            join.result_metric(&ls.metric, op, return_bool)
        } else {
            let metric = grouped_metric(&ls.metric, &rs.metric, drop_name, grouping.include);
            if !matched.entry(sig).or_default().insert(metric.clone()) {
                return Err(PromqlError::exec(
                    "multiple matches for labels: grouping labels must ensure unique matches",
                ));
            }
            metric
        };
        out.push(InstantSample { metric, t: ls.t, v });
    }
    Ok(out)
}

/// `lhs and rhs`: left elements with a match on the right.
fn vector_and(lhs: Vector, rhs: &[InstantSample], join: &mut Join<'_, '_>) -> Vector {
    if lhs.is_empty() || rhs.is_empty() {
        return Vec::new();
    }
    let sigs = join.right_signatures(rhs);
    lhs.into_iter().filter(|s| sigs.contains(&join.signature(&s.metric))).collect()
}

/// `lhs or rhs`: all left elements, plus right elements whose signature the left lacks.
fn vector_or(lhs: Vector, rhs: Vector, join: &mut Join<'_, '_>) -> Vector {
    if lhs.is_empty() {
        return rhs;
    }
    let left = join.right_signatures(&lhs);
    let mut out = lhs;
    out.extend(rhs.into_iter().filter(|s| !left.contains(&join.signature(&s.metric))));
    out
}

/// `lhs unless rhs`: left elements without a match on the right.
fn vector_unless(lhs: Vector, rhs: &[InstantSample], join: &mut Join<'_, '_>) -> Vector {
    if lhs.is_empty() || rhs.is_empty() {
        return lhs;
    }
    let sigs = join.right_signatures(rhs);
    lhs.into_iter().filter(|s| !sigs.contains(&join.signature(&s.metric))).collect()
}
