//! Backup and restore: `pharos-aggregator backup` while an agent pushes, a second aggregator
//! started on a copy of the backup serves the same samples up to the backup; the snapshot
//! endpoint answers with Prometheus' JSON and refuses while the admin API is off.

use pharos_e2e::{bcrypt_hash, bin, wait_for, Agent, Aggregator};
use serde_json::Value;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SELECTOR: &str = "node_cpu_seconds_total{instance=\"bk-host\"}";

fn now_s() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_secs_f64()
}

/// `pharos-aggregator --config <config> backup <args>`: success, stdout, stderr.
fn backup(config: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(bin("pharos-aggregator"))
        .args(["--config", config.to_str().expect("utf8"), "backup"])
        .args(args)
        .output()
        .expect("run pharos-aggregator backup");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `query_range` of [`SELECTOR`] over `[start, end]` at 1 s steps: the `result` array.
fn range(agg: &Aggregator, start: f64, end: f64) -> Vec<Value> {
    let url = format!("http://{}/api/v1/query_range", agg.http);
    let (start, end) = (format!("{start:.3}"), format!("{end:.3}"));
    let v: Value = reqwest::blocking::Client::new()
        .get(url)
        .query(&[("query", SELECTOR), ("start", &start), ("end", &end), ("step", "1")])
        .send()
        .expect("query_range")
        .json()
        .expect("json");
    assert_eq!(v["status"], "success", "{v}");
    v["data"]["result"].as_array().cloned().unwrap_or_default()
}

/// `POST|PUT /api/v1/admin/tsdb/snapshot`: status and JSON body.
fn snapshot_request(agg: &Aggregator, method: reqwest::Method, query: &str) -> (u16, Value) {
    let url = format!("http://{}/api/v1/admin/tsdb/snapshot{query}", agg.http);
    let resp = reqwest::blocking::Client::new().request(method, url).send().expect("snapshot request");
    let status = resp.status().as_u16();
    (status, resp.json().expect("json body"))
}

#[test]
fn backup_while_running_restores_into_a_second_aggregator_with_the_same_data() {
    let mut live = Aggregator::setup_with("admin_api = true\n");
    live.start();
    let mut agent = Agent::setup(&live, "bk-host", "1s", "");
    agent.start();
    let first = wait_for(Duration::from_secs(30), || (!live.query_vector(SELECTOR).is_empty()).then(now_s))
        .unwrap_or_else(|| panic!("no samples within 30 s\nagent log:\n{}\nlog:\n{}", agent.log(), live.log()));
    // Enough data, and samples keep arriving during the backup.
    std::thread::sleep(Duration::from_secs(8));

    let out = live.dir.path().join("backup-1");
    let before = now_s();
    let (ok, stdout, stderr) = backup(&live.config, &["--out", out.to_str().expect("utf8")]);
    let after = now_s();
    assert!(ok, "backup failed: {stdout}{stderr}\nlog:\n{}", live.log());
    assert_eq!(stdout.trim(), out.display().to_string());
    assert!(out.join("db/db/CURRENT").exists() && out.join("db/wal").is_dir(), "no store in the backup");
    let data = live.dir.path().join("aggregator");
    assert_eq!(
        std::fs::read(out.join("tls/ca.pem")).expect("CA in the backup"),
        std::fs::read(data.join("tls/ca.pem")).expect("CA")
    );
    assert_eq!(
        std::fs::read(out.join("tls/ca-key.pem")).expect("CA key in the backup"),
        std::fs::read(data.join("tls/ca-key.pem")).expect("CA key")
    );
    // The server's snapshot was moved out of its data_dir, not left behind.
    let left = std::fs::read_dir(data.join("snapshots")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "snapshots left in the data_dir");
    // A second backup to the same place is refused.
    let (ok, _, stderr) = backup(&live.config, &["--out", out.to_str().expect("utf8")]);
    assert!(!ok && stderr.contains("already exists"), "{stderr}");

    // Data keeps flowing past the backup.
    std::thread::sleep(Duration::from_secs(4));

    // The endpoint itself: Prometheus' shape, the snapshot under <data_dir>/snapshots/<name>.
    for method in [reqwest::Method::POST, reqwest::Method::PUT] {
        let (status, v) = snapshot_request(&live, method, "?skip_head=false");
        assert_eq!(status, 200, "{v}");
        assert_eq!(v["status"], "success", "{v}");
        let name = v["data"]["name"].as_str().expect("data.name");
        let (time, rand) = name.split_once('-').expect("name is <time>-<hex>");
        assert!(time.len() == 16 && time.ends_with('Z') && time.as_bytes()[8] == b'T', "{name}");
        assert!(rand.len() == 16 && rand.chars().all(|c| c.is_ascii_hexdigit()), "{name}");
        assert!(data.join("snapshots").join(name).join("db/db/CURRENT").exists(), "{name} not written");
        assert_eq!(v.as_object().map(|o| o.len()), Some(2), "only status and data: {v}");
    }

    // Restore: a copy of the backup as a fresh aggregator's data_dir, on other ports.
    let mut restored = Aggregator::setup();
    let restored_data = restored.dir.path().join("aggregator");
    std::fs::remove_dir_all(&restored_data).expect("clear the fresh data_dir");
    let st = Command::new("cp").arg("-a").arg(&out).arg(&restored_data).status().expect("cp");
    assert!(st.success());
    restored.start();

    // Identical over the range the backup covers (less a margin for samples in flight when it
    // started), and samples up to the backup are there.
    let end = before - 3.0;
    let want = range(&live, first - 60.0, end);
    let got = range(&restored, first - 60.0, end);
    assert!(!want.is_empty(), "live has no data in range");
    let points: usize = want.iter().map(|s| s["values"].as_array().map_or(0, Vec::len)).sum();
    assert!(points >= 5 * want.len(), "too little data to compare: {points} points");
    assert_eq!(got, want, "restored data differs from the live data up to the backup");
    // Nothing after the backup: the restored store's newest sample is from before it ended.
    let newest = |agg: &Aggregator| {
        agg.query_vector(&format!("max(timestamp({SELECTOR}))"))
            .first()
            .map(pharos_e2e::sample_value)
            .expect("a newest sample")
    };
    let restored_newest = newest(&restored);
    assert!(restored_newest >= before - 3.0, "the restore lacks the last samples: {restored_newest} < {before}");
    assert!(restored_newest <= after + 1.0, "the restore has samples after the backup: {restored_newest} > {after}");
    assert!(newest(&live) > after + 1.0, "the live aggregator kept storing");

    // The restored aggregator has the admin API off: refused as Prometheus refuses.
    let (status, v) = snapshot_request(&restored, reqwest::Method::POST, "");
    assert_eq!(status, 503);
    assert_eq!(v, serde_json::json!({"status": "error", "errorType": "unavailable", "error": "admin APIs disabled"}));
    let (ok, _, stderr) = backup(&restored.config, &["--out", restored.dir.path().join("b").to_str().expect("utf8")]);
    assert!(!ok, "backup must fail while the admin API is off");
    assert!(stderr.contains("admin APIs disabled") && stderr.contains("admin_api"), "{stderr}");

    // Stopped, the same command opens the store itself.
    restored.stop();
    let offline = restored.dir.path().join("offline");
    let (ok, stdout, stderr) = backup(&restored.config, &["--out", offline.to_str().expect("utf8")]);
    assert!(ok, "offline backup failed: {stdout}{stderr}");
    assert_eq!(stdout.trim(), offline.display().to_string());
    assert!(offline.join("db/db/CURRENT").exists());
    restored.start();
    assert_eq!(range(&restored, first - 60.0, end), want, "the restored store changed by the offline backup");
    restored.stop();

    agent.proc.take().expect("started").stop();
    live.stop();
}

/// An aggregator serving HTTPS with its own CA and wanting credentials: `backup` of it running
/// is refused without a token (401, naming the flag to pass) and with a read token (403), and
/// done with an admin token over HTTPS, trusting the aggregator's own CA by default.
#[test]
fn backup_of_a_running_aggregator_with_https_and_credentials() {
    const ADMIN: &str = "admin-token-0123456789";
    const READ: &str = "read-token-0123456789";
    let mut agg = Aggregator::setup_with(&format!(
        "admin_api = true\n[http]\ntls = \"ca\"\n\
         [[http.credentials]]\nname = \"ops\"\nrole = \"admin\"\nbearer_token_hash = \"{}\"\n\
         [[http.credentials]]\nname = \"grafana\"\nrole = \"read\"\nbearer_token_hash = \"{}\"\n",
        bcrypt_hash(ADMIN),
        bcrypt_hash(READ)
    ));
    // The shared setup's server certificate names localhost (not 127.0.0.1): --url says localhost.
    let url = format!("https://localhost:{}", agg.http.port());
    let ca = agg.tls_dir().join("ca.pem");
    let ready = format!("{url}/-/ready");
    let ca_s = ca.to_str().expect("utf8").to_string();
    agg.start_probing(|| {
        Command::new("curl")
            .args(["-sf", "--max-time", "5", "--cacert", &ca_s, "-H", &format!("Authorization: Bearer {READ}"), &ready])
            .status()
            .is_ok_and(|s| s.success())
    });
    let token_file = |token: &str| {
        let f = agg.dir.path().join(format!("{}.token", &token[..4]));
        std::fs::write(&f, format!("{token}\n")).expect("token file");
        f.to_str().expect("utf8").to_string()
    };
    let out = |name: &str| agg.dir.path().join(name).to_str().expect("utf8").to_string();

    let (ok, _, stderr) = backup(&agg.config, &["--out", &out("none"), "--url", &url]);
    assert!(!ok && stderr.contains("401") && stderr.contains("--bearer-token-file"), "{stderr}");
    let (ok, _, stderr) =
        backup(&agg.config, &["--out", &out("read"), "--url", &url, "--bearer-token-file", &token_file(READ)]);
    assert!(!ok && stderr.contains("403") && stderr.contains("admin role"), "{stderr}");
    assert!(!Path::new(&out("read")).exists(), "a refused backup leaves nothing");

    let (ok, stdout, stderr) =
        backup(&agg.config, &["--out", &out("admin"), "--url", &url, "--bearer-token-file", &token_file(ADMIN)]);
    assert!(ok, "backup with the admin token failed: {stdout}{stderr}");
    assert_eq!(stdout.trim(), out("admin"));
    assert!(Path::new(&out("admin")).join("db").is_dir(), "the backup has the store");
    assert!(Path::new(&out("admin")).join("tls/ca.pem").is_file(), "the backup has the CA");
    agg.stop();
}
