//! Request limits: a token bucket per credential on write paths (429), and the request body size
//! (413), enforced on the declared `Content-Length` and on chunked bodies as they arrive.

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CONTENT_LENGTH, TRANSFER_ENCODING};
use axum::http::HeaderValue;
use futures::StreamExt;
use std::time::{Duration, Instant};

/// A token bucket: `burst` requests at once, refilled at `rate` per second.
#[derive(Debug)]
pub struct TokenBucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket.
    pub fn new(rate: f64, burst: u32) -> Self {
        let burst = f64::from(burst.max(1));
        TokenBucket { rate, burst, tokens: burst, last: Instant::now() }
    }

    /// Takes one token at `now`, or tells how long until one is there.
    pub fn take_at(&mut self, now: Instant) -> Result<(), Duration> {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / self.rate))
        }
    }

    /// Takes one token now.
    pub fn take(&mut self) -> Result<(), Duration> {
        self.take_at(Instant::now())
    }
}

/// Why a body was refused.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    /// Larger than the limit (declared or counted).
    #[error("request body exceeds the limit of {0} bytes")]
    TooLarge(u64),
    /// The declared length is not a number.
    #[error("invalid Content-Length")]
    BadLength,
    /// The connection failed while reading a chunked body.
    #[error("reading the request body: {0}")]
    Read(String),
}

/// Passes `req` on if its body is at most `max` bytes. A declared `Content-Length` is checked
/// without reading (hyper stops a body at its declared length); a body without one (chunked) is
/// read up to the limit here, and handed on whole with its length set.
pub async fn limit_body(req: Request, max: u64) -> Result<Request, BodyError> {
    if let Some(len) = req.headers().get(CONTENT_LENGTH) {
        let len: u64 = len.to_str().ok().and_then(|s| s.trim().parse().ok()).ok_or(BodyError::BadLength)?;
        return if len > max { Err(BodyError::TooLarge(max)) } else { Ok(req) };
    }
    let (mut parts, body) = req.into_parts();
    let mut stream = body.into_data_stream();
    let mut buf = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| BodyError::Read(e.to_string()))?;
        if (buf.len() + chunk.len()) as u64 > max {
            return Err(BodyError::TooLarge(max));
        }
        buf.extend_from_slice(&chunk);
    }
    if !buf.is_empty() {
        // The body is no longer chunked for the handlers behind us.
        parts.headers.remove(TRANSFER_ENCODING);
        parts.headers.insert(CONTENT_LENGTH, HeaderValue::from(buf.len()));
    }
    Ok(Request::from_parts(parts, Body::from(buf)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_allows_a_burst_then_refills_at_the_rate() {
        let t0 = Instant::now();
        let mut b = TokenBucket::new(2.0, 3);
        b.last = t0;
        for _ in 0..3 {
            assert!(b.take_at(t0).is_ok());
        }
        let wait = b.take_at(t0).expect_err("empty");
        assert!((wait.as_secs_f64() - 0.5).abs() < 1e-9, "{wait:?}");
        assert!(b.take_at(t0 + Duration::from_millis(500)).is_ok());
        assert!(b.take_at(t0 + Duration::from_millis(500)).is_err());
        // Never more than the burst, however long it was idle.
        let later = t0 + Duration::from_secs(100);
        for _ in 0..3 {
            assert!(b.take_at(later).is_ok());
        }
        assert!(b.take_at(later).is_err());
    }

    #[tokio::test]
    async fn bodies_over_the_limit_are_refused_declared_or_chunked() {
        let declared =
            axum::http::Request::builder().header(CONTENT_LENGTH, "11").body(Body::from("hello world")).expect("req");
        assert!(matches!(limit_body(declared, 10).await, Err(BodyError::TooLarge(10))));
        let ok = axum::http::Request::builder().header(CONTENT_LENGTH, "5").body(Body::from("hello")).expect("req");
        assert!(limit_body(ok, 10).await.is_ok());
        let chunks: Vec<Result<&'static str, std::io::Error>> = vec![Ok("hello "), Ok("world")];
        let chunked =
            axum::http::Request::builder().body(Body::from_stream(futures::stream::iter(chunks))).expect("req");
        assert!(matches!(limit_body(chunked, 10).await, Err(BodyError::TooLarge(10))));
        let chunks: Vec<Result<&'static str, std::io::Error>> = vec![Ok("hello "), Ok("you")];
        let chunked =
            axum::http::Request::builder().body(Body::from_stream(futures::stream::iter(chunks))).expect("req");
        let passed = limit_body(chunked, 10).await.expect("within the limit");
        assert_eq!(passed.headers().get(CONTENT_LENGTH).map(|v| v.as_bytes()), Some(&b"9"[..]));
        let body = axum::body::to_bytes(passed.into_body(), 100).await.expect("body");
        assert_eq!(&body[..], b"hello you");
    }
}
