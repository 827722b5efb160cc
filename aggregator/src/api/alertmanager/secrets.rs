//! The configuration as `/api/v2/status` shows it: Alertmanager 0.25 prints its configuration
//! with every secret (its `Secret` and `SecretURL` fields) replaced by `<secret>`, so passwords,
//! tokens and keys never leave the server through the API. Pharos keeps the file's text; this
//! re-emits it with the same fields masked (comments and formatting are lost, as upstream's
//! re-marshalled text loses them).

use yaml_serde::Value;

/// What upstream prints instead of a secret.
pub const MASK: &str = "<secret>";

/// Why the configuration could not be shown.
#[derive(Debug, thiserror::Error)]
pub enum MaskError {
    /// The stored text is not YAML (cannot happen for a configuration that loaded).
    #[error("re-reading the configuration: {0}")]
    Yaml(#[from] yaml_serde::Error),
}

/// Whether `key`, found in a mapping under `parent` (the key holding that mapping, or the list
/// holding it), is one of 0.25's secret fields.
fn is_secret(key: &str, parent: &str) -> bool {
    match key {
        // global
        "smtp_auth_password" | "smtp_auth_secret" | "slack_api_url" | "opsgenie_api_key" | "wechat_api_secret"
        | "victorops_api_key" => true,
        // http_config (common/config)
        "bearer_token" | "client_secret" => true,
        "password" => parent == "basic_auth",
        "credentials" => parent == "authorization",
        // receivers
        "auth_password" | "auth_secret" | "service_key" | "api_key" | "api_secret" | "user_key" | "bot_token"
        | "webhook_url" | "secret_key" => true,
        "routing_key" => parent == "pagerduty_configs",
        "api_url" => parent == "slack_configs",
        "token" => parent == "pushover_configs",
        _ => false,
    }
}

fn mask(value: &mut Value, parent: &str) {
    match value {
        Value::Mapping(map) => {
            for (k, v) in map.iter_mut() {
                let key = k.as_str().unwrap_or("");
                match v {
                    // Upstream leaves an empty secret empty.
                    Value::String(s) if is_secret(key, parent) && !s.is_empty() => *s = MASK.to_string(),
                    _ => mask(v, key),
                }
            }
        }
        // List items keep the list's key as their parent (`slack_configs: [{api_url: …}]`).
        Value::Sequence(items) => items.iter_mut().for_each(|v| mask(v, parent)),
        Value::Tagged(t) => mask(&mut t.value, parent),
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
    }
}

/// The configuration text with its secrets replaced by `<secret>`; empty text stays empty.
pub fn masked_config(original: &str) -> Result<String, MaskError> {
    if original.trim().is_empty() {
        return Ok(String::new());
    }
    let mut v: Value = yaml_serde::from_str(original)?;
    mask(&mut v, "");
    Ok(yaml_serde::to_string(&v)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_like_upstream() {
        let yaml = r"
global:
  smtp_auth_password: pw1
  slack_api_url: https://hooks.slack.com/services/X
  http_config:
    basic_auth: {username: u, password: bp1}
route:
  receiver: team
receivers:
  - name: team
    webhook_configs:
      - url: http://hook.example/x
        http_config:
          authorization: {credentials: cr1}
    slack_configs:
      - api_url: https://hooks.slack.com/services/Y
        channel: '#c'
    opsgenie_configs:
      - api_key: og2
        api_url: https://api.opsgenie.com/
    pagerduty_configs:
      - routing_key: pd1
    victorops_configs:
      - api_key: vo2
        routing_key: r
    pushover_configs:
      - user_key: pu1
        token: pt1
    email_configs:
      - to: x@y.z
        auth_password: ''
";
        let out = masked_config(yaml).unwrap();
        for secret in ["pw1", "services/X", "bp1", "cr1", "services/Y", "og2", "pd1", "vo2", "pu1", "pt1"] {
            assert!(!out.contains(secret), "{secret} leaked:\n{out}");
        }
        let v: Value = yaml_serde::from_str(&out).unwrap();
        assert_eq!(v["global"]["smtp_auth_password"], MASK);
        assert_eq!(v["global"]["http_config"]["basic_auth"]["username"], "u");
        let team = &v["receivers"][0];
        // Not secrets in 0.25: the webhook URL, other receivers' api_url, VictorOps' routing key.
        assert_eq!(team["webhook_configs"][0]["url"], "http://hook.example/x");
        assert_eq!(team["opsgenie_configs"][0]["api_url"], "https://api.opsgenie.com/");
        assert_eq!(team["victorops_configs"][0]["routing_key"], "r");
        assert_eq!(team["slack_configs"][0]["api_url"], MASK);
        assert_eq!(team["slack_configs"][0]["channel"], "#c");
        assert_eq!(team["pagerduty_configs"][0]["routing_key"], MASK);
        assert_eq!(team["email_configs"][0]["auth_password"], "");
        assert_eq!(v["route"]["receiver"], "team");
        assert_eq!(masked_config("").unwrap(), "");
    }
}
