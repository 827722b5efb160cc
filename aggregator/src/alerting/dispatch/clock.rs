//! Time sources for the alerting core: the wall clock in production, and a manual clock (with
//! a sleeper that advances it) so tests can drive group_wait, group_interval, repeat_interval
//! and retry backoff without sleeping.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::super::nflog::duration_ms;

/// The current time, milliseconds since the Unix epoch.
pub trait Clock: Send + Sync {
    /// Now, milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;
}

/// The system's wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        duration_ms(now)
    }
}

/// A clock that moves only when told to (tests, simulations).
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    /// A clock showing `now_ms`.
    pub fn new(now_ms: i64) -> Self {
        ManualClock(AtomicI64::new(now_ms))
    }

    /// Sets the time.
    pub fn set(&self, now_ms: i64) {
        self.0.store(now_ms, Ordering::SeqCst);
    }

    /// Moves the time forward.
    pub fn advance(&self, d: Duration) {
        self.0.fetch_add(duration_ms(d), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// A future returned by [`Sleeper::sleep`].
pub type SleepFuture<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// Waits between notification retries.
pub trait Sleeper: Send + Sync {
    /// Completes after `d`.
    fn sleep(&self, d: Duration) -> SleepFuture<'_>;
}

/// Sleeps with tokio's timer.
#[derive(Debug, Default, Clone, Copy)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, d: Duration) -> SleepFuture<'_> {
        Box::pin(tokio::time::sleep(d))
    }
}

/// Advances a [`ManualClock`] by the requested duration instead of sleeping.
#[derive(Debug, Clone)]
pub struct ManualSleeper(pub Arc<ManualClock>);

impl Sleeper for ManualSleeper {
    fn sleep(&self, d: Duration) -> SleepFuture<'_> {
        self.0.advance(d);
        Box::pin(tokio::task::yield_now())
    }
}
