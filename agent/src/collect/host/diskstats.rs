//! node_exporter's `diskstats` collector: `node_disk_*{device}` from /proc/diskstats, plus
//! `node_disk_info` and the udev-derived info families from /run/udev/data.

use super::{family, push, CollectError, DeviceFilter, Env, MetricFamily, MetricType, SubCollector};

/// /proc/diskstats sectors are always 512 bytes, whatever the device's block size.
const SECTOR_BYTES: f64 = 512.0;
/// Times are in milliseconds; node_exporter multiplies by 1/1000 (not divides: the float results
/// differ in the last bit, and parity means identical values).
const SECONDS_PER_TICK: f64 = 1.0 / 1000.0;

/// (family, help, type, factor) per statistic column, in /proc/diskstats order.
const STATS: [(&str, &str, MetricType, f64); 17] = [
    ("node_disk_reads_completed_total", "The total number of reads completed successfully.", MetricType::Counter, 1.0),
    ("node_disk_reads_merged_total", "The total number of reads merged.", MetricType::Counter, 1.0),
    ("node_disk_read_bytes_total", "The total number of bytes read successfully.", MetricType::Counter, SECTOR_BYTES),
    (
        "node_disk_read_time_seconds_total",
        "The total number of seconds spent by all reads.",
        MetricType::Counter,
        SECONDS_PER_TICK,
    ),
    (
        "node_disk_writes_completed_total",
        "The total number of writes completed successfully.",
        MetricType::Counter,
        1.0,
    ),
    ("node_disk_writes_merged_total", "The number of writes merged.", MetricType::Counter, 1.0),
    (
        "node_disk_written_bytes_total",
        "The total number of bytes written successfully.",
        MetricType::Counter,
        SECTOR_BYTES,
    ),
    (
        "node_disk_write_time_seconds_total",
        "This is the total number of seconds spent by all writes.",
        MetricType::Counter,
        SECONDS_PER_TICK,
    ),
    ("node_disk_io_now", "The number of I/Os currently in progress.", MetricType::Gauge, 1.0),
    ("node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", MetricType::Counter, SECONDS_PER_TICK),
    (
        "node_disk_io_time_weighted_seconds_total",
        "The weighted # of seconds spent doing I/Os.",
        MetricType::Counter,
        SECONDS_PER_TICK,
    ),
    (
        "node_disk_discards_completed_total",
        "The total number of discards completed successfully.",
        MetricType::Counter,
        1.0,
    ),
    ("node_disk_discards_merged_total", "The total number of discards merged.", MetricType::Counter, 1.0),
    (
        "node_disk_discarded_sectors_total",
        "The total number of sectors discarded successfully.",
        MetricType::Counter,
        1.0,
    ),
    (
        "node_disk_discard_time_seconds_total",
        "This is the total number of seconds spent by all discards.",
        MetricType::Counter,
        SECONDS_PER_TICK,
    ),
    (
        "node_disk_flush_requests_total",
        // Sic: no full stop in node_exporter 1.5.
        "The total number of flush requests completed successfully",
        MetricType::Counter,
        1.0,
    ),
    (
        "node_disk_flush_requests_time_seconds_total",
        "This is the total number of seconds spent by all flush requests.",
        MetricType::Counter,
        SECONDS_PER_TICK,
    ),
];

/// udev properties node_exporter uses, by index into [`UdevInfo::values`].
const UDEV_KEYS: [&str; 14] = [
    "ID_PATH",
    "ID_WWN",
    "ID_MODEL",
    "ID_SERIAL_SHORT",
    "ID_REVISION",
    "ID_FS_TYPE",
    "ID_FS_USAGE",
    "ID_FS_UUID",
    "ID_FS_VERSION",
    "DM_NAME",
    "DM_UUID",
    "DM_VG_NAME",
    "DM_LV_NAME",
    "DM_LV_LAYER",
];
/// ATA properties: (udev key, family, help); exported only for ATA disks (ID_ATA set).
const ATA: [(&str, &str, &str); 3] = [
    ("ID_ATA_WRITE_CACHE", "node_disk_ata_write_cache", "ATA disk has a write cache."),
    ("ID_ATA_WRITE_CACHE_ENABLED", "node_disk_ata_write_cache_enabled", "ATA disk has its write cache enabled."),
    ("ID_ATA_ROTATION_RATE_RPM", "node_disk_ata_rotation_rate_rpm", "ATA disk rotation rate in RPMs (0 for SSDs)."),
];

/// One line of /proc/diskstats.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct DiskStat {
    pub major: u32,
    pub minor: u32,
    pub name: String,
    /// The statistics columns; only the first `count` are present on this kernel.
    pub stats: [u64; 17],
    pub count: usize,
}

/// The udev properties of one device that node_exporter exports.
#[derive(Debug, Default)]
pub(super) struct UdevInfo {
    values: [String; 14],
    ata: bool,
    ata_values: [Option<f64>; 3],
}

impl UdevInfo {
    /// The value of one of [`UDEV_KEYS`] (empty if unset).
    pub(super) fn get(&self, key: &str) -> &str {
        UDEV_KEYS.iter().position(|k| *k == key).map(|i| self.values[i].as_str()).unwrap_or("")
    }
}

pub(super) struct DiskstatsCollector {
    filter: DeviceFilter,
    disks: Vec<DiskStat>,
}

impl DiskstatsCollector {
    pub(super) fn new(filter: DeviceFilter) -> Self {
        DiskstatsCollector { filter, disks: Vec::new() }
    }
}

