//! The API v2 handlers, following Alertmanager 0.25's `api/v2/api.go`: the same filters, order,
//! status codes and error bodies.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use regex::Regex;

use super::models::{
    format_time, label_map, AlertGroupModel, AlertmanagerStatus, ClusterStatus, ConfigModel, GettableAlert,
    GettableSilence, PostSilenceOk, PostableAlert, PostableSilence, Receiver, VersionInfo,
};
use super::secrets::masked_config;
use super::{check_json_content_type, json_ok, openapi_error, plain_error, AmError, AmState};
use crate::alerting::manager::AlertWithStatus;
use crate::alerting::matcher::{parse_matcher, Matcher};
use crate::alerting::silence::SilenceError;
use crate::alerting::store::AlertState;
use crate::alerting::types::Alert;

/// The query parameters of `GET /api/v2/alerts` and `GET /api/v2/alerts/groups`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertsQuery {
    /// Show alerts neither silenced nor inhibited (default true).
    pub active: bool,
    /// Show silenced alerts (default true).
    pub silenced: bool,
    /// Show inhibited alerts (default true).
    pub inhibited: bool,
    /// Show alerts not yet processed (default true).
    pub unprocessed: bool,
    /// `filter`: one matcher per value, all must match.
    pub filter: Vec<String>,
    /// `receiver`: a regex the receiver must fully match.
    pub receiver: Option<String>,
}

/// go-openapi's boolean parsing (`swag.ConvertBool`): these spellings are true, anything else
/// is false (never an error).
fn go_bool(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "true" | "yes" | "1" | "y" | "ok" | "on" | "selected" | "checked" | "t" | "enabled"
    )
}

impl AlertsQuery {
    /// Parses the raw query string; absent booleans default to true.
    pub fn parse(raw: Option<&str>) -> Self {
        let mut q = AlertsQuery {
            active: true,
            silenced: true,
            inhibited: true,
            unprocessed: true,
            filter: Vec::new(),
            receiver: None,
        };
        for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            match k.as_ref() {
                "active" => q.active = go_bool(&v),
                "silenced" => q.silenced = go_bool(&v),
                "inhibited" => q.inhibited = go_bool(&v),
                "unprocessed" => q.unprocessed = go_bool(&v),
                "filter" => q.filter.push(v.into_owned()),
                // Like go-openapi, the first value of a single-valued parameter wins.
                "receiver" if q.receiver.is_none() => q.receiver = Some(v.into_owned()),
                _ => {}
            }
        }
        q
    }

    /// The `filter` matchers and the compiled `receiver` regex, or the 400 upstream answers.
    fn compile(&self) -> Result<(Vec<Matcher>, Option<Regex>), AmError> {
        let matchers = parse_filter(&self.filter)?;
        let receiver =
            match &self.receiver {
                None => None,
                Some(r) => Some(pharos_goregex::compile_anchored(r).map_err(|e| {
                    plain_error(StatusCode::BAD_REQUEST, &format!("failed to parse receiver param: {e}"))
                })?),
            };
        Ok((matchers, receiver))
    }

    /// Alertmanager's `alertFilter` on an alert whose status was just refreshed.
    fn keeps(&self, a: &AlertWithStatus, matchers: &[Matcher]) -> bool {
        let st = &a.status;
        if !self.active && st.state == AlertState::Active {
            return false;
        }
        if !self.unprocessed && st.state == AlertState::Unprocessed {
            return false;
        }
        if !self.silenced && !st.silenced_by.is_empty() {
            return false;
        }
        if !self.inhibited && !st.inhibited_by.is_empty() {
            return false;
        }
        matchers.iter().all(|m| m.matches_labels(&a.alert.labels))
    }
}

/// One matcher per `filter` value (`labels.ParseMatcher`); a bad one is a 400 with its message.
fn parse_filter(filter: &[String]) -> Result<Vec<Matcher>, AmError> {
    filter
        .iter()
        .map(|f| parse_matcher(f).map_err(|e| plain_error(StatusCode::BAD_REQUEST, &e.parser_message())))
        .collect()
}

