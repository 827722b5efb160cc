//! Parser tests with small inline fixtures (including malformed lines), an end-to-end run over a
//! fake /proc and /sys tree, and a smoke test on the real host.

use super::cpu::{parse_cpu_list, parse_proc_stat_cpus, CpuTimes};
use super::diskstats::{parse_diskstats, parse_udev};
use super::filefd::parse_file_nr;
use super::filesystem::parse_mounts;
use super::loadavg::parse_loadavg;
use super::meminfo::parse_meminfo;
use super::netdev::parse_net_dev;
use super::stat::parse_proc_stat;
use super::*;
use std::fs;

const PROC_STAT: &str = "cpu  30000 0 4000 160000 300 0 80 160 0 0
cpu0 15375 0 1797 8861 87 0 12 82 0 0
cpu1 15974 0 2352 7448 285 0 69 74 5 7
intr 232187 0 9 0 0 0 0 0 0 0 0 0 0 0 0 0 0
ctxt 341095
btime 1795239322
processes 7397
procs_running 6
procs_blocked 0
softirq 100 1 2 3 4 5 6 7 8 9 55
";

const MEMINFO: &str = "MemTotal:       24684092 kB
MemFree:        22523328 kB
Active(anon):       7396 kB
HugePages_Total:       0
Hugepagesize:       2048 kB
";

const NET_DEV: &str = "Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0
  eth0: 186619605    7639    1    2    3     4          5         6   403918    4148    7    8    9    10      11         12
";

const DISKSTATS: &str = "   7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
 254       0 vda 28459 5792 2636962 12121 7165 28483 3788176 15487 0 6268 28189 4448 62 342176 565 539 26
 254       1 vda1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17
   8       0 sdb 1 2 3 4 5 6 7 8 9 10 11
";

fn collect_value(fams: &[MetricFamily], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let f = fams.iter().find(|f| f.name == name)?;
    f.metrics.iter().find(|m| labels.iter().all(|(k, v)| m.labels.get(k) == Some(*v))).map(|m| m.value)
}

#[test]
fn cpu_lines_are_divided_by_user_hz_and_total_is_skipped() {
    let mut v = Vec::new();
    parse_proc_stat_cpus(PROC_STAT, &mut v);
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].user, 153.75);
    assert_eq!(v[0].system, 17.97);
    assert_eq!(v[1].guest, 0.05);
    assert_eq!(v[1].guest_nice, 0.07);
}

#[test]
fn malformed_cpu_lines_are_skipped_and_gaps_are_zero() {
    let mut v = Vec::new();
    parse_proc_stat_cpus(
        "cpu0 1 2 3 4\ncpu2 x 1 2 3\ncpu3 100 200 300 400 500\ncpu99999999 1 2 3 4\ncpu1 1\ncpux 1 2 3 4\n",
        &mut v,
    );
    assert_eq!(v.len(), 4);
    assert_eq!(v[0].idle, 0.04);
    assert_eq!(v[1], CpuTimes::default(), "too short line is skipped");
    assert_eq!(v[2], CpuTimes::default(), "non-number line is skipped");
    assert_eq!(v[3].iowait, 5.0);
}

#[test]
fn cpu_list() {
    assert_eq!(parse_cpu_list("0-2,5\n"), Some(vec![0, 1, 2, 5]));
    assert_eq!(parse_cpu_list("\n"), Some(vec![]));
    assert_eq!(parse_cpu_list("3-1"), None);
    assert_eq!(parse_cpu_list("a"), None);
}

#[test]
fn proc_stat_values() {
    let s = parse_proc_stat(PROC_STAT);
    assert_eq!(s.intr, Some(232187));
    assert_eq!(s.ctxt, Some(341095));
    assert_eq!(s.boot_time, Some(1795239322));
    assert_eq!(s.forks, Some(7397));
    assert_eq!(s.procs_running, Some(6));
    assert_eq!(s.procs_blocked, Some(0));
    assert_eq!(s.softirq, Some([1, 2, 3, 4, 5, 6, 7, 8, 9, 55]));
    let bad = parse_proc_stat("ctxt x\nintr\nprocesses 5\nsoftirq 1 2\n");
    assert_eq!((bad.ctxt, bad.intr, bad.forks, bad.softirq), (None, None, Some(5), None));
}

