//! The group store: PUT / POST / DELETE / wipe with the Pushgateway's semantics, the
//! `push_time_seconds` / `push_failure_time_seconds` gauges, and per-group expiry (TTL).
//!
//! Every operation is a plain method on `&mut Store`: a refused push changes nothing but its own
//! group's failure time, so one bad push cannot affect another group or a later push.

use crate::body::Families;
use crate::check::{self, CheckError, OtherGroups};
use crate::grouping::GroupingKey;
use crate::proto::{MetricFamily, MetricType, Value};
use std::collections::BTreeMap;

/// The gauge set to the time of the last successful write of a group.
pub const PUSH_TIME: &str = "push_time_seconds";
/// Its HELP text.
pub const PUSH_TIME_HELP: &str = "Last Unix time when changing this group in the Pushgateway succeeded.";
/// The gauge set to the time of the last failed write of a group.
pub const PUSH_FAILURE_TIME: &str = "push_failure_time_seconds";
/// Its HELP text.
pub const PUSH_FAILURE_TIME_HELP: &str = "Last Unix time when changing this group in the Pushgateway failed.";

/// A family as stored, with the time of the write that stored it (`time_stamp` in the API).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFamily {
    /// The family, labels sanitised.
    pub family: MetricFamily,
    /// Nanoseconds since the Unix epoch.
    pub written_ns: i64,
}

/// One group: its key, its families by name, and when it expires.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The grouping key.
    pub key: GroupingKey,
    /// Families by name, the two push-time gauges included.
    pub families: BTreeMap<String, StoredFamily>,
    /// Expiry in nanoseconds since the epoch; `None` never expires.
    pub expires_ns: Option<i64>,
}

impl Group {
    fn new(key: GroupingKey) -> Self {
        Group { key, families: BTreeMap::new(), expires_ns: None }
    }

    /// The value of one of the two push-time gauges (0 when missing).
    pub fn gauge_value(&self, name: &str) -> Option<f64> {
        self.families.get(name).and_then(|f| f.family.metric.first()).map(|m| m.simple_value())
    }

    /// Pushgateway's `LastPushSuccess`: no failure later than the last success.
    pub fn last_push_successful(&self) -> bool {
        match (self.gauge_value(PUSH_FAILURE_TIME), self.gauge_value(PUSH_TIME)) {
            (Some(fail), Some(ok)) => fail <= ok,
            _ => true,
        }
    }
}

/// The store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Store {
    groups: BTreeMap<GroupingKey, Group>,
}

/// A push-time gauge for a group: the value is the time in seconds, or 0 for "never".
fn time_gauge(name: &str, help: &str, key: &GroupingKey, time_ns: Option<i64>) -> MetricFamily {
    let value = time_ns.map_or(0.0, |ns| ns as f64 / 1e9);
    let mut f = MetricFamily {
        name: Some(name.to_string()),
        help: Some(help.to_string()),
        r#type: Some(MetricType::Gauge as i32),
        metric: vec![crate::proto::Metric { gauge: Some(Value { value: Some(value) }), ..Default::default() }],
    };
    check::sanitize(&mut f, key);
    f
}

/// The store minus one group, as the check sees the others.
struct Others<'a> {
    store: &'a Store,
    except: &'a GroupingKey,
}

impl OtherGroups for Others<'_> {
    fn for_each_named(&self, name: &str, f: &mut dyn FnMut(&MetricFamily)) {
        for g in self.store.groups.values().filter(|g| &g.key != self.except) {
            if let Some(sf) = g.families.get(name) {
                f(&sf.family);
            }
        }
    }

    fn type_of(&self, name: &str) -> Option<MetricType> {
        let mut t = None;
        self.for_each_named(name, &mut |f| t = t.or(f.kind()));
        t
    }
}

impl Store {
    /// An empty store.
    pub fn new() -> Self {
        Store::default()
    }

    /// The groups, in key order.
    pub fn groups(&self) -> impl Iterator<Item = &Group> {
        self.groups.values()
    }

    /// The group with this key.
    pub fn group(&self, key: &GroupingKey) -> Option<&Group> {
        self.groups.get(key)
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.groups.len()
    }

