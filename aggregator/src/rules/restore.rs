//! Restoring alerts' `for` state after a restart (Prometheus' `Group.RestoreForState`): the
//! active-since time of each pending or firing alert is read back from the last
//! `ALERTS_FOR_STATE` sample within the outage tolerance, shifted by the downtime, and given at
//! least the grace period before it can fire. Unlike Prometheus, alerts that were firing are
//! restored as firing also when their rule's `for` is shorter than the grace period.

use super::alerting::Alert;
use super::group::{Group, Rule};
use crate::storage::{Matcher, Storage};
use pharos_protocol::model::is_stale_nan;
use std::time::Duration;

/// Settings of the restoration (Prometheus' `--rules.alert.*` flags).
#[derive(Debug, Clone, Copy)]
pub struct RestoreOptions {
    /// How far back to look for `ALERTS_FOR_STATE` (`for-outage-tolerance`, default 1h).
    pub outage_tolerance: Duration,
    /// Least time left before a restored alert may fire (`for-grace-period`, default 10m).
    pub grace_period: Duration,
}

impl Default for RestoreOptions {
    fn default() -> Self {
        RestoreOptions { outage_tolerance: Duration::from_secs(3600), grace_period: Duration::from_secs(600) }
    }
}

/// Restores the `for` state of the group's alerting rules at wall-clock time `now_ms`, then marks
/// them restored (so `ALERTS` is written from the next evaluation on).
pub fn restore_for_state(group: &Group, now_ms: i64, opts: RestoreOptions) {
    let mint = now_ms - opts.outage_tolerance.as_millis() as i64;
    let grace_ms = opts.grace_period.as_millis() as i64;
    let storage = group.env().storage.clone();
    for rule in group.rules() {
        let Rule::Alerting(rule) = rule else { continue };
        let hold_ms = rule.hold_duration().as_millis() as i64;
        // Prometheus restores nothing of rules whose `for` is shorter than the grace period:
        // their alerts go pending again. Pharos still restores the alerts that were already
        // firing (only those), so they fire on at once instead of resolving and firing anew
        // after `for`: no resolved-and-again notifications for a restart. Prometheus needs the
        // grace period because a restart leaves a gap in its scrapes; Pharos' agents buffer
        // and replay what they collected meanwhile.
        let firing_only = hold_ms < grace_ms;
        if hold_ms == 0 {
            rule.set_restored(true);
            continue;
        }
        rule.with_alerts(|alerts| {
            for alert in alerts.values_mut() {
                let labels = rule.for_state_sample(alert, now_ms, 0.0).metric;
                match last_sample(storage.as_ref(), &labels, mint, now_ms) {
                    Ok(Some((t, v))) if !is_stale_nan(v) && firing_only => restore_firing(alert, t, v, hold_ms),
                    Ok(Some((t, v))) if !is_stale_nan(v) => restore_alert(alert, t, v, now_ms, hold_ms, grace_ms),
                    Ok(_) => {}
                    Err(e) => tracing::error!(alertname = rule.name(), error = %e, "failed to restore 'for' state"),
                }
            }
        });
        rule.set_restored(true);
    }
}

/// Sets `alert`'s active-since time from the `ALERTS_FOR_STATE` sample `(t_ms, v)`.
fn restore_alert(alert: &mut Alert, t_ms: i64, v: f64, now_ms: i64, hold_ms: i64, grace_ms: i64) {
    // Prometheus works in whole seconds here: the sample time and value are truncated.
    let down_at = t_ms.div_euclid(1000) * 1000;
    let mut active_at = (v as i64).saturating_mul(1000);
    let remaining = hold_ms - (down_at - active_at);
    if remaining <= 0 {
        // It had been active for longer than `for` already: keep the original time.
    } else if remaining < grace_ms {
        active_at = now_ms + grace_ms - hold_ms;
    } else {
        active_at += now_ms - down_at;
    }
    alert.active_at_ms = active_at;
}

/// Sets `alert`'s active-since time from the `ALERTS_FOR_STATE` sample `(t_ms, v)` if it had
/// been active for at least `for` when the sample was written (it was firing), else leaves it.
fn restore_firing(alert: &mut Alert, t_ms: i64, v: f64, hold_ms: i64) {
    let down_at = t_ms.div_euclid(1000) * 1000;
    let active_at = (v as i64).saturating_mul(1000);
    if down_at - active_at >= hold_ms {
        alert.active_at_ms = active_at;
    }
}

/// The last sample in `[mint, maxt]` of the series with exactly `labels`.
fn last_sample(
    storage: &dyn Storage,
    labels: &pharos_protocol::Labels,
    mint: i64,
    maxt: i64,
) -> Result<Option<(i64, f64)>, crate::storage::StorageError> {
    let matchers: Vec<Matcher> = labels.iter().map(|l| Matcher::equal(l.name.clone(), l.value.clone())).collect();
    let series = storage.select(&matchers, mint, maxt)?;
    Ok(series
        .into_iter()
        .find(|s| s.labels.len() == labels.len())
        .and_then(|s| s.samples.last().map(|x| (x.timestamp_ms, x.value))))
}
