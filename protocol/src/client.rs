//! A minimal client of the agent protocol: connect with mutual TLS, `Hello`, send batches, read
//! acks. The fleet simulator and the end-to-end tests use it to speak the protocol directly; the
//! agent's uplink adds the disk buffer, pipelining and reconnects on top of the same frames.

use crate::frame::{read_frame, write_frame, Ack, Batch, FrameError, Hello, HelloAck, Limits, Message};
use crate::tls::{self, PemPair, TlsError};
use std::net::SocketAddr;

/// Errors of the test/simulator client.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// TLS configuration failed.
    #[error("TLS: {0}")]
    Tls(#[from] TlsError),
    /// Socket error.
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
    /// Connect failed.
    #[error("connect: {0}")]
    Connect(#[from] quinn::ConnectError),
    /// The connection failed (includes handshake refusals).
    #[error("connection: {0}")]
    Connection(#[from] quinn::ConnectionError),
    /// A frame failed.
    #[error("frame: {0}")]
    Frame(#[from] FrameError),
    /// The server answered with an error frame or out of protocol.
    #[error("server: {0}")]
    Server(String),
}

/// One connection with one stream, as an agent uses it.
pub struct Client {
    /// The QUIC endpoint (kept alive with the connection).
    pub endpoint: quinn::Endpoint,
    /// The connection.
    pub conn: quinn::Connection,
    /// Send half of the stream.
    pub send: quinn::SendStream,
    /// Receive half of the stream.
    pub recv: quinn::RecvStream,
    /// Frame limits.
    pub limits: Limits,
}

impl Client {
    /// Connects to `addr` verifying `server_name` against `ca_pem`, presenting `identity` if given,
    /// and opens the stream (no frame is sent yet).
    pub async fn connect(
        addr: SocketAddr,
        server_name: &str,
        ca_pem: &str,
        identity: Option<&PemPair>,
    ) -> Result<Client, ClientError> {
        let cfg = tls::quic_client(tls::client_tls(ca_pem, identity)?)?;
        Self::connect_with(addr, server_name, cfg, Limits::default()).await
    }

    /// Connects with a prepared QUIC client configuration and opens the stream.
    pub async fn connect_with(
        addr: SocketAddr,
        server_name: &str,
        config: quinn::ClientConfig,
        limits: Limits,
    ) -> Result<Client, ClientError> {
        let bind: SocketAddr =
            if addr.is_ipv6() { SocketAddr::from(([0u16; 8], 0)) } else { SocketAddr::from(([0u8; 4], 0)) };
        let mut endpoint = quinn::Endpoint::client(bind)?;
        endpoint.set_default_client_config(config);
        let conn = endpoint.connect(addr, server_name)?.await?;
        let (send, recv) = conn.open_bi().await?;
        Ok(Client { endpoint, conn, send, recv, limits })
    }

    /// Sends `Hello` and returns the server's `HelloAck`.
    pub async fn hello(&mut self, hello: Hello) -> Result<HelloAck, ClientError> {
        write_frame(&mut self.send, &Message::Hello(hello), &self.limits).await?;
        match self.recv_message().await? {
            Message::HelloAck(a) => Ok(a),
            other => Err(ClientError::Server(format!("expected HelloAck, got {other:?}"))),
        }
    }

    /// Sends a batch without waiting for its ack.
    pub async fn send_batch(&mut self, batch: Batch) -> Result<(), ClientError> {
        write_frame(&mut self.send, &Message::Batch(batch), &self.limits).await?;
        Ok(())
    }

    /// Waits for the next ack.
    pub async fn recv_ack(&mut self) -> Result<Ack, ClientError> {
        match self.recv_message().await? {
            Message::Ack(a) => Ok(a),
            other => Err(ClientError::Server(format!("expected Ack, got {other:?}"))),
        }
    }

    /// Reads the next message; an error frame becomes `ClientError::Server`.
    pub async fn recv_message(&mut self) -> Result<Message, ClientError> {
        match read_frame(&mut self.recv, &self.limits).await? {
            Some(Message::Error(e)) => Err(ClientError::Server(format!("{:?}: {}", e.code, e.message))),
            Some(m) => Ok(m),
            None => Err(ClientError::Server("stream closed".into())),
        }
    }
}
