//! Remote write out against an in-process receiver (Pharos' own `/api/v1/write` handler on a
//! real socket) that can be told to fail: delivery, order, retries, drops, relabeling, restarts.

use super::*;
use crate::storage::memory::MemoryStorage;
use crate::storage::Matcher;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use pharos_protocol::remote::RemoteLimits;
use pharos_protocol::{Labels, Sample, Series};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

/// A receiver that answers the next `fail` requests with `fail_status`, then stores.
#[derive(Clone)]
struct Receiver {
    storage: Arc<MemoryStorage>,
    fail: Arc<AtomicUsize>,
    fail_status: StatusCode,
    requests: Arc<AtomicU64>,
}

async fn receive(State(r): State<Receiver>, body: Bytes) -> axum::response::Response {
    r.requests.fetch_add(1, Ordering::Relaxed);
    if r.fail.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok() {
        return (r.fail_status, "told to fail").into_response();
    }
    match crate::api::remote_write::store(r.storage.as_ref(), &body, &RemoteLimits::default()) {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => (e.status(), e.to_string()).into_response(),
    }
}

async fn serve(receiver: Receiver, listener: tokio::net::TcpListener) {
    let app = axum::Router::new().route("/api/v1/write", axum::routing::post(receive)).with_state(receiver);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
}

async fn receiver(fail: usize, fail_status: StatusCode) -> (Receiver, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/api/v1/write", listener.local_addr().unwrap());
    let r = Receiver {
        storage: Arc::new(MemoryStorage::new()),
        fail: Arc::new(AtomicUsize::new(fail)),
        fail_status,
        requests: Arc::new(AtomicU64::new(0)),
    };
    serve(r.clone(), listener).await;
    (r, url)
}

fn config(url: &str, extra: &str) -> RemoteWriteConfig {
    let text = format!(
        "url = {url:?}\nname = \"test\"\n{extra}\n[queue_config]\nmax_shards = 3\nmax_samples_per_send = 7\n\
         batch_send_deadline = \"50ms\"\nmin_backoff = \"10ms\"\nmax_backoff = \"40ms\"\n"
    );
    toml::from_str(&text).unwrap()
}

fn series(name: &str, job: &str, ts: std::ops::Range<i64>) -> Series {
    Series {
        labels: Labels::from_pairs([("__name__", name), ("job", job)]),
        samples: ts.map(|t| Sample { timestamp_ms: t * 1000, value: t as f64 }).collect(),
    }
}

/// Appends 20 series × 30 samples in 3 appends through `tee`.
fn write_data(tee: &dyn Storage) -> u64 {
    for chunk in 0..3 {
        let data: Vec<Series> =
            (0..20).map(|i| series(&format!("m{i}"), "j", chunk * 10 + 1..chunk * 10 + 11)).collect();
        tee.append(&data, None).unwrap();
    }
    600
}