#[test]
fn meminfo_names_and_units() {
    let mut v = Vec::new();
    parse_meminfo(&format!("{MEMINFO}\nBroken: x kB\nToo: 1 kB extra\n\nWeird(a)(b): 1\n"), &mut v);
    let get = |k: &str| v.iter().find(|(n, _)| n == k).map(|(_, x)| *x);
    assert_eq!(get("MemTotal_bytes"), Some(24684092.0 * 1024.0));
    assert_eq!(get("Active_anon_bytes"), Some(7396.0 * 1024.0));
    assert_eq!(get("HugePages_Total"), Some(0.0));
    assert_eq!(get("Hugepagesize_bytes"), Some(2097152.0));
    assert_eq!(get("Weird_a)(b"), None, "invalid metric names are skipped");
    assert_eq!(v.len(), 5);
}

#[test]
fn loadavg_and_file_nr() {
    assert_eq!(parse_loadavg("2.05 1.01 0.40 3/456 7890\n"), Some([2.05, 1.01, 0.4]));
    assert_eq!(parse_loadavg("2.05 x"), None);
    assert_eq!(parse_loadavg(""), None);
    assert_eq!(parse_file_nr("559\t0\t2466177\n"), Some((559.0, 2466177.0)));
    assert_eq!(parse_file_nr("559 0 2466177\n"), None);
    assert_eq!(parse_file_nr(""), None);
}

#[test]
fn net_dev_columns() {
    let mut v = Vec::new();
    let text = format!("{NET_DEV}verylongname0:1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\nbad: 1 2 3\nnocolon 1 2\n");
    parse_net_dev(&text, &mut v);
    assert_eq!(v.len(), 3);
    assert_eq!(v[1].name, "eth0");
    assert_eq!(v[1].values, [186619605, 7639, 1, 2, 3, 4, 5, 6, 403918, 4148, 7, 8, 9, 10, 11, 12]);
    assert_eq!(v[2].name, "verylongname0");
    assert_eq!(v[2].values[15], 16);
}

#[test]
fn diskstats_lines_of_all_kernel_generations() {
    let mut v = Vec::new();
    parse_diskstats(
        &format!("{DISKSTATS}\n 8 1 sdc 1 2 3\n x 0 sdd 1 2 3 4 5 6 7 8 9 10 11\n 8 2 sde 1 2 3 4 5 6 7 8 9 10 y\n"),
        &mut v,
    );
    assert_eq!(v.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), ["loop0", "vda", "vda1", "sdb"]);
    assert_eq!(v[1].count, 17);
    assert_eq!(v[1].stats[14], 565);
    assert_eq!(v[3].count, 11);
}

#[test]
fn udev_properties() {
    let u = parse_udev("S:disk/by-id/x\nE:ID_MODEL=Disk X\nE:ID_FS_TYPE=ext4\nE:ID_ATA=1\nE:ID_ATA_ROTATION_RATE_RPM=0\nE:ID_ATA_WRITE_CACHE=zz\nbroken\n");
    assert_eq!(u.get("ID_MODEL"), "Disk X");
    assert_eq!(u.get("ID_FS_TYPE"), "ext4");
    assert_eq!(u.get("ID_PATH"), "");
}

#[test]
fn mounts_unescape_and_strip_rootfs() {
    let text = "/dev/vda / ext4 rw,relatime 0 0\n/dev/sdb /media/my\\040disk vfat ro 0 0\nshort line\n\n";
    let mut v = Vec::new();
    parse_mounts(text, Path::new("/"), &mut v);
    assert_eq!(v.len(), 2);
    assert_eq!(v[1].mountpoint, "/media/my disk");
    assert_eq!(v[1].options, "ro");
    parse_mounts("/dev/vda /host ext4 rw 0 0\n/dev/vdb /host/data xfs rw 0 0\n", Path::new("/host"), &mut v);
    assert_eq!(v[0].mountpoint, "/");
    assert_eq!(v[1].mountpoint, "/data");
}

