//! node_exporter's `netdev` collector: `node_network_{receive,transmit}_*_total{device}`.
//!
//! node_exporter 1.5 reads the counters over rtnetlink by default and folds the detailed error
//! counters into the 16 classic /proc/net/dev columns (its `legacy` mapping), which is exactly what
//! the kernel prints in /proc/net/dev. So the classic columns are read from there, in one read, and
//! the one netlink-only counter, `rx_nohandler`, from /sys/class/net/<dev>/statistics.

use super::{family, push, read_small_u64, CollectError, DeviceFilter, Env, MetricFamily, MetricType, SubCollector};

/// Statistic names in /proc/net/dev column order; the family is `node_network_<name>_total`.
const COLUMNS: [&str; 16] = [
    "receive_bytes",
    "receive_packets",
    "receive_errs",
    "receive_drop",
    "receive_fifo",
    "receive_frame",
    "receive_compressed",
    "receive_multicast",
    "transmit_bytes",
    "transmit_packets",
    "transmit_errs",
    "transmit_drop",
    "transmit_fifo",
    "transmit_colls",
    "transmit_carrier",
    "transmit_compressed",
];

/// One line of /proc/net/dev.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct NetDev {
    pub name: String,
    pub values: [u64; 16],
}

pub(super) struct NetdevCollector {
    filter: DeviceFilter,
    devices: Vec<NetDev>,
}

impl NetdevCollector {
    pub(super) fn new(filter: DeviceFilter) -> Self {
        NetdevCollector { filter, devices: Vec::new() }
    }
}

impl SubCollector for NetdevCollector {
    fn name(&self) -> &'static str {
        "netdev"
    }

    fn update(&mut self, env: &mut Env, out: &mut Vec<MetricFamily>) -> Result<(), CollectError> {
        let path = env.paths.proc("net/dev");
        {
            let text = env.reader.read(&path)?;
            parse_net_dev(&text, &mut self.devices);
        }
        self.devices.retain(|d| !self.filter.ignored(&d.name));
        let mut families: Vec<MetricFamily> = COLUMNS
            .iter()
            .map(|c| {
                family(
                    &format!("node_network_{c}_total"),
                    &format!("Network device statistic {c}."),
                    MetricType::Counter,
                )
            })
            .collect();
        let mut nohandler = family(
            "node_network_receive_nohandler_total",
            "Network device statistic receive_nohandler.",
            MetricType::Counter,
        );
        let class = env.paths.sys("class/net");
        for dev in &self.devices {
            for (fam, v) in families.iter_mut().zip(dev.values) {
                push(fam, &[("device", &dev.name)], v as f64);
            }
            // Missing on kernels before 4.6 and without sysfs; then the family is simply absent.
            if let Ok(v) = read_small_u64(&class.join(&dev.name).join("statistics/rx_nohandler")) {
                push(&mut nohandler, &[("device", &dev.name)], v as f64);
            }
        }
        out.extend(families);
        out.push(nohandler);
        Ok(())
    }
}

/// Parses /proc/net/dev (two header lines, then `name: 16 numbers`); malformed lines are skipped.
pub(super) fn parse_net_dev(text: &str, out: &mut Vec<NetDev>) {
    out.clear();
    for line in text.lines().skip(2) {
        // Interface names cannot contain ':', and long names touch it ("eth0:123"), so split there.
        let Some((name, rest)) = line.split_once(':') else {
            if !line.trim().is_empty() {
                tracing::warn!(line, "skipping malformed line in /proc/net/dev");
            }
            continue;
        };
        let name = name.trim();
        let mut values = [0u64; 16];
        let mut n = 0;
        let mut fields = rest.split_ascii_whitespace();
        for (slot, field) in values.iter_mut().zip(fields.by_ref()) {
            match field.parse() {
                Ok(v) => {
                    *slot = v;
                    n += 1;
                }
                Err(_) => break,
            }
        }
        if name.is_empty() || n != values.len() || fields.next().is_some() {
            tracing::warn!(line, "skipping malformed line in /proc/net/dev");
            continue;
        }
        out.push(NetDev { name: name.to_string(), values });
    }
}
