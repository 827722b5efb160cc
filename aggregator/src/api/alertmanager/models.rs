//! The JSON models of Alertmanager's API v2 (`api/v2/openapi.yaml` of Alertmanager 0.25) and the
//! conversions between them and the alerting types.
//!
//! Field order follows what the go-swagger models of 0.25 print (their own properties in
//! alphabetical order, then embedded ones), so responses are byte-comparable with upstream.
//! Times are printed like go-openapi's `strfmt.DateTime`: RFC 3339 with milliseconds; the zero
//! time (an unset end) is Go's `0001-01-01T00:00:00.000Z`.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use pharos_protocol::Labels;
use serde::{Deserialize, Serialize};

use crate::alerting::manager::{AlertWithStatus, SilenceWithState};
use crate::alerting::matcher::{MatchType, Matcher};
use crate::alerting::silence::Silence;
use crate::alerting::types::Alert;

/// Go's zero `time.Time` as `strfmt.DateTime` prints it.
pub const GO_ZERO_TIME: &str = "0001-01-01T00:00:00.000Z";

/// Milliseconds since the epoch of Go's zero time (year 1), which Alertmanager treats as unset.
const GO_ZERO_MS: i64 = -62_135_596_800_000;

/// Prints milliseconds since the epoch as `strfmt.DateTime` does; 0 (unset) is Go's zero time.
pub fn format_time(ms: i64) -> String {
    if ms == 0 {
        return GO_ZERO_TIME.to_string();
    }
    match DateTime::<Utc>::from_timestamp_millis(ms) {
        Some(t) => t.to_rfc3339_opts(SecondsFormat::Millis, true),
        None => GO_ZERO_TIME.to_string(),
    }
}

/// Parses a posted `strfmt.DateTime` (RFC 3339, any fraction) to milliseconds since the epoch;
/// Go's zero time maps to 0 (unset), like `time.Time.IsZero` upstream.
pub fn parse_time(s: &str) -> Result<i64, String> {
    let t = DateTime::parse_from_rfc3339(s).map_err(|e| format!("parsing time {s:?}: {e}"))?;
    let ms = t.timestamp_millis();
    Ok(if ms == GO_ZERO_MS { 0 } else { ms })
}

/// `receiver`: a receiver's name.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Receiver {
    /// The receiver's name.
    pub name: String,
}

/// `alertStatus`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AlertStatusModel {
    /// Fingerprints of the inhibiting alerts (never null).
    pub inhibited_by: Vec<String>,
    /// IDs of the silences muting the alert (never null).
    pub silenced_by: Vec<String>,
    /// `unprocessed`, `active` or `suppressed`.
    pub state: &'static str,
}

/// `gettableAlert`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct GettableAlert {
    /// Annotations (never null).
    pub annotations: BTreeMap<String, String>,
    /// End, or Go's zero time when unset.
    #[serde(rename = "endsAt")]
    pub ends_at: String,
    /// 16 hex digits.
    pub fingerprint: String,
    /// Receivers of the routes the alert matches.
    pub receivers: Vec<Receiver>,
    /// Start.
    #[serde(rename = "startsAt")]
    pub starts_at: String,
    /// State and suppression.
    pub status: AlertStatusModel,
    /// Last update.
    #[serde(rename = "updatedAt")]
    pub updated_at: String,
    /// Link to the alert's source; left out when empty (`omitempty` upstream).
    #[serde(rename = "generatorURL", skip_serializing_if = "String::is_empty")]
    pub generator_url: String,
    /// Labels.
    pub labels: BTreeMap<String, String>,
}

/// A label set as the API's `labelSet` map.
pub fn label_map(labels: &Labels) -> BTreeMap<String, String> {
    labels.iter().map(|l| (l.name.clone(), l.value.clone())).collect()
}

impl GettableAlert {
    /// Renders an alert with its status and the given receivers (Alertmanager's
    /// `AlertToOpenAPIAlert`).
    pub fn new(a: &AlertWithStatus, receivers: &[String]) -> Self {
        GettableAlert {
            annotations: a.alert.annotations.clone(),
            ends_at: format_time(a.alert.ends_at_ms),
            fingerprint: a.fingerprint.clone(),
            receivers: receivers.iter().map(|r| Receiver { name: r.clone() }).collect(),
            starts_at: format_time(a.alert.starts_at_ms),
            status: AlertStatusModel {
                inhibited_by: a.status.inhibited_by.clone(),
                silenced_by: a.status.silenced_by.clone(),
                state: a.status.state.as_str(),
            },
            updated_at: format_time(a.alert.updated_at_ms),
            generator_url: a.alert.generator_url.clone(),
            labels: label_map(&a.alert.labels),
        }
    }
}

/// `alertGroup`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AlertGroupModel {
    /// The group's alerts after filtering.
    pub alerts: Vec<GettableAlert>,
    /// The grouping labels.
    pub labels: BTreeMap<String, String>,
    /// The group's receiver.
    pub receiver: Receiver,
}