#[test]
fn device_filter_and_defaults() {
    let d = HostConfig::default();
    let f = DeviceFilter::new("d", &d.diskstats_device_exclude, "").expect("default regex");
    for (dev, ignored) in
        [("vda", false), ("vda1", true), ("nvme0n1", false), ("nvme0n1p2", true), ("loop3", true), ("dm-0", false)]
    {
        assert_eq!(f.ignored(dev), ignored, "{dev}");
    }
    let inc = DeviceFilter::new("n", "", "^eth").expect("regex");
    assert!(inc.ignored("lo") && !inc.ignored("eth0"));
    assert!(DeviceFilter::new("n", "a", "b").is_err());
    assert!(DeviceFilter::new("n", "(", "").is_err());
    let mp = Regex::new(DEFAULT_MOUNT_POINTS_EXCLUDE).expect("regex");
    assert!(mp.is_match("/proc/sys") && mp.is_match("/dev") && !mp.is_match("/") && !mp.is_match("/devices"));
    let fs = Regex::new(DEFAULT_FS_TYPES_EXCLUDE).expect("regex");
    assert!(fs.is_match("cgroup2") && fs.is_match("overlay") && !fs.is_match("ext4") && !fs.is_match("tmpfs"));
}

#[test]
fn config_from_toml() {
    let c: HostConfig =
        toml::from_str("proc_path = \"/host/proc\"\nfilesystem_mount_timeout = \"2s\"\ncollectors = [\"cpu\"]\n")
            .expect("valid config");
    assert_eq!(c.proc_path, PathBuf::from("/host/proc"));
    assert_eq!(c.filesystem_mount_timeout, Duration::from_secs(2));
    assert_eq!(c.sys_path, PathBuf::from("/sys"));
    assert!(toml::from_str::<HostConfig>("bogus = 1").is_err());
    let e = toml::from_str::<HostConfig>("diskstats_device_exclude = \"(\"").expect_err("bad regex");
    assert!(e.to_string().contains("diskstats_device_exclude"), "{e}");
    assert!(toml::from_str::<HostConfig>("collectors = [\"nope\"]").is_err());
    assert!(HostConfig::default().validate().is_ok());
    let both =
        HostConfig { netdev_device_include: "a".into(), netdev_device_exclude: "b".into(), ..HostConfig::default() };
    assert!(matches!(both.validate(), Err(CollectError::Config(_))));
}

#[test]
fn invalid_settings_fail_their_sub_collector_only() {
    let (_dir, config) = fake_host();
    let config = HostConfig {
        collectors: vec!["netdev".into(), "loadavg".into(), "nope".into()],
        netdev_device_exclude: "(".into(),
        ..config
    };
    assert!(config.validate().is_err());
    let fams = HostCollector::new(config).collect().expect("loadavg still works");
    assert_eq!(collect_value(&fams, "node_scrape_collector_success", &[("collector", "netdev")]), Some(0.0));
    assert_eq!(collect_value(&fams, "node_scrape_collector_success", &[("collector", "loadavg")]), Some(1.0));
    assert!(collect_value(&fams, "node_load1", &[]).is_some());
}

/// A fake host: /proc and /sys files under a temp dir, and a rootfs whose "/" is the temp dir.
fn fake_host() -> (tempfile::TempDir, HostConfig) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, text).expect("write");
    };
    write("proc/stat", PROC_STAT);
    write("proc/meminfo", MEMINFO);
    write("proc/net/dev", NET_DEV);
    write("proc/diskstats", DISKSTATS);
    write("proc/loadavg", "0.5 0.25 0.125 1/100 42\n");
    write("proc/sys/fs/file-nr", "1024\t0\t9999\n");
    // /proc/1/mounts is missing: the fallback to /proc/mounts is exercised.
    write("proc/mounts", "rootdev / ext4 rw 0 0\nproc /proc proc rw 0 0\nrootdev / ext4 rw 0 0\nbroken\ngone /nonexistent tmpfs ro 0 0\n");
    write("sys/class/net/eth0/statistics/rx_nohandler", "7\n");
    write("sys/devices/system/clocksource/clocksource0/available_clocksource", "tsc hpet\n");
    write("sys/devices/system/clocksource/clocksource0/current_clocksource", "tsc\n");
    write("sys/devices/system/cpu/isolated", "1\n");
    write("sys/devices/system/cpu/cpu0/topology/physical_package_id", "0\n");
    write("sys/devices/system/cpu/cpu0/topology/core_id", "0\n");
    write("sys/devices/system/cpu/cpu0/thermal_throttle/core_throttle_count", "3\n");
    write("sys/devices/system/cpu/cpu0/thermal_throttle/package_throttle_count", "4\n");
    write("udev/b254:0", "E:ID_MODEL=VirtDisk\nE:ID_SERIAL_SHORT=123\n");
    let config = HostConfig {
        proc_path: root.join("proc"),
        sys_path: root.join("sys"),
        rootfs_path: root.to_path_buf(),
        udev_data_path: root.join("udev"),
        stat_softirq: true,
        netdev_device_exclude: "^lo$".into(),
        ..HostConfig::default()
    };
    (dir, config)
}

