//! `POST /api/v1/import/prometheus`: bulk import of Prometheus text exposition lines, compatible
//! with VictoriaMetrics' endpoint of that name.
//!
//! The body is one sample per line, `name{labels} value [timestamp_ms]`, optionally gzipped
//! (`Content-Encoding: gzip`). A line without a timestamp gets the server's time at the start of
//! the request. `#` lines (HELP, TYPE, comments) and blank lines are skipped; unlike a scrape, the
//! lines of one family need not follow each other and no TYPE is needed.
//!
//! The body is streamed, never held whole: the connection feeds a bounded queue, a blocking
//! worker reads it line by line, groups [`CHUNK_LINES`] sample lines by series and stores each
//! chunk with one [`Storage::append`] (no checkpoint). Success is `204 No Content`. The first bad
//! line stops the import with `400 bad_data`, after storing every sample before it; the error
//! names the line and how many samples were stored, so nothing is dropped silently and a client
//! can resume from that line.
//!
//! Labels are parsed by the text-format parser of `pharos_protocol::exposition` (same escapes and
//! errors as a scrape), once per change of the series text, and checked against the default
//! protocol [`Limits`]; lines are at most [`MAX_LINE_BYTES`] long.

use super::{ApiError, ApiState};
use crate::storage::{Storage, StorageError};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::{Buf, Bytes};
use futures::StreamExt;
use pharos_protocol::exposition;
use pharos_protocol::frame::Limits;
use pharos_protocol::{Labels, Sample, Series};
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc;

/// Longest accepted line in bytes, newline excluded. It is above the longest line the default
/// [`Limits`] allow (64 labels with 256-byte names and 4096-byte values), and bounds the memory
/// one line can take.
pub const MAX_LINE_BYTES: usize = 512 * 1024;

/// Sample lines grouped into one [`Storage::append`].
pub const CHUNK_LINES: usize = 50_000;

/// Body pieces queued between the connection and the parsing worker (backpressure: the
/// connection is read no faster than samples are stored).
const BODY_QUEUE_PIECES: usize = 16;

/// Buffer of the gzip decoder's output, in bytes.
const GZIP_BUFFER_BYTES: usize = 256 * 1024;

static IMPORT_REQUESTS: AtomicU64 = AtomicU64::new(0);
static IMPORT_FAILED_REQUESTS: AtomicU64 = AtomicU64::new(0);
static IMPORT_SAMPLES: AtomicU64 = AtomicU64::new(0);

/// Process-wide import counters, for self-metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportStats {
    /// Import requests received.
    pub requests: u64,
    /// Import requests that ended in an error (some of their samples may have been stored).
    pub failed_requests: u64,
    /// Samples stored by imports, failed requests included.
    pub samples: u64,
}

/// The import counters since the process started.
pub fn stats() -> ImportStats {
    ImportStats {
        requests: IMPORT_REQUESTS.load(Ordering::Relaxed),
        failed_requests: IMPORT_FAILED_REQUESTS.load(Ordering::Relaxed),
        samples: IMPORT_SAMPLES.load(Ordering::Relaxed),
    }
}

/// What a successful import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Lines read, comments and blank lines included.
    pub lines: u64,
    /// Samples stored.
    pub samples: u64,
    /// Appends made (one per chunk).
    pub appends: u64,
}

/// Why an import stopped. Every variant says how many samples were stored before it.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A line is malformed or over a limit. Every sample before it was stored.
    #[error("line {line}: {message}; the {stored} samples before this line were stored, none from it on")]
    BadLine {
        /// 1-based line number.
        line: u64,
        /// What is wrong.
        message: String,
        /// Samples stored before the line.
        stored: u64,
    },
    /// The body could not be read or decompressed.
    #[error("reading the request body after line {line}: {source}; the {stored} samples before it were stored")]
    Body {
        /// Lines read completely before the failure.
        line: u64,
        /// The I/O or gzip error.
        source: io::Error,
        /// Samples stored before the failure.
        stored: u64,
    },
    /// Storage refused some samples of a chunk (the others of that chunk were stored).
    #[error(
        "storage refused {rejected} samples of lines {first_line}-{last_line} ({reasons}); {stored} samples were \
         stored, none after line {last_line}"
    )]
    Rejected {
        /// First line of the chunk.
        first_line: u64,
        /// Last line of the chunk.
        last_line: u64,
        /// Samples refused.
        rejected: u64,
        /// Why, as `reason=count` pairs.
        reasons: String,
        /// Samples stored, those of this chunk included.
        stored: u64,
    },
    /// Storage failed; the chunk being written was not stored.
    #[error(
        "storing lines {first_line}-{last_line}: {source}; the {stored} samples before line {first_line} were stored"
    )]
    Storage {
        /// First line of the chunk.
        first_line: u64,
        /// Last line of the chunk.
        last_line: u64,
        /// The storage error.
        source: StorageError,
        /// Samples stored before the chunk.
        stored: u64,
    },
}

