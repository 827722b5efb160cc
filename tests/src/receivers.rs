//! Real notification receivers for the alerting tests: an HTTP server on 127.0.0.1 that records
//! every POST (the Slack, PagerDuty and webhook integrations all post JSON), and the aiosmtpd
//! SMTP server of `aggregator/tests/support/smtp_server.py`, both stopped when dropped.

use crate::workspace;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One POST received: when, its path and its JSON body (`Null` if the body was not JSON).
#[derive(Debug, Clone)]
pub struct Post {
    /// When it arrived.
    pub at: Instant,
    /// The request path, e.g. `/slack`.
    pub path: String,
    /// The body, parsed.
    pub body: Value,
}

/// An HTTP server on 127.0.0.1 that answers every request 200 and records the POSTs.
pub struct HttpRecorder {
    /// Its port.
    pub port: u16,
    posts: Arc<Mutex<Vec<Post>>>,
    stop: Arc<AtomicBool>,
}

impl HttpRecorder {
    /// Listens on a free port.
    pub fn start() -> HttpRecorder {
        HttpRecorder::on_port(0)
    }

    /// Listens on `port` (0 for a free one); panics if it is taken.
    pub fn on_port(port: u16) -> HttpRecorder {
        let listener = TcpListener::bind(("127.0.0.1", port)).unwrap_or_else(|e| panic!("bind 127.0.0.1:{port}: {e}"));
        let port = listener.local_addr().expect("addr").port();
        let posts: Arc<Mutex<Vec<Post>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (seen, stopped) = (posts.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stopped.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                if let Some(post) = serve_one(conn) {
                    seen.lock().expect("lock").push(post);
                }
            }
        });
        HttpRecorder { port, posts, stop }
    }

    /// Every POST so far, in arrival order.
    pub fn posts(&self) -> Vec<Post> {
        self.posts.lock().expect("lock").clone()
    }

    /// The POSTs to `path` so far.
    pub fn posts_to(&self, path: &str) -> Vec<Post> {
        self.posts().into_iter().filter(|p| p.path == path).collect()
    }
}

impl Drop for HttpRecorder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag and closes the listener.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

/// Reads one request (headers, then `Content-Length` bytes of body), answers 200 and returns
/// the POST it was, if it was one.
fn serve_one(mut conn: TcpStream) -> Option<Post> {
    conn.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let (head, body) = loop {
        let n = conn.read(&mut chunk).ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else { continue };
        let head = String::from_utf8_lossy(&buf[..end]).to_string();
        let len = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length").then(|| v.trim().parse::<usize>().unwrap_or(0))
            })
            .unwrap_or(0);
        if buf.len() >= end + 4 + len {
            break (head, buf[end + 4..end + 4 + len].to_vec());
        }
    };
    let _ = conn.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    let mut request_line = head.lines().next()?.split(' ');
    let method = request_line.next()?;
    let path = request_line.next()?.to_string();
    (method == "POST").then(|| Post {
        at: Instant::now(),
        path,
        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
    })
}

/// aiosmtpd (`python3-aiosmtpd`) running `aggregator/tests/support/smtp_server.py`: one JSON file
/// per message received (envelope, headers, decoded MIME parts).
pub struct SmtpServer {
    /// Its port on 127.0.0.1.
    pub port: u16,
    child: Child,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    /// Starts it on `port` (0 for a free one) and waits until it listens.
    pub fn start(port: u16) -> SmtpServer {
        let ok = Command::new(python3()).args(["-c", "import aiosmtpd"]).status().map(|s| s.success()).unwrap_or(false);
        assert!(ok, "Python 3 with aiosmtpd is needed (apt-get install python3-aiosmtpd; scripts/test.sh does)");
        let dir = tempfile::tempdir().expect("tempdir");
        let script = workspace().join("aggregator/tests/support/smtp_server.py");
        let mut child = Command::new(python3())
            .arg(script)
            .arg("--dir")
            .arg(dir.path())
            .args(["--port", &port.to_string()])
            .stdout(Stdio::piped())
            .spawn()
            .expect("start smtp_server.py");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("read PORT line");
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("smtp_server.py said {line:?}"));
        SmtpServer { port, child, dir }
    }

    /// The messages received so far, in order.
    pub fn messages(&self) -> Vec<Value> {
        let mut files: Vec<(u32, PathBuf)> = std::fs::read_dir(self.dir.path())
            .expect("read dir")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .filter_map(|p| Some((p.file_stem()?.to_str()?.parse().ok()?, p)))
            .collect();
        files.sort();
        files.iter().filter_map(|(_, p)| serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok()).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Debian's Python, where scripts/test.sh installs aiosmtpd (python3-aiosmtpd), rather than
/// whichever `python3` comes first in PATH (a pyenv shim on some machines, without it).
fn python3() -> &'static str {
    if std::path::Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}
