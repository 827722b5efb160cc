//! One agent stream: `Hello` → `HelloAck`, then batches → durable write → `Ack`.

use super::IngestContext;
use crate::storage::{Checkpoint, StorageError};
use pharos_protocol::frame::{read_frame, write_frame, Ack, ErrorCode, ErrorFrame, FrameError, HelloAck, Message};
use pharos_protocol::{Labels, Sample, Series};
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tracing::{debug, info, warn};

/// Why a session ended abnormally; each is answered with an error frame where possible.
#[derive(Debug, thiserror::Error)]
enum SessionError {
    #[error("{0}")]
    Frame(#[from] FrameError),
    #[error("{1}")]
    Protocol(ErrorCode, String),
    #[error("storage: {0}")]
    Storage(#[from] StorageError),
    #[error("connection idle for too long")]
    Idle,
    #[error("write: {0}")]
    Write(String),
}

impl SessionError {
    fn code(&self) -> ErrorCode {
        match self {
            SessionError::Frame(e) => e.code(),
            SessionError::Protocol(c, _) => *c,
            SessionError::Storage(_) | SessionError::Write(_) => ErrorCode::Internal,
            SessionError::Idle => ErrorCode::BadFrame,
        }
    }
}

/// Runs one stream to its end.
pub async fn run(
    ctx: Arc<IngestContext>,
    conn: quinn::Connection,
    identity: String,
    remote: SocketAddr,
    mut send: quinn::SendStream,
    mut recv: quinn::RecvStream,
) {
    match serve_stream(&ctx, &identity, &mut send, &mut recv).await {
        Ok(()) => debug!(%remote, agent = %identity, "stream closed"),
        Err(e) => {
            if !matches!(e, SessionError::Write(_)) {
                if matches!(e, SessionError::Frame(_) | SessionError::Protocol(..)) {
                    ctx.stats.rejected_frames.fetch_add(1, Ordering::Relaxed);
                }
                warn!(%remote, agent = %identity, error = %e, "refusing agent stream");
                let frame = Message::Error(ErrorFrame { code: e.code(), message: e.to_string() });
                // Best effort: the peer may be gone already.
                let _ = write_frame(&mut send, &frame, &ctx.limits).await;
                let _ = send.finish();
                let _ = recv.stop(1u32.into());
                // A peer that sends garbage is broken or hostile: after it has our error frame
                // (or after 2 s), close its whole connection. Other agents have their own
                // connections and tasks and do not notice.
                let _ = tokio::time::timeout(std::time::Duration::from_secs(2), send.stopped()).await;
                conn.close(2u32.into(), b"protocol error");
            } else {
                debug!(%remote, agent = %identity, error = %e, "stream ended");
                let _ = recv.stop(1u32.into());
            }
        }
    }
}

async fn next_frame(ctx: &IngestContext, recv: &mut quinn::RecvStream) -> Result<Option<Message>, SessionError> {
    tokio::time::timeout(ctx.idle_timeout, read_frame(recv, &ctx.limits))
        .await
        .map_err(|_| SessionError::Idle)?
        .map_err(|e| match e {
            // A reset or closed connection is an ordinary end, not garbage.
            FrameError::Io(io) => SessionError::Write(io.to_string()),
            other => SessionError::Frame(other),
        })
}

async fn reply(ctx: &IngestContext, send: &mut quinn::SendStream, msg: Message) -> Result<(), SessionError> {
    write_frame(send, &msg, &ctx.limits).await.map_err(|e| SessionError::Write(e.to_string()))
}

async fn serve_stream(
    ctx: &Arc<IngestContext>,
    identity: &str,
    send: &mut quinn::SendStream,
    recv: &mut quinn::RecvStream,
) -> Result<(), SessionError> {
    let hello = match next_frame(ctx, recv).await? {
        Some(Message::Hello(h)) => h,
        Some(_) => return Err(SessionError::Protocol(ErrorCode::BadFrame, "expected Hello as the first frame".into())),
        None => return Ok(()),
    };
    if hello.agent != identity {
        return Err(SessionError::Protocol(
            ErrorCode::IdentityMismatch,
            format!("Hello names agent {:?} but the client certificate is for {:?}", hello.agent, identity),
        ));
    }
    let stream = format!("{identity}/{:016x}", hello.buffer_id);
    let mut last = {
        let storage = ctx.storage.clone();
        let s = stream.clone();
        tokio::task::spawn_blocking(move || storage.checkpoint(&s))
            .await
            .map_err(|e| SessionError::Write(e.to_string()))??
    };
    reply(
        ctx,
        send,
        Message::HelloAck(HelloAck { server_version: env!("CARGO_PKG_VERSION").into(), last_acked_seq: last }),
    )
    .await?;
    ctx.liveness.seen(identity, hello.interval_ms);
    info!(agent = %identity, buffer_id = hello.buffer_id, checkpoint = ?last, agent_version = %hello.agent_version, "agent session started");

    while let Some(msg) = next_frame(ctx, recv).await? {
        let batch = match msg {
            Message::Batch(b) => b,
            _ => return Err(SessionError::Protocol(ErrorCode::BadFrame, "expected a Batch".into())),
        };
        if batch.agent != identity || batch.buffer_id != hello.buffer_id {
            return Err(SessionError::Protocol(
                ErrorCode::IdentityMismatch,
                format!("batch from {:?}/{:016x} on a session of {stream}", batch.agent, batch.buffer_id),
            ));
        }
        ctx.liveness.seen(identity, hello.interval_ms);
        if last.is_some_and(|l| batch.seq <= l) {
            ctx.stats.replayed_batches.fetch_add(1, Ordering::Relaxed);
            debug!(agent = %identity, seq = batch.seq, "replayed batch acknowledged, not stored again");
            reply(ctx, send, Message::Ack(Ack { seq: batch.seq, accepted_samples: 0, rejected_samples: 0 })).await?;
            continue;
        }
        let seq = batch.seq;
        let mut series = batch.to_series();
        series.push(up_series(identity, crate::now_ms(), 1.0));
        let storage = ctx.storage.clone();
        let cp = Checkpoint { stream: stream.clone(), seq };
        let stats = tokio::task::spawn_blocking(move || storage.append(&series, Some(&cp)))
            .await
            .map_err(|e| SessionError::Write(e.to_string()))??;
        last = Some(seq);
        // The `up` sample is ours, not the agent's.
        let accepted = stats.accepted.saturating_sub(1);
        ctx.stats.batches.fetch_add(1, Ordering::Relaxed);
        ctx.stats.samples.fetch_add(accepted, Ordering::Relaxed);
        reply(ctx, send, Message::Ack(Ack { seq, accepted_samples: accepted, rejected_samples: stats.rejected }))
            .await?;
    }
    Ok(())
}

/// `up{job="pharos-agent",instance="<agent>"}` with one sample.
pub fn up_series(agent: &str, timestamp_ms: i64, value: f64) -> Series {
    Series {
        labels: Labels::from_pairs([("__name__", "up"), ("job", "pharos-agent"), ("instance", agent)]),
        samples: vec![Sample { timestamp_ms, value }],
    }
}
