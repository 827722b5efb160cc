//! One agent stream: `Hello` → `HelloAck`, then batches → durable write → `Ack`, the same over a
//! QUIC stream and over TLS on TCP.

use super::IngestContext;
use crate::storage::{Checkpoint, StorageError};
use pharos_protocol::frame::{
    read_frame, write_frame, Ack, ErrorCode, ErrorFrame, FrameError, HelloAck, Message, Rejections,
};
use pharos_protocol::{Labels, Sample, Series};
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
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

/// One agent stream and what carries it.
pub enum Link {
    /// A bidirectional stream of a QUIC connection.
    Quic {
        /// The connection (closed after a protocol error).
        conn: quinn::Connection,
        /// Our half of the stream.
        send: quinn::SendStream,
        /// The agent's half.
        recv: quinn::RecvStream,
    },
    /// A TLS-over-TCP connection, which carries exactly one stream (the fallback when UDP is
    /// blocked).
    Tcp(Box<tokio_rustls::server::TlsStream<tokio::net::TcpStream>>),
}

/// How a stream ended, for the transport-specific teardown.
enum Outcome {
    /// The agent closed the stream, or the connection went away.
    Ended,
    /// A protocol error: send this error frame, then close the connection.
    Refuse(Message),
}

/// Logs and counts the end of a stream.
fn outcome(ctx: &IngestContext, identity: &str, remote: SocketAddr, result: Result<(), SessionError>) -> Outcome {
    match result {
        Ok(()) => {
            debug!(%remote, agent = %identity, "stream closed");
            Outcome::Ended
        }
        Err(e @ SessionError::Write(_)) => {
            debug!(%remote, agent = %identity, error = %e, "stream ended");
            Outcome::Ended
        }
        Err(e) => {
            if matches!(e, SessionError::Frame(_) | SessionError::Protocol(..)) {
                ctx.stats.rejected_frames.fetch_add(1, Ordering::Relaxed);
            }
            warn!(%remote, agent = %identity, error = %e, "refusing agent stream");
            Outcome::Refuse(Message::Error(ErrorFrame { code: e.code(), message: e.to_string() }))
        }
    }
}

/// How long a refused peer has to read our error frame before its connection is closed.
const REFUSE_GRACE: std::time::Duration = std::time::Duration::from_secs(2);

/// Runs one stream to its end, over either transport: the session logic is the same, only the
/// teardown differs.
pub async fn run(ctx: Arc<IngestContext>, identity: String, remote: SocketAddr, link: Link) {
    match link {
        Link::Quic { conn, mut send, mut recv } => {
            let result = serve_stream(&ctx, &identity, ("quic", remote), &mut send, &mut recv).await;
            match outcome(&ctx, &identity, remote, result) {
                Outcome::Ended => {
                    let _ = recv.stop(1u32.into());
                }
                Outcome::Refuse(frame) => {
                    // Best effort: the peer may be gone already.
                    let _ = write_frame(&mut send, &frame, &ctx.limits).await;
                    let _ = send.finish();
                    let _ = recv.stop(1u32.into());
                    // A peer that sends garbage is broken or hostile: after it has our error frame
                    // (or after 2 s), close its whole connection. Other agents have their own
                    // connections and tasks and do not notice.
                    let _ = tokio::time::timeout(REFUSE_GRACE, send.stopped()).await;
                    conn.close(2u32.into(), b"protocol error");
                }
            }
        }
        Link::Tcp(stream) => {
            let (mut recv, mut send) = tokio::io::split(*stream);
            let result = serve_stream(&ctx, &identity, ("tcp", remote), &mut send, &mut recv).await;
            if let Outcome::Refuse(frame) = outcome(&ctx, &identity, remote, result) {
                let _ = write_frame(&mut send, &frame, &ctx.limits).await;
            }
            // close_notify and FIN, then give the peer a moment to read what we sent and close
            // its side; dropping the halves closes the socket.
            let _ = tokio::time::timeout(REFUSE_GRACE, async {
                let _ = send.shutdown().await;
                let mut sink = [0u8; 1024];
                while matches!(recv.read(&mut sink).await, Ok(n) if n > 0) {}
            })
            .await;
        }
    }
}

async fn next_frame<R: AsyncRead + Unpin>(ctx: &IngestContext, recv: &mut R) -> Result<Option<Message>, SessionError> {
    tokio::time::timeout(ctx.idle_timeout, read_frame(recv, &ctx.limits))
        .await
        .map_err(|_| SessionError::Idle)?
        .map_err(|e| match e {
            // A reset or closed connection is an ordinary end, not garbage.
            FrameError::Io(io) => SessionError::Write(io.to_string()),
            other => SessionError::Frame(other),
        })
}

async fn reply<W: AsyncWrite + Unpin>(ctx: &IngestContext, send: &mut W, msg: Message) -> Result<(), SessionError> {
    write_frame(send, &msg, &ctx.limits).await.map_err(|e| SessionError::Write(e.to_string()))
}

