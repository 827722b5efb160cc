//! Go's `time.Time` (formatting with Go's reference layouts, `String()`, and the methods
//! templates call) and `time.Duration` (as an [`Object`](crate::Object) printing like Go's `String()`).
//!
//! There is no time zone database: a time carries a fixed UTC offset and a zone abbreviation
//! (`UTC` for UTC, empty for an unnamed offset, printed `+0200` as Go does for a
//! `time.FixedZone("", 7200)`). `Local` is treated as UTC.
//!
//! `instant` has the [`Time`] type and its calendar arithmetic, `layout` Go's layout
//! formatting (`t.Format`), `methods` the methods templates call on a time (and `time.Month`,
//! `time.Weekday`), `duration` the [`Duration`] type.

mod duration;
mod instant;
mod layout;
mod methods;
#[cfg(test)]
mod tests;

pub use duration::Duration;
pub use instant::Time;
pub(crate) use methods::method_sig;
