//! Loss told by a sequence rather than by timing: a scrape target served by the test whose
//! counter grows by one with every request it answers. An agent scraping it stores consecutive
//! numbers; a number missing from what reached the aggregator is a lost batch, unless that
//! scrape failed (`up` 0) and stored nothing. Gaps between collection timestamps cannot tell
//! this on a loaded machine, where a late tick stretches one interval without losing anything.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The metric the target serves.
pub const SEQUENCE_METRIC: &str = "pharos_e2e_sequence_total";

/// The target, answering on 127.0.0.1 until the test process ends.
pub struct SequenceTarget {
    /// Where it listens.
    pub addr: SocketAddr,
}

impl SequenceTarget {
    /// Starts serving `pharos_e2e_sequence_total N` (text format 0.0.4) on a free port.
    pub fn start() -> SequenceTarget {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind sequence target");
        let addr = listener.local_addr().expect("addr");
        let served = Arc::new(AtomicU64::new(0));
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(mut conn) = conn else { continue };
                let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
                let mut request = Vec::new();
                let mut chunk = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match conn.read(&mut chunk) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&chunk[..n]),
                    }
                }
                let n = served.fetch_add(1, Ordering::SeqCst) + 1;
                let body = format!("# TYPE {SEQUENCE_METRIC} counter\n{SEQUENCE_METRIC} {n}\n");
                let _ = write!(
                    conn,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        SequenceTarget { addr }
    }

    /// The agent's `[[collect.scrape.targets]]` entry scraping it every second as `job`.
    pub fn scrape_config(&self, job: &str) -> String {
        format!(
            "[[collect.scrape.targets]]\nurl = \"http://{}/metrics\"\njob = \"{job}\"\ninterval = \"1s\"\ntimeout = \"900ms\"\n",
            self.addr
        )
    }
}

/// The holes in `samples` (`(timestamp, value)` of the sequence, in time order): for each pair of
/// neighbours whose numbers are not consecutive, the earlier timestamp and how many numbers are
/// missing. Panics when the numbers do not grow (the target restarted, or samples were mixed up).
pub fn sequence_holes(samples: &[(f64, String)]) -> Vec<(f64, u64)> {
    let numbers: Vec<(f64, u64)> =
        samples.iter().map(|(t, v)| (*t, v.parse().unwrap_or_else(|_| panic!("not a sequence number: {v}")))).collect();
    numbers
        .windows(2)
        .filter_map(|w| {
            assert!(w[1].1 > w[0].1, "the sequence must grow: {numbers:?}");
            let missing = w[1].1 - w[0].1 - 1;
            (missing > 0).then_some((w[0].0, missing))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples(numbers: &[u64]) -> Vec<(f64, String)> {
        numbers.iter().enumerate().map(|(i, n)| (i as f64, n.to_string())).collect()
    }

    #[test]
    fn holes_are_the_missing_numbers_after_each_sample() {
        assert!(sequence_holes(&samples(&[4, 5, 6, 7])).is_empty());
        assert_eq!(sequence_holes(&samples(&[4, 5, 8, 9, 11])), vec![(1.0, 2), (3.0, 1)]);
    }

    #[test]
    #[should_panic(expected = "the sequence must grow")]
    fn a_sequence_that_goes_back_is_refused() {
        sequence_holes(&samples(&[4, 5, 5]));
    }
}
