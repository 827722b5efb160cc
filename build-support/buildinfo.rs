// Build information for `--version`, `/api/v1/status/buildinfo` and the `*_build_info` metrics,
// shared by the build scripts of pharos-agent and pharos-aggregator (`include!`d there, since a
// crate of its own would be one more package for 80 lines).
//
// Sets PHAROS_REVISION, PHAROS_BRANCH, PHAROS_BUILD_USER, PHAROS_BUILD_DATE, PHAROS_RUSTC_VERSION
// and PHAROS_PLATFORM for the crate. Each may be given in the environment instead (a build from
// a source tarball has no .git); the build date honours SOURCE_DATE_EPOCH, as Debian's
// reproducible builds expect. The script reruns when the checked-out commit changes, so the
// revision is never stale (the price: a commit recompiles the crate).

/// Emits the `cargo:rustc-env` lines; called from the crate's `build.rs`.
fn emit_build_info() {
    let manifest = std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let workspace = manifest.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let git = |args: &[&str]| -> Option<String> {
        let out = std::process::Command::new("git").arg("-C").arg(&workspace).args(args).output().ok()?;
        let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
        (out.status.success() && !s.is_empty()).then_some(s)
    };
    // Only a checkout of this workspace counts (not a repository the source tarball sits in).
    let in_checkout = git(&["rev-parse", "--show-toplevel"])
        .is_some_and(|top| std::path::Path::new(&top).canonicalize().ok() == workspace.canonicalize().ok());
    if in_checkout {
        // HEAD names the branch (or, detached, the commit); the branch's ref file, or once git
        // has packed it packed-refs, moves with each commit. Only files that exist are named:
        // cargo reruns a script on every build while a file it watches is missing.
        let path = |args: &[&str]| git(args).map(std::path::PathBuf::from);
        let mut watch = Vec::new();
        if let Some(dir) = path(&["rev-parse", "--path-format=absolute", "--git-dir"]) {
            watch.push(dir.join("HEAD"));
        }
        if let (Some(common), Some(head_ref)) =
            (path(&["rev-parse", "--path-format=absolute", "--git-common-dir"]), git(&["symbolic-ref", "-q", "HEAD"]))
        {
            let loose = common.join(&head_ref);
            watch.push(if loose.exists() { loose } else { common.join("packed-refs") });
        }
        for file in watch.into_iter().filter(|f| f.exists()) {
            println!("cargo:rerun-if-changed={}", file.display());
        }
    }
    let git = |args: &[&str]| if in_checkout { git(args) } else { None };
    let from_env = |name: &str| {
        println!("cargo:rerun-if-env-changed={name}");
        std::env::var(name).ok().filter(|v| !v.is_empty())
    };
    // The commit checked out. (Uncommitted changes are not marked: this script does not rerun
    // on every edit, so such a mark would be stale as often as not.)
    let revision = from_env("PHAROS_REVISION").or_else(|| git(&["rev-parse", "HEAD"]));
    let branch = from_env("PHAROS_BRANCH").or_else(|| git(&["rev-parse", "--abbrev-ref", "HEAD"]));
    let user = from_env("PHAROS_BUILD_USER").or_else(|| {
        let user = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).ok().or_else(|| {
            let out = std::process::Command::new("id").arg("-un").output().ok()?;
            String::from_utf8(out.stdout).ok().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
        })?;
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname").ok();
        Some(match host.map(|h| h.trim().to_string()).filter(|h| !h.is_empty()) {
            Some(h) => format!("{user}@{h}"),
            None => user,
        })
    });
    let date = from_env("PHAROS_BUILD_DATE").or_else(|| {
        let epoch = from_env("SOURCE_DATE_EPOCH").and_then(|s| s.parse::<i64>().ok()).or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).ok().map(|d| d.as_secs() as i64)
        })?;
        Some(prometheus_date(epoch))
    });
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let rustc_version = from_env("PHAROS_RUSTC_VERSION").or_else(|| {
        let out = std::process::Command::new(rustc).arg("--version").output().ok()?;
        String::from_utf8(out.stdout).ok().map(|s| s.trim().to_string())
    });
    let platform = format!(
        "{}/{}",
        std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default(),
        std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default()
    );
    let unknown = || "unknown".to_string();
    println!("cargo:rustc-env=PHAROS_REVISION={}", revision.unwrap_or_else(unknown));
    println!("cargo:rustc-env=PHAROS_BRANCH={}", branch.unwrap_or_else(unknown));
    println!("cargo:rustc-env=PHAROS_BUILD_USER={}", user.unwrap_or_else(unknown));
    println!("cargo:rustc-env=PHAROS_BUILD_DATE={}", date.unwrap_or_else(unknown));
    println!("cargo:rustc-env=PHAROS_RUSTC_VERSION={}", rustc_version.unwrap_or_else(unknown));
    println!("cargo:rustc-env=PHAROS_PLATFORM={platform}");
}

/// Prometheus' build date format, `20230201-07:53:32` (UTC), from Unix seconds.
fn prometheus_date(epoch: i64) -> String {
    let (days, secs) = (epoch.div_euclid(86_400), epoch.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}{month:02}{day:02}-{:02}:{:02}:{:02}", secs / 3600, secs % 3600 / 60, secs % 60)
}
