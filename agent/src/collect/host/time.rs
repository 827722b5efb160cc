//! node_exporter's `time` collector: `node_time_seconds`, `node_time_zone_offset_seconds` and the
//! clock sources from /sys/devices/system/clocksource.

use super::{family, push, single, CollectError, Env, MetricFamily, MetricType, SubCollector};
use std::time::{SystemTime, UNIX_EPOCH};

extern "C" {
    // POSIX; not exposed by the libc crate on Linux.
    fn tzset();
}

pub(super) struct TimeCollector;

impl TimeCollector {
    pub(super) fn new() -> Self {
        // Load the local time zone once, as Go does at start (localtime_r need not call tzset).
        // SAFETY: tzset only initialises libc's time zone state.
        unsafe { tzset() };
        TimeCollector
    }
}

impl SubCollector for TimeCollector {
    fn name(&self) -> &'static str {
        "time"
    }

    fn update(&mut self, env: &mut Env, out: &mut Vec<MetricFamily>) -> Result<(), CollectError> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        // Same arithmetic as Go's float64(now.UnixNano()) / 1e9.
        let nanos = i64::try_from(now.as_nanos()).unwrap_or(i64::MAX);
        single(
            out,
            "node_time_seconds",
            "System time in seconds since epoch (1970).",
            MetricType::Gauge,
            nanos as f64 / 1e9,
        );
        let (zone, offset) = local_zone(now.as_secs() as libc::time_t);
        let mut f = family("node_time_zone_offset_seconds", "System time zone offset in seconds.", MetricType::Gauge);
        push(&mut f, &[("time_zone", &zone)], offset as f64);
        out.push(f);

        clocksources(env, out)
    }
}

/// Abbreviation and UTC offset of the local time zone at `t`, like Go's `time.Now().Zone()`.
fn local_zone(t: libc::time_t) -> (String, i64) {
    // SAFETY: tm is plain old data; localtime_r writes into it and returns NULL on failure; tm_zone
    // then points to a NUL-terminated static string owned by libc (or is NULL).
    unsafe {
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return ("UTC".to_string(), 0);
        }
        let zone = if tm.tm_zone.is_null() {
            String::new()
        } else {
            std::ffi::CStr::from_ptr(tm.tm_zone).to_string_lossy().into_owned()
        };
        (zone, tm.tm_gmtoff as i64)
    }
}

/// `node_time_clocksource_{available,current}_info{device,clocksource}`; `device` is the index of
/// the clocksource directory in sorted order, as in procfs.
fn clocksources(env: &mut Env, out: &mut Vec<MetricFamily>) -> Result<(), CollectError> {
    let dir = env.paths.sys("devices/system/clocksource");
    let entries = std::fs::read_dir(&dir).map_err(|e| CollectError::io(&dir, e))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.strip_prefix("clocksource").is_some_and(|d| d.starts_with(|c: char| c.is_ascii_digit())))
        .collect();
    names.sort();
    let mut available = family(
        "node_time_clocksource_available_info",
        "Available clocksources read from '/sys/devices/system/clocksource'.",
        MetricType::Gauge,
    );
    let mut current = family(
        "node_time_clocksource_current_info",
        "Current clocksource read from '/sys/devices/system/clocksource'.",
        MetricType::Gauge,
    );
    let mut result = Ok(());
    for (i, name) in names.iter().enumerate() {
        let device = i.to_string();
        let base = dir.join(name);
        let avail_path = base.join("available_clocksource");
        match env.reader.read(&avail_path) {
            Ok(text) => {
                for cs in text.split_ascii_whitespace() {
                    push(&mut available, &[("device", &device), ("clocksource", cs)], 1.0);
                }
            }
            Err(e) => {
                result = Err(e);
                continue;
            }
        }
        let cur_path = base.join("current_clocksource");
        match env.reader.read(&cur_path) {
            Ok(text) => push(&mut current, &[("device", &device), ("clocksource", text.trim())], 1.0),
            Err(e) => result = Err(e),
        }
    }
    out.push(available);
    out.push(current);
    result
}