/// `GET /api/v2/alerts`: the unresolved alerts passing the filters, by fingerprint.
pub async fn get_alerts(State(st): State<AmState>, RawQuery(raw): RawQuery) -> Result<Response, AmError> {
    let q = AlertsQuery::parse(raw.as_deref());
    let (matchers, receiver) = q.compile()?;
    let mut out: Vec<GettableAlert> = st
        .handle
        .alerts()
        .iter()
        .filter(|a| receiver.as_ref().is_none_or(|re| a.receivers.iter().any(|r| re.is_match(r))))
        .filter(|a| q.keeps(a, &matchers))
        .map(|a| GettableAlert::new(a, &a.receivers))
        .collect();
    out.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
    Ok(json_ok(&out))
}

/// `GET /api/v2/alerts/groups`: the aggregation groups whose receiver matches, each with its
/// alerts passing the filters; groups left without alerts are omitted. An alert's receivers
/// are those of the listed groups holding it, sorted (as the dispatcher's `Groups` reports).
pub async fn get_alert_groups(State(st): State<AmState>, RawQuery(raw): RawQuery) -> Result<Response, AmError> {
    let q = AlertsQuery::parse(raw.as_deref());
    let (matchers, receiver) = q.compile()?;
    let mut groups = st.handle.groups();
    groups.retain(|g| receiver.as_ref().is_none_or(|re| re.is_match(&g.receiver)));
    let mut receivers_of: HashMap<String, Vec<String>> = HashMap::new();
    for g in &mut groups {
        g.alerts.retain(|a| q.keeps(a, &matchers));
        for a in &g.alerts {
            receivers_of.entry(a.fingerprint.clone()).or_default().push(g.receiver.clone());
        }
    }
    for r in receivers_of.values_mut() {
        r.sort();
    }
    let out: Vec<AlertGroupModel> = groups
        .iter()
        .filter(|g| !g.alerts.is_empty())
        .map(|g| AlertGroupModel {
            alerts: g
                .alerts
                .iter()
                .map(|a| GettableAlert::new(a, receivers_of.get(&a.fingerprint).map_or(&[][..], Vec::as_slice)))
                .collect(),
            labels: label_map(&g.labels),
            receiver: Receiver { name: g.receiver.clone() },
        })
        .collect();
    Ok(json_ok(&out))
}

/// Decodes a posted alert list as go-openapi does: a missing body is a 422, JSON that does not
/// decode (or a time that does not parse) a 400, a missing `labels` a 422.
pub fn decode_alerts(headers: &HeaderMap, body: &[u8]) -> Result<Vec<Alert>, AmError> {
    check_json_content_type(headers)?;
    if body.is_empty() {
        return Err(openapi_error(602, "alerts in body is required"));
    }
    let decode_error =
        |e: &dyn std::fmt::Display| openapi_error(400, &format!("parsing alerts body from \"\" failed, because {e}"));
    let posted: Option<Vec<PostableAlert>> = serde_json::from_slice(body).map_err(|e| decode_error(&e))?;
    let posted = posted.unwrap_or_default();
    if let Some(i) = posted.iter().position(|a| a.labels.is_none()) {
        return Err(openapi_error(602, &format!("{i}.labels in body is required")));
    }
    posted.iter().map(|a| a.to_alert().map_err(|e| decode_error(&e))).collect()
}

/// `POST /api/v2/alerts`: stores the valid alerts; if any was invalid, a 400 listing why
/// (`; `-separated), the valid ones being stored anyway. Success is a 200 without a body.
pub async fn post_alerts(State(st): State<AmState>, headers: HeaderMap, body: Bytes) -> Result<Response, AmError> {
    let alerts = decode_alerts(&headers, &body)?;
    match st.handle.put_alerts(alerts) {
        Ok(()) => Ok(StatusCode::OK.into_response()),
        Err(e) => Err(plain_error(StatusCode::BAD_REQUEST, &e.to_string())),
    }
}

/// `GET /api/v2/silences`: the silences having every `filter` matcher, active first.
pub async fn get_silences(State(st): State<AmState>, RawQuery(raw): RawQuery) -> Result<Response, AmError> {
    let filter: Vec<String> = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .filter(|(k, _)| k == "filter")
        .map(|(_, v)| v.into_owned())
        .collect();
    let matchers = parse_filter(&filter)?;
    let out: Vec<GettableSilence> = st.handle.silences(&matchers).iter().map(GettableSilence::from).collect();
    Ok(json_ok(&out))
}

