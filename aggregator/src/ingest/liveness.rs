//! Agent liveness: `up{job="pharos-agent",instance="<agent>"}` is 1 while an agent pushes and 0
//! once it has missed `missed_intervals` of its push intervals, so the usual `up == 0` alerts work
//! in a push world. A down agent gets an `up 0` sample every interval, as a failing Prometheus
//! scrape would write one every scrape interval.

use super::session::up_series;
use crate::storage::{Matcher, Storage};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tracing::{info, warn};

#[derive(Debug, Clone)]
struct AgentState {
    last_seen_ms: i64,
    interval_ms: i64,
    last_down_write_ms: i64,
    down: bool,
}

/// One agent's liveness, for the Fleet page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentLiveness {
    /// The agent's name (its certificate identity).
    pub name: String,
    /// Its last push or handshake, ms since the epoch (the aggregator's start for agents known
    /// only from storage).
    pub last_seen_ms: i64,
    /// Its push interval in ms.
    pub interval_ms: i64,
    /// Whether it missed `missed_intervals` intervals.
    pub down: bool,
}

/// Tracks when each agent last pushed.
pub struct Liveness {
    agents: Mutex<HashMap<String, AgentState>>,
    missed_intervals: i64,
    default_interval_ms: i64,
}

impl Liveness {
    /// A tracker; agents are down after `missed_intervals` intervals without a push.
    pub fn new(missed_intervals: u32, default_interval: Duration) -> Self {
        Liveness {
            agents: Mutex::new(HashMap::new()),
            missed_intervals: i64::from(missed_intervals.max(1)),
            default_interval_ms: default_interval.as_millis().max(1) as i64,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, AgentState>> {
        self.agents.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records a push (or a handshake) from `agent`, whose interval is `interval_ms` (0: unknown).
    pub fn seen(&self, agent: &str, interval_ms: u64) {
        let now = crate::now_ms();
        let interval_ms = if interval_ms == 0 { self.default_interval_ms } else { interval_ms as i64 };
        let mut agents = self.lock();
        let st = agents.entry(agent.to_string()).or_insert(AgentState {
            last_seen_ms: now,
            interval_ms,
            last_down_write_ms: 0,
            down: false,
        });
        st.last_seen_ms = now;
        st.interval_ms = interval_ms;
        if st.down {
            info!(agent, "agent is back");
            st.down = false;
        }
    }

    /// Registers agents known from stored `up` series (after a restart), so one that never comes
    /// back still turns `up == 0`. They get the default interval and a full grace period.
    pub fn seed_from_storage(&self, storage: &dyn Storage, lookback: Duration) {
        let now = crate::now_ms();
        let matchers = [Matcher::equal("__name__", "up"), Matcher::equal("job", "pharos-agent")];
        match storage.label_values("instance", &matchers, now - lookback.as_millis() as i64, now) {
            Ok(instances) => {
                let mut agents = self.lock();
                for i in instances {
                    agents.entry(i).or_insert(AgentState {
                        last_seen_ms: now,
                        interval_ms: self.default_interval_ms,
                        last_down_write_ms: 0,
                        down: false,
                    });
                }
            }
            Err(e) => warn!(error = %e, "could not read known agents from storage"),
        }
    }

    /// Every known agent at `now_ms`: name, last push (ms), interval (ms) and whether it is
    /// overdue (down), as [`sweep`](Self::sweep) judges it.
    pub fn states(&self, now_ms: i64) -> Vec<AgentLiveness> {
        self.lock()
            .iter()
            .map(|(name, st)| AgentLiveness {
                name: name.clone(),
                last_seen_ms: st.last_seen_ms,
                interval_ms: st.interval_ms,
                down: now_ms - st.last_seen_ms > self.missed_intervals * st.interval_ms,
            })
            .collect()
    }

    /// Writes `up 0` for every agent that is overdue; returns how many are down.
    pub fn sweep(&self, storage: &dyn Storage, now_ms: i64) -> usize {
        let mut writes = Vec::new();
        let mut down = 0;
        {
            let mut agents = self.lock();
            for (name, st) in agents.iter_mut() {
                if now_ms - st.last_seen_ms <= self.missed_intervals * st.interval_ms {
                    continue;
                }
                down += 1;
                if !st.down {
                    warn!(agent = %name, "agent missed {} push intervals: up = 0", self.missed_intervals);
                    st.down = true;
                }
                if now_ms - st.last_down_write_ms >= st.interval_ms {
                    st.last_down_write_ms = now_ms;
                    writes.push(up_series(name, now_ms, 0.0));
                }
            }
        }
        if !writes.is_empty() {
            if let Err(e) = storage.append(&writes, None) {
                warn!(error = %e, "could not write up = 0 samples");
            }
        }
        down
    }

    /// Sweeps once a second until the task is dropped.
    pub async fn run(self: Arc<Self>, storage: Arc<dyn Storage>) {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            let (me, st) = (self.clone(), storage.clone());
            let _ = tokio::task::spawn_blocking(move || me.sweep(st.as_ref(), crate::now_ms())).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::memory::MemoryStorage;

    #[test]
    fn overdue_agents_get_up_zero_once_per_interval() {
        let st = MemoryStorage::new();
        let l = Liveness::new(3, Duration::from_secs(10));
        l.seen("a", 1000);
        let now = crate::now_ms();
        assert_eq!(l.sweep(&st, now + 2500), 0);
        assert_eq!(l.sweep(&st, now + 3500), 1);
        assert_eq!(l.sweep(&st, now + 3600), 1); // no second write within the interval
        assert_eq!(l.sweep(&st, now + 4600), 1);
        let m = [Matcher::equal("__name__", "up")];
        let s = st.select(&m, 0, i64::MAX).unwrap();
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].samples.len(), 2);
        assert!(s[0].samples.iter().all(|x| x.value == 0.0));
        l.seen("a", 1000);
        assert_eq!(l.sweep(&st, crate::now_ms() + 100), 0);
    }
}
