//! The routing tree: effective options per node (inherited from the parent), depth-first
//! matching of an alert's labels, route keys and aggregation group keys, as Alertmanager 0.25's
//! `dispatch/route.go` and `dispatch.go` define them.

use std::collections::{BTreeSet, HashMap};
use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use pharos_protocol::model::Labels;

use super::config::RouteConfig;
use super::matcher::Matchers;
use super::timeinterval::TimeInterval;

/// Default `group_wait` of the root route.
pub const DEFAULT_GROUP_WAIT: Duration = Duration::from_secs(30);
/// Default `group_interval` of the root route.
pub const DEFAULT_GROUP_INTERVAL: Duration = Duration::from_secs(5 * 60);
/// Default `repeat_interval` of the root route.
pub const DEFAULT_REPEAT_INTERVAL: Duration = Duration::from_secs(4 * 3600);

/// The effective options of a route after inheritance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteOpts {
    /// Receiver notified for alerts ending at this route.
    pub receiver: String,
    /// Labels to group by (ignored when `group_by_all`).
    pub group_by: BTreeSet<String>,
    /// Group by all labels (`group_by: ['...']`).
    pub group_by_all: bool,
    /// Wait before the first notification of a new group.
    pub group_wait: Duration,
    /// Wait between notifications about changes to a group.
    pub group_interval: Duration,
    /// Wait before re-sending an unchanged notification.
    pub repeat_interval: Duration,
    /// Named intervals during which notifications are muted (this node's own; not inherited).
    pub mute_time_intervals: Vec<String>,
    /// Named intervals outside which notifications are muted (this node's own; not inherited).
    pub active_time_intervals: Vec<String>,
}

impl Default for RouteOpts {
    fn default() -> Self {
        RouteOpts {
            receiver: String::new(),
            group_by: BTreeSet::new(),
            group_by_all: false,
            group_wait: DEFAULT_GROUP_WAIT,
            group_interval: DEFAULT_GROUP_INTERVAL,
            repeat_interval: DEFAULT_REPEAT_INTERVAL,
            mute_time_intervals: Vec::new(),
            active_time_intervals: Vec::new(),
        }
    }
}

impl RouteOpts {
    /// Whether notifications of this route are suppressed at `t`: some interval of
    /// `mute_time_intervals` contains it, or `active_time_intervals` is set and none of its
    /// intervals contains it (Alertmanager's TimeMuteStage and TimeActiveStage). `intervals` is
    /// [`crate::alerting::config::Config::time_interval_map`]; unknown names (impossible after
    /// validation) contain no instant.
    pub fn is_muted_at(&self, intervals: &HashMap<String, Vec<TimeInterval>>, t: DateTime<Utc>) -> bool {
        let inside = |names: &[String]| {
            names.iter().any(|n| intervals.get(n).is_some_and(|tis| tis.iter().any(|ti| ti.contains(t))))
        };
        inside(&self.mute_time_intervals)
            || (!self.active_time_intervals.is_empty() && !inside(&self.active_time_intervals))
    }
}

/// One node of the routing tree with its effective options.
#[derive(Debug, Clone)]
pub struct Route {
    /// Effective options.
    pub opts: RouteOpts,
    /// This node's matchers (`match`, `match_re`, `matchers` merged and sorted).
    pub matchers: Matchers,
    /// Whether siblings after this one are still tried once it matched.
    pub continue_matching: bool,
    /// Children, in configuration order.
    pub routes: Vec<Route>,
    key: String,
    id: String,
}

impl Route {
    /// Builds the tree from the root route of a validated configuration.
    pub fn new(root: &RouteConfig) -> Route {
        Route::build(root, None, 0)
    }

