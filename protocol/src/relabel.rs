//! Relabeling (`relabel_configs`, `metric_relabel_configs`, `write_relabel_configs`) with
//! Prometheus 2.42's semantics, shared by the agent's scrapes and the aggregator's remote write:
//! the source labels' values joined by the separator (default `;`) are matched against the regex,
//! anchored at both ends (default `(.*)`); `replace` writes the expanded replacement (default `$1`)
//! to the target label (itself expanded) and deletes it when the result is empty; `hashmod` sets
//! the target to the MD5 of the value, last 8 bytes as a big-endian integer, modulo `modulus`;
//! `labelmap` copies labels whose names match under the replaced name; `labeldrop`/`labelkeep`
//! remove labels by name; `keep` and `drop` decide by the value; `lowercase`, `uppercase`,
//! `keepequal` and `dropequal` are there too.

use crate::model::is_valid_label_name;
use crate::Labels;
use md5::{Digest, Md5};
use regex::Regex;
use serde::{Deserialize, Deserializer};

/// A relabeling action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Set `target_label` to the expanded replacement when the regex matches.
    Replace,
    /// Drop the sample unless the regex matches.
    Keep,
    /// Drop the sample when the regex matches.
    Drop,
    /// Set `target_label` to a hash of the value modulo `modulus`.
    HashMod,
    /// Copy labels whose names match to the replaced names.
    LabelMap,
    /// Remove labels whose names match.
    LabelDrop,
    /// Remove labels whose names do not match.
    LabelKeep,
    /// Set `target_label` to the value in lower case.
    Lowercase,
    /// Set `target_label` to the value in upper case.
    Uppercase,
    /// Drop the sample unless `target_label`'s value equals the joined source values.
    KeepEqual,
    /// Drop the sample when `target_label`'s value equals the joined source values.
    DropEqual,
}

/// One relabeling step, checked as Prometheus checks it when loading its configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "RawRelabel")]
pub struct RelabelConfig {
    /// Labels whose values are joined into the matched value.
    pub source_labels: Vec<String>,
    /// Joins the source values. Default `;`.
    pub separator: String,
    /// The anchored regex.
    pub regex: AnchoredRegex,
    /// For `hashmod`.
    pub modulus: u64,
    /// The label written by `replace`, `hashmod`, `lowercase`, `uppercase`.
    pub target_label: String,
    /// Template for `replace` and `labelmap`. Default `$1`.
    pub replacement: String,
    /// What to do.
    pub action: Action,
}

/// A regex anchored at both ends with Go's semantics, as Prometheus compiles relabeling regexes.
#[derive(Debug, Clone)]
pub struct AnchoredRegex {
    source: String,
    re: Regex,
}

impl AnchoredRegex {
    /// Compiles `^(?:source)$`.
    pub fn new(source: &str) -> Result<Self, String> {
        let re = pharos_goregex::compile_anchored(source).map_err(|e| format!("invalid regex {source:?}: {e}"))?;
        Ok(AnchoredRegex { source: source.to_string(), re })
    }

    /// The regex as written in the configuration.
    pub fn as_str(&self) -> &str {
        &self.source
    }
}

impl<'de> Deserialize<'de> for AnchoredRegex {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        AnchoredRegex::new(&s).map_err(serde::de::Error::custom)
    }
}

const DEFAULT_SEPARATOR: &str = ";";
const DEFAULT_REGEX: &str = "(.*)";
const DEFAULT_REPLACEMENT: &str = "$1";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelabel {
    #[serde(default)]
    source_labels: Vec<String>,
    separator: Option<String>,
    regex: Option<AnchoredRegex>,
    #[serde(default)]
    modulus: u64,
    #[serde(default)]
    target_label: String,
    replacement: Option<String>,
    #[serde(default = "default_action")]
    action: Action,
}

fn default_action() -> Action {
    Action::Replace
}

impl TryFrom<RawRelabel> for RelabelConfig {
    type Error = String;

    fn try_from(r: RawRelabel) -> Result<Self, String> {
        use Action::*;
        let action = r.action;
        let name = format!("{action:?}").to_lowercase();
        let needs_target = matches!(action, Replace | HashMod | Lowercase | Uppercase | KeepEqual | DropEqual);
        if needs_target && r.target_label.is_empty() {
            return Err(format!("relabel action {name} requires target_label"));
        }
        // A replace target may hold $1-style references, expanded per sample (Prometheus' relabelTarget).
        let target_re = Regex::new(r"^(?:(?:[a-zA-Z_]|\$(?:\{[0-9A-Za-z_]+\}|[0-9A-Za-z_]+))+[0-9A-Za-z_]*)+$")
            .map_err(|e| e.to_string())?;
        let template_ok = |t: &str| target_re.is_match(t);
        match action {
            Replace if !template_ok(&r.target_label) => {
                return Err(format!("{:?} is an invalid target_label for the replace action", r.target_label))
            }
            HashMod | Lowercase | Uppercase | KeepEqual | DropEqual if !is_valid_label_name(&r.target_label) => {
                return Err(format!("{:?} is an invalid target_label for the {name} action", r.target_label))
            }
            _ => {}
        }
        if action == HashMod && r.modulus == 0 {
            return Err("relabel action hashmod requires a non-zero modulus".into());
        }
        if matches!(action, LabelDrop | LabelKeep)
            && (!r.source_labels.is_empty()
                || !r.target_label.is_empty()
                || r.modulus != 0
                || r.separator.as_deref().is_some_and(|s| s != DEFAULT_SEPARATOR)
                || r.replacement.as_deref().is_some_and(|s| s != DEFAULT_REPLACEMENT))
        {
            return Err(format!("relabel action {name} takes only a regex"));
        }
        if matches!(action, Lowercase | Uppercase | KeepEqual | DropEqual)
            && r.replacement.as_deref().is_some_and(|s| s != DEFAULT_REPLACEMENT)
        {
            return Err(format!("relabel action {name} takes no replacement"));
        }
        if matches!(action, KeepEqual | DropEqual) && r.regex.as_ref().is_some_and(|re| re.as_str() != DEFAULT_REGEX) {
            return Err(format!("relabel action {name} takes no regex"));
        }
        for l in &r.source_labels {
            if !is_valid_label_name(l) {
                return Err(format!("invalid source label name {l:?}"));
            }
        }
        let regex = match r.regex {
            Some(re) => re,
            None => AnchoredRegex::new(DEFAULT_REGEX)?,
        };
        Ok(RelabelConfig {
            source_labels: r.source_labels,
            separator: r.separator.unwrap_or_else(|| DEFAULT_SEPARATOR.into()),
            regex,
            modulus: r.modulus,
            target_label: r.target_label,
            replacement: r.replacement.unwrap_or_else(|| DEFAULT_REPLACEMENT.into()),
            action,
        })
    }
}

