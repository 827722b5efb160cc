//! Buffer configuration (`[buffer]` in the agent's TOML file).

use std::fmt;
use std::time::Duration;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// When appended records are fsynced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FsyncPolicy {
    /// After every append: a record is durable when `append` returns.
    #[default]
    Always,
    /// At most once per interval on the append path (plus `sync()` and before records are read
    /// for sending); a power loss can lose up to one interval of appends.
    Interval(Duration),
}

impl FsyncPolicy {
    /// Parses `"always"` or a duration such as `"1s"`, `"500ms"`, `"2m"`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.eq_ignore_ascii_case("always") {
            return Ok(FsyncPolicy::Always);
        }
        let split = s
            .find(|c: char| !c.is_ascii_digit())
            .ok_or_else(|| format!("fsync interval {s:?} needs a unit (ms, s, m or h)"))?;
        let (num, unit) = s.split_at(split);
        let n: u64 =
            num.parse().map_err(|_| format!("fsync must be \"always\" or a duration like \"1s\", got {s:?}"))?;
        let d = match unit.trim() {
            "ms" => Duration::from_millis(n),
            "s" => Duration::from_secs(n),
            "m" => Duration::from_secs(n.saturating_mul(60)),
            "h" => Duration::from_secs(n.saturating_mul(3600)),
            other => return Err(format!("unknown fsync interval unit {other:?} in {s:?}")),
        };
        Ok(FsyncPolicy::Interval(d))
    }
}

impl fmt::Display for FsyncPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FsyncPolicy::Always => f.write_str("always"),
            FsyncPolicy::Interval(d) if d.subsec_millis() == 0 && !d.is_zero() => {
                write!(f, "{}s", d.as_secs())
            }
            FsyncPolicy::Interval(d) => write!(f, "{}ms", d.as_millis()),
        }
    }
}

impl Serialize for FsyncPolicy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FsyncPolicy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        FsyncPolicy::parse(&s).map_err(de::Error::custom)
    }
}

/// Disk buffer settings; every field has a working default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BufferConfig {
    /// Cap on bytes of segment files on disk; the oldest segments are dropped beyond it.
    pub max_bytes: u64,
    /// Size at which the tail segment is sealed and a new one started (at most `max_bytes / 2`).
    pub segment_bytes: u64,
    /// Fsync policy for appends.
    pub fsync: FsyncPolicy,
}

impl Default for BufferConfig {
    fn default() -> Self {
        BufferConfig { max_bytes: 256 * 1024 * 1024, segment_bytes: 8 * 1024 * 1024, fsync: FsyncPolicy::Always }
    }
}

impl BufferConfig {
    /// Rejects settings the buffer cannot honour.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.segment_bytes == 0 || self.max_bytes == 0 {
            return Err(format!(
                "max_bytes ({}) and segment_bytes ({}) must be positive",
                self.max_bytes, self.segment_bytes
            ));
        }
        Ok(())
    }

    /// Segment size actually used: at most half the cap, so that reaching the cap drops at most
    /// half of the buffered data rather than all of it.
    pub(crate) fn effective_segment_bytes(&self) -> u64 {
        self.segment_bytes.min((self.max_bytes / 2).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fsync_policy_parses_and_prints() {
        assert_eq!(FsyncPolicy::parse("always"), Ok(FsyncPolicy::Always));
        assert_eq!(FsyncPolicy::parse("500ms"), Ok(FsyncPolicy::Interval(Duration::from_millis(500))));
        assert_eq!(FsyncPolicy::parse("1s"), Ok(FsyncPolicy::Interval(Duration::from_secs(1))));
        assert_eq!(FsyncPolicy::parse("2m"), Ok(FsyncPolicy::Interval(Duration::from_secs(120))));
        for bad in ["", "1", "s", "1x", "never", "-1s", "1.5s"] {
            assert!(FsyncPolicy::parse(bad).is_err(), "{bad:?} accepted");
        }
        for p in ["always", "1s", "500ms", "0ms"] {
            assert_eq!(FsyncPolicy::parse(p).map(|p| p.to_string()), Ok(p.to_owned()));
        }
    }

    #[test]
    fn config_from_toml_with_defaults() -> Result<(), toml::de::Error> {
        let cfg: BufferConfig = toml::from_str("")?;
        assert_eq!(cfg, BufferConfig::default());
        let cfg: BufferConfig = toml::from_str("max_bytes = 1048576\nfsync = \"250ms\"")?;
        assert_eq!(cfg.max_bytes, 1 << 20);
        assert_eq!(cfg.segment_bytes, 8 << 20);
        assert_eq!(cfg.fsync, FsyncPolicy::Interval(Duration::from_millis(250)));
        assert!(toml::from_str::<BufferConfig>("fsync = \"sometimes\"").is_err());
        assert!(toml::from_str::<BufferConfig>("max_byte = 1").is_err());
        Ok(())
    }
}
