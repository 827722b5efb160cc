//! Browser tests of the aggregator's web UI: the scripts in `ui/e2e/` drive Debian's headless
//! Chromium (`/usr/bin/chromium`) with playwright-core from `ui/node_modules` (installed by the
//! aggregator's build, or here with `npm ci` when missing). Screenshots go to
//! `target/ui-artifacts/`.

use crate::workspace;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// Debian's Chromium (package `chromium`, installed by `scripts/test.sh`).
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Serializes `npm ci` between the tests of one binary (they run as threads).
static NPM: Mutex<()> = Mutex::new(());

/// Whether the browser tests can run. Without Chromium they are skipped with a message when not
/// root (a developer's machine); as root `scripts/test.sh` installs it, so there its absence
/// fails the test instead of hiding it.
pub fn available() -> bool {
    if Path::new(CHROMIUM).exists() {
        return true;
    }
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    assert!(!root, "{CHROMIUM} is missing: apt-get install chromium (scripts/test.sh does)");
    eprintln!("SKIPPED: {CHROMIUM} is not installed (apt-get install chromium) and we are not root");
    false
}

/// Where the screenshots go: `target/ui-artifacts/`.
pub fn artifacts() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace().join("target"));
    target.join("ui-artifacts")
}

/// Installs `ui/node_modules` with `npm ci` unless playwright-core is there already.
fn ensure_node_modules(ui: &Path) {
    let _guard = NPM.lock().unwrap_or_else(|e| e.into_inner());
    if ui.join("node_modules/playwright-core/package.json").exists() {
        return;
    }
    let out = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(ui)
        .output()
        .expect("npm is installed (Node.js >= 18; scripts/test.sh installs nodejs and npm)");
    assert!(
        out.status.success(),
        "npm ci in {} failed:\n{}{}",
        ui.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs `node ui/e2e/<script>` against the aggregator at `base_url` (`PHAROS_URL`) with `envs`;
/// panics with the script's output unless it exits 0, and prints the output either way.
pub fn run_script(script: &str, base_url: &str, envs: &[(&str, &str)]) {
    let ui = workspace().join("ui");
    ensure_node_modules(&ui);
    let mut cmd = Command::new("node");
    cmd.arg(ui.join("e2e").join(script))
        .current_dir(&ui)
        .env("PHAROS_URL", base_url)
        .env("PHAROS_ARTIFACTS", artifacts())
        .env("CHROMIUM", CHROMIUM);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("node is installed (scripts/test.sh installs nodejs)");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    println!("{script}:\n{text}");
    assert!(out.status.success(), "ui/e2e/{script} failed ({}):\n{text}", out.status);
}
