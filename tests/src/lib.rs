//! Helpers for Pharos' end-to-end tests: locate the release binaries, run them as child processes
//! on 127.0.0.1 with their own temp directories (killed by pid when the guard drops, also when a
//! test fails), query the HTTP API, and speak the agent protocol directly from a test client.

pub mod browser;
pub mod examples;
pub mod parity;
pub mod pushgateway_scenario;
pub mod receivers;
pub mod sequence;

use serde_json::Value;
use std::io::Write;
use std::net::{SocketAddr, TcpListener, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// A release binary of the workspace (built by the test command before the tests run).
pub fn bin(name: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace().join("target"));
    let p = target.join("release").join(name);
    assert!(p.exists(), "{} is missing: run `cargo build --release --workspace` first", p.display());
    p
}

/// The bcrypt hash `pharos-aggregator hash-password` prints for `secret`, at cost 4 (fast
/// tests), for `[[http.credentials]]`.
pub fn bcrypt_hash(secret: &str) -> String {
    let mut child = Command::new(bin("pharos-aggregator"))
        .args(["hash-password", "--cost", "4"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("hash-password");
    child.stdin.take().expect("stdin").write_all(format!("{secret}\n").as_bytes()).expect("write");
    let out = child.wait_with_output().expect("hash-password");
    assert!(out.status.success());
    let h = String::from_utf8(out.stdout).expect("utf8").trim().to_string();
    assert!(h.starts_with("$2") && h.len() == 60, "{h}");
    h
}

/// A port that is free on 127.0.0.1 for both TCP and UDP right now.
pub fn free_port() -> u16 {
    loop {
        let tcp = TcpListener::bind("127.0.0.1:0").expect("bind tcp");
        let port = tcp.local_addr().expect("addr").port();
        if UdpSocket::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// Polls `f` every 200 ms until it returns `Some` or `timeout` passes.
pub fn wait_for<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if start.elapsed() > timeout {
            return None;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A child process killed (SIGKILL) and reaped when dropped.
pub struct Proc {
    /// The child.
    pub child: Child,
    /// Where its stderr goes.
    pub log: PathBuf,
}

impl Proc {
    /// Starts `bin` with `args`, stderr/stdout appended to `log`.
    pub fn start(bin: &Path, args: &[&str], log: &Path) -> Proc {
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("log file");
        writeln!(f, "### start {} {}", bin.display(), args.join(" ")).ok();
        let child = Command::new(bin)
            .args(args)
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(f.try_clone().expect("log"))
            .stderr(f)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", bin.display()));
        Proc { child, log: log.to_path_buf() }
    }

    /// The child's pid.
    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// Sends a signal.
    pub fn signal(&self, sig: i32) {
        // SAFETY: kill(2) on our own child's pid.
        unsafe {
            libc::kill(self.pid(), sig);
        }
    }

    /// SIGKILL and reap.
    pub fn kill(&mut self) {
        self.signal(libc::SIGKILL);
        let _ = self.child.wait();
    }

    /// SIGTERM, wait up to 10 s, then SIGKILL.
    pub fn stop(&mut self) {
        self.signal(libc::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.kill();
    }

    /// Whether the process is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The log so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if self.running() {
            self.kill();
        }
    }
}

/// An aggregator set up in a temp dir with its CA, on free loopback ports.
pub struct Aggregator {
    /// Temp dir holding everything (kept for the test's lifetime).
    pub dir: tempfile::TempDir,
    /// HTTP address.
    pub http: SocketAddr,
    /// QUIC address.
    pub quic: SocketAddr,
    /// Its config file.
    pub config: PathBuf,
    /// The running process, if started.
    pub proc: Option<Proc>,
}

impl Aggregator {
    /// Creates config and certificates (does not start it).
    pub fn setup() -> Aggregator {
        Aggregator::setup_with("")
    }

    /// Like [`setup`](Self::setup), with `extra` appended to the TOML config (e.g. a
    /// `[storage]` section).
    pub fn setup_with(extra: &str) -> Aggregator {
        let dir = tempfile::tempdir().expect("tempdir");
        let http: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("addr");
        let quic: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("addr");
        let data = dir.path().join("aggregator");
        let config = dir.path().join("aggregator.toml");
        std::fs::write(
            &config,
            format!(
                "[server]\nhttp_listen = \"{http}\"\nquic_listen = \"{quic}\"\ndata_dir = \"{}\"\n{extra}",
                data.display()
            ),
        )
        .expect("write config");
        let out = Command::new(bin("pharos-aggregator"))
            .args(["--config", config.to_str().expect("utf8"), "cert", "init", "--server-name", "localhost"])
            .output()
            .expect("cert init");
        assert!(out.status.success(), "cert init failed: {}", String::from_utf8_lossy(&out.stderr));
        Aggregator { dir, http, quic, config, proc: None }
    }

    /// The TLS directory with the CA.
    pub fn tls_dir(&self) -> PathBuf {
        self.dir.path().join("aggregator/tls")
    }

    /// Starts (or restarts) the process and waits until `/-/ready` answers.
    pub fn start(&mut self) {
        let log = self.dir.path().join("aggregator.log");
        self.proc =
            Some(Proc::start(&bin("pharos-aggregator"), &["--config", self.config.to_str().expect("utf8")], &log));
        let url = format!("http://{}/-/ready", self.http);
        let ok = wait_for(Duration::from_secs(60), || {
            reqwest::blocking::get(&url).ok().filter(|r| r.status().is_success()).map(|_| ())
        });
        assert!(ok.is_some(), "aggregator not ready; log:\n{}", self.log());
    }

    /// Like [`start`](Self::start), for an aggregator whose `[http]` wants credentials or TLS:
    /// waits until `probe` (a request made the way it needs) returns true.
    pub fn start_probing(&mut self, probe: impl Fn() -> bool) {
        let log = self.dir.path().join("aggregator.log");
        self.proc =
            Some(Proc::start(&bin("pharos-aggregator"), &["--config", self.config.to_str().expect("utf8")], &log));
        let ok = wait_for(Duration::from_secs(60), || probe().then_some(()));
        assert!(ok.is_some(), "aggregator not ready; log:\n{}", self.log());
    }

    /// The process log.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("aggregator.log")).unwrap_or_default()
    }

    /// Stops the process (SIGTERM, then SIGKILL after 10 s) by its pid.
    pub fn stop(&mut self) {
        if let Some(mut p) = self.proc.take() {
            p.stop();
        }
    }

    /// Issues an agent certificate into `out`.
    pub fn issue_agent_cert(&self, name: &str, out: &Path) {
        let st = Command::new(bin("pharos-aggregator"))
            .args(["--config", self.config.to_str().expect("utf8"), "cert", "agent", "--name", name, "--out"])
            .arg(out)
            .output()
            .expect("cert agent");
        assert!(st.status.success(), "cert agent failed: {}", String::from_utf8_lossy(&st.stderr));
    }

    /// Issues a certificate for agent `name` and returns the CA certificate and the agent's
    /// certificate and key, for tests that speak the protocol directly.
    pub fn agent_credentials(&self, name: &str) -> (String, pharos_protocol::tls::PemPair) {
        use pharos_protocol::tls::{read_pem_file, PemPair};
        let dir = self.dir.path().join(format!("client-{name}"));
        self.issue_agent_cert(name, &dir);
        let ca = read_pem_file(&dir.join("ca.pem")).expect("ca.pem");
        let pair = PemPair {
            cert_pem: read_pem_file(&dir.join("agent.pem")).expect("agent.pem"),
            key_pem: read_pem_file(&dir.join("agent-key.pem")).expect("agent-key.pem"),
        };
        (ca, pair)
    }

    /// `GET /api/v1/query?query=…` (evaluated now); returns `data`, panicking on an error status.
    pub fn query(&self, q: &str) -> Value {
        let url = format!("http://{}/api/v1/query", self.http);
        let resp = reqwest::blocking::Client::new().get(url).query(&[("query", q)]).send().expect("query");
        let v: Value = resp.json().expect("json");
        assert_eq!(v["status"], "success", "query {q} failed: {v}");
        v["data"].clone()
    }

    /// The aggregator's own `/metrics` text.
    pub fn metrics_text(&self) -> String {
        let url = format!("http://{}/metrics", self.http);
        reqwest::blocking::get(url).and_then(|r| r.text()).expect("GET /metrics")
    }

    /// The result vector of an instant query.
    pub fn query_vector(&self, q: &str) -> Vec<Value> {
        self.query(q)["result"].as_array().cloned().unwrap_or_default()
    }

    /// `(timestamp, value)` pairs of one series over `[start, end]` at full resolution (a range
    /// selector in an instant query at `end` returns the raw samples); empty without data.
    pub fn raw_samples(&self, series: &str, start: f64, end: f64) -> Vec<(f64, String)> {
        let range = (end - start).ceil() as u64 + 1;
        let url = format!("http://{}/api/v1/query", self.http);
        let q = format!("{series}[{range}s]");
        let v: Value = reqwest::blocking::Client::new()
            .get(url)
            .query(&[("query", q.as_str()), ("time", &format!("{end:.3}"))])
            .send()
            .expect("query")
            .json()
            .expect("json");
        assert_eq!(v["status"], "success", "{v}");
        let Some(values) = v["data"]["result"].get(0).and_then(|r| r["values"].as_array()) else { return Vec::new() };
        values
            .iter()
            .filter_map(|p| Some((p[0].as_f64()?, p[1].as_str()?.to_string())))
            .filter(|(t, _)| *t >= start)
            .collect()
    }

    /// Imports Prometheus text lines through `/api/v1/import/prometheus` (samples without a
    /// timestamp are stored at the time of the import); panics unless it succeeds.
    pub fn import(&self, lines: &str) {
        let url = format!("http://{}/api/v1/import/prometheus", self.http);
        let resp = reqwest::blocking::Client::new().post(url).body(lines.to_string()).send().expect("import");
        assert!(resp.status().is_success(), "import failed: {} {}", resp.status(), resp.text().unwrap_or_default());
    }
}

/// An agent set up in a temp dir, pushing to an aggregator.
pub struct Agent {
    /// Temp dir holding its state.
    pub dir: tempfile::TempDir,
    /// The agent name.
    pub name: String,
    /// Its config file.
    pub config: PathBuf,
    /// The running process, if started.
    pub proc: Option<Proc>,
    /// Its Pushgateway's address (`[pushgateway] listen`): a free port of its own, so agents of
    /// parallel tests do not collide on the default 9702.
    pub pushgateway: SocketAddr,
}

impl Agent {
    /// Creates its config and certificate; `extra` is appended to the TOML config. The
    /// `[pushgateway]` section gets a free port as `listen` (added to `extra`'s own section if
    /// it has one and sets no `listen`).
    pub fn setup(agg: &Aggregator, name: &str, interval: &str, extra: &str) -> Agent {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        agg.issue_agent_cert(name, &data.join("tls"));
        let config = dir.path().join("agent.toml");
        let pushgateway: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("addr");
        let listen = format!("listen = \"{pushgateway}\"\n");
        let extra = if !extra.contains("[pushgateway]") {
            format!("{extra}\n[pushgateway]\n{listen}")
        } else if extra.contains("listen") {
            extra.to_string()
        } else {
            extra.replacen("[pushgateway]\n", &format!("[pushgateway]\n{listen}"), 1)
        };
        std::fs::write(
            &config,
            format!(
                "[agent]\nname = \"{name}\"\ndata_dir = \"{}\"\ninterval = \"{interval}\"\n\n[uplink]\nserver = \"{}\"\nserver_name = \"localhost\"\nbackoff_max = \"2s\"\n{extra}",
                data.display(),
                agg.quic
            ),
        )
        .expect("write config");
        Agent { dir, name: name.to_string(), config, proc: None, pushgateway }
    }

    /// Starts (or restarts) the process.
    pub fn start(&mut self) {
        let log = self.dir.path().join("agent.log");
        self.proc = Some(Proc::start(&bin("pharos-agent"), &["--config", self.config.to_str().expect("utf8")], &log));
    }

    /// The process log.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("agent.log")).unwrap_or_default()
    }
}

/// Debian's node_exporter (package `prometheus-node-exporter`, installed by `scripts/test.sh`).
pub const NODE_EXPORTER: &str = "/usr/bin/prometheus-node-exporter";

/// A real exporter started by a test on 127.0.0.1 with a free port, in its own temp dir; killed
/// by pid when dropped (through its [`Proc`]).
pub struct Exporter {
    /// Temp dir holding its log.
    pub dir: tempfile::TempDir,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// The running process, until [`stop`](Self::stop).
    pub proc: Option<Proc>,
}

impl Exporter {
    /// Starts Debian's node_exporter on 127.0.0.1 with a free port and `args` (collector flags),
    /// and waits until `/metrics` answers.
    pub fn node_exporter(args: &[&str]) -> Exporter {
        assert!(
            Path::new(NODE_EXPORTER).exists(),
            "{NODE_EXPORTER} is missing: apt-get install prometheus-node-exporter (scripts/test.sh does)"
        );
        let dir = tempfile::tempdir().expect("tempdir");
        let port = free_port();
        let listen = format!("--web.listen-address=127.0.0.1:{port}");
        let mut all = vec![listen.as_str()];
        all.extend_from_slice(args);
        let proc = Proc::start(Path::new(NODE_EXPORTER), &all, &dir.path().join("exporter.log"));
        let mut e = Exporter { dir, port, proc: Some(proc) };
        let ready = wait_for(Duration::from_secs(15), || {
            let p = e.proc.as_mut().expect("started");
            assert!(p.running(), "node_exporter exited:\n{}", p.log_text());
            e.fetch(None).ok()
        });
        assert!(ready.is_some(), "node_exporter not ready within 15 s:\n{}", e.log());
        e
    }

    /// The scrape URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/metrics", self.port)
    }

    /// One `GET /metrics` (with `accept` as the Accept header, if given): Content-Type and body.
    pub fn fetch(&self, accept: Option<&str>) -> Result<(String, String), String> {
        let client = reqwest::blocking::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| e.to_string())?;
        let mut req = client.get(self.url());
        if let Some(a) = accept {
            req = req.header("Accept", a);
        }
        let resp = req.send().map_err(|e| e.to_string())?;
        if !resp.status().is_success() {
            return Err(format!("HTTP {}", resp.status()));
        }
        let ct = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        Ok((ct, resp.text().map_err(|e| e.to_string())?))
    }

    /// Stops the exporter (SIGTERM, then SIGKILL) by its pid.
    pub fn stop(&mut self) {
        if let Some(mut p) = self.proc.take() {
            p.stop();
        }
    }

    /// Its log.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("exporter.log")).unwrap_or_default()
    }
}