/// Whether a path parameter is a UUID as `strfmt` checks it (hex digits in groups of
/// 8-4-4-4-12, hyphens optional).
fn is_uuid(s: &str) -> bool {
    let mut groups = [8usize, 4, 4, 4, 12].into_iter();
    let mut rest = s;
    loop {
        let Some(n) = groups.next() else {
            return rest.is_empty();
        };
        match rest.get(..n) {
            Some(g) if g.bytes().all(|b| b.is_ascii_hexdigit()) => rest = &rest[n..],
            _ => return false,
        }
        if n != 12 {
            rest = rest.strip_prefix('-').unwrap_or(rest);
        }
    }
}

/// The 422 go-openapi answers for a `silenceID` that is not a UUID.
fn check_silence_id(id: &str) -> Result<(), AmError> {
    if is_uuid(id) {
        Ok(())
    } else {
        Err(openapi_error(601, &format!("silenceID in path must be of type uuid: {id:?}")))
    }
}

/// `GET /api/v2/silence/{silenceID}`: the silence, or a 404 without a body.
pub async fn get_silence(State(st): State<AmState>, Path(id): Path<String>) -> Result<Response, AmError> {
    check_silence_id(&id)?;
    Ok(match st.handle.silence(&id) {
        Some(s) => json_ok(&GettableSilence::from(&s)),
        None => StatusCode::NOT_FOUND.into_response(),
    })
}

/// `DELETE /api/v2/silence/{silenceID}`: expires it (an expired one stays as it is). An unknown
/// ID is a 500 with `silence not found`, as 0.25 answers (it only maps not-found to 404 on
/// reads).
pub async fn delete_silence(State(st): State<AmState>, Path(id): Path<String>) -> Result<Response, AmError> {
    check_silence_id(&id)?;
    match st.handle.expire_silence(&id) {
        Ok(()) => Ok(StatusCode::OK.into_response()),
        Err(e) => Err(plain_error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string())),
    }
}

/// `POST /api/v2/silences`: creates (no `id`) or updates a silence; answers its ID.
pub async fn post_silences(State(st): State<AmState>, headers: HeaderMap, body: Bytes) -> Result<Response, AmError> {
    check_json_content_type(&headers)?;
    if body.is_empty() {
        return Err(openapi_error(602, "silence in body is required"));
    }
    let decode_error =
        |e: &dyn std::fmt::Display| openapi_error(400, &format!("parsing silence body from \"\" failed, because {e}"));
    let posted: PostableSilence = match serde_json::from_slice(&body) {
        Ok(p) => p,
        Err(e) => return Err(decode_error(&e)),
    };
    // go-openapi stops at the first violation it reports.
    if let Some(v) = posted.violations().into_iter().next() {
        return Err(openapi_error(v.code, &v.message));
    }
    let silence = match posted.to_silence() {
        Ok(s) => s,
        Err(Ok(decode)) => return Err(decode_error(&decode)),
        Err(Err(invalid)) => return Err(plain_error(StatusCode::BAD_REQUEST, &invalid)),
    };
    match st.handle.put_silence(silence) {
        Ok(id) => Ok(json_ok(&PostSilenceOk { silence_id: id })),
        Err(e @ SilenceError::NotFound) => Err(plain_error(StatusCode::NOT_FOUND, &e.to_string())),
        Err(e) => Err(plain_error(StatusCode::BAD_REQUEST, &e.to_string())),
    }
}

/// `GET /api/v2/status`: cluster disabled (no peers), the configuration with its secrets
/// masked, uptime and version.
pub async fn get_status(State(st): State<AmState>) -> Result<Response, AmError> {
    let original = masked_config(&st.handle.config_original())
        .map_err(|e| plain_error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()))?;
    Ok(json_ok(&AlertmanagerStatus {
        cluster: ClusterStatus { peers: Vec::new(), status: "disabled" },
        config: ConfigModel { original },
        uptime: format_time(st.started_ms),
        version_info: VersionInfo::from_crate(),
    }))
}

/// `GET /api/v2/receivers`: the configured receivers, in configuration order.
pub async fn get_receivers(State(st): State<AmState>) -> Response {
    let out: Vec<Receiver> = st.handle.receivers().into_iter().map(|name| Receiver { name }).collect();
    json_ok(&out)
}