#[test]
fn fake_host_end_to_end() {
    let (_dir, config) = fake_host();
    let mut c = HostCollector::new(config.clone());
    let fams = c.collect().expect("collect");
    let v = |name: &str, labels: &[(&str, &str)]| collect_value(&fams, name, labels);

    assert!(fams.windows(2).all(|w| w[0].name < w[1].name), "families sorted and unique");
    assert_eq!(v("node_cpu_seconds_total", &[("cpu", "1"), ("mode", "user")]), Some(159.74));
    assert_eq!(v("node_cpu_guest_seconds_total", &[("cpu", "1"), ("mode", "nice")]), Some(0.07));
    assert_eq!(v("node_cpu_isolated", &[("cpu", "1")]), Some(1.0));
    assert_eq!(v("node_cpu_core_throttles_total", &[("package", "0"), ("core", "0")]), Some(3.0));
    assert_eq!(v("node_cpu_package_throttles_total", &[("package", "0")]), Some(4.0));
    assert_eq!(v("node_context_switches_total", &[]), Some(341095.0));
    assert_eq!(v("node_softirqs_total", &[("vector", "rcu")]), Some(55.0));
    assert_eq!(v("node_memory_MemTotal_bytes", &[]), Some(24684092.0 * 1024.0));
    assert_eq!(v("node_memory_HugePages_Total", &[]), Some(0.0));
    assert_eq!(v("node_load15", &[]), Some(0.125));
    assert_eq!(v("node_filefd_maximum", &[]), Some(9999.0));
    assert_eq!(v("node_network_transmit_carrier_total", &[("device", "eth0")]), Some(11.0));
    assert_eq!(v("node_network_receive_nohandler_total", &[("device", "eth0")]), Some(7.0));
    assert_eq!(v("node_network_receive_bytes_total", &[("device", "lo")]), None, "lo excluded");
    assert_eq!(v("node_disk_read_bytes_total", &[("device", "vda")]), Some(2636962.0 * 512.0));
    assert_eq!(v("node_disk_discard_time_seconds_total", &[("device", "vda")]), Some(0.5650000000000001));
    assert_eq!(v("node_disk_flush_requests_total", &[("device", "sdb")]), None, "old kernel: 11 columns");
    assert_eq!(v("node_disk_io_time_weighted_seconds_total", &[("device", "sdb")]), Some(0.011));
    assert_eq!(v("node_disk_reads_completed_total", &[("device", "vda1")]), None, "partition excluded");
    assert_eq!(v("node_disk_info", &[("device", "vda"), ("model", "VirtDisk"), ("major", "254")]), Some(1.0));
    assert_eq!(v("node_time_clocksource_available_info", &[("device", "0"), ("clocksource", "hpet")]), Some(1.0));
    assert_eq!(v("node_time_clocksource_current_info", &[("clocksource", "tsc")]), Some(1.0));
    assert!(v("node_time_seconds", &[]).is_some_and(|t| t > 1.6e9));
    assert_eq!(v("node_uname_info", &[("sysname", "Linux")]), Some(1.0));

    let fs_labels = [("device", "rootdev"), ("mountpoint", "/"), ("fstype", "ext4")];
    assert_eq!(v("node_filesystem_device_error", &fs_labels), Some(0.0));
    assert!(v("node_filesystem_size_bytes", &fs_labels).is_some_and(|s| s > 0.0));
    assert_eq!(v("node_filesystem_readonly", &fs_labels), Some(0.0));
    let size = fams.iter().find(|f| f.name == "node_filesystem_size_bytes").expect("size");
    assert_eq!(size.metrics.len(), 1, "duplicate mount once, /proc excluded, failed statfs has no size");
    assert_eq!(v("node_filesystem_device_error", &[("mountpoint", "/nonexistent")]), Some(1.0));

    for name in ALL_COLLECTORS {
        assert_eq!(v("node_scrape_collector_success", &[("collector", name)]), Some(1.0), "{name}");
    }
}

