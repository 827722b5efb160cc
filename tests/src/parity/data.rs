//! The parity test's data: about 250 series over 6 h (counters with resets, gauges with negative
//! and constant values, a classic histogram, a series that starts late, one that stops early and
//! one with a gap), generated deterministically, in two layouts: every sample on a common 15 s
//! grid, or each instance shifted by its own 0–14 s offset as real scrapes are.

use pharos_protocol::{Labels, Sample, Series};
use std::fmt::Write as _;

/// First sample time: 2026-01-01T00:00:00Z, in seconds.
pub const START_S: i64 = 1_767_225_600;
/// Sample interval in seconds.
pub const STEP_S: i64 = 15;
/// Samples per series that covers the whole window (6 h).
pub const STEPS: i64 = 1440;
/// End of the window (exclusive: the last grid sample is at `END_S - STEP_S`).
pub const END_S: i64 = START_S + STEP_S * STEPS;
/// Step index at which `late_series_value` starts (2 h).
pub const LATE_START_STEP: i64 = 480;
/// Step index at which `early_stop_total` stops (4 h; its last sample is one step earlier).
pub const EARLY_STOP_STEP: i64 = 960;
/// `gappy_gauge` has no samples for step indexes in this range (10 min, longer than the lookback).
pub const GAP_STEPS: std::ops::Range<i64> = 600..640;
/// Step index at which host-2 reboots (its CPU counters reset).
pub const REBOOT_STEP: i64 = 500;

/// How samples sit on the time axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Every sample at `START_S + k·15 s`.
    Grid,
    /// Each instance shifted by its own whole-second offset in 0–14 s.
    Offset,
}

impl Layout {
    /// The name used in reports and in `known_differences.txt`.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Grid => "grid",
            Layout::Offset => "offset",
        }
    }
}

/// The OpenMetrics type of a metric family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A counter (samples named `<family>_total`).
    Counter,
    /// A gauge.
    Gauge,
    /// A classic histogram (`_bucket`, `_sum`, `_count`).
    Histogram,
}

/// A metric family and its series.
#[derive(Debug, Clone)]
pub struct Family {
    /// The family name as in the `# TYPE` line.
    pub name: String,
    /// Its type.
    pub kind: Kind,
    /// Its series, each with `(step index, value)` samples in time order.
    pub series: Vec<GenSeries>,
}

/// One generated series, independent of the layout.
#[derive(Debug, Clone)]
pub struct GenSeries {
    /// Labels including `__name__`, in the order they are written.
    pub labels: Vec<(String, String)>,
    /// Offset of its instance in the offset layout, in seconds.
    pub offset_s: i64,
    /// `(step index, value)` in increasing step order.
    pub points: Vec<(i64, f64)>,
}

impl GenSeries {
    /// Sample time in milliseconds of step `k` in `layout`.
    pub fn time_ms(&self, layout: Layout, k: i64) -> i64 {
        let off = if layout == Layout::Offset { self.offset_s } else { 0 };
        (START_S + k * STEP_S + off) * 1000
    }
}

/// SplitMix64: small, fast and deterministic.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Node instances with their offsets (seconds) in the offset layout; host-0 keeps offset 0.
pub const HOSTS: [(&str, i64); 6] =
    [("host-0", 0), ("host-1", 3), ("host-2", 7), ("host-3", 11), ("host-4", 14), ("host-5", 5)];
/// API instances (histograms) with their offsets.
pub const API_INSTANCES: [(&str, i64); 4] = [("api-0", 2), ("api-1", 9), ("api-2", 13), ("api-3", 1)];
/// Histogram bucket bounds as written in `le` (canonical Prometheus formatting).
pub const BUCKETS: [&str; 7] = ["0.005", "0.025", "0.1", "0.25", "1", "2.5", "+Inf"];
/// CPU modes and their typical share of time.
const MODES: [(&str, f64); 8] = [
    ("idle", 0.7),
    ("user", 0.15),
    ("system", 0.06),
    ("iowait", 0.03),
    ("irq", 0.005),
    ("softirq", 0.01),
    ("steal", 0.002),
    ("nice", 0.005),
];

fn labels(name: &str, pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v = vec![("__name__".to_string(), name.to_string())];
    v.extend(pairs.iter().map(|(k, val)| (k.to_string(), val.to_string())));
    v
}