impl ImportError {
    /// Samples stored before the import stopped.
    pub fn stored(&self) -> u64 {
        match self {
            ImportError::BadLine { stored, .. }
            | ImportError::Body { stored, .. }
            | ImportError::Rejected { stored, .. }
            | ImportError::Storage { stored, .. } => *stored,
        }
    }

    /// The HTTP API error: `internal` for storage failures, `bad_data` for everything else.
    fn to_api(&self) -> ApiError {
        match self {
            ImportError::Storage { .. } => ApiError::internal(self.to_string()),
            _ => ApiError::bad_data(self.to_string()),
        }
    }
}

/// `POST /api/v1/import/prometheus`.
pub(super) async fn import_prometheus(State(state): State<ApiState>, headers: HeaderMap, body: Body) -> Response {
    IMPORT_REQUESTS.fetch_add(1, Ordering::Relaxed);
    let response = run_import(state.storage, &headers, body).await;
    if response.is_err() {
        IMPORT_FAILED_REQUESTS.fetch_add(1, Ordering::Relaxed);
    }
    match response {
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_response(),
    }
}

/// Whether the body is gzipped, from `Content-Encoding`.
fn is_gzip(headers: &HeaderMap) -> Result<bool, ApiError> {
    let Some(value) = headers.get(header::CONTENT_ENCODING) else { return Ok(false) };
    let value = value.to_str().map_err(|_| ApiError::bad_data("unsupported Content-Encoding"))?.trim();
    if value.eq_ignore_ascii_case("gzip") || value.eq_ignore_ascii_case("x-gzip") {
        Ok(true)
    } else if value.is_empty() || value.eq_ignore_ascii_case("identity") {
        Ok(false)
    } else {
        Err(ApiError::bad_data(format!("unsupported Content-Encoding {value:?}: only gzip and identity are accepted")))
    }
}

/// Streams `body` into a blocking worker that parses and stores it.
async fn run_import(storage: Arc<dyn Storage>, headers: &HeaderMap, body: Body) -> Result<ImportSummary, ApiError> {
    let gzip = is_gzip(headers)?;
    let now_ms = crate::now_ms();
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(BODY_QUEUE_PIECES);
    let worker = tokio::task::spawn_blocking(move || {
        let input = ChannelReader { rx, current: Bytes::new() };
        let result = if gzip {
            let decoder = flate2::bufread::MultiGzDecoder::new(input);
            import_lines(storage.as_ref(), BufReader::with_capacity(GZIP_BUFFER_BYTES, decoder), now_ms, CHUNK_LINES)
        } else {
            import_lines(storage.as_ref(), input, now_ms, CHUNK_LINES)
        };
        let stored = match &result {
            Ok(summary) => summary.samples,
            Err(e) => e.stored(),
        };
        IMPORT_SAMPLES.fetch_add(stored, Ordering::Relaxed);
        result
    });
    let mut pieces = body.into_data_stream();
    while let Some(piece) = pieces.next().await {
        let piece = piece.map_err(io::Error::other);
        let failed = piece.is_err();
        // A closed queue means the worker stopped early (a bad line); its error is the answer.
        if tx.send(piece).await.is_err() || failed {
            break;
        }
    }
    drop(tx);
    let result = worker.await.map_err(|e| ApiError::internal(format!("import worker failed: {e}")))?;
    result.map_err(|e| e.to_api())
}

