//! node_exporter's `filesystem` collector: `node_filesystem_{size,free,avail}_bytes`,
//! `node_filesystem_{files,files_free,readonly,device_error}{device,fstype,mountpoint}` for the
//! mounts of /proc/1/mounts (falling back to /proc/mounts), with statfs(2) per mount.
//!
//! statfs on a mount whose server is gone (NFS, FUSE) can block for ever. node_exporter blocks the
//! scrape and, after a timeout, skips the mount in later scrapes until the call returns. Here the
//! call runs on a helper thread: after the timeout the mount is reported with
//! `node_filesystem_device_error 1` at once, the blocked thread is left behind, and the mount is
//! skipped until that thread's call returns.

use super::{family, push, CollectError, Env, MetricFamily, MetricType, SubCollector};
use regex::Regex;
use std::collections::HashSet;
use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::time::Duration;

/// One line of /proc/<pid>/mounts, with node_exporter's label values.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Mount {
    pub device: String,
    pub mountpoint: String,
    pub fstype: String,
    pub options: String,
}

/// What statfs(2) says about a file system, in node_exporter's units.
#[derive(Debug, Clone, Copy, PartialEq)]
struct FsStats {
    size: f64,
    free: f64,
    avail: f64,
    files: f64,
    files_free: f64,
}

pub(super) struct FilesystemCollector {
    mount_points_exclude: Option<Regex>,
    fs_types_exclude: Option<Regex>,
    statfs: StatfsRunner,
    mounts: Vec<Mount>,
}

impl FilesystemCollector {
    pub(super) fn new(mount_points_exclude: Option<Regex>, fs_types_exclude: Option<Regex>, timeout: Duration) -> Self {
        FilesystemCollector {
            mount_points_exclude,
            fs_types_exclude,
            statfs: StatfsRunner { timeout, worker: None, stuck: Vec::new() },
            mounts: Vec::new(),
        }
    }

    fn excluded(&self, m: &Mount) -> bool {
        self.mount_points_exclude.as_ref().is_some_and(|r| r.is_match(&m.mountpoint))
            || self.fs_types_exclude.as_ref().is_some_and(|r| r.is_match(&m.fstype))
    }
}

impl SubCollector for FilesystemCollector {
    fn name(&self) -> &'static str {
        "filesystem"
    }

    fn update(&mut self, env: &mut Env, out: &mut Vec<MetricFamily>) -> Result<(), CollectError> {
        // PID 1's view is the host's even when the agent runs in its own mount namespace; with
        // hidepid it cannot be read and the agent's own view is the best there is.
        let mut path = env.paths.proc("1/mounts");
        if let Err(e) = env.reader.read(&path).map(drop) {
            tracing::debug!(error = %e, "reading root mounts failed, falling back to own mounts");
            path = env.paths.proc("mounts");
            env.reader.read(&path).map(drop)?;
        }
        parse_mounts(&env.reader.last(), &env.paths.rootfs, &mut self.mounts);
        let mut mounts = std::mem::take(&mut self.mounts);
        mounts.retain(|m| !self.excluded(m));
        // node_exporter exports each (device, mountpoint, fstype) once, e.g. for repeated mounts.
        let keep: Vec<bool> = {
            let mut seen = HashSet::with_capacity(mounts.len());
            mounts.iter().map(|m| seen.insert((m.device.as_str(), m.mountpoint.as_str(), m.fstype.as_str()))).collect()
        };
        let mut keep = keep.into_iter();
        mounts.retain(|_| keep.next().unwrap_or(true));

        let mut fams = [
            family("node_filesystem_size_bytes", "Filesystem size in bytes.", MetricType::Gauge),
            family("node_filesystem_free_bytes", "Filesystem free space in bytes.", MetricType::Gauge),
            family(
                "node_filesystem_avail_bytes",
                "Filesystem space available to non-root users in bytes.",
                MetricType::Gauge,
            ),
            family("node_filesystem_files", "Filesystem total file nodes.", MetricType::Gauge),
            family("node_filesystem_files_free", "Filesystem total free file nodes.", MetricType::Gauge),
            family("node_filesystem_readonly", "Filesystem read-only status.", MetricType::Gauge),
        ];
        let mut device_error = family(
            "node_filesystem_device_error",
            "Whether an error occurred while getting statistics for the given device.",
            MetricType::Gauge,
        );
        self.statfs.poll_stuck();
        for m in &mounts {
            let labels =
                [("device", m.device.as_str()), ("mountpoint", m.mountpoint.as_str()), ("fstype", m.fstype.as_str())];
            let target = rootfs_join(&env.paths.rootfs, &m.mountpoint);
            let stats = match self.statfs.stat(&m.mountpoint, &target) {
                Ok(s) => s,
                Err(e) => {
                    tracing::debug!(mountpoint = %m.mountpoint, error = %e, "statfs failed");
                    push(&mut device_error, &labels, 1.0);
                    continue;
                }
            };
            push(&mut device_error, &labels, 0.0);
            let ro = if m.options.split(',').any(|o| o == "ro") { 1.0 } else { 0.0 };
            let values = [stats.size, stats.free, stats.avail, stats.files, stats.files_free, ro];
            for (fam, v) in fams.iter_mut().zip(values) {
                push(fam, &labels, v);
            }
        }
        self.mounts = mounts;
        out.push(device_error);
        out.extend(fams);
        Ok(())
    }
}

#[cfg(test)]
impl FilesystemCollector {
    pub(super) fn stat_for_test(&mut self, mountpoint: &str, path: &Path) -> std::io::Result<()> {
        self.statfs.stat(mountpoint, path).map(drop)
    }