/// `postableAlert`, with every field optional so that missing required fields are reported as
/// go-openapi's validation does (422) rather than as a decoding error (400).
#[derive(Debug, Clone, Deserialize, Default)]
pub struct PostableAlert {
    /// Required.
    #[serde(default)]
    pub labels: Option<BTreeMap<String, String>>,
    /// Optional annotations.
    #[serde(default)]
    pub annotations: Option<BTreeMap<String, String>>,
    /// Optional start.
    #[serde(default, rename = "startsAt")]
    pub starts_at: Option<String>,
    /// Optional end.
    #[serde(default, rename = "endsAt")]
    pub ends_at: Option<String>,
    /// Optional link.
    #[serde(default, rename = "generatorURL")]
    pub generator_url: Option<String>,
}

impl PostableAlert {
    /// Converts to an alert (`OpenAPIAlertsToAlerts` plus `removeEmptyLabels`): labels with an
    /// empty value are dropped; unset times stay 0 for `prepare_alert` to fill in.
    pub fn to_alert(&self) -> Result<Alert, String> {
        let time = |t: &Option<String>| t.as_deref().map_or(Ok(0), parse_time);
        let labels = self.labels.iter().flatten().filter(|(_, v)| !v.is_empty());
        Ok(Alert {
            labels: Labels::from_pairs(labels.map(|(k, v)| (k.clone(), v.clone()))),
            annotations: self.annotations.clone().unwrap_or_default(),
            starts_at_ms: time(&self.starts_at)?,
            ends_at_ms: time(&self.ends_at)?,
            generator_url: self.generator_url.clone().unwrap_or_default(),
            updated_at_ms: 0,
            timeout: false,
        })
    }
}

/// `matcher`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct MatcherModel {
    /// Positive (`=`, `=~`) or negative; defaults to true when posted without it.
    pub is_equal: bool,
    /// Regex or literal.
    pub is_regex: bool,
    /// Label name.
    pub name: String,
    /// Value or regex.
    pub value: String,
}

impl From<&Matcher> for MatcherModel {
    fn from(m: &Matcher) -> Self {
        MatcherModel {
            is_equal: m.match_type.is_equal(),
            is_regex: m.match_type.is_regex(),
            name: m.name.clone(),
            value: m.value.clone(),
        }
    }
}

/// `silenceStatus`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SilenceStatusModel {
    /// `pending`, `active` or `expired`.
    pub state: &'static str,
}

/// `gettableSilence`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct GettableSilence {
    /// UUID.
    pub id: String,
    /// State now.
    pub status: SilenceStatusModel,
    /// Last change.
    pub updated_at: String,
    /// Why.
    pub comment: String,
    /// Author.
    pub created_by: String,
    /// End.
    pub ends_at: String,
    /// Matchers.
    pub matchers: Vec<MatcherModel>,
    /// Start.
    pub starts_at: String,
}

impl From<&SilenceWithState> for GettableSilence {
    fn from(s: &SilenceWithState) -> Self {
        let sil = &s.silence;
        GettableSilence {
            id: sil.id.clone(),
            status: SilenceStatusModel { state: s.state.as_str() },
            updated_at: format_time(sil.updated_at_ms),
            comment: sil.comment.clone(),
            created_by: sil.created_by.clone(),
            ends_at: format_time(sil.ends_at_ms),
            matchers: sil.matchers.iter().map(MatcherModel::from).collect(),
            starts_at: format_time(sil.starts_at_ms),
        }
    }
}

/// A posted matcher; everything optional so that required fields are checked as upstream.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct PostableMatcher {
    /// Required.
    #[serde(default)]
    pub name: Option<String>,
    /// Required.
    #[serde(default)]
    pub value: Option<String>,
    /// Required.
    #[serde(default)]
    pub is_regex: Option<bool>,
    /// Defaults to true.
    #[serde(default)]
    pub is_equal: Option<bool>,
}

/// `postableSilence`; everything optional so that required fields are checked as upstream.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct PostableSilence {
    /// Set to update a silence, absent (or empty) to create one.
    #[serde(default)]
    pub id: Option<String>,
    /// Required, at least one.
    #[serde(default)]
    pub matchers: Option<Vec<PostableMatcher>>,
    /// Required.
    #[serde(default)]
    pub starts_at: Option<String>,
    /// Required.
    #[serde(default)]
    pub ends_at: Option<String>,
    /// Required.
    #[serde(default)]
    pub created_by: Option<String>,
    /// Required.
    #[serde(default)]
    pub comment: Option<String>,
}

/// A go-openapi validation failure: its code (601 type/format, 602 required, 612 too few items)
/// and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// go-openapi's error code.
    pub code: u16,
    /// Its message.
    pub message: String,
}

impl Violation {
    /// `<path> in body is required` (code 602).
    pub fn required(path: &str) -> Self {
        Violation { code: 602, message: format!("{path} in body is required") }
    }
}