async fn serve_stream<R, W>(
    ctx: &Arc<IngestContext>,
    identity: &str,
    (transport, remote): (&'static str, SocketAddr),
    send: &mut W,
    recv: &mut R,
) -> Result<(), SessionError>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
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
    let last = {
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
    // Open (for the Fleet page) until this function returns.
    let _open = ctx.fleet.session_started(identity, transport, remote, &hello);
    info!(agent = %identity, buffer_id = hello.buffer_id, checkpoint = ?last, agent_version = %hello.agent_version, "agent session started");

    // Three parts run side by side. The reader decodes frames into a bounded queue. The writer
    // takes every batch already queued into one storage write (the WAL's fsync is then shared
    // by several batches of a pipelining agent) and goes on with the next group as soon as the
    // samples are in the head, without waiting for the fsync. The acker waits until each
    // group is durable and then acks its batches, one ack per batch, in order.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Option<Message>, SessionError>>(MAX_GROUP_BATCHES);
    let (ack_tx, mut ack_rx) = tokio::sync::mpsc::channel::<Reply>(MAX_UNSYNCED_GROUPS);
    let reader = async {
        loop {
            let next = next_frame(ctx, recv).await;
            let end = !matches!(next, Ok(Some(_)));
            if tx.send(next).await.is_err() || end {
                break;
            }
        }
        // Only the writer and the acker end the session (see the select below).
        std::future::pending::<()>().await;
    };
    let writer = async move {
        let mut session = Session { ctx, identity, stream: &stream, buffer_id: hello.buffer_id, last, acks: ack_tx };
        let interval_ms = hello.interval_ms;
        loop {
            let Some(first) = rx.recv().await else { return Ok(()) };
            let mut queued = vec![first];
            while queued.len() < MAX_GROUP_BATCHES {
                match rx.try_recv() {
                    Ok(next) => queued.push(next),
                    Err(_) => break,
                }
            }
            let mut group: Vec<pharos_protocol::frame::Batch> = Vec::new();
            let mut end: Option<Result<(), SessionError>> = None;
            for item in queued {
                let batch = match item {
                    Ok(Some(Message::Batch(b))) => b,
                    Ok(Some(_)) => {
                        end = Some(Err(SessionError::Protocol(ErrorCode::BadFrame, "expected a Batch".into())));
                        break;
                    }
                    Ok(None) => {
                        end = Some(Ok(()));
                        break;
                    }
                    Err(e) => {
                        end = Some(Err(e));
                        break;
                    }
                };
                if let Err(e) = session.check(&batch) {
                    end = Some(Err(e));
                    break;
                }
                ctx.liveness.seen(identity, interval_ms);
                ctx.fleet.batch(identity, &batch, crate::now_ms());
                // A replay (or a sequence number that does not increase) is acked after what is
                // pending, so acks stay in order and the checkpoint never moves back.
                let replay = session.is_replay(&batch) || group.last().is_some_and(|b| batch.seq <= b.seq);
                if replay || group.iter().map(|b| b.samples.len()).sum::<usize>() > MAX_GROUP_SAMPLES {
                    session.store(std::mem::take(&mut group)).await?;
                }
                if session.is_replay(&batch) {
                    session.ack_replay(batch.seq).await?;
                } else {
                    group.push(batch);
                }
            }
            // Batches that arrived before an error or the end are stored and acked first.
            session.store(group).await?;
            if let Some(end) = end {
                return end;
            }
        }
    };
    let acker = async {
        while let Some(next) = ack_rx.recv().await {
            let (durable, acks) = match next {
                Reply::Stored(durable, acks) => (Some(durable), acks),
                Reply::Replayed(ack) => (None, vec![ack]),
            };
            if let Some(d) = durable {
                d.wait().await?;
            }
            for ack in acks {
                reply(ctx, send, Message::Ack(ack)).await?;
            }
        }
        Ok::<(), SessionError>(())
    };
    // The writer's end (or error) drops its side of the ack queue: the acker then acks what
    // is pending and stops. An acker's error comes first: the writer then only saw it stop.
    let both = async {
        let (written, acked) = tokio::join!(writer, acker);
        acked.and(written)
    };
    tokio::select! {
        result = both => result,
        _ = reader => Ok(()),
    }
}

/// What the acker sends, in order.
enum Reply {
    /// Acks for the batches of one storage write, once it is durable.
    Stored(crate::storage::Durable, Vec<Ack>),
    /// The ack of a replayed batch (stored before).
    Replayed(Ack),
}

/// Storage writes of one session whose acks may wait for the WAL's fsync at once.
const MAX_UNSYNCED_GROUPS: usize = 4;

/// Most batches one write may combine (also the depth of the frame queue).
const MAX_GROUP_BATCHES: usize = 64;

/// A write combines queued batches until they hold about this many samples.
const MAX_GROUP_SAMPLES: usize = 40_000;

/// The writing side of a stream: checks batches, stores groups of them durably, acks.
struct Session<'a> {
    ctx: &'a IngestContext,
    identity: &'a str,
    stream: &'a str,
    buffer_id: u64,
    /// Highest sequence number stored for this stream.
    last: Option<u64>,
    /// To the acker.
    acks: tokio::sync::mpsc::Sender<Reply>,
}