/// Rounds to `decimals` decimal places, so values print short and parse back exactly.
fn round_to(v: f64, decimals: i32) -> f64 {
    let m = 10f64.powi(decimals);
    let r = (v * m).round() / m;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

fn all_steps(mut f: impl FnMut(i64) -> f64) -> Vec<(i64, f64)> {
    (0..STEPS).map(|k| (k, f(k))).collect()
}

/// Generates every family. The values are the same in both layouts; only the times differ.
pub fn generate() -> Vec<Family> {
    let mut rng = Rng::new(0x5048_4152_4f53);
    let mut fams = Vec::new();

    // CPU counters: host-5 has 4 CPUs, the others 2; host-2 reboots (all its counters reset) and
    // host-4's cpu 1 user counter resets on its own.
    let mut cpu = Vec::new();
    for (hi, (host, off)) in HOSTS.iter().enumerate() {
        let ncpu = if hi == 5 { 4 } else { 2 };
        for c in 0..ncpu {
            for (mode, share) in MODES {
                let cs = c.to_string();
                // Microseconds, so values print short, parse back exactly and rarely tie.
                let mut micros: i64 = (rng.f64() * 1e11) as i64;
                let points = all_steps(|k| {
                    let reset = (hi == 2 && k == REBOOT_STEP) || (hi == 4 && c == 1 && mode == "user" && k == 900);
                    if reset {
                        micros = 0;
                    }
                    micros += (15e6 * share * (0.5 + rng.f64())).round() as i64;
                    micros as f64 / 1e6
                });
                cpu.push(GenSeries {
                    labels: labels(
                        "node_cpu_seconds_total",
                        &[("cpu", &cs), ("instance", host), ("job", "node"), ("mode", mode)],
                    ),
                    offset_s: *off,
                    points,
                });
            }
        }
    }
    fams.push(Family { name: "node_cpu_seconds".into(), kind: Kind::Counter, series: cpu });

    let mut gauges: Vec<(&str, Vec<GenSeries>)> = Vec::new();
    let per_host = |rng: &mut Rng, name: &str, f: &mut dyn FnMut(&mut Rng, usize, i64) -> f64| -> Vec<GenSeries> {
        HOSTS
            .iter()
            .enumerate()
            .map(|(hi, (host, off))| GenSeries {
                labels: labels(name, &[("instance", host), ("job", "node")]),
                offset_s: *off,
                points: all_steps(|k| f(rng, hi, k)),
            })
            .collect()
    };
    let boot = |_: &mut Rng, hi: usize, k: i64| {
        if hi == 2 && k >= REBOOT_STEP {
            (START_S + REBOOT_STEP * STEP_S - 40) as f64
        } else {
            (START_S - 86_400 * (hi as i64 + 1) - 3_600 * hi as i64) as f64
        }
    };
    gauges.push(("node_boot_time_seconds", per_host(&mut rng, "node_boot_time_seconds", &mut { boot })));
    let total = |hi: usize| if hi == 5 { 34_359_738_368.0 } else { 17_179_869_184.0 };
    gauges.push((
        "node_memory_MemTotal_bytes",
        per_host(&mut rng, "node_memory_MemTotal_bytes", &mut |_, hi, _| total(hi)),
    ));
    let mut avail = [0f64; 6];
    gauges.push((
        "node_memory_MemAvailable_bytes",
        per_host(&mut rng, "node_memory_MemAvailable_bytes", &mut |rng, hi, k| {
            if k == 0 {
                avail[hi] = (total(hi) * (0.3 + 0.4 * rng.f64()) / 4096.0).round() * 4096.0;
            }
            let step = ((rng.f64() - 0.5) * 2e7 / 4096.0).round() * 4096.0;
            avail[hi] = (avail[hi] + step).clamp(1e9, total(hi) - 1e9);
            avail[hi]
        }),
    ));
    let mut load = [0f64; 6];
    gauges.push((
        "node_load1",
        per_host(&mut rng, "node_load1", &mut |rng, hi, k| {
            let target = 0.4 + 0.3 * hi as f64 + 0.8 * ((k as f64) / 120.0 + hi as f64).sin().max(0.0);
            load[hi] = (0.85 * load[hi] + 0.15 * target + (rng.f64() - 0.5) * 0.2).max(0.0);
            round_to(load[hi], 4)
        }),
    ));
    gauges.push((
        "node_signal_ratio",
        per_host(&mut rng, "node_signal_ratio", &mut |_, hi, k| round_to((k as f64 * 0.02 + hi as f64).sin(), 3)),
    ));
    // A label value with a newline: Prometheus 3's regex `.` matches it, 2.x's did not.
    gauges.push((
        "node_os_info",
        vec![GenSeries {
            labels: labels(
                "node_os_info",
                &[("instance", "host-0"), ("job", "node"), ("pretty_name", "Debian GNU/Linux 12\n(bookworm)")],
            ),
            offset_s: HOSTS[0].1,
            points: all_steps(|_| 1.0),
        }],
    ));
    gauges.push((
        "node_uname_info",
        HOSTS
            .iter()
            .enumerate()
            .map(|(hi, (host, off))| {
                let release = format!("6.1.0-{}-amd64", 20 + hi);
                GenSeries {
                    labels: labels(
                        "node_uname_info",
                        &[("instance", host), ("job", "node"), ("nodename", host), ("release", &release)],
                    ),
                    offset_s: *off,
                    points: all_steps(|_| 1.0),
                }
            })
            .collect(),
    ));
    let mut temps = Vec::new();
    for (hi, (host, off)) in HOSTS.iter().enumerate() {
        for (sensor, base, amp) in [("cpu", 45.0, 12.0), ("ambient", -6.0, 7.0)] {
            let points = all_steps(|k| {
                round_to(base + amp * ((k as f64) / (40.0 + 10.0 * hi as f64) + hi as f64).sin() + rng.f64() - 0.5, 4)
            });
            temps.push(GenSeries {
                labels: labels("node_temperature_celsius", &[("instance", host), ("job", "node"), ("sensor", sensor)]),
                offset_s: *off,
                points,
            });
        }
    }
    gauges.push(("node_temperature_celsius", temps));
    let mut fs = Vec::new();
    for (host, off) in HOSTS.iter() {
        for (device, mount, fstype, size) in
            [("/dev/sda1", "/", "ext4", 5e10), ("/dev/nvme0n1p2", "/var/lib", "xfs", 2e11)]
        {
            let mut free = size * (0.2 + 0.6 * rng.f64());
            let points = all_steps(|k| {
                free -= rng.f64() * size * 1e-5;
                if k % 360 == 359 {
                    free += size * 0.05;
                }
                (free / 4096.0).round() * 4096.0
            });
            fs.push(GenSeries {
                labels: labels(
                    "node_filesystem_avail_bytes",
                    &[
                        ("device", device),
                        ("fstype", fstype),
                        ("instance", host),
                        ("job", "node"),
                        ("mountpoint", mount),
                    ],
                ),
                offset_s: *off,
                points,
            });
        }
    }
    gauges.push(("node_filesystem_avail_bytes", fs));
    // NaN samples: host-0 every 11th sample (but not near 01:15), host-1 for 10 minutes at 01:15,
    // so the two are never NaN at once (topk between two NaNs is a tie without a defined winner).
    let nan = (0..2)
        .map(|hi| {
            let (host, off) = HOSTS[hi];
            let points = all_steps(|k| {
                let v = round_to(rng.f64() * 10.0, 3);
                if (hi == 0 && k % 11 == 3 && !(280..360).contains(&k)) || (hi == 1 && (300..340).contains(&k)) {
                    f64::NAN
                } else {
                    v
                }
            });
            GenSeries {
                labels: labels("node_nan_gauge", &[("instance", host), ("job", "node")]),
                offset_s: off,
                points,
            }
        })
        .collect();
    gauges.push(("node_nan_gauge", nan));
    for (name, series) in gauges {
        fams.push(Family { name: name.into(), kind: Kind::Gauge, series });
    }

    fams.push(histograms(&mut rng));

    // Edge series: one starts late, one stops early, one has a gap longer than the lookback.
    let late = GenSeries {
        labels: labels("late_series_value", &[("instance", "host-0"), ("job", "node")]),
        offset_s: HOSTS[0].1,
        points: (LATE_START_STEP..STEPS).map(|k| (k, round_to(10.0 + (k as f64 / 30.0).cos() * 5.0, 2))).collect(),
    };
    fams.push(Family { name: "late_series_value".into(), kind: Kind::Gauge, series: vec![late] });
    let mut n = 0i64;
    let early = GenSeries {
        labels: labels("early_stop_total", &[("instance", "host-1"), ("job", "node")]),
        offset_s: HOSTS[1].1,
        points: (0..EARLY_STOP_STEP)
            .map(|k| {
                n += (rng.f64() * 20.0) as i64;
                (k, n as f64)
            })
            .collect(),
    };
    fams.push(Family { name: "early_stop".into(), kind: Kind::Counter, series: vec![early] });
    let gappy = GenSeries {
        labels: labels("gappy_gauge", &[("instance", "host-3"), ("job", "node")]),
        offset_s: HOSTS[3].1,
        points: (0..STEPS).filter(|k| !GAP_STEPS.contains(k)).map(|k| (k, (k % 97) as f64 - 20.0)).collect(),
    };
    fams.push(Family { name: "gappy_gauge".into(), kind: Kind::Gauge, series: vec![gappy] });
    fams
}

/// `http_request_duration_seconds` for 4 instances × 2 handlers; api-1 restarts (reset) at step 700.
fn histograms(rng: &mut Rng) -> Family {
    let bounds: Vec<f64> =
        BUCKETS.iter().map(|b| if *b == "+Inf" { f64::INFINITY } else { b.parse().unwrap_or(0.0) }).collect();
    let mut series = Vec::new();
    for (ai, (inst, off)) in API_INSTANCES.iter().enumerate() {
        for handler in ["/users", "/orders"] {
            let mut buckets = vec![0u64; BUCKETS.len()];
            let mut count = 0u64;
            let mut sum_us = 0u64;
            let mut bucket_pts: Vec<Vec<(i64, f64)>> = vec![Vec::new(); BUCKETS.len()];
            let mut sum_pts = Vec::new();
            let mut count_pts = Vec::new();
            for k in 0..STEPS {
                if ai == 1 && k == 700 {
                    buckets.iter_mut().for_each(|b| *b = 0);
                    count = 0;
                    sum_us = 0;
                }
                let n = (rng.f64() * if handler == "/users" { 40.0 } else { 12.0 }) as usize;
                for _ in 0..n {
                    let lat = (0.001f64.ln() + rng.f64() * (4.0f64.ln() - 0.001f64.ln())).exp();
                    let us = (lat * 1e6).round() as u64;
                    sum_us += us;
                    count += 1;
                    for (b, bound) in buckets.iter_mut().zip(&bounds) {
                        if us as f64 / 1e6 <= *bound {
                            *b += 1;
                        }
                    }
                }
                for (pts, b) in bucket_pts.iter_mut().zip(&buckets) {
                    pts.push((k, *b as f64));
                }
                sum_pts.push((k, sum_us as f64 / 1e6));
                count_pts.push((k, count as f64));
            }
            let base = [("handler", handler), ("instance", *inst), ("job", "api")];
            for (le, pts) in BUCKETS.iter().zip(bucket_pts) {
                let mut l = labels("http_request_duration_seconds_bucket", &base);
                l.push(("le".into(), le.to_string()));
                series.push(GenSeries { labels: l, offset_s: *off, points: pts });
            }
            series.push(GenSeries {
                labels: labels("http_request_duration_seconds_sum", &base),
                offset_s: *off,
                points: sum_pts,
            });
            series.push(GenSeries {
                labels: labels("http_request_duration_seconds_count", &base),
                offset_s: *off,
                points: count_pts,
            });
        }
    }
    Family { name: "http_request_duration_seconds".into(), kind: Kind::Histogram, series }
}

/// Number of series and samples.
pub fn totals(fams: &[Family]) -> (usize, usize) {
    let series = fams.iter().map(|f| f.series.len()).sum();
    let samples = fams.iter().flat_map(|f| &f.series).map(|s| s.points.len()).sum();
    (series, samples)
}

/// The distinct metric names, in order of first appearance.
pub fn metric_names(fams: &[Family]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in fams.iter().flat_map(|f| &f.series) {
        if !out.contains(&s.labels[0].1) {
            out.push(s.labels[0].1.clone());
        }
    }
    out
}

fn escape(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// The data as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`: timestamps in
/// seconds, one `# TYPE` line per family, each series' samples in time order, `# EOF` at the end.
pub fn openmetrics(fams: &[Family], layout: Layout) -> String {
    let mut out = String::with_capacity(32 << 20);
    for f in fams {
        let kind = match f.kind {
            Kind::Counter => "counter",
            Kind::Gauge => "gauge",
            Kind::Histogram => "histogram",
        };
        let _ = writeln!(out, "# TYPE {} {kind}", f.name);
        for s in &f.series {
            let name = &s.labels[0].1;
            let rest: Vec<String> = s.labels[1..].iter().map(|(k, v)| format!("{k}=\"{}\"", escape(v))).collect();
            let prefix = format!("{name}{{{}}}", rest.join(","));
            for (k, v) in &s.points {
                let t = s.time_ms(layout, *k);
                // Times are whole seconds in both layouts.
                let _ = writeln!(out, "{prefix} {} {}", fmt_value(*v), t / 1000);
            }
        }
    }
    out.push_str("# EOF\n");
    out
}

/// A value as text that parses back to the same f64 (Rust's shortest round-trip form).
fn fmt_value(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "+Inf" } else { "-Inf" }.into()
    } else {
        format!("{v}")
    }
}

/// The data as protocol series for steps `from..to`, for one batch.
pub fn series_for_steps(fams: &[Family], layout: Layout, from: i64, to: i64) -> Vec<Series> {
    fams.iter()
        .flat_map(|f| &f.series)
        .filter_map(|s| {
            let samples: Vec<Sample> = s
                .points
                .iter()
                .filter(|(k, _)| (from..to).contains(k))
                .map(|(k, v)| Sample { timestamp_ms: s.time_ms(layout, *k), value: *v })
                .collect();
            (!samples.is_empty()).then(|| Series { labels: Labels::from_pairs(s.labels.clone()), samples })
        })
        .collect()
}
