//! The e-mail integration: renders the headers and a multipart/alternative body (text and/or
//! HTML, quoted-printable) and delivers it over SMTP, as Alertmanager's `notify/email` does:
//! implicit TLS on port 465, STARTTLS when `require_tls` (the default), and AUTH PLAIN or LOGIN
//! when the server offers AUTH and `auth_username` is set.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lettre::address::Envelope;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::message::{Mailboxes, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, CertificateStore, TlsParameters, TlsVersion};
use lettre::transport::smtp::extension::ClientId;
use lettre::Address;
use pharos_template::Time;

use super::http::trusted_roots;
use super::templates::{template_data, Renderer, Templates};
use super::ReceiverError;
use crate::alerting::config::receivers::{EmailConfig, DEFAULT_EMAIL_SUBJECT};
use crate::alerting::types::{Alert, Integration, NotifyContext, NotifyError, NotifyFuture};

/// How long connecting to the smarthost may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
/// Go's `time.RFC1123Z`, the `Date` header's format.
const RFC1123Z: &str = "Mon, 02 Jan 2006 15:04:05 -0700";

/// A configured e-mail integration.
pub struct Email {
    conf: EmailConfig,
    templates: Arc<Templates>,
    /// Header templates: the configured ones plus `Subject`, `To` and `From` defaults.
    headers: BTreeMap<String, String>,
    /// This host's name, for `Message-Id`.
    hostname: String,
    /// TLS settings for STARTTLS or implicit TLS.
    tls: TlsParameters,
    /// The smarthost's port as a number.
    port: u16,
    /// Whether TLS starts with the connection (SMTPS), as on port 465.
    implicit_tls: bool,
}

/// A rendered e-mail, ready for SMTP.
#[derive(Debug, Clone)]
pub struct RenderedEmail {
    /// SMTP envelope: `MAIL FROM` and `RCPT TO` addresses.
    pub envelope: Envelope,
    /// The whole message (headers and body), CRLF line ends.
    pub message: Vec<u8>,
}

/// Go's `net.LookupPort` for the service names a smarthost may use.
fn parse_port(port: &str) -> Result<u16, ReceiverError> {
    match port {
        "smtp" => Ok(25),
        "submission" => Ok(587),
        "smtps" | "submissions" => Ok(465),
        p => p.parse().map_err(|_| ReceiverError::Config(format!("invalid SMTP port {p:?}"))),
    }
}