    pub(super) fn poll_for_test(&mut self) {
        self.statfs.poll_stuck();
    }

    pub(super) fn stuck_count_for_test(&self) -> usize {
        self.statfs.stuck.len()
    }
}

/// Parses a mounts file. Mount points get fstab(5)'s `\040` and `\011` decoded and `rootfs`
/// stripped, as node_exporter does. Lines with fewer than four fields are skipped.
pub(super) fn parse_mounts(text: &str, rootfs: &Path, out: &mut Vec<Mount>) {
    out.clear();
    let rootfs = rootfs.to_string_lossy();
    for line in text.lines() {
        let mut f = line.split_ascii_whitespace();
        let (Some(device), Some(mountpoint), Some(fstype), Some(options)) = (f.next(), f.next(), f.next(), f.next())
        else {
            if !line.trim().is_empty() {
                tracing::warn!(line, "skipping malformed line in mounts");
            }
            continue;
        };
        let mut mountpoint = mountpoint.replace("\\040", " ").replace("\\011", "\t");
        if rootfs != "/" {
            if let Some(stripped) = mountpoint.strip_prefix(rootfs.as_ref()) {
                mountpoint = if stripped.is_empty() { "/".to_string() } else { stripped.to_string() };
            }
        }
        out.push(Mount {
            device: device.to_string(),
            mountpoint,
            fstype: fstype.to_string(),
            options: options.to_string(),
        });
    }
}

/// `rootfs` + `mountpoint` like Go's filepath.Join (Path::join would drop rootfs for an absolute
/// mount point).
fn rootfs_join(rootfs: &Path, mountpoint: &str) -> PathBuf {
    let rel = mountpoint.trim_start_matches('/');
    if rel.is_empty() {
        rootfs.to_path_buf()
    } else {
        rootfs.join(rel)
    }
}

fn statfs(path: &Path) -> std::io::Result<FsStats> {
    let c = CString::new(path.as_os_str().as_bytes())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    // SAFETY: statfs is plain old data; the call only writes into it; `c` is NUL-terminated.
    let mut buf: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statfs(c.as_ptr(), &mut buf) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // Same formula as node_exporter: blocks times f_bsize (not f_frsize, as statvfs users do).
    let bsize = buf.f_bsize as f64;
    Ok(FsStats {
        size: buf.f_blocks as f64 * bsize,
        free: buf.f_bfree as f64 * bsize,
        avail: buf.f_bavail as f64 * bsize,
        files: buf.f_files as f64,
        files_free: buf.f_ffree as f64,
    })
}

type Reply = std::io::Result<FsStats>;

/// A helper thread that runs statfs calls one at a time.
struct Worker {
    requests: Sender<PathBuf>,
    replies: Receiver<Reply>,
}

/// Runs statfs with a timeout and remembers mounts whose call is still blocked.
struct StatfsRunner {
    timeout: Duration,
    worker: Option<Worker>,
    /// Mount points whose statfs timed out, with the reply channel of the thread still blocked in
    /// it; the mount counts as recovered once that thread answers (or is gone).
    stuck: Vec<(String, Receiver<Reply>)>,
}

impl StatfsRunner {
    /// Forgets mounts whose blocked call has returned meanwhile.
    fn poll_stuck(&mut self) {
        self.stuck.retain(|(mountpoint, rx)| match rx.try_recv() {
            Err(TryRecvError::Empty) => true,
            _ => {
                tracing::info!(mountpoint, "mount point has recovered, monitoring resumes");
                false
            }
        });
    }

    fn stat(&mut self, mountpoint: &str, path: &Path) -> Reply {
        if self.stuck.iter().any(|(m, _)| m == mountpoint) {
            return Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "mount point is unresponsive"));
        }
        if self.worker.is_none() {
            self.worker = spawn_worker();
        }
        let Some(worker) = &self.worker else {
            return statfs(path); // no thread available: block like node_exporter
        };
        if worker.requests.send(path.to_path_buf()).is_err() {
            self.worker = None;
            return statfs(path);
        }
        match worker.replies.recv_timeout(self.timeout) {
            Ok(reply) => reply,
            Err(RecvTimeoutError::Timeout) => {
                tracing::warn!(mountpoint, timeout = ?self.timeout, "statfs timed out, skipping the mount until it answers");
                if let Some(w) = self.worker.take() {
                    // Dropping the request sender lets the thread exit once its call returns.
                    self.stuck.push((mountpoint.to_string(), w.replies));
                }
                Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "statfs timed out"))
            }
            Err(RecvTimeoutError::Disconnected) => {
                self.worker = None;
                Err(std::io::Error::other("statfs thread ended"))
            }
        }
    }
}

fn spawn_worker() -> Option<Worker> {
    let (req_tx, req_rx) = mpsc::channel::<PathBuf>();
    let (rep_tx, rep_rx) = mpsc::channel::<Reply>();
    let spawned = std::thread::Builder::new()
        .name("pharos-statfs".into())
        // statfs needs next to no stack; keep the helper's footprint small.
        .stack_size(64 * 1024)
        .spawn(move || {
            while let Ok(path) = req_rx.recv() {
                if rep_tx.send(statfs(&path)).is_err() {
                    break;
                }
            }
        });
    match spawned {
        Ok(_) => Some(Worker { requests: req_tx, replies: rep_rx }),
        Err(e) => {
            tracing::warn!(error = %e, "cannot start statfs thread, calling statfs inline");
            None
        }
    }
}