impl Session<'_> {
    /// A batch must come from the session's agent and buffer.
    fn check(&self, batch: &pharos_protocol::frame::Batch) -> Result<(), SessionError> {
        if batch.agent != self.identity || batch.buffer_id != self.buffer_id {
            return Err(SessionError::Protocol(
                ErrorCode::IdentityMismatch,
                format!("batch from {:?}/{:016x} on a session of {}", batch.agent, batch.buffer_id, self.stream),
            ));
        }
        Ok(())
    }

    /// A batch at or below the checkpoint was stored before (a replay after a reconnect).
    fn is_replay(&self, batch: &pharos_protocol::frame::Batch) -> bool {
        self.last.is_some_and(|l| batch.seq <= l)
    }

    async fn ack_replay(&mut self, seq: u64) -> Result<(), SessionError> {
        self.ctx.stats.replayed_batches.fetch_add(1, Ordering::Relaxed);
        debug!(agent = %self.identity, seq, "replayed batch acknowledged, not stored again");
        let ack = Ack { seq, accepted_samples: 0, rejected_samples: 0, rejected: Rejections::default() };
        self.to_acker(Reply::Replayed(ack)).await
    }

    async fn to_acker(&self, reply: Reply) -> Result<(), SessionError> {
        // The acker only stops early on an error, which ends the session with its own error.
        self.acks.send(reply).await.map_err(|_| SessionError::Write("acker stopped".into()))
    }

    /// Stores `group` (batches in sequence order) in one write with the checkpoint of its last
    /// batch and one `up` sample, and hands the acks of its batches to the acker, which sends
    /// them once the write is durable.
    async fn store(&mut self, group: Vec<pharos_protocol::frame::Batch>) -> Result<(), SessionError> {
        let Some(last_seq) = group.last().map(|b| b.seq) else { return Ok(()) };
        // Per batch: its sequence number, its samples, and where its series end in `series`.
        let mut counts = Vec::with_capacity(group.len());
        let mut series = Vec::new();
        for b in group {
            let seq = b.seq;
            let s = b.into_series();
            let samples = s.iter().map(|x| x.samples.len() as u64).sum::<u64>();
            series.extend(s);
            counts.push((seq, samples, series.len()));
        }
        series.push(up_series(self.identity, crate::now_ms(), 1.0));
        let storage = self.ctx.storage.clone();
        let cp = Checkpoint { stream: self.stream.to_string(), seq: last_seq };
        let permit = self.ctx.writers.clone().acquire_owned().await.map_err(|e| SessionError::Write(e.to_string()))?;
        let stats = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            storage.append_unsynced(&series, Some(&cp))
        })
        .await
        .map_err(|e| SessionError::Write(e.to_string()))??;
        let (stats, durable) = stats;
        self.last = Some(last_seq);
        let mut rejected_series = stats.rejected_series.iter().peekable();
        let mut up_rejected = Rejections::default();
        let mut acks = Vec::with_capacity(counts.len());
        for (seq, samples, series_end) in counts {
            // The store reports rejections per input series; each batch acks its own.
            let mut rejected = Rejections::default();
            while let Some((_, r)) = rejected_series.next_if(|(i, _)| *i < series_end) {
                rejected.add(r);
            }
            let accepted = samples.saturating_sub(rejected.total());
            self.ctx.stats.batches.fetch_add(1, Ordering::Relaxed);
            self.ctx.stats.samples.fetch_add(accepted, Ordering::Relaxed);
            if rejected.total() > 0 {
                tracing::warn!(agent = %self.identity, seq, ?rejected, "samples refused by storage");
            }
            acks.push(Ack { seq, accepted_samples: accepted, rejected_samples: rejected.total(), rejected });
        }
        for (_, r) in rejected_series {
            up_rejected.add(r);
        }
        if up_rejected.total() > 0 {
            tracing::warn!(agent = %self.identity, ?up_rejected, "the agent's up sample was refused by storage");
        }
        self.to_acker(Reply::Stored(durable, acks)).await
    }
}

/// `up{job="pharos-agent",instance="<agent>"}` with one sample.
pub fn up_series(agent: &str, timestamp_ms: i64, value: f64) -> Series {
    Series {
        labels: Labels::from_pairs([("__name__", "up"), ("job", "pharos-agent"), ("instance", agent)]),
        samples: vec![Sample { timestamp_ms, value }],
    }
}
