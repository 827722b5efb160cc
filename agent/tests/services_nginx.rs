//! The agent's nginx stub_status check against Debian's nginx, side by side with Debian's
//! `prometheus-nginx-exporter` (nginx-prometheus-exporter 0.11) reading the same page: the same
//! families, types and agreeing values; `nginx_up 0` alone once nginx stops.

#[path = "support/services/mod.rs"]
mod support;

use std::process::Command;
use std::time::Duration;
use support::*;

const NGINX: &str = "/usr/sbin/nginx";
const EXPORTER: &str = "/usr/bin/prometheus-nginx-exporter";

const REQUIRED: &[&str] = &[
    "nginx_up",
    "nginx_connections_active",
    "nginx_connections_reading",
    "nginx_connections_writing",
    "nginx_connections_waiting",
    "nginx_connections_accepted",
    "nginx_connections_handled",
    "nginx_http_requests_total",
];

fn tolerance(_: &str) -> Option<(f64, f64)> {
    // Each reader sees its own request as an active, writing connection.
    Some((2.0, 0.0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_check_matches_nginx_exporter() {
    require(NGINX, "nginx");
    require(EXPORTER, "prometheus-nginx-exporter");
    let dir = tempfile::tempdir().expect("tempdir");
    let base = dir.path();
    let port = free_port();
    // As root nginx wants a worker user; Debian's nginx package uses www-data.
    let user = if is_root() { "user www-data;" } else { "" };
    let b = base.display();
    let conf = format!(
        "daemon off;\nmaster_process on;\n{user}\nworker_processes 1;\npid {b}/nginx.pid;\nerror_log {b}/error.log warn;\n\
         events {{ worker_connections 64; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {b}/client_body; proxy_temp_path {b}/proxy;\n  \
         fastcgi_temp_path {b}/fastcgi; uwsgi_temp_path {b}/uwsgi; scgi_temp_path {b}/scgi;\n  \
         server {{\n    listen 127.0.0.1:{port};\n    location = /stub_status {{ stub_status; }}\n    \
         location / {{ default_type text/plain; return 200 \"ok\\n\"; }}\n  }}\n}}\n"
    );
    let conf_path = base.join("nginx.conf");
    std::fs::write(&conf_path, conf).expect("nginx.conf");
    let mut cmd = Command::new(NGINX);
    cmd.arg("-p").arg(base).arg("-e").arg(base.join("error.log")).arg("-c").arg(&conf_path);
    let mut server = Proc::start("nginx", cmd, base);
    wait_for("nginx", Duration::from_secs(20), || {
        server.assert_running();
        http_get(port, "/stub_status").is_ok_and(|(code, _)| code == 200)
    });
    for _ in 0..5 {
        assert_eq!(http_get(port, "/").expect("GET /").0, 200);
    }

    let exporter_port = free_port();
    let mut cmd = Command::new(EXPORTER);
    cmd.args(["-nginx.scrape-uri", &format!("http://127.0.0.1:{port}/stub_status")]);
    cmd.args(["-web.listen-address", &format!("127.0.0.1:{exporter_port}")]);
    let mut exporter = Proc::start("nginx_exporter", cmd, base);
    wait_for("nginx_exporter", Duration::from_secs(20), || {
        exporter.assert_running();
        http_get(exporter_port, "/").is_ok()
    });

    let mut agent = collector(&format!(
        "[agent]\nname = \"h1\"\n[collect.services]\ndetect = false\n[[collect.services.nginx]]\n\
         url = \"http://127.0.0.1:{port}/stub_status\"\n"
    ));
    let before = scrape(exporter_port);
    let ours = collect(&mut agent).await;
    let after = scrape(exporter_port);
    assert_families(&after, REQUIRED, "nginx_exporter");
    assert_families(&ours, REQUIRED, "the agent");
    let ignore = ignore_own(&["nginxexporter_build_info"]);
    let report = compare(&before, &ours, &after, &ignore, &tolerance);
    assert_parity(&report, "agent vs nginx_exporter", 8);

    // Fast shutdown (SIGTERM) of the master by its pid; its workers follow.
    server.stop(libc::SIGTERM);
    let down = collect(&mut agent).await;
    assert_down(&down, "nginx_up");
    exporter.stop(libc::SIGTERM);
}