impl Email {
    /// An e-mail integration for `conf` rendering with `templates`. TLS settings (`ca_file`,
    /// client certificate) are read here.
    pub fn new(conf: &EmailConfig, templates: Arc<Templates>) -> Result<Email, ReceiverError> {
        if conf.smarthost.is_empty() {
            return Err(ReceiverError::Config("no SMTP smarthost set".into()));
        }
        let mut headers = conf.headers.clone();
        headers.entry("Subject".into()).or_insert_with(|| DEFAULT_EMAIL_SUBJECT.to_string());
        headers.entry("To".into()).or_insert_with(|| conf.to.clone());
        headers.entry("From".into()).or_insert_with(|| conf.from.clone());
        for name in headers.keys() {
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
                return Err(ReceiverError::Config(format!("invalid e-mail header name {name:?}")));
            }
        }
        let port = parse_port(&conf.smarthost.port)?;
        Ok(Email {
            conf: conf.clone(),
            templates,
            headers,
            hostname: ClientId::default().to_string(),
            tls: tls_parameters(conf)?,
            port,
            implicit_tls: conf.smarthost.port == "465" || port == 465,
        })
    }

    /// Uses implicit TLS (SMTPS) whatever the port; upstream does so only on port 465. For
    /// tests, and SMTPS servers on other ports.
    pub fn with_implicit_tls(mut self, on: bool) -> Email {
        self.implicit_tls = on;
        self
    }

    /// Renders the envelope and the message for `alerts`. Template and address errors are not
    /// retryable.
    pub fn render(&self, ctx: &NotifyContext, alerts: &[Alert]) -> Result<RenderedEmail, NotifyError> {
        let data = template_data(ctx, alerts);
        let mut r = Renderer::new(&self.templates, &data);
        let fatal = |what: &str, e: &dyn std::fmt::Display| NotifyError::fatal(format!("{what}: {e}"));
        let from = r.try_text(&self.conf.from).map_err(|e| fatal("execute 'from' template", &e))?;
        let to = r.try_text(&self.conf.to).map_err(|e| fatal("execute 'to' template", &e))?;
        let from: Mailboxes = from.parse().map_err(|e| fatal("parse 'from' addresses", &e))?;
        let from: Vec<Address> = from.into_iter().map(|m| m.email).collect();
        if from.len() != 1 {
            return Err(NotifyError::fatal(format!("must be exactly one 'from' address (got: {})", from.len())));
        }
        let to: Mailboxes = to.parse().map_err(|e| fatal("parse 'to' addresses", &e))?;
        let to: Vec<Address> = to.into_iter().map(|m| m.email).collect();
        let envelope = Envelope::new(from.into_iter().next(), to).map_err(|e| fatal("envelope", &e))?;

        let mut head = String::new();
        for (name, tmpl) in &self.headers {
            let value = r.try_text(tmpl).map_err(|e| fatal(&format!("execute {name:?} header template"), &e))?;
            head.push_str(&format!("{name}: {}\r\n", q_encode(&value)));
        }
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        if !self.headers.contains_key("Message-Id") {
            let id = format!("<{}.{}@{}>", now.as_nanos(), rand::random::<u64>(), self.hostname);
            head.push_str(&format!("Message-Id: {id}\r\n"));
        }
        let date = Time::from_unix_millis(ctx.now_ms).format(RFC1123Z);
        head.push_str(&format!("Date: {date}\r\nMIME-Version: 1.0\r\n"));

        let mut body = MultiPart::alternative().build();
        if !self.conf.text.is_empty() {
            let text = r.try_text(&self.conf.text).map_err(|e| fatal("execute text template", &e))?;
            body = body.singlepart(part(ContentType::TEXT_PLAIN, text));
        }
        // The preferred alternative goes last (RFC 2046 5.1.4).
        if !self.conf.html.is_empty() {
            // HTML is rendered with html/template's contextual escaping, as upstream does.
            let html = r.try_html(&self.conf.html).map_err(|e| fatal("execute html template", &e))?;
            body = body.singlepart(part(ContentType::TEXT_HTML, html));
        }
        let mut message = head.into_bytes();
        message.extend_from_slice(&body.formatted());
        Ok(RenderedEmail { envelope, message })
    }

    /// Delivers `mail` over one SMTP session. Connection and protocol failures are retryable,
    /// as upstream treats them.
    async fn deliver(&self, mail: &RenderedEmail) -> Result<(), NotifyError> {
        let host = self.conf.smarthost.host.as_str();
        let hello =
            ClientId::Domain(if self.conf.hello.is_empty() { "localhost".into() } else { self.conf.hello.clone() });
        let implicit_tls = self.implicit_tls;
        let retry = |what: &str, e: &dyn std::fmt::Display| NotifyError::retry(format!("{what}: {e}"));
        let mut conn = AsyncSmtpConnection::connect_tokio1(
            (host, self.port),
            Some(CONNECT_TIMEOUT),
            &hello,
            implicit_tls.then(|| self.tls.clone()),
            None,
        )
        .await
        .map_err(|e| retry("establish connection to server", &e))?;
        let result = self.session(&mut conn, &hello, implicit_tls, mail).await;
        if result.is_ok() {
            // Like upstream, a failed QUIT after a delivered message is not an error.
            let _ = conn.quit().await;
        } else {
            conn.abort().await;
        }
        result
    }

    async fn session(
        &self,
        conn: &mut AsyncSmtpConnection,
        hello: &ClientId,
        implicit_tls: bool,
        mail: &RenderedEmail,
    ) -> Result<(), NotifyError> {
        let retry = |what: &str, e: &dyn std::fmt::Display| NotifyError::retry(format!("{what}: {e}"));
        // Global config guarantees require_tls is set; over implicit TLS it is already met.
        if self.conf.require_tls.unwrap_or(true) && !implicit_tls {
            if !conn.can_starttls() {
                return Err(NotifyError::retry(format!(
                    "'require_tls' is true (default) but {:?} does not advertise the STARTTLS extension",
                    self.conf.smarthost.to_string()
                )));
            }
            conn.starttls(self.tls.clone(), hello).await.map_err(|e| retry("send STARTTLS command", &e))?;
        }
        if let Some((mechanism, credentials)) = self.auth(conn)? {
            conn.auth(&[mechanism], &credentials).await.map_err(|e| retry(&format!("{mechanism} auth"), &e))?;
        }
        conn.send(&mail.envelope, &mail.message).await.map_err(|e| retry("send message", &e))?;
        Ok(())
    }

    /// Chooses how to authenticate, as upstream: not at all without `auth_username` or when the
    /// server offers no mechanism we know; PLAIN (only over TLS or to localhost, as Go's
    /// `smtp.PlainAuth` insists) or else LOGIN, with the password. CRAM-MD5 is not available.
    fn auth(&self, conn: &AsyncSmtpConnection) -> Result<Option<(Mechanism, Credentials)>, NotifyError> {
        let info = conn.server_info();
        let offers_plain = info.supports_auth_mechanism(Mechanism::Plain);
        let offers_login = info.supports_auth_mechanism(Mechanism::Login);
        if self.conf.auth_username.is_empty() || !(offers_plain || offers_login) {
            return Ok(None);
        }
        let password = if self.conf.auth_password_file.is_empty() {
            self.conf.auth_password.expose().to_string()
        } else {
            std::fs::read_to_string(&self.conf.auth_password_file).map_err(|e| {
                NotifyError::retry(format!("find auth mechanism: could not read {}: {e}", self.conf.auth_password_file))
            })?
        };
        if password.is_empty() {
            return Err(NotifyError::retry("find auth mechanism: missing password for PLAIN auth mechanism"));
        }
        let host = self.conf.smarthost.host.as_str();
        let plain_allowed = conn.is_encrypted() || matches!(host, "localhost" | "127.0.0.1" | "::1");
        let mechanism = if offers_plain && plain_allowed {
            Mechanism::Plain
        } else if offers_login {
            Mechanism::Login
        } else {
            return Err(NotifyError::retry("PLAIN auth: unencrypted connection"));
        };
        Ok(Some((mechanism, Credentials::new(self.conf.auth_username.clone(), password))))
    }
}

