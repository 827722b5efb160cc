//! The real [`TemplateExpander`]: Go text/template through `pharos-template`, with Prometheus
//! 2.42's alert-template semantics (`rules/alerting.go`, `template/template.go`):
//!
//! - every label and annotation value is expanded as the template `__alert_<alertname>` with
//!   [`ALERT_TEMPLATE_DEFS`] (`$labels`, `$externalLabels`, `$externalURL`, `$value`) in front;
//! - `missingkey=zero`, so a missing label is `""`;
//! - Prometheus' functions, with `externalURL`/`pathPrefix` from the configured external URL and
//!   `query` evaluating PromQL at the rule's evaluation time through [`Engine`];
//! - errors read as Prometheus' (`error parsing template …`, `error executing template …`); the
//!   caller turns them into `<error expanding template: …>` as Prometheus does;
//! - [`check`](TemplateExpander::check) parses with the same function names (unknown functions
//!   are parse errors), as `rulefmt`'s template check that `promtool check rules` runs.

use super::recording::query_vector;
use super::{ExpandContext, TemplateExpander};
use crate::promql::Engine;
use pharos_protocol::Labels;
use pharos_template::prometheus::{self, query_result, sample, AlertTemplateData, ALERT_TEMPLATE_DEFS};
use pharos_template::{arg_error, FuncMap, Function, StringMap, Value};
use std::sync::Arc;

/// Expands and checks alert templates like Prometheus.
pub struct PrometheusExpander {
    /// Answers the templates' `query` calls; `None` when only checking (promtool).
    engine: Option<Arc<Engine>>,
    /// Prometheus' functions with the external URL set, and a `query` that only reports that no
    /// engine is available (its name must exist for parsing).
    funcs: FuncMap,
}

impl std::fmt::Debug for PrometheusExpander {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrometheusExpander").field("queries", &self.engine.is_some()).finish()
    }
}

impl PrometheusExpander {
    /// An expander whose `query` function runs on `engine`; `externalURL` and `pathPrefix`
    /// return `external_url` and its path.
    pub fn new(engine: Arc<Engine>, external_url: &str) -> Self {
        PrometheusExpander { engine: Some(engine), funcs: base_funcs(external_url) }
    }

    /// An expander for checking rule files only (as promtool): parsing knows every function;
    /// executing a `query` fails.
    pub fn without_queries() -> Self {
        PrometheusExpander { engine: None, funcs: base_funcs("") }
    }

    /// The functions for one expansion at `eval_time_ms`: `query` is bound to that time when an
    /// engine is available and the text can call it at all (a template can only name a function
    /// in its own text, so other texts keep the shared map and skip copying it).
    fn funcs_for(&self, text: &str, eval_time_ms: i64) -> std::borrow::Cow<'_, FuncMap> {
        match &self.engine {
            Some(engine) if text.contains("query") => {
                let mut funcs = self.funcs.clone();
                funcs.insert("query", query_function(engine.clone(), eval_time_ms));
                std::borrow::Cow::Owned(funcs)
            }
            _ => std::borrow::Cow::Borrowed(&self.funcs),
        }
    }
}

fn base_funcs(external_url: &str) -> FuncMap {
    let mut funcs = FuncMap::prometheus();
    prometheus::set_external_url(&mut funcs, external_url);
    let unavailable: Function = Arc::new(|_: &[Value]| Err("no query engine to run queries".to_string()));
    funcs.insert("query", unavailable);
    funcs
}

/// Prometheus' template `query`: runs the expression at the evaluation time and returns its
/// samples (a scalar as one sample without labels; other types are an error, as the rule
/// manager's query function has it).
fn query_function(engine: Arc<Engine>, eval_time_ms: i64) -> Function {
    Arc::new(move |args: &[Value]| {
        let q = match args {
            [Value::String(q)] => q,
            [other] => {
                return Err(arg_error(format!("wrong type for value; expected string; got {}", other.go_type_name())))
            }
            _ => return Err(arg_error(format!("wrong number of args for query: want 1 got {}", args.len()))),
        };
        let vector = query_vector(&engine, q, eval_time_ms).map_err(|e| e.to_string())?;
        let samples =
            vector.iter().map(|s| sample(s.metric.iter().map(|l| (l.name.clone(), l.value.clone())), s.v)).collect();
        Ok(query_result(samples))
    })
}

fn string_map(labels: &Labels) -> StringMap {
    labels.iter().map(|l| (l.name.clone(), l.value.clone())).collect()
}

impl TemplateExpander for PrometheusExpander {
    fn expand(&self, name: &str, text: &str, ctx: &ExpandContext<'_>) -> Result<String, String> {
        let data = AlertTemplateData {
            labels: string_map(ctx.labels),
            external_labels: string_map(ctx.external_labels),
            external_url: ctx.external_url.to_string(),
            value: ctx.value,
        };
        let funcs = self.funcs_for(text, ctx.eval_time_ms);
        let full = format!("{ALERT_TEMPLATE_DEFS}{text}");
        // Prometheus recovers from a panic in a template and reports it as the result; a bug in
        // the engine must not stop the rule evaluation either.
        let run = std::panic::AssertUnwindSafe(|| prometheus::expand(name, &full, &data.to_value(), &funcs));
        std::panic::catch_unwind(run).unwrap_or_else(|p| {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(format!("panic expanding template {name}: {what}"))
        })
    }

    fn check(&self, name: &str, text: &str) -> Result<(), String> {
        let full = format!("{ALERT_TEMPLATE_DEFS}{text}");
        prometheus::parse_test(name, &full, &self.funcs).map_err(|e| e.to_string())
    }
}