impl PostableSilence {
    /// go-openapi's validation of the spec's required fields, in the generated model's order.
    pub fn violations(&self) -> Vec<Violation> {
        let mut v = Vec::new();
        if self.comment.is_none() {
            v.push(Violation::required("comment"));
        }
        if self.created_by.is_none() {
            v.push(Violation::required("createdBy"));
        }
        if self.ends_at.is_none() {
            v.push(Violation::required("endsAt"));
        }
        match &self.matchers {
            None => v.push(Violation::required("matchers")),
            Some(ms) if ms.is_empty() => {
                v.push(Violation { code: 612, message: "matchers in body should have at least 1 items".into() })
            }
            Some(ms) => {
                for (i, m) in ms.iter().enumerate() {
                    if m.is_regex.is_none() {
                        v.push(Violation::required(&format!("matchers.{i}.isRegex")));
                    }
                    if m.name.is_none() {
                        v.push(Violation::required(&format!("matchers.{i}.name")));
                    }
                    if m.value.is_none() {
                        v.push(Violation::required(&format!("matchers.{i}.value")));
                    }
                }
            }
        }
        if self.starts_at.is_none() {
            v.push(Violation::required("startsAt"));
        }
        v
    }

    /// Converts a validated silence. Times that do not parse are decoding errors upstream
    /// (`Err(Ok(message))`, a 400 with go-openapi's body); matchers that cannot be built fail
    /// the silence's validation (`Err(Err(message))`, a 400 with a plain message).
    pub fn to_silence(&self) -> Result<Silence, Result<String, String>> {
        let time = |t: &Option<String>| t.as_deref().map_or(Ok(0), parse_time).map_err(Ok);
        let starts_at_ms = time(&self.starts_at)?;
        let ends_at_ms = time(&self.ends_at)?;
        let mut matchers = Vec::new();
        for (i, m) in self.matchers.iter().flatten().enumerate() {
            let t = MatchType::from_flags(m.is_regex.unwrap_or(false), m.is_equal.unwrap_or(true));
            let name = m.name.clone().unwrap_or_default();
            let built = Matcher::new(t, name, m.value.clone().unwrap_or_default())
                .map_err(|e| Err(format!("silence invalid: invalid label matcher {i}: {e}")))?;
            matchers.push(built);
        }
        Ok(Silence {
            id: self.id.clone().unwrap_or_default(),
            matchers,
            starts_at_ms,
            ends_at_ms,
            updated_at_ms: 0,
            created_by: self.created_by.clone().unwrap_or_default(),
            comment: self.comment.clone().unwrap_or_default(),
        })
    }
}

/// The body of a successful `POST /api/v2/silences`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PostSilenceOk {
    /// The ID of the created or updated silence.
    #[serde(rename = "silenceID")]
    pub silence_id: String,
}

/// `clusterStatus` of an Alertmanager without clustering.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ClusterStatus {
    /// Always empty: Pharos does not gossip.
    pub peers: Vec<String>,
    /// Always `disabled`, as 0.25 reports with `--cluster.listen-address=""`.
    pub status: &'static str,
}

/// `alertmanagerConfig`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ConfigModel {
    /// The configuration as YAML.
    pub original: String,
}

/// `versionInfo`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct VersionInfo {
    /// VCS branch.
    pub branch: String,
    /// Build date.
    pub build_date: String,
    /// Who built it.
    pub build_user: String,
    /// Alertmanager reports its Go version; we report the Rust compiler.
    pub go_version: String,
    /// VCS revision.
    pub revision: String,
    /// Release version.
    pub version: String,
}

/// The Alertmanager release whose API this emulates, reported as `versionInfo.version`: amtool
/// compares it with its own version and warns on every command when they differ. Pharos' own
/// version is in `revision`.
pub const COMPATIBLE_VERSION: &str = "0.25.0";

impl VersionInfo {
    /// [`COMPATIBLE_VERSION`], with Pharos' version as `revision` (plus the VCS revision when
    /// the build recorded one) and what the build recorded (as `/api/v1/status/buildinfo`).
    pub fn from_crate() -> Self {
        let or_unknown = |v: Option<&str>| v.unwrap_or("unknown").to_string();
        VersionInfo {
            branch: or_unknown(option_env!("PHAROS_BRANCH")),
            build_date: or_unknown(option_env!("PHAROS_BUILD_DATE")),
            build_user: or_unknown(option_env!("PHAROS_BUILD_USER")),
            go_version: option_env!("PHAROS_RUSTC_VERSION").unwrap_or("rustc").to_string(),
            revision: match option_env!("PHAROS_REVISION") {
                Some(r) => format!("pharos-{}-{r}", env!("CARGO_PKG_VERSION")),
                None => format!("pharos-{}", env!("CARGO_PKG_VERSION")),
            },
            version: COMPATIBLE_VERSION.to_string(),
        }
    }
}

/// `alertmanagerStatus`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AlertmanagerStatus {
    /// Cluster state.
    pub cluster: ClusterStatus,
    /// The configuration.
    pub config: ConfigModel,
    /// When the API started.
    pub uptime: String,
    /// Build information.
    pub version_info: VersionInfo,
}