async fn wait_for(what: &str, mut f: impl FnMut() -> bool) {
    for _ in 0..400 {
        if f() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("timed out waiting for {what}");
}

fn stored(storage: &MemoryStorage) -> Vec<Series> {
    storage.select(&[Matcher::new("__name__", crate::storage::MatchOp::Regex, ".+").unwrap()], 0, i64::MAX).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivers_everything_in_order_through_retries() {
    let (rx, url) = receiver(5, StatusCode::SERVICE_UNAVAILABLE).await;
    let dir = tempfile::tempdir().unwrap();
    let local = Arc::new(MemoryStorage::new());
    let (tee, endpoint) = start_one(local.clone(), config(&url, ""), dir.path());
    let total = write_data(tee.as_ref());
    wait_for("delivery", || endpoint.metrics.samples_sent.load(Ordering::Relaxed) == total).await;
    let got = stored(&rx.storage);
    assert_eq!(got, stored(&local), "the endpoint holds exactly what local storage holds");
    assert_eq!(got.len(), 20);
    assert!(endpoint.metrics.retries.load(Ordering::Relaxed) >= 5);
    assert_eq!(endpoint.metrics.samples_failed.load(Ordering::Relaxed), 0);
    wait_for("the queue to drain", || endpoint.queue.pending_samples() == 0).await;
    assert_eq!(endpoint.queue.acked_seq(), 3);
}

/// Starts one endpoint and returns the tee and the endpoint's handle.
fn start_one(local: Arc<MemoryStorage>, cfg: RemoteWriteConfig, dir: &Path) -> (Arc<dyn Storage>, Arc<Endpoint>) {
    start_one_with(local, cfg, dir, &[])
}

/// [`start_one`] with external labels.
fn start_one_with(
    local: Arc<MemoryStorage>,
    cfg: RemoteWriteConfig,
    dir: &Path,
    external: &[(&str, &str)],
) -> (Arc<dyn Storage>, Arc<Endpoint>) {
    let client = client::RemoteClient::new(&cfg).unwrap();
    let q = &cfg.queue_config;
    let queue = queue::DiskQueue::open(&queue_dir(dir, "test"), q.max_disk_bytes, q.fsync).unwrap();
    let endpoint = Arc::new(Endpoint {
        name: cfg.queue_name(),
        url: cfg.url.clone(),
        external_labels: pharos_protocol::Labels::from_pairs(external.iter().copied()),
        relabel: cfg.write_relabel_configs.clone(),
        queue: Arc::new(queue),
        metrics: metrics::SendMetrics::default(),
        shards: q.max_shards,
    });
    sender::spawn(endpoint.clone(), client, q.clone());
    (Arc::new(tee::TeeStorage::new(local, vec![endpoint.clone()])), endpoint)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_errors_drop_and_count_without_blocking_the_queue() {
    let (rx, url) = receiver(2, StatusCode::BAD_REQUEST).await;
    let dir = tempfile::tempdir().unwrap();
    let (tee, endpoint) = start_one(Arc::new(MemoryStorage::new()), config(&url, ""), dir.path());
    let total = write_data(tee.as_ref());
    let m = &endpoint.metrics;
    wait_for("all samples judged", || {
        m.samples_sent.load(Ordering::Relaxed) + m.samples_failed.load(Ordering::Relaxed) == total
    })
    .await;
    // Two requests of at most 7 samples were refused and dropped, not retried.
    let failed = m.samples_failed.load(Ordering::Relaxed);
    assert!(failed > 0 && failed <= 14, "{failed}");
    assert_eq!(m.retries.load(Ordering::Relaxed), 0);
    let received: usize = stored(&rx.storage).iter().map(|s| s.samples.len()).sum();
    assert_eq!(received as u64, total - failed);
    wait_for("the queue to drain", || endpoint.queue.pending_samples() == 0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn write_relabel_configs_apply_before_queueing() {
    let (rx, url) = receiver(0, StatusCode::OK).await;
    let dir = tempfile::tempdir().unwrap();
    let relabel = "[[write_relabel_configs]]\nsource_labels = [\"__name__\"]\nregex = \"m1.*\"\naction = \"drop\"\n\
                   [[write_relabel_configs]]\ntarget_label = \"replica\"\nreplacement = \"a\"\n";
    let external = [("region", "eu")];
    let (tee, endpoint) = start_one_with(Arc::new(MemoryStorage::new()), config(&url, relabel), dir.path(), &external);
    write_data(tee.as_ref());
    // m1 and m10..m19 are dropped: 9 series × 30 samples remain.
    wait_for("delivery", || endpoint.metrics.samples_sent.load(Ordering::Relaxed) == 270).await;
    let got = stored(&rx.storage);
    assert_eq!(got.len(), 9);
    assert!(got.iter().all(|s| s.labels.get("replica") == Some("a")));
    // The external labels are added before relabeling, as in Prometheus.
    assert!(got.iter().all(|s| s.labels.get("region") == Some("eu")));
    assert_eq!(endpoint.metrics.dropped_relabel.load(Ordering::Relaxed), 330);
}

#[test]
fn queued_samples_survive_a_restart_while_the_endpoint_is_down() {
    let dir = tempfile::tempdir().unwrap();
    // A port nothing listens on: bind, note, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}/api/v1/write");
    let total = {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let (tee, endpoint) =
            rt.block_on(async { start_one(Arc::new(MemoryStorage::new()), config(&url, ""), dir.path()) });
        let total = write_data(tee.as_ref());
        rt.block_on(wait_for("retries", || endpoint.metrics.retries.load(Ordering::Relaxed) > 3));
        assert_eq!(endpoint.metrics.samples_sent.load(Ordering::Relaxed), 0);
        drop((tee, endpoint));
        rt.shutdown_timeout(Duration::from_secs(5));
        total
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let rx = Receiver {
            storage: Arc::new(MemoryStorage::new()),
            fail: Arc::new(AtomicUsize::new(0)),
            fail_status: StatusCode::OK,
            requests: Arc::new(AtomicU64::new(0)),
        };
        serve(rx.clone(), listener).await;
        let (_tee, endpoint) = start_one(Arc::new(MemoryStorage::new()), config(&url, ""), dir.path());
        assert_eq!(endpoint.queue.pending_samples(), total);
        wait_for("delivery after the restart", || endpoint.metrics.samples_sent.load(Ordering::Relaxed) == total).await;
        let got: usize = stored(&rx.storage).iter().map(|s| s.samples.len()).sum();
        assert_eq!(got as u64, total);
        wait_for("the queue to drain", || endpoint.queue.pending_samples() == 0).await;
    });
}

#[test]
fn config_validation_names_the_problem() {
    let ok = config("http://x/api/v1/write", "");
    assert!(ok.validate().is_ok());
    let mut bad = ok.clone();
    bad.url = "ftp://x".into();
    assert!(bad.validate().unwrap_err().contains("http://"));
    let mut bad = ok.clone();
    bad.queue_config.min_shards = 9;
    assert!(bad.validate().unwrap_err().contains("min_shards"));
    let mut bad = ok.clone();
    bad.bearer_token = Some("t".into());
    bad.basic_auth = Some(config::BasicAuth { username: "u".into(), password: None, password_file: None });
    assert!(bad.validate().unwrap_err().contains("at most one"));
    assert!(config::validate_all(&[ok.clone(), ok]).unwrap_err().contains("two endpoints"));
    let unnamed: RemoteWriteConfig = toml::from_str("url = \"http://a/b\"").unwrap();
    assert!(unnamed.queue_name().starts_with("url-"));
    assert!(toml::from_str::<RemoteWriteConfig>("url = \"http://a\"\nbogus = 1").is_err());
}