/// The request body as a blocking [`BufRead`], fed by the connection through a bounded queue.
struct ChannelReader {
    rx: mpsc::Receiver<io::Result<Bytes>>,
    current: Bytes,
}

impl io::Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for ChannelReader {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.current.is_empty() {
            match self.rx.blocking_recv() {
                Some(Ok(piece)) => self.current = piece,
                Some(Err(e)) => return Err(e),
                None => break,
            }
        }
        Ok(&self.current)
    }

    fn consume(&mut self, amt: usize) {
        self.current.advance(amt.min(self.current.len()));
    }
}

/// What [`read_line`] found.
#[derive(Debug, PartialEq, Eq)]
enum LineRead {
    /// A line is in the buffer (without its `\n`).
    Line,
    /// The line is longer than the limit; the buffer holds its first part.
    TooLong,
    /// End of input.
    End,
}

/// Reads one line into `buf` (cleared first), without its `\n`; a last line without `\n` counts.
fn read_line(input: &mut impl BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<LineRead> {
    buf.clear();
    let mut any = false;
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok(if any { LineRead::Line } else { LineRead::End });
        }
        any = true;
        let (take, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i, true),
            None => (available.len(), false),
        };
        if buf.len() + take > max {
            return Ok(LineRead::TooLong);
        }
        buf.extend_from_slice(&available[..take]);
        input.consume(if done { take + 1 } else { take });
        if done {
            return Ok(LineRead::Line);
        }
    }
}

/// The parts of a sample line.
struct LineParts<'a> {
    /// `name` or `name{labels}`, as written.
    head: &'a [u8],
    value: f64,
    timestamp_ms: Option<i64>,
}

fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b':'
}

/// Splits a line into head, value and timestamp; `None` for blank and `#` lines.
fn split_line(line: &[u8]) -> Result<Option<LineParts<'_>>, String> {
    // Trailing blanks and a CR (CRLF files) are tolerated, as VictoriaMetrics does.
    let end = line.iter().rposition(|&b| !is_blank(b) && b != b'\r').map_or(0, |i| i + 1);
    let line = &line[..end];
    let mut pos = line.iter().position(|&b| !is_blank(b)).unwrap_or(line.len());
    let start = pos;
    match line.get(pos) {
        None | Some(b'#') => return Ok(None),
        Some(b) if b.is_ascii_alphabetic() || *b == b'_' || *b == b':' => {}
        Some(b'{') => return Err("missing metric name before '{'".into()),
        Some(_) => return Err("invalid metric name".into()),
    }
    while line.get(pos).is_some_and(|&b| is_name_byte(b)) {
        pos += 1;
    }
    let mut after_name = pos;
    while line.get(after_name).is_some_and(|&b| is_blank(b)) {
        after_name += 1;
    }
    if line.get(after_name) == Some(&b'{') {
        // Find the closing brace outside quoted label values; the labels themselves are checked
        // by the exposition parser.
        let mut i = after_name + 1;
        let mut quoted = false;
        loop {
            match line.get(i) {
                None => return Err("unexpected end of line in the label set".into()),
                Some(b'\\') if quoted => i += 1,
                Some(b'"') => quoted = !quoted,
                Some(b'}') if !quoted => break,
                Some(_) => {}
            }
            i += 1;
        }
        pos = i + 1;
    }
    let head = &line[start..pos];
    let mut rest = line[pos..].split(|&b| is_blank(b)).filter(|t| !t.is_empty());
    let Some(value) = rest.next() else { return Err("missing sample value".into()) };
    if pos < line.len() && !is_blank(line[pos]) {
        return Err(format!("expected a blank after the series, found {}", quote(&line[pos..])));
    }
    let value = parse_value(value).ok_or_else(|| format!("expected float as value, got {}", quote(value)))?;
    let timestamp_ms = match rest.next() {
        None => None,
        Some(t) => Some(
            std::str::from_utf8(t)
                .ok()
                .and_then(|s| s.parse::<i64>().ok())
                .ok_or_else(|| format!("expected integer as timestamp (milliseconds), got {}", quote(t)))?,
        ),
    };
    if let Some(extra) = rest.next() {
        return Err(format!("spurious string after timestamp: {}", quote(extra)));
    }
    Ok(Some(LineParts { head, value, timestamp_ms }))
}