impl SubCollector for DiskstatsCollector {
    fn name(&self) -> &'static str {
        "diskstats"
    }

    fn update(&mut self, env: &mut Env, out: &mut Vec<MetricFamily>) -> Result<(), CollectError> {
        let path = env.paths.proc("diskstats");
        {
            let text = env.reader.read(&path)?;
            parse_diskstats(&text, &mut self.disks);
        }
        self.disks.retain(|d| !self.filter.ignored(&d.name));

        let mut info = family("node_disk_info", "Info of /sys/block/<block_device>.", MetricType::Gauge);
        let mut stats: Vec<MetricFamily> = STATS.iter().map(|(n, h, k, _)| family(n, h, *k)).collect();
        let mut fs_info = family("node_disk_filesystem_info", "Info about disk filesystem.", MetricType::Gauge);
        let mut dm_info = family("node_disk_device_mapper_info", "Info about disk device mapper.", MetricType::Gauge);
        let mut ata: Vec<MetricFamily> = ATA.iter().map(|(_, n, h)| family(n, h, MetricType::Gauge)).collect();

        for d in &self.disks {
            let dev = d.name.as_str();
            let udev_path = env.paths.udev.join(format!("b{}:{}", d.major, d.minor));
            // Without udev (containers, this file missing) the info labels are simply empty.
            let u = match env.reader.read(&udev_path) {
                Ok(text) => parse_udev(&text),
                Err(_) => UdevInfo::default(),
            };
            push(
                &mut info,
                &[
                    ("device", dev),
                    ("major", &d.major.to_string()),
                    ("minor", &d.minor.to_string()),
                    ("path", u.get("ID_PATH")),
                    ("wwn", u.get("ID_WWN")),
                    ("model", u.get("ID_MODEL")),
                    ("serial", u.get("ID_SERIAL_SHORT")),
                    ("revision", u.get("ID_REVISION")),
                ],
                1.0,
            );
            for ((fam, (_, _, _, factor)), v) in stats.iter_mut().zip(STATS).zip(&d.stats[..d.count]) {
                push(fam, &[("device", dev)], *v as f64 * factor);
            }
            let fs_type = u.get("ID_FS_TYPE");
            if !fs_type.is_empty() {
                push(
                    &mut fs_info,
                    &[
                        ("device", dev),
                        ("type", fs_type),
                        ("usage", u.get("ID_FS_USAGE")),
                        ("uuid", u.get("ID_FS_UUID")),
                        ("version", u.get("ID_FS_VERSION")),
                    ],
                    1.0,
                );
            }
            let dm_name = u.get("DM_NAME");
            if !dm_name.is_empty() {
                push(
                    &mut dm_info,
                    &[
                        ("device", dev),
                        ("name", dm_name),
                        ("uuid", u.get("DM_UUID")),
                        ("vg_name", u.get("DM_VG_NAME")),
                        ("lv_name", u.get("DM_LV_NAME")),
                        ("lv_layer", u.get("DM_LV_LAYER")),
                    ],
                    1.0,
                );
            }
            if u.ata {
                for (fam, v) in ata.iter_mut().zip(u.ata_values) {
                    if let Some(v) = v {
                        push(fam, &[("device", dev)], v);
                    }
                }
            }
        }
        out.push(info);
        out.extend(stats);
        out.push(fs_info);
        out.push(dm_info);
        out.extend(ata);
        Ok(())
    }
}

/// Parses /proc/diskstats: `major minor name` and 11 (Linux < 4.18), 15 (< 5.5) or 17 statistics.
/// Lines with fewer than 11 statistics or a non-number are skipped.
pub(super) fn parse_diskstats(text: &str, out: &mut Vec<DiskStat>) {
    out.clear();
    for line in text.lines() {
        let mut f = line.split_ascii_whitespace();
        let (Some(major), Some(minor), Some(name)) = (f.next(), f.next(), f.next()) else {
            if !line.trim().is_empty() {
                tracing::warn!(line, "skipping malformed line in /proc/diskstats");
            }
            continue;
        };
        let (Ok(major), Ok(minor)) = (major.parse(), minor.parse()) else {
            tracing::warn!(line, "skipping malformed line in /proc/diskstats");
            continue;
        };
        let mut stats = [0u64; 17];
        let mut count = 0;
        let mut bad = false;
        for (slot, field) in stats.iter_mut().zip(f) {
            match field.parse() {
                Ok(v) => {
                    *slot = v;
                    count += 1;
                }
                Err(_) => {
                    bad = true;
                    break;
                }
            }
        }
        if bad || count < 11 {
            tracing::warn!(line, "skipping malformed line in /proc/diskstats");
            continue;
        }
        out.push(DiskStat { major, minor, name: name.to_string(), stats, count });
    }
}

/// Parses a udev database file (`E:KEY=value` lines are properties; other lines are ignored).
pub(super) fn parse_udev(text: &str) -> UdevInfo {
    let mut u = UdevInfo::default();
    for line in text.lines() {
        let Some((key, value)) = line.strip_prefix("E:").and_then(|p| p.split_once('=')) else { continue };
        if let Some(i) = UDEV_KEYS.iter().position(|k| *k == key) {
            u.values[i] = value.to_string();
        } else if key == "ID_ATA" {
            u.ata = !value.is_empty();
        } else if let Some(i) = ATA.iter().position(|(k, _, _)| *k == key) {
            match value.parse::<f64>() {
                Ok(v) => u.ata_values[i] = Some(v),
                Err(_) => tracing::warn!(key, value, "cannot parse ATA udev property"),
            }
        }
    }
    u
}