    /// Whether there is no group.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// PUT (`replace`) or POST: checks, then stores; on a check failure only the group's
    /// `push_failure_time_seconds` changes (the group is created if needed). `expires_ns` is the
    /// group's new expiry after a successful push (and of a group a failed push creates).
    pub fn push(
        &mut self,
        key: &GroupingKey,
        mut families: Families,
        replace: bool,
        now_ns: i64,
        expires_ns: Option<i64>,
    ) -> Result<(), CheckError> {
        let result = self.try_push(key, &mut families, replace, now_ns);
        match result {
            Ok(()) => {
                let group = self.groups.entry(key.clone()).or_insert_with(|| Group::new(key.clone()));
                if replace {
                    group.families.retain(|name, _| name == PUSH_TIME || name == PUSH_FAILURE_TIME);
                }
                for (name, family) in families {
                    group.families.insert(name, StoredFamily { family, written_ns: now_ns });
                }
                group.expires_ns = expires_ns;
                Ok(())
            }
            Err(e) => {
                let created = !self.groups.contains_key(key);
                let group = self.groups.entry(key.clone()).or_insert_with(|| Group::new(key.clone()));
                let failed = time_gauge(PUSH_FAILURE_TIME, PUSH_FAILURE_TIME_HELP, key, Some(now_ns));
                group.families.insert(PUSH_FAILURE_TIME.into(), StoredFamily { family: failed, written_ns: now_ns });
                if !group.families.contains_key(PUSH_TIME) {
                    let never = time_gauge(PUSH_TIME, PUSH_TIME_HELP, key, None);
                    group.families.insert(PUSH_TIME.into(), StoredFamily { family: never, written_ns: now_ns });
                }
                if created {
                    group.expires_ns = expires_ns;
                }
                Err(e)
            }
        }
    }

    /// Sanitises `families`, adds the push-time gauges to them, and runs the check against the
    /// store as it would be after the write.
    fn try_push(
        &self,
        key: &GroupingKey,
        families: &mut Families,
        replace: bool,
        now_ns: i64,
    ) -> Result<(), CheckError> {
        if check::timestamps_present(families) {
            return Err(CheckError::Timestamps);
        }
        for f in families.values_mut() {
            check::sanitize(f, key);
        }
        let existing = self.groups.get(key);
        families.insert(PUSH_TIME.into(), time_gauge(PUSH_TIME, PUSH_TIME_HELP, key, Some(now_ns)));
        if existing.is_none_or(|g| !g.families.contains_key(PUSH_FAILURE_TIME)) {
            families.insert(PUSH_FAILURE_TIME.into(), time_gauge(PUSH_FAILURE_TIME, PUSH_FAILURE_TIME_HELP, key, None));
        }
        // The written group after the write: what it keeps, then the written families.
        let mut trial: BTreeMap<String, &MetricFamily> = BTreeMap::new();
        if let Some(g) = existing {
            for (name, sf) in &g.families {
                if !replace || name == PUSH_TIME || name == PUSH_FAILURE_TIME {
                    trial.insert(name.clone(), &sf.family);
                }
            }
        }
        for (name, f) in families.iter() {
            trial.insert(name.clone(), f);
        }
        check::check_consistency(families, &trial, &Others { store: self, except: key })
    }

    /// DELETE: removes the group; whether it existed.
    pub fn delete(&mut self, key: &GroupingKey) -> bool {
        self.groups.remove(key).is_some()
    }

    /// Removes every group; how many there were.
    pub fn wipe(&mut self) -> usize {
        let n = self.groups.len();
        self.groups.clear();
        n
    }

    /// Removes the groups whose expiry is at or before `now_ns`; how many.
    pub fn expire(&mut self, now_ns: i64) -> usize {
        let before = self.groups.len();
        self.groups.retain(|_, g| g.expires_ns.is_none_or(|t| t > now_ns));
        before - self.groups.len()
    }