/// One quoted-printable body part.
fn part(content_type: ContentType, body: String) -> SinglePart {
    SinglePart::builder().header(content_type).header(ContentTransferEncoding::QuotedPrintable).body(body)
}

/// TLS settings of the SMTP connection: the configured CA (or the system's), client
/// certificate, `server_name` (default: the smarthost's host), minimum version and
/// `insecure_skip_verify`.
fn tls_parameters(conf: &EmailConfig) -> Result<TlsParameters, ReceiverError> {
    let t = &conf.tls_config;
    let domain = if t.server_name.is_empty() { conf.smarthost.host.clone() } else { t.server_name.clone() };
    let tls_err = |e: lettre::transport::smtp::Error| ReceiverError::Tls(e.to_string());
    let mut b = TlsParameters::builder(domain)
        .certificate_store(CertificateStore::None)
        .dangerous_accept_invalid_certs(t.insecure_skip_verify);
    if !t.insecure_skip_verify {
        for der in trusted_roots(t)? {
            b = b.add_root_certificate(Certificate::from_der(der.to_vec()).map_err(tls_err)?);
        }
    }
    if t.min_version == "TLS13" {
        b = b.set_min_tls_version(TlsVersion::Tlsv13);
    }
    match (t.cert_file.is_empty(), t.key_file.is_empty()) {
        (true, true) => {}
        (false, false) => {
            let read = |p: &str| {
                std::fs::read(p).map_err(|source| ReceiverError::File { path: std::path::PathBuf::from(p), source })
            };
            let id = lettre::transport::smtp::client::Identity::from_pem(&read(&t.cert_file)?, &read(&t.key_file)?)
                .map_err(tls_err)?;
            b = b.identify_with(id);
        }
        _ => return Err(ReceiverError::Tls("client cert file and key file must both be set".into())),
    }
    b.build_rustls().map_err(tls_err)
}