/// Parses a sample value as the text format does (Go's `strconv.ParseFloat`): decimal notation,
/// `Inf`/`Infinity` with an optional sign, `NaN`; out-of-range literals are errors.
fn parse_value(token: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(token).ok()?;
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    if unsigned.eq_ignore_ascii_case("inf") || unsigned.eq_ignore_ascii_case("infinity") {
        return Some(if s.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    if s.eq_ignore_ascii_case("nan") {
        return Some(f64::NAN);
    }
    // Rust's float grammar also takes "inf", "nan" and "infinity" (handled above) and nothing
    // else beyond decimal notation, so only those words need the check below.
    if !unsigned.bytes().next().is_some_and(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A token for an error message, shortened.
fn quote(token: &[u8]) -> String {
    const MAX: usize = 64;
    let text = String::from_utf8_lossy(&token[..token.len().min(MAX)]);
    if token.len() > MAX {
        format!("{text:?}…")
    } else {
        format!("{text:?}")
    }
}

/// Parses a series head (`name{labels}`) with the exposition parser and checks the limits.
fn parse_head(head: &[u8], limits: &Limits) -> Result<Labels, String> {
    let head = std::str::from_utf8(head).map_err(|_| "the series name or labels are not valid UTF-8".to_string())?;
    let text = format!("{head} 0\n");
    let families = exposition::parse(&text).map_err(|e| e.message)?;
    let labels = families
        .into_iter()
        .next()
        .and_then(|f| f.metrics.into_iter().next())
        .map(|m| m.labels)
        .ok_or_else(|| "no sample on the line".to_string())?;
    if labels.len() > limits.max_labels_per_series as usize {
        return Err(format!("{} labels, more than the {} allowed", labels.len(), limits.max_labels_per_series));
    }
    for l in labels.iter() {
        if l.name.len() > limits.max_label_name_len as usize {
            return Err(format!(
                "label name {} is {} bytes long, more than the {} allowed",
                quote(l.name.as_bytes()),
                l.name.len(),
                limits.max_label_name_len
            ));
        }
        if l.value.len() > limits.max_label_value_len as usize {
            return Err(format!(
                "the value of label {} is {} bytes long, more than the {} allowed",
                quote(l.name.as_bytes()),
                l.value.len(),
                limits.max_label_value_len
            ));
        }
    }
    Ok(labels)
}

/// Samples of the current chunk, grouped by series.
struct Chunk {
    series: Vec<Series>,
    by_labels: HashMap<Labels, usize>,
    /// Sample lines in the chunk.
    lines: usize,
    /// First line number of the chunk (0 while empty).
    first_line: u64,
}

impl Chunk {
    fn new() -> Self {
        Chunk { series: Vec::new(), by_labels: HashMap::new(), lines: 0, first_line: 0 }
    }

    fn index_of(&mut self, labels: &Labels) -> usize {
        if let Some(&i) = self.by_labels.get(labels) {
            return i;
        }
        self.series.push(Series { labels: labels.clone(), samples: Vec::new() });
        self.by_labels.insert(labels.clone(), self.series.len() - 1);
        self.series.len() - 1
    }
}

/// The importer's state between lines.
struct Importer<'a> {
    storage: &'a dyn Storage,
    limits: Limits,
    now_ms: i64,
    chunk_lines: usize,
    chunk: Chunk,
    /// The head text of the previous sample line, its labels and its series in the chunk:
    /// consecutive lines of one series (the usual layout) are not parsed again.
    last_head: Vec<u8>,
    last_labels: Option<Labels>,
    last_index: Option<usize>,
    stored: u64,
    appends: u64,
}

impl Importer<'_> {
    /// The chunk index of the series a line's head names, parsing the head only when it differs
    /// from the previous line's. An error is the bad line's message.
    fn series_index(&mut self, head: &[u8]) -> Result<usize, String> {
        if head == self.last_head.as_slice() {
            match (&self.last_labels, self.last_index) {
                (Some(_), Some(i)) => return Ok(i),
                (Some(labels), None) => {
                    let labels = labels.clone();
                    let i = self.chunk.index_of(&labels);
                    self.last_index = Some(i);
                    return Ok(i);
                }
                _ => {}
            }
        }
        let labels = parse_head(head, &self.limits)?;
        self.last_head.clear();
        self.last_head.extend_from_slice(head);
        let i = self.chunk.index_of(&labels);
        self.last_labels = Some(labels);
        self.last_index = Some(i);
        Ok(i)
    }

    /// Adds a sample of line `line_no` to series `index` of the chunk; stores a full chunk.
    fn push(&mut self, line_no: u64, index: usize, value: f64, timestamp_ms: Option<i64>) -> Result<(), ImportError> {
        if self.chunk.lines == 0 {
            self.chunk.first_line = line_no;
        }
        let timestamp_ms = timestamp_ms.unwrap_or(self.now_ms);
        self.chunk.series[index].samples.push(Sample { timestamp_ms, value });
        self.chunk.lines += 1;
        if self.chunk.lines >= self.chunk_lines {
            self.flush(line_no)?;
        }
        Ok(())
    }

    /// Stores the chunk, whose last line is `last_line`.
    fn flush(&mut self, last_line: u64) -> Result<(), ImportError> {
        let mut chunk = std::mem::replace(&mut self.chunk, Chunk::new());
        self.last_index = None;
        if chunk.lines == 0 {
            return Ok(());
        }
        for s in &mut chunk.series {
            // Stable: of two samples with one timestamp the later line wins, as in storage.
            s.samples.sort_by_key(|s| s.timestamp_ms);
        }
        let first_line = chunk.first_line;
        let stats = self.storage.append(&chunk.series, None).map_err(|source| ImportError::Storage {
            first_line,
            last_line,
            source,
            stored: self.stored,
        })?;
        self.stored += stats.accepted;
        self.appends += 1;
        if stats.rejected.total() > 0 {
            let reasons = stats.rejected.by_reason();
            let reasons = reasons.iter().filter(|(_, n)| *n > 0).map(|(r, n)| format!("{r}={n}"));
            return Err(ImportError::Rejected {
                first_line,
                last_line,
                rejected: stats.rejected.total(),
                reasons: reasons.collect::<Vec<_>>().join(" "),
                stored: self.stored,
            });
        }
        Ok(())
    }
}

/// Imports text exposition lines from `input` into `storage`, appending every `chunk_lines`
/// sample lines; lines without a timestamp get `now_ms`. On a bad line, the samples before it
/// are stored first (see [`ImportError`]).
pub fn import_lines(
    storage: &dyn Storage,
    mut input: impl BufRead,
    now_ms: i64,
    chunk_lines: usize,
) -> Result<ImportSummary, ImportError> {
    let mut imp = Importer {
        storage,
        limits: Limits::default(),
        now_ms,
        chunk_lines: chunk_lines.max(1),
        chunk: Chunk::new(),
        last_head: Vec::new(),
        last_labels: None,
        last_index: None,
        stored: 0,
        appends: 0,
    };
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    loop {
        let read = match read_line(&mut input, &mut buf, MAX_LINE_BYTES) {
            Ok(read) => read,
            Err(source) => {
                imp.flush(line_no)?;
                return Err(ImportError::Body { line: line_no, source, stored: imp.stored });
            }
        };
        if read == LineRead::End {
            break;
        }
        line_no += 1;
        let parsed = if read == LineRead::TooLong {
            Err(format!("line is longer than the {MAX_LINE_BYTES} bytes allowed"))
        } else {
            split_line(&buf).and_then(|parts| match parts {
                Some(p) => imp.series_index(p.head).map(|i| Some((i, p.value, p.timestamp_ms))),
                None => Ok(None),
            })
        };
        match parsed {
            Ok(Some((index, value, timestamp_ms))) => imp.push(line_no, index, value, timestamp_ms)?,
            Ok(None) => {}
            Err(message) => {
                // Everything before the bad line is stored, so the error's count is exact.
                imp.flush(line_no - 1)?;
                return Err(ImportError::BadLine { line: line_no, message, stored: imp.stored });
            }
        }
    }
    imp.flush(line_no)?;
    Ok(ImportSummary { lines: line_no, samples: imp.stored, appends: imp.appends })
}

#[cfg(test)]
mod tests;
