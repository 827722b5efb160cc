//! Packaging (issue 8): the Grafana dashboards of `packaging/grafana/` against a real aggregator
//! and agent, and the Debian packages built by `scripts/packages.sh` installed, run, upgraded
//! and purged on this machine (root only), with the RPMs' file lists compared to the .debs'.
//!
//! The package test installs into the real /etc, /usr and /var/lib: it refuses to run (and says
//! why) when a Pharos package, /etc/pharos or the user pharos is already there, purges what it
//! installed even when it fails, and runs the installed binaries with the packaged defaults
//! edited to free loopback ports, so it clashes neither with other tests nor with the machine.

use pharos_e2e::{free_port, wait_for, workspace, Agent, Aggregator, Proc};
use serde_json::Value;
use std::collections::{BTreeSet, HashSet};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

fn run(cmd: &str, args: &[&str]) -> Output {
    Command::new(cmd)
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("running {cmd}: {e}"))
}

/// Runs a command that must succeed; returns its stdout.
fn must(cmd: &str, args: &[&str]) -> String {
    let out = run(cmd, args);
    assert!(
        out.status.success(),
        "{cmd} {} failed ({}):\n{}\n{}",
        args.join(" "),
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

// ---------------------------------------------------------------------------------------------
// Grafana dashboards
// ---------------------------------------------------------------------------------------------

fn dashboards() -> Vec<(String, Value)> {
    let dir = workspace().join("packaging/grafana");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir).expect("packaging/grafana") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "json") {
            let text = std::fs::read_to_string(&p).expect("read dashboard");
            let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", p.display()));
            out.push((p.file_name().expect("name").to_string_lossy().into_owned(), v));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Every panel, rows' nested panels included.
fn panels(d: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    for p in d["panels"].as_array().into_iter().flatten() {
        out.push(p);
        out.extend(p["panels"].as_array().into_iter().flatten());
    }
    out
}

/// What Grafana's "Import" needs: a data-source input of type prometheus, and every panel,
/// query and variable using it; the `job` and `instance` variables; panels inside the 24-column
/// grid with unique ids; every non-row panel with at least one query.
fn check_shape(file: &str, d: &Value) {
    let uid = d["uid"].as_str().unwrap_or_default();
    assert!(!uid.is_empty() && uid.len() <= 40, "{file}: uid {uid:?}");
    assert!(d["title"].as_str().is_some_and(|t| t.starts_with("Pharos / ")), "{file}: title");
    assert!(d["schemaVersion"].as_u64().is_some_and(|v| v >= 36), "{file}: schemaVersion");
    assert!(d["id"].is_null(), "{file}: id must be null for import");
    let inputs = d["__inputs"].as_array().expect("__inputs");
    assert!(
        inputs.iter().any(|i| i["name"] == "DS_PHAROS" && i["type"] == "datasource" && i["pluginId"] == "prometheus"),
        "{file}: no DS_PHAROS prometheus input"
    );
    let ds_ok = |v: &Value| v["type"] == "prometheus" && v["uid"] == "${DS_PHAROS}";
    let vars = d["templating"]["list"].as_array().expect("templating.list");
    for name in ["job", "instance"] {
        let v = vars.iter().find(|v| v["name"] == name).unwrap_or_else(|| panic!("{file}: no ${name} variable"));
        assert!(ds_ok(&v["datasource"]), "{file}: ${name} data source");
        assert!(var_query(v).starts_with("label_values("), "{file}: ${name} query {}", var_query(v));
    }
    let mut ids = HashSet::new();
    let all = panels(d);
    assert!(all.len() >= 5, "{file}: only {} panels", all.len());
    for p in all {
        let title = p["title"].as_str().unwrap_or_default();
        assert!(ids.insert(p["id"].as_u64().expect("panel id")), "{file}: duplicate panel id in {title}");
        let g = &p["gridPos"];
        let (x, w) = (g["x"].as_u64().expect("x"), g["w"].as_u64().expect("w"));
        assert!(x + w <= 24 && g["h"].as_u64().is_some_and(|h| h > 0), "{file}: {title} outside the grid");
        if p["type"] == "row" {
            continue;
        }
        assert!(ds_ok(&p["datasource"]), "{file}: {title}: data source {}", p["datasource"]);
        let targets = p["targets"].as_array().unwrap_or_else(|| panic!("{file}: {title}: no targets"));
        assert!(!targets.is_empty(), "{file}: {title}: no targets");
        for t in targets {
            assert!(ds_ok(&t["datasource"]), "{file}: {title}: target data source");
            assert!(t["expr"].as_str().is_some_and(|e| !e.trim().is_empty()), "{file}: {title}: empty expr");
        }
    }
}

fn var_query(v: &Value) -> String {
    v["query"]["query"].as_str().or(v["query"].as_str()).unwrap_or_default().to_string()
}

/// Grafana's substitutions, as a query would reach the data source with "All" selected (each
/// variable has `allValue` `.*`) and a 15 s interval.
fn substitute(expr: &str, vars: &[String]) -> String {
    let mut e = expr.replace("$__rate_interval", "1m").replace("$__interval", "15s").replace("$__range", "1h");
    for v in vars {
        e = e.replace(&format!("${{{v}}}"), ".*").replace(&format!("${v}"), ".*");
    }
    assert!(!e.contains('$'), "unsubstituted variable in {e}");
    e
}

/// The metric names of the selectors in a `/api/v1/parse_query` syntax tree.
fn selector_names(tree: &Value, out: &mut BTreeSet<String>) {
    match tree {
        Value::Object(m) => {
            if matches!(m.get("type").and_then(Value::as_str), Some("vectorSelector" | "matrixSelector")) {
                if let Some(n) = m.get("name").and_then(Value::as_str).filter(|n| !n.is_empty()) {
                    out.insert(n.to_string());
                }
            }
            m.values().for_each(|v| selector_names(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| selector_names(v, out)),
        _ => {}
    }
}

/// `label_values(METRIC_OR_SELECTOR, label)` → the selector.
fn label_values_selector(q: &str) -> String {
    let inner = q.trim().strip_prefix("label_values(").and_then(|r| r.strip_suffix(')')).expect("label_values(...)");
    let (sel, _label) = inner.rsplit_once(',').expect("label_values(selector, label)");
    sel.trim().to_string()
}

fn get_json(url: &str, query: &[(&str, &str)]) -> Value {
    let resp = reqwest::blocking::Client::new().get(url).query(query).send().expect("GET");
    resp.json().expect("JSON answer")
}

/// Every dashboard is importable as it is, and every query parses with the aggregator's PromQL
/// parser, evaluates, and uses only metric names that a real agent (host, containers, probes,
/// self-metrics), the aggregator's /metrics scraped as the packaged agent.toml suggests, and
/// the rules (ALERTS) produce here. Names that need what this machine may not have are listed
/// in `missing_ok` with the reason.
#[test]
fn grafana_dashboards_are_importable_and_use_metrics_pharos_produces() {
    let dashboards = dashboards();
    let uids: HashSet<&str> = dashboards.iter().map(|(_, d)| d["uid"].as_str().unwrap_or_default()).collect();
    assert_eq!(uids.len(), dashboards.len(), "dashboard uids must be unique");
    for want in ["pharos-fleet", "pharos-host", "pharos-containers", "pharos-probes", "pharos-alerts"] {
        assert!(uids.contains(want), "no dashboard {want}");
    }
    for (file, d) in &dashboards {
        check_shape(file, d);
    }

    let tmp = tempfile::tempdir().expect("tempdir");
    let rules = tmp.path().join("always.rules.yml");
    std::fs::write(
        &rules,
        "groups:\n  - name: test\n    rules:\n      - alert: PackagingTestAlert\n        expr: up{job=\"pharos-agent\"} == 1\n        labels:\n          severity: info\n",
    )
    .expect("rules");
    let packaged_rules = workspace().join("packaging/etc/rules/pharos.rules.yml");
    let mut agg = Aggregator::setup_with(&format!(
        "[rules]\nfiles = [{:?}, {:?}]\nevaluation_interval = \"1s\"\n",
        rules.display().to_string(),
        packaged_rules.display().to_string()
    ));
    agg.start();
    let http = agg.http;
    let mut extra = format!(
        "[pushgateway]\nlisten = \"\"\n\n[[collect.scrape.targets]]\nurl = \"http://{http}/metrics\"\njob = \"pharos-aggregator\"\n\n\
         [[collect.probe.targets]]\nname = \"http\"\nprober = \"http\"\ntarget = \"http://{http}/-/healthy\"\n\n\
         [[collect.probe.targets]]\nname = \"tcp\"\nprober = \"tcp\"\ntarget = \"{http}\"\n"
    );
    if is_root() {
        extra.push_str("\n[[collect.probe.targets]]\nname = \"icmp\"\nprober = \"icmp\"\ntarget = \"127.0.0.1\"\n");
    }
    let mut agent = Agent::setup(&agg, "dash-agent", "1s", &extra);
    agent.start();
    let needed = [
        "node_load1",
        "pharos_agent_uplink_last_ack_timestamp_seconds",
        "pharos_ingest_samples_total",
        "probe_success",
        "ALERTS",
    ];
    let names_url = format!("http://{http}/api/v1/label/__name__/values");
    let ready = wait_for(Duration::from_secs(60), || {
        let v = get_json(&names_url, &[]);
        let have: Vec<&str> = v["data"].as_array()?.iter().filter_map(Value::as_str).collect();
        needed.iter().all(|n| have.contains(n)).then_some(())
    });
    assert!(ready.is_some(), "data missing after 60 s; agent log:\n{}\naggregator log:\n{}", agent.log(), agg.log());
    // rate() over the queries' 1m windows needs a few samples per series.
    std::thread::sleep(Duration::from_secs(5));
    let v = get_json(&names_url, &[]);
    let have: HashSet<String> =
        v["data"].as_array().expect("names").iter().filter_map(Value::as_str).map(str::to_string).collect();

    let containers = have.contains("container_last_seen");
    let missing_ok = |n: &str| -> Option<&'static str> {
        if n.starts_with("container_") && !containers {
            return Some("no container engine on this machine");
        }
        if n.starts_with("probe_ssl_") || n == "probe_tls_version_info" {
            return Some("needs an HTTPS target");
        }
        if n.starts_with("probe_dns_") {
            return Some("needs a DNS server");
        }
        if n.starts_with("probe_icmp_") && !is_root() {
            return Some("ICMP probes need root or CAP_NET_RAW");
        }
        None
    };

    let query_url = format!("http://{http}/api/v1/query_range");
    let parse_url = format!("http://{http}/api/v1/parse_query");
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("time").as_secs();
    let (start, end) = ((now - 60).to_string(), now.to_string());
    let mut used = BTreeSet::new();
    let mut skipped = BTreeSet::new();
    for (file, d) in &dashboards {
        let vars: Vec<String> = d["templating"]["list"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v["name"].as_str().map(str::to_string))
            .collect();
        let mut exprs: Vec<(String, String)> = Vec::new();
        for p in panels(d) {
            for t in p["targets"].as_array().into_iter().flatten() {
                let e = t["expr"].as_str().unwrap_or_default();
                exprs.push((format!("{file}: {}", p["title"]), substitute(e, &vars)));
            }
        }
        for v in d["templating"]["list"].as_array().into_iter().flatten() {
            exprs.push((format!("{file}: ${}", v["name"]), substitute(&label_values_selector(&var_query(v)), &vars)));
        }
        for (place, e) in exprs {
            let tree = get_json(&parse_url, &[("query", &e)]);
            assert_eq!(tree["status"], "success", "{place}: {e} does not parse: {tree}");
            let mut names = BTreeSet::new();
            selector_names(&tree["data"], &mut names);
            assert!(!names.is_empty(), "{place}: {e} selects no metric");
            for n in names {
                if have.contains(&n) {
                    used.insert(n);
                } else if let Some(why) = missing_ok(&n) {
                    skipped.insert(format!("{n} ({why})"));
                } else {
                    panic!("{place}: {e} uses {n}, which Pharos did not produce here");
                }
            }
            let r = get_json(&query_url, &[("query", &e), ("start", &start), ("end", &end), ("step", "5")]);
            assert_eq!(r["status"], "success", "{place}: {e} fails: {r}");
        }
    }
    eprintln!("dashboards use {} metric names with data here; not checked: {skipped:?}", used.len());
    assert!(used.len() >= 45, "only {} names checked: {used:?}", used.len());
}

// ---------------------------------------------------------------------------------------------
// Debian packages
// ---------------------------------------------------------------------------------------------

const PACKAGES: [&str; 2] = ["pharos-agent", "pharos-aggregator"];

/// Purges both packages when dropped (also when the test fails); killed processes first, since
/// it is declared before them.
struct PurgeGuard;

impl Drop for PurgeGuard {
    fn drop(&mut self) {
        let _ = run("dpkg", &["--purge", PACKAGES[0], PACKAGES[1]]);
    }
}

fn package_status(pkg: &str) -> String {
    let out = run("dpkg-query", &["-W", "-f=${db:Status-Status} ${Version}", pkg]);
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Regular files (and symlinks) of a .deb, as absolute paths.
fn deb_files(deb: &Path) -> BTreeSet<String> {
    must("dpkg-deb", &["-c", deb.to_str().expect("utf8")])
        .lines()
        .filter(|l| !l.starts_with('d'))
        .filter_map(|l| l.split_whitespace().nth(5))
        .map(|p| p.trim_start_matches('.').to_string())
        .collect()
}

fn deb_conffiles(deb: &Path) -> BTreeSet<String> {
    let tmp = tempfile::tempdir().expect("tempdir");
    must("dpkg-deb", &["-e", deb.to_str().expect("utf8"), tmp.path().to_str().expect("utf8")]);
    std::fs::read_to_string(tmp.path().join("conffiles")).unwrap_or_default().lines().map(str::to_string).collect()
}

fn lines(s: String) -> BTreeSet<String> {
    s.lines().map(str::to_string).collect()
}

/// The package files named `<pkg>_*.deb` / `<pkg>-*.rpm` in `dir`.
fn find_package(dir: &Path, pkg: &str, ext: &str) -> PathBuf {
    let sep = if ext == "deb" { '_' } else { '-' };
    std::fs::read_dir(dir)
        .expect("packages dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            let n = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            n.starts_with(&format!("{pkg}{sep}"))
                && n.ends_with(&format!(".{ext}"))
                && n[pkg.len() + 1..].starts_with(|c: char| c.is_ascii_digit())
        })
        .unwrap_or_else(|| panic!("no {pkg} .{ext} in {}", dir.display()))
}

fn id_of(db: &str, name: &str) -> Option<u32> {
    let out = run("getent", &[db, name]);
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).split(':').nth(2).and_then(|s| s.parse().ok()))?
}

/// Owner uid, gid and permission bits of `path`, which must exist.
fn stat(path: &str) -> (u32, u32, u32) {
    let m = std::fs::symlink_metadata(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    (m.uid(), m.gid(), m.permissions().mode() & 0o7777)
}

/// Runs an installed binary as the user pharos (setpriv execs it: the pid is the binary's).
/// Runs a command as the user pharos, as the units do; its standard output, or a panic with both.
fn as_pharos(cmd: &[&str]) -> String {
    must("/usr/bin/setpriv", &[&["--reuid=pharos", "--regid=pharos", "--init-groups", "--"][..], cmd].concat())
}

fn start_as_pharos(bin: &str, args: &[&str], log: &Path) -> Proc {
    let mut all = vec!["--reuid=pharos", "--regid=pharos", "--init-groups", "--", bin];
    all.extend_from_slice(args);
    Proc::start(Path::new("/usr/bin/setpriv"), &all, log)
}

/// Rewrites the `key = ...` line of section `[section]` in a TOML text (or adds it).
fn set_key(text: &str, section: &str, key: &str, value: &str) -> String {
    let mut out = Vec::new();
    let mut in_section = false;
    let mut done = false;
    for l in text.lines() {
        if l.starts_with('[') {
            if in_section && !done {
                out.push(format!("{key} = {value}"));
                done = true;
            }
            in_section = l.trim() == format!("[{section}]");
        }
        if in_section && !done && l.split('=').next().is_some_and(|k| k.trim() == key) {
            out.push(format!("{key} = {value}"));
            done = true;
            continue;
        }
        out.push(l.to_string());
    }
    if !done {
        if !in_section {
            out.push(format!("\n[{section}]"));
        }
        out.push(format!("{key} = {value}"));
    }
    out.join("\n") + "\n"
}

/// A copy of `deb` as version `version`, with `note` appended to each of `changed` (paths inside
/// the package): what a rebuilt package with a changed default config looks like to dpkg.
fn rebuilt_deb(deb: &Path, version: &str, changed: &[&str], note: &str, out_dir: &Path) -> PathBuf {
    let tree = tempfile::tempdir().expect("tempdir");
    let root = tree.path().join("pkg");
    must("dpkg-deb", &["-R", deb.to_str().expect("utf8"), root.to_str().expect("utf8")]);
    let control = root.join("DEBIAN/control");
    let text = std::fs::read_to_string(&control).expect("control");
    let text: String = text
        .lines()
        .map(|l| if l.starts_with("Version: ") { format!("Version: {version}") } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    std::fs::write(&control, text).expect("control");
    for c in changed {
        let p = root.join(c.trim_start_matches('/'));
        let mut t = std::fs::read_to_string(&p).expect("changed file");
        t.push_str(note);
        std::fs::write(&p, t).expect("write");
    }
    // md5sums, as dpkg-deb --build expects them to match (dpkg --verify uses them).
    let md5 = root.join("DEBIAN/md5sums");
    if md5.exists() {
        let mut sums = String::new();
        for l in std::fs::read_to_string(&md5).expect("md5sums").lines() {
            let path = l.split_once("  ").map(|(_, p)| p).unwrap_or_default();
            let sum = must("md5sum", &[root.join(path).to_str().expect("utf8")]);
            sums.push_str(&format!("{}  {path}\n", sum.split_whitespace().next().unwrap_or_default()));
        }
        std::fs::write(&md5, sums).expect("md5sums");
    }
    let out = out_dir.join(format!(
        "{}_{version}_rebuilt.deb",
        deb.file_name().expect("name").to_string_lossy().split('_').next().expect("pkg")
    ));
    must("dpkg-deb", &["--root-owner-group", "-b", root.to_str().expect("utf8"), out.to_str().expect("utf8")]);
    out
}

fn query(http: &str, q: &str, time: Option<&str>) -> Vec<Value> {
    let mut params = vec![("query", q)];
    if let Some(t) = time {
        params.push(("time", t));
    }
    let v = get_json(&format!("http://{http}/api/v1/query"), &params);
    v["data"]["result"].as_array().cloned().unwrap_or_default()
}

/// The acceptance of issue 8: both .debs built by scripts/packages.sh install,
/// with their files, owners, modes, conffiles and the user pharos as documented; the RPMs list
/// the same files and config files; systemd-analyze verifies the units; the installed binaries run
/// as pharos with the installed configs (ports edited), which pass check-config, the agent
/// enrolled with a token from the aggregator, and the agent's data is queryable; an
/// upgrade to a rebuilt package with changed default configs keeps the edited configs and the
/// state, and installs the changed unedited one; a purge leaves nothing behind.
#[test]
fn deb_packages_install_run_upgrade_and_purge() {
    if !is_root() {
        eprintln!("skipped: installing packages needs root");
        return;
    }
    if !Path::new("/usr/bin/dpkg").exists() || !Path::new("/usr/bin/rpm").exists() {
        eprintln!("skipped: dpkg and rpm are needed (apt-get install rpm; scripts/test.sh does)");
        return;
    }
    for p in PACKAGES {
        if !matches!(package_status(p).split(' ').next(), None | Some("") | Some("not-installed")) {
            eprintln!("skipped: {p} is installed on this machine ({}); not touching it", package_status(p));
            return;
        }
    }
    if Path::new("/etc/pharos").exists() || id_of("passwd", "pharos").is_some() {
        eprintln!("skipped: /etc/pharos or the user pharos exists already; not touching them");
        return;
    }

    let work = tempfile::tempdir().expect("tempdir");
    let pkgs = work.path().join("packages");
    let script = workspace().join("scripts/packages.sh");
    must(script.to_str().expect("utf8"), &[pkgs.to_str().expect("utf8")]);
    let debs: Vec<PathBuf> = PACKAGES.iter().map(|p| find_package(&pkgs, p, "deb")).collect();
    let rpms: Vec<PathBuf> = PACKAGES.iter().map(|p| find_package(&pkgs, p, "rpm")).collect();

    // The RPMs hold the same files and the same config files as the .debs.
    for (deb, rpm) in debs.iter().zip(&rpms) {
        let rpm = rpm.to_str().expect("utf8");
        assert_eq!(deb_files(deb), lines(must("rpm", &["-qlp", rpm])), "files of {rpm}");
        assert_eq!(deb_conffiles(deb), lines(must("rpm", &["-qcp", rpm])), "config files of {rpm}");
    }

    let _purge = PurgeGuard;
    let deb_args: Vec<&str> = debs.iter().map(|d| d.to_str().expect("utf8")).collect();
    must("dpkg", &[&["-i"][..], &deb_args[..]].concat());
    for p in PACKAGES {
        assert!(package_status(p).starts_with("installed 0.1.0"), "{p}: {}", package_status(p));
    }

    // The user: a system user without home or shell, with its own group.
    let uid = id_of("passwd", "pharos").expect("user pharos");
    let gid = id_of("group", "pharos").expect("group pharos");
    let pw = must("getent", &["passwd", "pharos"]);
    assert!(uid < 1000, "pharos is not a system user: {pw}");
    assert!(pw.contains(":/nonexistent:") && pw.trim_end().ends_with("nologin"), "{pw}");

    // Files, owners, modes.
    let expect: &[(&str, u32, u32, u32)] = &[
        ("/usr/bin/pharos-agent", 0, 0, 0o755),
        ("/usr/bin/pharos-aggregator", 0, 0, 0o755),
        ("/etc/pharos", 0, gid, 0o750),
        ("/etc/pharos/agent.toml", 0, gid, 0o640),
        ("/etc/pharos/aggregator.toml", 0, gid, 0o640),
        ("/etc/pharos/alertmanager.yml", 0, gid, 0o640),
        ("/etc/pharos/rules", 0, gid, 0o750),
        ("/etc/pharos/rules/pharos.rules.yml", 0, gid, 0o640),
        ("/var/lib/pharos-agent", uid, gid, 0o750),
        ("/var/lib/pharos-aggregator", uid, gid, 0o750),
        ("/usr/lib/systemd/system/pharos-agent.service", 0, 0, 0o644),
        ("/usr/lib/systemd/system/pharos-aggregator.service", 0, 0, 0o644),
        ("/usr/lib/systemd/system-generators/pharos-agent-docker-group", 0, 0, 0o755),
        ("/usr/share/man/man8/pharos-agent.8.gz", 0, 0, 0o644),
        ("/usr/share/man/man8/pharos-aggregator.8.gz", 0, 0, 0o644),
        ("/usr/share/doc/pharos-agent/copyright", 0, 0, 0o644),
        ("/usr/share/doc/pharos-aggregator/changelog.gz", 0, 0, 0o644),
        ("/usr/share/pharos/grafana/pharos-fleet.json", 0, 0, 0o644),
    ];
    for &(path, u, g, mode) in expect {
        assert_eq!(stat(path), (u, g, mode), "{path}: (uid, gid, mode)");
    }
    let conffiles = |p: &str| must("dpkg-query", &["-W", "-f=${Conffiles}", p]);
    assert!(conffiles("pharos-agent").contains("/etc/pharos/agent.toml"));
    for f in ["/etc/pharos/aggregator.toml", "/etc/pharos/alertmanager.yml", "/etc/pharos/rules/pharos.rules.yml"] {
        assert!(conffiles("pharos-aggregator").contains(f), "{f} is not a conffile");
    }
    let man = must("sh", &["-c", "zcat /usr/share/man/man8/pharos-aggregator.8.gz"]);
    assert!(man.contains("cert agent") && man.contains("/etc/pharos/aggregator.toml"), "man page:\n{man}");

    // The units, as systemd reads them (man: references are checked when man pages are installed).
    let units = ["/usr/lib/systemd/system/pharos-agent.service", "/usr/lib/systemd/system/pharos-aggregator.service"];
    let man_flag = if Path::new("/usr/bin/man").exists() { "--man=yes" } else { "--man=no" };
    let out = run("systemd-analyze", &[&["verify", man_flag][..], &units[..]].concat());
    let errors = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && errors.trim().is_empty(), "systemd-analyze verify: {}\n{errors}", out.status);
    // The generator adds the group docker only while it exists.
    let gen = "/usr/lib/systemd/system-generators/pharos-agent-docker-group";
    for (group_file, want) in [("docker:x:999:\n", true), ("users:x:100:\n", false)] {
        let dir = tempfile::tempdir().expect("tempdir");
        let groups = dir.path().join("group");
        std::fs::write(&groups, group_file).expect("group file");
        let out_dir = dir.path().join("out");
        let st = Command::new(gen).arg(&out_dir).env("PHAROS_GROUP_FILE", &groups).status().expect("generator");
        assert!(st.success());
        let dropin = std::fs::read_to_string(out_dir.join("pharos-agent.service.d/50-docker-group.conf")).ok();
        assert_eq!(dropin.as_deref().is_some_and(|d| d.contains("SupplementaryGroups=docker")), want, "{group_file}");
    }

    // The installed binaries with the installed configs, as pharos, on free ports.
    let (http, quic, push) = (free_port(), free_port(), free_port());
    let agg_conf = std::fs::read_to_string("/etc/pharos/aggregator.toml").expect("aggregator.toml");
    let agg_conf = set_key(&agg_conf, "server", "http_listen", &format!("\"127.0.0.1:{http}\""));
    let agg_conf = set_key(&agg_conf, "server", "quic_listen", &format!("\"127.0.0.1:{quic}\""));
    let agg_conf = set_key(&agg_conf, "rules", "evaluation_interval", "\"1s\"");
    std::fs::write("/etc/pharos/aggregator.toml", &agg_conf).expect("edit aggregator.toml");
    let agent_conf = std::fs::read_to_string("/etc/pharos/agent.toml").expect("agent.toml");
    let agent_conf = set_key(&agent_conf, "agent", "name", "\"pkg-agent\"");
    let agent_conf = set_key(&agent_conf, "agent", "interval", "\"1s\"");
    let agent_conf = set_key(&agent_conf, "uplink", "server", &format!("\"127.0.0.1:{quic}\""));
    let agent_conf = set_key(&agent_conf, "uplink", "server_name", "\"localhost\"");
    let agent_conf = set_key(&agent_conf, "pushgateway", "listen", &format!("\"127.0.0.1:{push}\""));
    std::fs::write("/etc/pharos/agent.toml", &agent_conf).expect("edit agent.toml");

    // The installed configurations check out as pharos (the agent's certificate comes with the
    // enrollment below; until then its check fails and says so).
    let checked = as_pharos(&["/usr/bin/pharos-aggregator", "check-config", "/etc/pharos/aggregator.toml"]);
    assert!(
        checked.contains(" SUCCESS: /etc/pharos/aggregator.toml is valid pharos-aggregator configuration"),
        "{checked}"
    );
    assert!(checked.contains("Checking /etc/pharos/rules/pharos.rules.yml\n  SUCCESS: "), "{checked}");
    let unenrolled = run("/usr/bin/pharos-agent", &["check-config", "/etc/pharos/agent.toml"]);
    assert_eq!(unenrolled.status.code(), Some(1), "check-config without a certificate");
    assert!(String::from_utf8_lossy(&unenrolled.stderr).contains("pharos-agent enroll"));
    for bin in ["/usr/bin/pharos-agent", "/usr/bin/pharos-aggregator"] {
        let version = must(bin, &["--version"]);
        assert!(version.contains("(branch: ") && version.contains("build date:"), "{bin} --version: {version}");
        assert!(!version.contains("revision: unknown"), "{bin} --version: {version}");
    }

    let logs = work.path();
    let http_addr = format!("127.0.0.1:{http}");
    let start_both = |tag: &str| -> (Proc, Proc) {
        let mut agg = start_as_pharos(
            "/usr/bin/pharos-aggregator",
            &["--config", "/etc/pharos/aggregator.toml"],
            &logs.join(format!("aggregator-{tag}.log")),
        );
        let ready = wait_for(Duration::from_secs(60), || {
            assert!(agg.running(), "aggregator exited:\n{}", agg.log_text());
            reqwest::blocking::get(format!("http://{http_addr}/-/ready")).ok().filter(|r| r.status().is_success())
        });
        assert!(ready.is_some(), "aggregator not ready:\n{}", agg.log_text());
        if !Path::new("/var/lib/pharos-agent/tls/agent.pem").exists() {
            // Enrollment, as a user would: a token from the aggregator, redeemed by the agent.
            let created = as_pharos(&[
                "/usr/bin/pharos-aggregator",
                "--config",
                "/etc/pharos/aggregator.toml",
                "token",
                "create",
                "--name",
                "pkg-agent",
                "--ttl",
                "10m",
            ]);
            let field = |key: &str| {
                let line =
                    created.lines().find(|l| l.starts_with(key)).unwrap_or_else(|| panic!("{key} in:\n{created}"));
                line[key.len()..].trim().to_string()
            };
            let server = format!("127.0.0.1:{quic}");
            let enrolled = as_pharos(&[
                "/usr/bin/pharos-agent",
                "--config",
                "/etc/pharos/agent.toml",
                "enroll",
                "--server",
                &server,
                "--token",
                &field("token:"),
                "--ca-fingerprint",
                &field("ca-fingerprint:"),
            ]);
            assert!(enrolled.contains("enrolled as pkg-agent"), "enroll: {enrolled}");
            // Now the agent's configuration checks out, certificates included.
            let checked = as_pharos(&["/usr/bin/pharos-agent", "check-config", "/etc/pharos/agent.toml"]);
            assert!(checked.contains("SUCCESS: uplink: sending to"), "{checked}");
        }
        let agent = start_as_pharos(
            "/usr/bin/pharos-agent",
            &["--config", "/etc/pharos/agent.toml"],
            &logs.join(format!("agent-{tag}.log")),
        );
        (agg, agent)
    };
    let (mut agg, mut agent) = start_both("1");
    // The aggregator created its CA at the first start, as pharos, keys private.
    assert_eq!(stat("/var/lib/pharos-aggregator/tls/ca-key.pem"), (uid, gid, 0o600));
    // Enrollment stored the agent's key for pharos alone.
    assert_eq!(stat("/var/lib/pharos-agent/tls/agent-key.pem"), (uid, gid, 0o600));
    let up = wait_for(Duration::from_secs(60), || {
        assert!(agent.running(), "agent exited:\n{}", agent.log_text());
        let up = query(&http_addr, "up{job=\"pharos-agent\",instance=\"pkg-agent\"} == 1", None);
        let load = query(&http_addr, "node_load1{instance=\"pkg-agent\"}", None);
        (!up.is_empty() && !load.is_empty()).then_some(())
    });
    assert!(up.is_some(), "no data from the agent:\n{}\n{}", agent.log_text(), agg.log_text());
    // The packaged rules are loaded.
    let rules = get_json(&format!("http://{http_addr}/api/v1/rules"), &[]);
    assert!(rules.to_string().contains("PharosAgentDown"), "packaged rules not loaded: {rules}");
    let before_upgrade = SystemTime::now().duration_since(UNIX_EPOCH).expect("time").as_secs_f64().to_string();
    agent.stop();
    agg.stop();

    // Upgrade to rebuilt packages whose default configs changed: the edited ones stay (the new
    // default lands next to them as .dpkg-dist), the unedited alertmanager.yml is replaced.
    let note = "\n# changed in 0.1.0-2\n";
    let new_agent = rebuilt_deb(&debs[0], "0.1.0-2", &["etc/pharos/agent.toml"], note, work.path());
    let new_agg = rebuilt_deb(
        &debs[1],
        "0.1.0-2",
        &["etc/pharos/aggregator.toml", "etc/pharos/alertmanager.yml"],
        note,
        work.path(),
    );
    must("dpkg", &["-i", "--force-confold", new_agent.to_str().expect("utf8"), new_agg.to_str().expect("utf8")]);
    for p in PACKAGES {
        assert!(package_status(p).starts_with("installed 0.1.0-2"), "{p}: {}", package_status(p));
    }
    assert_eq!(std::fs::read_to_string("/etc/pharos/agent.toml").expect("agent.toml"), agent_conf);
    assert_eq!(std::fs::read_to_string("/etc/pharos/aggregator.toml").expect("aggregator.toml"), agg_conf);
    assert!(std::fs::read_to_string("/etc/pharos/agent.toml.dpkg-dist").expect(".dpkg-dist").ends_with(note));
    assert!(std::fs::read_to_string("/etc/pharos/alertmanager.yml").expect("alertmanager.yml").ends_with(note));
    assert_eq!(stat("/etc/pharos/alertmanager.yml"), (0, gid, 0o640), "replaced conffile keeps its group");
    assert_eq!(id_of("passwd", "pharos"), Some(uid), "the user survives an upgrade");

    // State survived: the same CA and agent certificate, and the data stored before.
    let (mut agg, mut agent) = start_both("2");
    let old = query(&http_addr, "up{job=\"pharos-agent\",instance=\"pkg-agent\"}", Some(&before_upgrade));
    assert!(!old.is_empty(), "data from before the upgrade is gone");
    let fresh = wait_for(Duration::from_secs(60), || {
        let v = query(&http_addr, "timestamp(node_load1{instance=\"pkg-agent\"})", None);
        let t = v.first()?["value"][1].as_str()?.parse::<f64>().ok()?;
        (t > before_upgrade.parse::<f64>().ok()? + 1.0).then_some(())
    });
    assert!(fresh.is_some(), "the agent does not send after the upgrade:\n{}", agent.log_text());
    agent.stop();
    agg.stop();

    // Purge: nothing of ours is left.
    must("dpkg", &["--purge", PACKAGES[0], PACKAGES[1]]);
    for p in PACKAGES {
        let s = package_status(p);
        assert!(s.is_empty() || s.starts_with("not-installed"), "{p} after purge: {s}");
    }
    for path in [
        "/etc/pharos",
        "/var/lib/pharos-agent",
        "/var/lib/pharos-aggregator",
        "/usr/bin/pharos-agent",
        "/usr/bin/pharos-aggregator",
        "/usr/lib/systemd/system/pharos-agent.service",
        "/usr/share/pharos",
        "/etc/systemd/system/multi-user.target.wants/pharos-agent.service",
        "/etc/systemd/system/multi-user.target.wants/pharos-aggregator.service",
    ] {
        assert!(std::fs::symlink_metadata(path).is_err(), "{path} is left after the purge");
    }
    assert_eq!(id_of("passwd", "pharos"), None, "user pharos left after the purge");
    assert_eq!(id_of("group", "pharos"), None, "group pharos left after the purge");
}