    /// Inserts a group as it was persisted.
    pub(crate) fn restore_group(&mut self, group: Group) {
        self.groups.insert(group.key.clone(), group);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::parse_body;

    fn key(pairs: &[(&str, &str)]) -> GroupingKey {
        pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    }

    fn body(text: &str) -> Families {
        parse_body(None, None, text.as_bytes()).unwrap()
    }

    fn names(s: &Store, k: &GroupingKey) -> Vec<String> {
        s.group(k).map(|g| g.families.keys().cloned().collect()).unwrap_or_default()
    }

    const T1: i64 = 1_000_000_000_000_000_000;
    /// One second: push times are float seconds, so steps must be coarse enough to compare.
    const S: i64 = 1_000_000_000;

    #[test]
    fn put_replaces_post_merges() {
        let mut s = Store::new();
        let a = key(&[("job", "a")]);
        s.push(&a, body("x 1\ny 2\n"), true, T1, None).unwrap();
        assert_eq!(names(&s, &a), ["push_failure_time_seconds", "push_time_seconds", "x", "y"]);
        s.push(&a, body("y 3\nz 4\n"), false, T1 + S, None).unwrap();
        assert_eq!(names(&s, &a), ["push_failure_time_seconds", "push_time_seconds", "x", "y", "z"]);
        assert_eq!(s.group(&a).unwrap().families["y"].family.metric[0].simple_value(), 3.0);
        s.push(&a, body("z 5\n"), true, T1 + 2 * S, None).unwrap();
        assert_eq!(names(&s, &a), ["push_failure_time_seconds", "push_time_seconds", "z"]);
        // Empty bodies: PUT empties the group, POST keeps it; both update push_time_seconds.
        s.push(&a, body(""), false, T1 + 3 * S, None).unwrap();
        assert_eq!(names(&s, &a), ["push_failure_time_seconds", "push_time_seconds", "z"]);
        s.push(&a, body(""), true, T1 + 4 * S, None).unwrap();
        assert_eq!(names(&s, &a), ["push_failure_time_seconds", "push_time_seconds"]);
        let g = s.group(&a).unwrap();
        assert_eq!(g.gauge_value(PUSH_TIME), Some((T1 + 4 * S) as f64 / 1e9));
        assert_eq!(g.gauge_value(PUSH_FAILURE_TIME), Some(0.0));
        assert!(g.last_push_successful());
    }

    #[test]
    fn a_failed_push_only_sets_its_failure_time() {
        let mut s = Store::new();
        let (a, b) = (key(&[("job", "a")]), key(&[("job", "b")]));
        s.push(&a, body("# TYPE x counter\nx 1\n"), true, T1, None).unwrap();
        let before_a = s.group(&a).cloned();
        assert!(s.push(&b, body("# TYPE x gauge\nx 1\n"), true, T1 + 5 * S, None).is_err());
        assert_eq!(s.group(&a).cloned(), before_a, "the other group is untouched");
        let gb = s.group(&b).unwrap();
        assert_eq!(names(&s, &b), ["push_failure_time_seconds", "push_time_seconds"]);
        assert_eq!(gb.gauge_value(PUSH_TIME), Some(0.0));
        assert_eq!(gb.gauge_value(PUSH_FAILURE_TIME), Some((T1 + 5 * S) as f64 / 1e9));
        assert!(!gb.last_push_successful());
        // A later good push to the same group works, and keeps the failure time.
        s.push(&b, body("y 1\n"), false, T1 + 6 * S, None).unwrap();
        let gb = s.group(&b).unwrap();
        assert_eq!(gb.gauge_value(PUSH_FAILURE_TIME), Some((T1 + 5 * S) as f64 / 1e9));
        assert!(gb.last_push_successful());
        // Timestamps are refused the same way.
        assert_eq!(s.push(&a, body("m 1 1234\n"), false, T1 + 7 * S, None), Err(CheckError::Timestamps));
        assert!(!s.group(&a).unwrap().last_push_successful());
        assert!(!s.group(&a).unwrap().families.contains_key("m"));
    }

    #[test]
    fn pushed_push_time_is_overridden() {
        let mut s = Store::new();
        let a = key(&[("job", "a")]);
        s.push(&a, body("# TYPE push_time_seconds counter\npush_time_seconds 5\n"), true, T1, None).unwrap();
        assert_eq!(s.group(&a).unwrap().gauge_value(PUSH_TIME), Some(T1 as f64 / 1e9));
    }

    #[test]
    fn delete_wipe_and_expiry() {
        let mut s = Store::new();
        let a = key(&[("job", "a")]);
        let ai = key(&[("job", "a"), ("instance", "x")]);
        s.push(&a, body("x 1\n"), true, T1, Some(T1 + 10 * S)).unwrap();
        s.push(&ai, body("x 1\n"), true, T1, None).unwrap();
        assert_eq!(s.expire(T1 + 9 * S), 0);
        assert_eq!(s.expire(T1 + 10 * S), 1);
        assert!(s.group(&a).is_none());
        s.push(&a, body("x 1\n"), true, T1, None).unwrap();
        assert!(s.delete(&a));
        assert!(!s.delete(&a));
        assert!(s.group(&ai).is_some(), "deleting {{job=a}} leaves {{job=a,instance=x}}");
        assert_eq!(s.wipe(), 1);
        assert!(s.is_empty());
    }
}
