//! Alertmanager semantics and configuration: routing, grouping, inhibition, silences, receivers.
//!
//! This part holds the configuration (`alertmanager.yml`, Alertmanager 0.25 compatible) and the
//! pure decision logic built on it:
//!
//! * [`config`]: [`config::Config::load_file`] parses and validates the file, fills defaults;
//! * [`matcher`]: label matchers and their parser (`{a="b", c=~"d"}`);
//! * [`route`]: the routing tree ([`route::Route::new`]), matching, route and group keys;
//! * [`timeinterval`]: `time_intervals` and whether an instant falls inside one;
//! * [`inhibit`]: whether a firing alert inhibits another.
//!
//! The dispatcher (aggregation groups and timers), silences, senders and the API v2 use these
//! types; nothing here keeps state or does I/O beyond reading the configuration and zoneinfo.

pub mod config;
pub mod dispatch;
pub mod inhibit;
pub mod manager;
pub mod matcher;
pub mod nflog;
pub mod notify;
pub mod receivers;
pub mod route;
pub mod silence;
pub mod sink;
pub mod store;
pub mod timeinterval;
pub mod types;
pub mod tz;