#[test]
fn one_failing_sub_collector_keeps_the_others() {
    let (dir, config) = fake_host();
    fs::remove_file(dir.path().join("proc/meminfo")).expect("rm");
    fs::write(dir.path().join("proc/loadavg"), "garbage\n").expect("write");
    let mut c = HostCollector::new(config.clone());
    let fams = c.collect().expect("partial data is still data");
    let v = |name: &str, labels: &[(&str, &str)]| collect_value(&fams, name, labels);
    assert_eq!(v("node_scrape_collector_success", &[("collector", "meminfo")]), Some(0.0));
    assert_eq!(v("node_scrape_collector_success", &[("collector", "loadavg")]), Some(0.0));
    assert_eq!(v("node_scrape_collector_success", &[("collector", "cpu")]), Some(1.0));
    assert!(v("node_memory_MemTotal_bytes", &[]).is_none());
    assert!(v("node_context_switches_total", &[]).is_some());

    let nothing = HostConfig {
        proc_path: dir.path().join("missing"),
        collectors: vec!["meminfo".into(), "stat".into()],
        ..config
    };
    let mut c = HostCollector::new(nothing);
    assert!(matches!(c.collect(), Err(CollectError::AllFailed { failed: 2, .. })));
}

#[test]
fn cpu_counters_never_go_backwards() {
    let (dir, config) = fake_host();
    let config = HostConfig { collectors: vec!["cpu".into()], ..config };
    let mut c = HostCollector::new(config.clone());
    c.collect().expect("first");
    // user goes back a little (kept), idle jumps back by more than 3 s on cpu1 (reset).
    fs::write(
        dir.path().join("proc/stat"),
        "cpu0 15000 0 1797 8861 87 0 12 82 0 0\ncpu1 15974 0 2352 100 285 0 69 74 5 7\n",
    )
    .expect("write");
    let fams = c.collect().expect("second");
    assert_eq!(collect_value(&fams, "node_cpu_seconds_total", &[("cpu", "0"), ("mode", "user")]), Some(153.75));
    assert_eq!(collect_value(&fams, "node_cpu_seconds_total", &[("cpu", "1"), ("mode", "idle")]), Some(1.0));
}

#[test]
fn statfs_timeout_marks_the_mount_stuck_until_it_answers() {
    let mut c = filesystem::FilesystemCollector::new(None, None, Duration::ZERO);
    let path = std::env::temp_dir();
    // With a zero timeout the reply can only win a race; try until a timeout happens.
    let timed_out = (0..100).any(|_| c.stat_for_test("/x", &path).is_err());
    assert!(timed_out);
    assert!(c.stat_for_test("/x", &path).is_err(), "stuck mount is skipped");
    std::thread::sleep(Duration::from_millis(200));
    c.poll_for_test();
    let recovered = (0..100).any(|_| {
        c.poll_for_test();
        c.stuck_count_for_test() == 0
    });
    assert!(recovered);
}

#[test]
fn real_host_has_the_node_exporter_families() {
    // Only families every Linux host has (disks and file systems vary; the e2e parity test covers
    // them against node_exporter).
    let mut c = HostCollector::new(HostConfig::default());
    let fams = c.collect().expect("collect");
    for name in [
        "node_cpu_seconds_total",
        "node_memory_MemTotal_bytes",
        "node_network_receive_bytes_total", // lo is always there and not excluded by default
        "node_load1",
        "node_boot_time_seconds",
        "node_time_seconds",
        "node_context_switches_total",
        "node_intr_total",
        "node_filefd_maximum",
        "node_uname_info",
    ] {
        assert!(fams.iter().any(|f| f.name == name), "{name} missing");
    }
    for f in &fams {
        assert!(pharos_protocol::model::is_valid_metric_name(&f.name), "{}", f.name);
        assert!(f.help.is_some());
        for m in &f.metrics {
            assert_eq!(m.labels.metric_name(), Some(f.name.as_str()));
        }
    }
    // A second collection reuses the buffers and caches.
    assert!(c.collect().is_ok());
}