    fn build(cr: &RouteConfig, parent: Option<&Route>, position: usize) -> Route {
        let mut opts = parent.map_or_else(RouteOpts::default, |p| p.opts.clone());
        if let Some(r) = &cr.receiver {
            opts.receiver = r.clone();
        }
        if let Some(g) = &cr.group_by {
            // A list of names replaces the parent's grouping, including a parent's `...`.
            opts.group_by = g.iter().cloned().collect();
            opts.group_by_all = false;
        } else if cr.group_by_all {
            opts.group_by_all = true;
        }
        if let Some(d) = cr.group_wait {
            opts.group_wait = d;
        }
        if let Some(d) = cr.group_interval {
            opts.group_interval = d;
        }
        if let Some(d) = cr.repeat_interval {
            opts.repeat_interval = d;
        }
        opts.mute_time_intervals = cr.mute_time_intervals.clone();
        opts.active_time_intervals = cr.active_time_intervals.clone();
        let matchers = cr.all_matchers();
        let (key, id) = match parent {
            None => (matchers.to_string(), matchers.to_string()),
            Some(p) => {
                let key = format!("{}/{}", p.key, matchers);
                let id = format!("{}/{}/{}", p.id, matchers, position);
                (key, id)
            }
        };
        let mut route = Route { opts, matchers, continue_matching: cr.continue_matching, routes: Vec::new(), key, id };
        let children: Vec<Route> =
            cr.routes.iter().enumerate().map(|(i, c)| Route::build(c, Some(&route), i)).collect();
        route.routes = children;
        route
    }

    /// The routes an alert with these labels is dispatched to, in tree order: depth-first;
    /// after the first matching child without `continue` its later siblings are skipped; a
    /// matching node none of whose children match is itself the result. Empty when this node's
    /// own matchers fail.
    pub fn match_labels(&self, labels: &Labels) -> Vec<&Route> {
        if !self.matchers.matches(labels) {
            return Vec::new();
        }
        let mut all = Vec::new();
        for child in &self.routes {
            let matches = child.match_labels(labels);
            let matched = !matches.is_empty();
            all.extend(matches);
            if matched && !child.continue_matching {
                break;
            }
        }
        if all.is_empty() {
            all.push(self);
        }
        all
    }

    /// The receivers of [`Route::match_labels`], in order (what `amtool config routes test`
    /// prints, comma-separated).
    pub fn receivers_for(&self, labels: &Labels) -> Vec<&str> {
        self.match_labels(labels).into_iter().map(|r| r.opts.receiver.as_str()).collect()
    }

    /// Alertmanager's route key: the parent's key, `/`, then this node's matchers
    /// (`{}/{service="db"}`). Siblings with identical matchers share a key, as upstream.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// A key unique within the tree: like [`Route::key`] with each non-root node's position
    /// among its siblings appended (`{}/{service="db"}/0/{owner="x"}/1`), in the spirit of
    /// later Alertmanager versions' route IDs.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Visits this node and then its descendants depth-first.
    pub fn walk<'a>(&'a self, visit: &mut impl FnMut(&'a Route)) {
        visit(self);
        for r in &self.routes {
            r.walk(visit);
        }
    }

    /// The alert's labels that take part in grouping on this route: the `group_by` labels the
    /// alert has, or all of them with `group_by_all`. Labels it lacks are left out.
    pub fn group_labels(&self, labels: &Labels) -> Labels {
        if self.opts.group_by_all {
            return labels.clone();
        }
        Labels::from_vec(labels.iter().filter(|l| self.opts.group_by.contains(&l.name)).cloned().collect())
    }

    /// The aggregation group key of an alert on this route: `<route key>:<group labels>`, with
    /// the labels written as Go's `model.LabelSet.String` does (`{a="1", b="2"}`).
    pub fn group_key(&self, labels: &Labels) -> String {
        format!("{}:{}", self.key, GoLabelSet(&self.group_labels(labels)))
    }
}

/// Formats a label set like Go's `model.LabelSet.String`: `name="value"` pairs with Go
/// quoting, sorted as strings, joined by `, `, in braces.
pub struct GoLabelSet<'a>(pub &'a Labels);

impl fmt::Display for GoLabelSet<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = self.0.iter().map(|l| format!("{}={}", l.name, go_quote(&l.value))).collect();
        // Go sorts the formatted pairs, not the names: `a1="x"` sorts before `a="x"`.
        parts.sort();
        write!(f, "{{{}}}", parts.join(", "))
    }
}

/// Go's `strconv.Quote` for the characters label values hold in practice.
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
#[path = "route_tests.rs"]
mod tests;