/// The samples of a text-format (0.0.4) or OpenMetrics exposition, as Prometheus counts them for
/// `scrape_samples_scraped`: every line that is neither empty nor a comment (`# HELP`, `# TYPE`,
/// `# EOF` ...). Each quantile, bucket, `_sum` and `_count` line is one sample.
pub fn exposition_samples(text: &str) -> Vec<&str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect()
}

/// A port on 127.0.0.1 where nothing listens right now (bound once, then closed): a target that is down.
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

impl Aggregator {
    /// Polls the instant query `q` every 200 ms until `pred` accepts its result vector or
    /// `timeout` passes; returns the last vector and whether `pred` accepted it.
    pub fn wait_vector(&self, q: &str, timeout: Duration, pred: impl Fn(&[Value]) -> bool) -> (Vec<Value>, bool) {
        let mut last = Vec::new();
        let ok = wait_for(timeout, || {
            last = self.query_vector(q);
            pred(&last).then_some(())
        })
        .is_some();
        (last, ok)
    }
}

/// The value of an instant-vector element as a float.
pub fn sample_value(s: &Value) -> f64 {
    let v = s["value"][1].as_str().unwrap_or_else(|| panic!("no value in {s}"));
    match v {
        "NaN" => f64::NAN,
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        _ => v.parse().unwrap_or_else(|e| panic!("value {v:?}: {e}")),
    }
}

/// Runs `pharos-agent --config <config> collect-once` with `envs` set (and `DOCKER_HOST`
/// removed unless given): success, stdout, stderr.
pub fn agent_collect_once(config: &Path, envs: &[(&str, &str)]) -> (bool, String, String) {
    let mut cmd = Command::new(bin("pharos-agent"));
    cmd.args(["--config", config.to_str().expect("utf8"), "collect-once"])
        .env_remove("DOCKER_HOST")
        .env("RUST_LOG", "info");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run pharos-agent collect-once");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
