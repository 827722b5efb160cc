//! The notification templates: Pharos' default set (same names and text output as
//! Alertmanager's `default.tmpl` and `email.tmpl`) plus the user's `templates` files, and the
//! template data (Alertmanager's `template.Data`) of one notification.

use std::path::{Path, PathBuf};

use pharos_template::alertmanager::{self as am, Data};
use pharos_template::{FuncMap, Template, TemplateError, Time, Value};

use super::ReceiverError;
use crate::alerting::config::expand_template_globs;
use crate::alerting::types::{Alert, NotifyContext};

/// The default templates (our own text, Alertmanager's names).
const DEFAULT_TEMPLATES: &str = include_str!("default.tmpl");

/// A parsed template set and the functions it runs with, shared by all integrations of a
/// configuration.
#[derive(Debug)]
pub struct Templates {
    set: Template,
    funcs: FuncMap,
}

impl Templates {
    /// Only the default templates.
    pub fn defaults() -> Result<Templates, ReceiverError> {
        let mut set = am::new_template();
        set.parse(DEFAULT_TEMPLATES).map_err(|e| ReceiverError::Template { path: "default.tmpl".into(), error: e })?;
        Ok(Templates { set, funcs: FuncMap::alertmanager() })
    }

    /// The default templates, then the files matched by `patterns` (globs, in order; a
    /// pattern matching nothing is fine, as in Alertmanager). Later definitions replace earlier
    /// ones of the same name, so user files can override defaults.
    pub fn load(patterns: &[String]) -> Result<Templates, ReceiverError> {
        let mut t = Templates::defaults()?;
        for path in expand_template_globs(patterns) {
            t.add_file(&path)?;
        }
        Ok(t)
    }

    /// Parses one more template file into the set.
    pub fn add_file(&mut self, path: &Path) -> Result<(), ReceiverError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| ReceiverError::File { path: path.to_path_buf(), source })?;
        self.add_text(path, &text)
    }

    /// Parses template text (as if read from `path`) into the set.
    pub fn add_text(&mut self, path: &Path, text: &str) -> Result<(), ReceiverError> {
        self.set.parse(text).map_err(|error| ReceiverError::Template { path: PathBuf::from(path), error })
    }

    /// Renders `text` against `data`, as Alertmanager's `ExecuteTextString` (empty text renders
    /// as empty without parsing).
    pub fn render(&self, text: &str, data: &Value) -> Result<String, TemplateError> {
        self.set.execute_text(text, data, &self.funcs)
    }

    /// Renders `text` as HTML, as Alertmanager's `ExecuteHTMLString`: the same set, with every
    /// value escaped for its HTML context as Go's `html/template` does (a copy of the set is
    /// escaped from `text`, so the set itself stays usable for text).
    pub fn render_html(&self, text: &str, data: &Value) -> Result<String, TemplateError> {
        self.set.execute_html(text, data, &self.funcs)
    }
}

/// The template data of a notification: Alertmanager's `GetTemplateData` for the context's
/// receiver, group labels and external URL. An alert whose end is still in the future is
/// firing and shows a zero `EndsAt`, as Alertmanager hides end times not yet reached.
pub fn template_data(ctx: &NotifyContext, alerts: &[Alert]) -> Data {
    let alerts = alerts.iter().map(|a| template_alert(a, ctx.now_ms)).collect();
    let group = ctx.group_labels.iter().map(|l| (l.name.clone(), l.value.clone()));
    Data::new(&ctx.receiver, group, alerts, &ctx.external_url)
}

/// One alert as template data at `now_ms`.
pub fn template_alert(a: &Alert, now_ms: i64) -> am::Alert {
    let resolved = a.resolved_at(now_ms);
    let ends_at = if resolved { Time::from_unix_millis(a.ends_at_ms) } else { Time::zero() };
    am::Alert::new(
        if resolved { "resolved" } else { "firing" },
        a.labels.iter().map(|l| (l.name.clone(), l.value.clone())),
        a.annotations.iter().map(|(k, v)| (k.clone(), v.clone())),
        Time::from_unix_millis(a.starts_at_ms),
        ends_at,
        &a.generator_url,
    )
}

/// Renders several fields of one notification, keeping the first error: what Alertmanager's
/// `TmplText` helper does, so a notifier can render everything and check once.
pub struct Renderer<'a> {
    templates: &'a Templates,
    data: Value,
    error: Option<TemplateError>,
}

impl<'a> Renderer<'a> {
    /// A renderer of `data` with `templates`.
    pub fn new(templates: &'a Templates, data: &Data) -> Renderer<'a> {
        Renderer { templates, data: data.to_value(), error: None }
    }

    /// Renders `text`; after an error, renders nothing more and returns "".
    pub fn text(&mut self, text: &str) -> String {
        if self.error.is_some() {
            return String::new();
        }
        match self.templates.render(text, &self.data) {
            Ok(s) => s,
            Err(e) => {
                self.error = Some(e);
                String::new()
            }
        }
    }

    /// Renders `text`, failing at once on an error.
    pub fn try_text(&mut self, text: &str) -> Result<String, TemplateError> {
        self.templates.render(text, &self.data)
    }

    /// Renders `text` as HTML (see [`Templates::render_html`]), failing at once on an error.
    pub fn try_html(&mut self, text: &str) -> Result<String, TemplateError> {
        self.templates.render_html(text, &self.data)
    }

    /// The first error of [`Renderer::text`], if any.
    pub fn finish(self) -> Result<(), TemplateError> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}

/// Alertmanager's `TruncateInRunes`: at most `n` characters, the last one replaced by `…` when
/// cut (for `n` above 3). Returns the text and whether it was cut.
pub fn truncate_in_runes(s: &str, n: usize) -> (String, bool) {
    let count = s.chars().count();
    if count <= n {
        return (s.to_string(), false);
    }
    if n <= 3 {
        return (s.chars().take(n).collect(), true);
    }
    let mut out: String = s.chars().take(n - 1).collect();
    out.push('…');
    (out, true)
}
