//! A minimal RESP (Redis serialization protocol) client: commands out as arrays of bulk strings,
//! replies in with limits on sizes and nesting, since a server's replies are input like any other.

use super::ServiceError;
use std::future::Future;
use std::pin::Pin;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, BufStream};

/// Longest bulk string accepted from a server (INFO ALL is a few tens of KiB).
const MAX_BULK: usize = 64 << 20;
/// Most elements accepted in one array reply.
const MAX_ARRAY: usize = 1 << 20;
/// Deepest nesting of array replies accepted (SLOWLOG GET has 3 levels).
const MAX_DEPTH: usize = 8;

/// A RESP reply.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reply {
    /// `+OK`
    Simple(String),
    /// `-ERR ...`
    Error(String),
    /// `:42`
    Int(i64),
    /// `$n` (None: the null bulk string)
    Bulk(Option<Vec<u8>>),
    /// `*n` (None: the null array)
    Array(Option<Vec<Reply>>),
}

impl Reply {
    /// The reply as text (simple or bulk string).
    pub(crate) fn text(&self) -> Option<String> {
        match self {
            Reply::Simple(s) => Some(s.clone()),
            Reply::Bulk(Some(b)) => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        }
    }

    /// The reply as an integer (integer, or bulk string holding one).
    pub(crate) fn int(&self) -> Option<i64> {
        match self {
            Reply::Int(i) => Some(*i),
            Reply::Bulk(Some(b)) => std::str::from_utf8(b).ok()?.parse().ok(),
            _ => None,
        }
    }

    /// The elements of an array reply.
    pub(crate) fn array(&self) -> Option<&[Reply]> {
        match self {
            Reply::Array(Some(v)) => Some(v),
            _ => None,
        }
    }
}

/// Anything a RESP connection can run over (TCP or unix socket).
pub(crate) trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// Encodes a command as a RESP array of bulk strings.
pub(crate) fn encode(args: &[&str], out: &mut Vec<u8>) {
    out.extend_from_slice(format!("*{}\r\n", args.len()).as_bytes());
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
}

/// Reads one reply (recursively for arrays, up to [`MAX_DEPTH`]).
pub(crate) fn read_reply<'a, R: AsyncBufReadExt + AsyncReadExt + Unpin + Send>(
    r: &'a mut R,
    depth: usize,
) -> Pin<Box<dyn Future<Output = Result<Reply, ServiceError>> + Send + 'a>> {
    Box::pin(async move {
        let mut line = Vec::new();
        // A header line is short; a server that sends megabytes without a newline is broken.
        let n = (&mut *r).take(64 * 1024).read_until(b'\n', &mut line).await?;
        if n == 0 {
            return Err(ServiceError::Protocol("connection closed".into()));
        }
        if !line.ends_with(b"\r\n") {
            return Err(ServiceError::Protocol("reply line without CRLF".into()));
        }
        let body = String::from_utf8_lossy(&line[1..line.len() - 2]).into_owned();
        let num =
            |s: &str| s.parse::<i64>().map_err(|_| ServiceError::Protocol(format!("bad length or integer {s:?}")));
        match line[0] {
            b'+' => Ok(Reply::Simple(body)),
            b'-' => Ok(Reply::Error(body)),
            b':' => Ok(Reply::Int(num(&body)?)),
            b'$' => {
                let len = num(&body)?;
                if len < 0 {
                    return Ok(Reply::Bulk(None));
                }
                let len = usize::try_from(len).unwrap_or(usize::MAX);
                if len > MAX_BULK {
                    return Err(ServiceError::Protocol(format!("bulk reply of {len} bytes")));
                }
                let mut buf = vec![0u8; len + 2];
                r.read_exact(&mut buf).await?;
                if !buf.ends_with(b"\r\n") {
                    return Err(ServiceError::Protocol("bulk reply without CRLF".into()));
                }
                buf.truncate(len);
                Ok(Reply::Bulk(Some(buf)))
            }
            b'*' => {
                let len = num(&body)?;
                if len < 0 {
                    return Ok(Reply::Array(None));
                }
                let len = usize::try_from(len).unwrap_or(usize::MAX);
                if len > MAX_ARRAY || depth >= MAX_DEPTH {
                    return Err(ServiceError::Protocol(format!("array reply of {len} elements at depth {depth}")));
                }
                let mut items = Vec::with_capacity(len.min(1024));
                for _ in 0..len {
                    items.push(read_reply(r, depth + 1).await?);
                }
                Ok(Reply::Array(Some(items)))
            }
            other => Err(ServiceError::Protocol(format!("unknown reply type {:?}", other as char))),
        }
    })
}

/// Connects to `HOST:PORT`, `redis://HOST:PORT` or a unix socket path.
pub(crate) async fn connect(address: &str) -> Result<BufStream<Box<dyn Io>>, ServiceError> {
    let addr = address.strip_prefix("redis://").unwrap_or(address);
    let addr = addr.strip_prefix("unix://").unwrap_or(addr);
    let io: Box<dyn Io> = if addr.starts_with('/') {
        Box::new(tokio::net::UnixStream::connect(addr).await?)
    } else {
        let s = tokio::net::TcpStream::connect(addr.trim_end_matches('/')).await?;
        s.set_nodelay(true)?;
        Box::new(s)
    };
    Ok(BufStream::new(io))
}
