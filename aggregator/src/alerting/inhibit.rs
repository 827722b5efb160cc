//! Inhibition: whether a target alert is muted by a currently firing source alert, following
//! Alertmanager 0.25's `inhibit/inhibit.go`.
//!
//! An alert T is inhibited by a rule when T matches the rule's target matchers and some firing
//! alert S matches its source matchers and has the same values as T for every `equal` label
//! (a label missing on both sides counts as equal). When T also matches the source side, only
//! sources that do *not* match the target side count, so an alert never inhibits itself and two
//! alerts matching both sides do not mute each other.

use pharos_protocol::model::Labels;

use super::config::InhibitRuleConfig;
use super::matcher::Matchers;

/// One inhibition rule, ready to evaluate.
#[derive(Debug, Clone, Default)]
pub struct InhibitRule {
    /// Matchers a firing alert must satisfy to inhibit.
    pub source_matchers: Matchers,
    /// Matchers an alert must satisfy to be inhibited.
    pub target_matchers: Matchers,
    /// Labels that must have equal values on source and target.
    pub equal: Vec<String>,
}

impl InhibitRule {
    /// Builds the rule from its configuration.
    pub fn new(cfg: &InhibitRuleConfig) -> Self {
        InhibitRule {
            source_matchers: cfg.source_matchers.clone(),
            target_matchers: cfg.target_matchers.clone(),
            equal: cfg.equal.clone(),
        }
    }

    /// The first alert of `firing` that inhibits `target` under this rule, if any. `firing`
    /// must hold only alerts that are firing now (resolved ones never inhibit); `labels_of`
    /// reads an alert's labels.
    pub fn inhibiting<'a, T>(
        &self,
        target: &Labels,
        firing: &'a [T],
        labels_of: impl Fn(&T) -> &Labels,
    ) -> Option<&'a T> {
        if !self.target_matchers.matches(target) {
            return None;
        }
        let two_sided = self.source_matchers.matches(target);
        firing.iter().find(|a| {
            let src = labels_of(a);
            self.source_matchers.matches(src)
                && self.equal.iter().all(|n| src.get(n).unwrap_or("") == target.get(n).unwrap_or(""))
                && !(two_sided && self.target_matchers.matches(src))
        })
    }
}

/// All inhibition rules of a configuration.
#[derive(Debug, Clone, Default)]
pub struct Inhibitor {
    /// The rules, in configuration order.
    pub rules: Vec<InhibitRule>,
}

impl Inhibitor {
    /// Builds the rules from `inhibit_rules`.
    pub fn new(rules: &[InhibitRuleConfig]) -> Self {
        Inhibitor { rules: rules.iter().map(InhibitRule::new).collect() }
    }

    /// The firing alert that inhibits `target` (first rule first), if any; this is what the API
    /// reports in `status.inhibitedBy`.
    pub fn inhibiting<'a, T>(
        &self,
        target: &Labels,
        firing: &'a [T],
        labels_of: impl Fn(&T) -> &Labels,
    ) -> Option<&'a T> {
        self.rules.iter().find_map(|r| r.inhibiting(target, firing, &labels_of))
    }

    /// Whether `target` is inhibited by any of the firing alerts (given by their labels).
    pub fn is_inhibited(&self, target: &Labels, firing: &[Labels]) -> bool {
        self.inhibiting(target, firing, |l| l).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerting::matcher::parse_matchers;

    fn rule(src: &str, tgt: &str, equal: &[&str]) -> InhibitRule {
        InhibitRule {
            source_matchers: Matchers(parse_matchers(src).unwrap()),
            target_matchers: Matchers(parse_matchers(tgt).unwrap()),
            equal: equal.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn ls(pairs: &[(&str, &str)]) -> Labels {
        Labels::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn acceptance_jobdown_inhibits_instancedown_in_same_zone() {
        // Restated from upstream's acceptance test inhibit_test.go.
        let ih =
            Inhibitor { rules: vec![rule("alertname=\"JobDown\"", "alertname=\"InstanceDown\"", &["job", "zone"])] };
        let job_down = ls(&[("alertname", "JobDown"), ("job", "testjob"), ("zone", "aa")]);
        let inst_aa = ls(&[("alertname", "InstanceDown"), ("job", "testjob"), ("zone", "aa"), ("instance", "x")]);
        let inst_ab = ls(&[("alertname", "InstanceDown"), ("job", "testjob"), ("zone", "ab"), ("instance", "y")]);
        assert!(ih.is_inhibited(&inst_aa, std::slice::from_ref(&job_down)));
        assert!(!ih.is_inhibited(&inst_ab, std::slice::from_ref(&job_down)));
        // Once JobDown is no longer firing, nothing inhibits.
        assert!(!ih.is_inhibited(&inst_aa, &[]));
        // The source itself is not a target.
        assert!(!ih.is_inhibited(&job_down, std::slice::from_ref(&job_down)));
    }

    #[test]
    fn missing_equal_labels_count_as_equal() {
        let r = rule("severity=\"critical\"", "severity=\"warning\"", &["cluster"]);
        let src = ls(&[("severity", "critical")]);
        let tgt = ls(&[("severity", "warning")]);
        assert!(r.inhibiting(&tgt, std::slice::from_ref(&src), |l| l).is_some());
        let tgt_c = ls(&[("severity", "warning"), ("cluster", "a")]);
        assert!(r.inhibiting(&tgt_c, std::slice::from_ref(&src), |l| l).is_none());
    }

    #[test]
    fn two_sided_matches_never_inhibit_each_other() {
        // The "AlwaysInhibiting" case: a rule whose source and target both match every alert.
        let r = rule("", "", &["instance"]);
        let a = ls(&[("alertname", "A"), ("instance", "1")]);
        let b = ls(&[("alertname", "B"), ("instance", "1")]);
        let both = vec![a.clone(), b.clone()];
        assert!(r.inhibiting(&a, &both, |l| l).is_none());
        assert!(r.inhibiting(&b, &both, |l| l).is_none());
        // A target matching both sides is still inhibited by a source matching only the source.
        let r = rule("severity=~\"critical|page\"", "severity=~\"critical|warning\"", &[]);
        let crit = ls(&[("severity", "critical")]);
        let page = ls(&[("severity", "page")]);
        let warn = ls(&[("severity", "warning")]);
        assert!(r.inhibiting(&crit, std::slice::from_ref(&crit), |l| l).is_none());
        assert!(r.inhibiting(&crit, std::slice::from_ref(&page), |l| l).is_some());
        assert!(r.inhibiting(&warn, std::slice::from_ref(&crit), |l| l).is_some());
    }
}