/// Applies `configs` in order; `None` means the sample is dropped (by `keep`/`drop`, or because
/// no label is left).
pub fn relabel(labels: Labels, configs: &[RelabelConfig]) -> Option<Labels> {
    let mut labels = labels;
    for c in configs {
        labels = step(labels, c)?;
    }
    (!labels.is_empty()).then_some(labels)
}

fn step(mut labels: Labels, c: &RelabelConfig) -> Option<Labels> {
    let value = c.source_labels.iter().map(|n| labels.get(n).unwrap_or("")).collect::<Vec<_>>().join(&c.separator);
    let re = &c.regex.re;
    match c.action {
        Action::Drop if re.is_match(&value) => return None,
        Action::Keep if !re.is_match(&value) => return None,
        Action::DropEqual if labels.get(&c.target_label).unwrap_or("") == value => return None,
        Action::KeepEqual if labels.get(&c.target_label).unwrap_or("") != value => return None,
        Action::Replace => {
            if let Some(caps) = re.captures(&value) {
                let mut target = String::new();
                caps.expand(&c.target_label, &mut target);
                if is_valid_label_name(&target) {
                    let mut res = String::new();
                    caps.expand(&c.replacement, &mut res);
                    // An empty value deletes the label.
                    labels.set(&target, &res);
                }
            }
        }
        Action::Lowercase => labels.set(&c.target_label, &value.to_lowercase()),
        Action::Uppercase => labels.set(&c.target_label, &value.to_uppercase()),
        Action::HashMod => {
            let hash = Md5::digest(value.as_bytes());
            let mut last8 = [0u8; 8];
            last8.copy_from_slice(&hash[8..16]);
            let m = u64::from_be_bytes(last8) % c.modulus.max(1);
            labels.set(&c.target_label, &m.to_string());
        }
        Action::LabelMap => {
            let mut add = Vec::new();
            for l in labels.iter() {
                if let Some(caps) = re.captures(&l.name) {
                    let mut name = String::new();
                    caps.expand(&c.replacement, &mut name);
                    add.push((name, l.value.clone()));
                }
            }
            for (name, value) in add {
                if !name.is_empty() {
                    labels.set(&name, &value);
                }
            }
        }
        Action::LabelDrop | Action::LabelKeep => {
            let drop_matching = c.action == Action::LabelDrop;
            let gone: Vec<String> =
                labels.iter().filter(|l| re.is_match(&l.name) == drop_matching).map(|l| l.name.clone()).collect();
            for name in gone {
                labels.remove(&name);
            }
        }
        Action::Drop | Action::Keep | Action::DropEqual | Action::KeepEqual => {}
    }
    Some(labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn configs(toml_list: &str) -> Vec<RelabelConfig> {
        #[derive(Deserialize)]
        struct W {
            r: Vec<RelabelConfig>,
        }
        toml::from_str::<W>(&format!("r = {toml_list}")).unwrap().r
    }

    // Expectations from Go 1.19's regexp, which Prometheus compiles relabeling regexes with.
    #[test]
    fn regexes_have_go_semantics() {
        let keep = |value: &str, regex: &str| {
            let c = configs(&format!(r#"[{{source_labels = ["a"], regex = '{regex}', action = "keep"}}]"#));
            relabel(Labels::from_pairs([("a", value)]), &c).is_some()
        };
        assert!(keep("12", r"\d+"));
        // ARABIC-INDIC DIGIT THREE is not `\d` in Go.
        assert!(!keep("\u{663}", r"\d+"));
        // A `{` that starts no repetition is literal.
        assert!(keep("x{", "x{"));
        // Replacement groups still work through the translation.
        let c = configs(r#"[{source_labels = ["a"], regex = '(\w+)-(\d)', target_label = "b", replacement = "$2$1"}]"#);
        let out = relabel(Labels::from_pairs([("a", "web-1")]), &c).unwrap();
        assert_eq!(out.get("b"), Some("1web"));
        // Go rejects `a**`, which the crate would take, with its message.
        let e = AnchoredRegex::new("a**").unwrap_err();
        assert_eq!(e, r#"invalid regex "a**": error parsing regexp: invalid nested repetition operator: `**`"#);
    }
}
