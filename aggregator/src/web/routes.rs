//! Which role each HTTP route requires: one table, read top to bottom, first match wins.
//!
//! Roles nest as `admin` ⊃ `write` and `admin` ⊃ `read`; `write` does not include `read`, so a
//! pusher's credential (Pushgateway, remote_write, alert senders) leaked from a batch job cannot
//! read the data back. Paths are matched on the raw (still percent-encoded) path, as the router
//! matches them; anything the table does not name, including unknown paths (which answer 404),
//! needs `read`, so nothing answers without a credential when authentication is on.

use axum::http::Method;

/// What a credential may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Query API, metadata, rules and alerts, federate, the UI, `/metrics`, health.
    Read,
    /// Data and alerts in: Pushgateway pushes, remote_write, import, posted alerts.
    Write,
    /// Everything, including silences, reload, wipe and the admin API.
    Admin,
}

impl Role {
    /// Whether a credential with this role may call a route that requires `required`.
    pub fn allows(self, required: Role) -> bool {
        match self {
            Role::Admin => true,
            r => r == required,
        }
    }

    /// The role's name as the configuration spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Read => "read",
            Role::Write => "write",
            Role::Admin => "admin",
        }
    }
}

/// Which methods an entry covers.
#[derive(Debug, Clone, Copy)]
enum Methods {
    /// Any method.
    Any,
    /// Any method but GET and HEAD (the writing methods of a path that is also read).
    Writing,
    /// Exactly these.
    Only(&'static [&'static str]),
}

/// How an entry's path matches.
#[derive(Debug, Clone, Copy)]
enum PathMatch {
    /// The path exactly.
    Exact(&'static str),
    /// The path starts with this (which ends in `/`).
    Prefix(&'static str),
}

/// One row of [`TABLE`].
#[derive(Debug, Clone, Copy)]
struct Rule {
    methods: Methods,
    path: PathMatch,
    role: Role,
}

const fn rule(methods: Methods, path: PathMatch, role: Role) -> Rule {
    Rule { methods, path, role }
}

use Methods::{Any, Only, Writing};
use PathMatch::{Exact, Prefix};
use Role::{Admin, Write};

/// Every route that needs more than `read`; first match wins, everything else needs `read`.
const TABLE: &[Rule] = &[
    // admin: configuration reload, the admin APIs (Pushgateway wipe, TSDB snapshot), silences.
    rule(Any, Exact("/-/reload"), Admin),
    rule(Any, Prefix("/api/v1/admin/"), Admin),
    rule(Only(&["POST"]), Exact("/api/v2/silences"), Admin),
    rule(Only(&["DELETE"]), Prefix("/api/v2/silence/"), Admin),
    // write: data in (Pushgateway groups, remote_write, import) and alerts in.
    rule(Writing, Prefix("/metrics/"), Write),
    rule(Any, Exact("/api/v1/write"), Write),
    rule(Any, Prefix("/api/v1/import/"), Write),
    rule(Only(&["POST"]), Exact("/api/v2/alerts"), Write),
    rule(Only(&["POST"]), Exact("/api/v1/alerts"), Write),
];

/// The role a request for `path` with `method` requires.
pub fn required_role(method: &Method, path: &str) -> Role {
    first_match(method, path).map_or(Role::Read, |i| TABLE[i].role)
}

/// The index of the first row of [`TABLE`] matching the request.
fn first_match(method: &Method, path: &str) -> Option<usize> {
    TABLE.iter().position(|r| {
        let method_matches = match r.methods {
            Any => true,
            Writing => method != Method::GET && method != Method::HEAD,
            Only(list) => list.contains(&method.as_str()),
        };
        let path_matches = match r.path {
            Exact(p) => path == p,
            Prefix(p) => path.starts_with(p),
        };
        method_matches && path_matches
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Role::Read;

    /// Every route the server registers (api, rules, selfmetrics, pushgateway, remote_write,
    /// import, alertmanager v1 and v2, the UI), with each of its methods and the role it needs.
    const ROUTES: &[(&str, &str, Role)] = &[
        ("GET", "/api/v1/query", Read),
        ("POST", "/api/v1/query", Read),
        ("GET", "/api/v1/query_range", Read),
        ("POST", "/api/v1/query_range", Read),
        ("GET", "/api/v1/series", Read),
        ("POST", "/api/v1/series", Read),
        ("GET", "/api/v1/labels", Read),
        ("POST", "/api/v1/labels", Read),
        ("GET", "/api/v1/label/job/values", Read),
        ("GET", "/api/v1/format_query", Read),
        ("POST", "/api/v1/parse_query", Read),
        ("GET", "/api/v1/status/buildinfo", Read),
        ("GET", "/federate", Read),
        ("GET", "/-/healthy", Read),
        ("HEAD", "/-/ready", Read),
        ("GET", "/api/v1/rules", Read),
        ("GET", "/api/v1/alerts", Read),
        ("GET", "/metrics", Read),
        ("GET", "/api/v1/metrics", Read),
        ("GET", "/api/v1/status", Read),
        ("GET", "/", Read),
        ("GET", "/assets/index-1234.js", Read),
        ("GET", "/query", Read),
        ("GET", "/fleet", Read),
        ("GET", "/alerts", Read),
        ("GET", "/host/web-1", Read),
        ("GET", "/api/v2/alerts", Read),
        ("GET", "/api/v2/alerts/groups", Read),
        ("GET", "/api/v2/silences", Read),
        ("GET", "/api/v2/silence/0f3c", Read),
        ("GET", "/api/v2/status", Read),
        ("GET", "/api/v2/receivers", Read),
        ("GET", "/no/such/path", Read),
        ("PUT", "/metrics/job/batch", Write),
        ("POST", "/metrics/job/batch/instance/a", Write),
        ("DELETE", "/metrics/job@base64/YmF0Y2g", Write),
        ("POST", "/api/v1/write", Write),
        ("POST", "/api/v1/import/prometheus", Write),
        ("POST", "/api/v2/alerts", Write),
        ("POST", "/api/v1/alerts", Write),
        ("POST", "/-/reload", Admin),
        ("PUT", "/-/reload", Admin),
        ("GET", "/-/reload", Admin),
        ("PUT", "/api/v1/admin/wipe", Admin),
        ("POST", "/api/v1/admin/tsdb/snapshot", Admin),
        ("POST", "/api/v2/silences", Admin),
        ("DELETE", "/api/v2/silence/0f3c", Admin),
    ];

    #[test]
    fn every_route_has_the_expected_role() {
        for (method, path, want) in ROUTES {
            let m = Method::from_bytes(method.as_bytes()).expect("method");
            assert_eq!(required_role(&m, path), *want, "{method} {path}");
        }
    }

    #[test]
    fn every_table_row_is_reached_by_some_route() {
        for (i, r) in TABLE.iter().enumerate() {
            let reached = ROUTES.iter().any(|(method, path, want)| {
                let m = Method::from_bytes(method.as_bytes()).expect("method");
                first_match(&m, path) == Some(i) && *want == r.role
            });
            assert!(reached, "table row {i} ({r:?}) is not exercised by ROUTES");
        }
    }

    #[test]
    fn roles_nest_admin_over_write_and_read_only() {
        assert!(Admin.allows(Read) && Admin.allows(Write) && Admin.allows(Admin));
        assert!(Write.allows(Write) && !Write.allows(Read) && !Write.allows(Admin));
        assert!(Read.allows(Read) && !Read.allows(Write) && !Read.allows(Admin));
    }
}
