//! Builds the web UI (`ui/` at the workspace root) and generates the table of its files that
//! `src/ui.rs` embeds with `include_bytes!`.
//!
//! - `npm ci` runs when `ui/node_modules` is missing or was installed from another
//!   `package-lock.json` (a stamp in `node_modules` holds the lockfile's hash);
//! - `npm run build` (Vite) writes into `$OUT_DIR/ui-dist`, skipped when the hash of the UI's
//!   sources matches the stamp of the previous build there (this script also reruns on every
//!   commit, for the build info, and Vite takes seconds);
//! - `PHAROS_UI_DIST=<dir>` embeds an already built UI instead (a packager's machine without
//!   Node.js: build `ui/` elsewhere with `npm ci && npm run build` and point this at `ui/dist`).
//!
//! Without npm and without `PHAROS_UI_DIST` the build fails with a message naming both fixes,
//! rather than embedding a stub that would only be noticed in a browser.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Files and directories of `ui/` whose changes rebuild the UI.
const INPUTS: &[&str] = &["src", "public", "index.html", "vite.config.js", "package.json", "package-lock.json"];

/// Builds (or finds) the UI and writes `$OUT_DIR/ui_assets.rs`.
pub fn build() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let ui = manifest.parent().expect("the aggregator sits in the workspace").join("ui");
    println!("cargo:rerun-if-env-changed=PHAROS_UI_DIST");
    let dist = match std::env::var_os("PHAROS_UI_DIST").filter(|v| !v.is_empty()) {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            println!("cargo:rerun-if-changed={}", dir.display());
            if !dir.join("index.html").is_file() {
                fail(&format!("PHAROS_UI_DIST={} has no index.html (build ui/ with `npm run build`)", dir.display()));
            }
            dir
        }
        None => {
            for input in INPUTS {
                // A path that does not exist would make cargo rerun this script on every build.
                if ui.join(input).exists() {
                    println!("cargo:rerun-if-changed={}", ui.join(input).display());
                }
            }
            build_with_npm(&ui, &out_dir)
        }
    };
    write_table(&dist, &out_dir.join("ui_assets.rs"));
}

/// Stops the build with `message` (a build script's panic is shown as the error).
fn fail(message: &str) -> ! {
    panic!("\n\nbuilding the web UI: {message}\n\n");
}

/// Runs `npm ci` if needed and `npm run build` into `$OUT_DIR/ui-dist`; returns that directory.
fn build_with_npm(ui: &Path, out_dir: &Path) -> PathBuf {
    let lock = read(&ui.join("package-lock.json"));
    let lock_stamp = ui.join("node_modules/.pharos-lock-hash");
    let lock_hash = format!("{:016x}", fnv1a(&lock, FNV_OFFSET));
    if std::fs::read_to_string(&lock_stamp).ok().as_deref() != Some(lock_hash.as_str()) {
        npm(ui, &["ci", "--no-audit", "--no-fund"]);
        if let Err(e) = std::fs::write(&lock_stamp, &lock_hash) {
            fail(&format!("writing {}: {e}", lock_stamp.display()));
        }
    }
    let dist = out_dir.join("ui-dist");
    let stamp = out_dir.join("ui-dist.hash");
    let mut files = Vec::new();
    for input in INPUTS {
        collect_files(&ui.join(input), &mut files);
    }
    files.sort();
    let mut hash = FNV_OFFSET;
    for f in &files {
        hash = fnv1a(f.to_string_lossy().as_bytes(), hash);
        hash = fnv1a(&read(f), hash);
    }
    let hash = format!("{hash:016x}");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(hash.as_str()) && dist.join("index.html").is_file() {
        return dist;
    }
    let dist_arg = dist.to_str().unwrap_or_else(|| fail("OUT_DIR is not UTF-8"));
    npm(ui, &["run", "build", "--", "--outDir", dist_arg, "--emptyOutDir"]);
    if let Err(e) = std::fs::write(&stamp, &hash) {
        fail(&format!("writing {}: {e}", stamp.display()));
    }
    dist
}

/// Runs npm in `ui/` with its output captured (a build script's stdout is read by cargo, so
/// npm's must not reach it), shown only when it fails.
fn npm(ui: &Path, args: &[&str]) {
    let out = match Command::new("npm").args(args).current_dir(ui).output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => fail(
            "npm was not found. The aggregator embeds its web UI, built from ui/ with Node.js (>= 18) and npm: \
             install them (Debian: apt-get install nodejs npm), or build the UI on another machine \
             (cd ui && npm ci && npm run build) and set PHAROS_UI_DIST to that ui/dist directory",
        ),
        Err(e) => fail(&format!("running npm: {e}")),
    };
    if !out.status.success() {
        fail(&format!(
            "`npm {}` in {} failed ({}):\n{}\n{}",
            args.join(" "),
            ui.display(),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
}

/// The file's bytes, or the build fails naming it.
fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| fail(&format!("reading {}: {e}", path.display())))
}

/// Every file under `path` (or `path` itself), recursively.
fn collect_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let entries = std::fs::read_dir(path).unwrap_or_else(|e| fail(&format!("reading {}: {e}", path.display())));
        for entry in entries.flatten() {
            collect_files(&entry.path(), out);
        }
    } else if path.is_file() {
        out.push(path.to_path_buf());
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a 64, continuing from `hash`: a change detector, stable across Rust versions (unlike
/// std's `DefaultHasher`), and no dependency for one loop.
fn fnv1a(bytes: &[u8], mut hash: u64) -> u64 {
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The Content-Type of a built file.
fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" | "map" => "application/json",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Writes the Rust table of `dist`'s files: `(URL path, bytes, gzip'd bytes for text, type)`.
fn write_table(dist: &Path, out: &Path) {
    let mut files = Vec::new();
    collect_files(dist, &mut files);
    files.sort();
    let gz_dir = out.with_file_name("ui-gz");
    if let Err(e) = std::fs::create_dir_all(&gz_dir) {
        fail(&format!("creating {}: {e}", gz_dir.display()));
    }
    let mut table = String::from("/// The UI's files, generated by build_ui.rs.\npub static ASSETS: &[Asset] = &[\n");
    for (i, file) in files.iter().enumerate() {
        let rel = file.strip_prefix(dist).unwrap_or(file).to_string_lossy().replace('\\', "/");
        let ctype = content_type(file);
        let bytes = read(file);
        // Text compresses to a quarter or less; images are compressed already.
        let gzip = if ctype.starts_with("text/") || ctype.contains("json") || ctype.contains("svg") {
            let gz_path = gz_dir.join(format!("{i}.gz"));
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            std::io::Write::write_all(&mut enc, &bytes).unwrap_or_else(|e| fail(&format!("gzip: {e}")));
            let gz = enc.finish().unwrap_or_else(|e| fail(&format!("gzip: {e}")));
            std::fs::write(&gz_path, gz).unwrap_or_else(|e| fail(&format!("writing {}: {e}", gz_path.display())));
            format!("Some(include_bytes!({:?}))", gz_path.to_string_lossy())
        } else {
            "None".to_string()
        };
        table.push_str(&format!(
            "    Asset {{ path: {:?}, body: include_bytes!({:?}), gzip: {gzip}, content_type: {ctype:?} }},\n",
            format!("/{rel}"),
            file.to_string_lossy()
        ));
    }
    table.push_str("];\n");
    std::fs::write(out, table).unwrap_or_else(|e| fail(&format!("writing {}: {e}", out.display())));
}