/// Go's `mime.QEncoding.Encode("utf-8", s)`: the text as is when it is printable ASCII (tabs
/// allowed), else RFC 2047 encoded-words of at most 75 characters, never splitting a character.
pub fn q_encode(s: &str) -> String {
    if s.bytes().all(|b| (b' '..=b'~').contains(&b) || b == b'\t') {
        return s.to_string();
    }
    const PREFIX: &str = "=?utf-8?q?";
    // 75 characters per encoded-word, less "=?utf-8?q?" and "?=".
    const MAX_CONTENT: usize = 75 - PREFIX.len() - 2;
    let mut out = String::from(PREFIX);
    let mut len = 0;
    let mut buf = [0u8; 4];
    for c in s.chars() {
        let bytes = c.encode_utf8(&mut buf).as_bytes();
        let literal = bytes.len() == 1 && (b' '..=b'~').contains(&bytes[0]) && !matches!(bytes[0], b'=' | b'?' | b'_');
        let enc_len = if literal { 1 } else { 3 * bytes.len() };
        if len + enc_len > MAX_CONTENT {
            out.push_str("?= ");
            out.push_str(PREFIX);
            len = 0;
        }
        for &b in bytes {
            match b {
                b' ' => out.push('_'),
                b'!'..=b'~' if !matches!(b, b'=' | b'?' | b'_') => out.push(b as char),
                _ => out.push_str(&format!("={b:02X}")),
            }
        }
        len += enc_len;
    }
    out.push_str("?=");
    out
}

impl Integration for Email {
    fn kind(&self) -> &'static str {
        "email"
    }

    fn send_resolved(&self) -> bool {
        self.conf.send_resolved
    }

    fn notify<'a>(&'a self, ctx: &'a NotifyContext, alerts: &'a [Alert]) -> NotifyFuture<'a> {
        Box::pin(async move {
            let mail = self.render(ctx, alerts)?;
            self.deliver(&mail).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q_encoding_matches_go() {
        // Expected values from Go's mime.QEncoding.Encode("utf-8", ...).
        assert_eq!(q_encode("[FIRING:1] Disk full"), "[FIRING:1] Disk full");
        assert_eq!(q_encode("café"), "=?utf-8?q?caf=C3=A9?=");
        assert_eq!(q_encode("a b_c=d?"), "a b_c=d?");
        assert_eq!(q_encode("é a_b=c?"), "=?utf-8?q?=C3=A9_a=5Fb=3Dc=3F?=");
        assert_eq!(q_encode("line\nbreak"), "=?utf-8?q?line=0Abreak?=");
        // 70 'é' (3 x 2 bytes each encoded): words of at most 63 content characters, split
        // between characters.
        let long = "é".repeat(12);
        let enc = q_encode(&long);
        let words: Vec<&str> = enc.split(' ').collect();
        assert_eq!(words.len(), 2);
        assert_eq!(words[0], format!("=?utf-8?q?{}?=", "=C3=A9".repeat(10)));
        assert_eq!(words[1], format!("=?utf-8?q?{}?=", "=C3=A9".repeat(2)));
        assert!(words.iter().all(|w| w.len() <= 75));
    }

    #[test]
    fn ports() {
        assert_eq!(parse_port("25").unwrap(), 25);
        assert_eq!(parse_port("smtps").unwrap(), 465);
        assert!(parse_port("nope").is_err());
    }
}
