//! Typed errors of the frame codec, and their mapping to the wire's [`ErrorCode`].

use super::ErrorCode;

/// Why a frame could not be encoded, read or decoded.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    /// The underlying stream failed.
    #[error("i/o error: {0}")]
    Io(#[from] std::io::Error),
    /// The frame (everything after the length prefix) is larger than allowed.
    #[error("frame of {len} bytes exceeds the limit of {max} bytes")]
    TooLarge {
        /// Declared or produced frame length in bytes.
        len: u64,
        /// The configured `max_frame_bytes`.
        max: u32,
    },
    /// The uncompressed payload is larger than allowed (checked before decompressing).
    #[error("uncompressed payload of {len} bytes exceeds the limit of {max} bytes")]
    PayloadTooLarge {
        /// Declared or produced payload length in bytes.
        len: u64,
        /// The configured `max_frame_bytes`.
        max: u32,
    },
    /// The frame body is too short to hold the version and flags header.
    #[error("frame body of {len} bytes is shorter than its {min}-byte header")]
    TooShort {
        /// Length of the body in bytes.
        len: u64,
        /// Minimum length (the header size).
        min: u64,
    },
    /// The peer speaks a protocol version we do not.
    #[error("unsupported protocol version {got} (this build speaks version {})", super::PROTOCOL_VERSION)]
    UnsupportedVersion {
        /// The version found in the frame.
        got: u16,
    },
    /// Flag bits this version does not define are set.
    #[error("unknown frame flags {flags:#04x}")]
    UnknownFlags {
        /// The flags byte found in the frame.
        flags: u8,
    },
    /// The payload is not a valid bincode `Message`.
    #[error("cannot decode message: {0}")]
    Decode(String),
    /// The message could not be serialised (should not happen for well-formed messages).
    #[error("cannot encode message: {0}")]
    Encode(String),
    /// The lz4 payload is corrupt or its declared size does not match.
    #[error("cannot decompress payload: {0}")]
    Decompress(String),
    /// The message decoded but breaks a limit or an invariant of the data model.
    #[error("batch rejected: {0}")]
    Limit(#[from] LimitError),
    /// The stream ended inside a frame.
    #[error("stream ended inside a frame: expected {expected} bytes, got {got}")]
    UnexpectedEof {
        /// Bytes needed to complete the current part of the frame.
        expected: u64,
        /// Bytes actually received.
        got: u64,
    },
    /// A pre-encoded frame handed to [`super::write_raw_frame`] is inconsistent with its length prefix.
    #[error("raw frame is malformed: prefix declares {declared} bytes but {actual} follow it")]
    BadRawFrame {
        /// Length declared by the prefix (0 when the prefix itself is missing).
        declared: u64,
        /// Bytes that actually follow the prefix.
        actual: u64,
    },
}

impl FrameError {
    /// The error code to report to the peer in an [`super::ErrorFrame`].
    pub fn code(&self) -> ErrorCode {
        match self {
            FrameError::Io(_) | FrameError::Encode(_) => ErrorCode::Internal,
            FrameError::TooLarge { .. } | FrameError::PayloadTooLarge { .. } => ErrorCode::FrameTooLarge,
            FrameError::UnsupportedVersion { .. } => ErrorCode::UnsupportedVersion,
            FrameError::Limit(_) => ErrorCode::LimitExceeded,
            FrameError::TooShort { .. }
            | FrameError::UnknownFlags { .. }
            | FrameError::Decode(_)
            | FrameError::Decompress(_)
            | FrameError::UnexpectedEof { .. }
            | FrameError::BadRawFrame { .. } => ErrorCode::BadFrame,
        }
    }
}

/// Why a batch breaks the configured [`super::Limits`] or the data model's invariants.
///
/// `series` fields are indexes into `Batch::series`, so the sender can find the culprit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    /// More series than `max_series_per_batch`.
    #[error("{got} series in one batch exceed the limit of {max}")]
    TooManySeries {
        /// Series in the batch.
        got: u64,
        /// The configured limit.
        max: u32,
    },
    /// More samples than `max_samples_per_batch`.
    #[error("{got} samples in one batch exceed the limit of {max}")]
    TooManySamples {
        /// Samples in the batch.
        got: u64,
        /// The configured limit.
        max: u32,
    },
    /// A label name longer than `max_label_name_len` bytes.
    #[error("series {series}: label name of {len} bytes exceeds the limit of {max}")]
    LabelNameTooLong {
        /// Index of the offending series.
        series: usize,
        /// Length of the name in bytes.
        len: u64,
        /// The configured limit.
        max: u32,
    },
    /// A label value longer than `max_label_value_len` bytes.
    #[error("series {series}: value of label {name:?} is {len} bytes, exceeding the limit of {max}")]
    LabelValueTooLong {
        /// Index of the offending series.
        series: usize,
        /// The label's name.
        name: String,
        /// Length of the value in bytes.
        len: u64,
        /// The configured limit.
        max: u32,
    },
    /// More labels on one series than `max_labels_per_series`.
    #[error("series {series}: {got} labels exceed the limit of {max}")]
    TooManyLabels {
        /// Index of the offending series.
        series: usize,
        /// Labels on the series.
        got: u64,
        /// The configured limit.
        max: u32,
    },
    /// A sample refers to a series index that the batch does not have.
    #[error("sample refers to series {index} but the batch has only {series} series")]
    BadSeriesIndex {
        /// The index in the sample.
        index: u32,
        /// Number of series in the batch.
        series: usize,
    },
    /// A label name outside `[a-zA-Z_][a-zA-Z0-9_]*`.
    #[error("invalid label name {0:?}")]
    InvalidLabelName(String),
    /// A `__name__` value outside `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    #[error("invalid metric name {0:?}")]
    InvalidMetricName(String),
    /// The same label name twice on one series.
    #[error("series {series}: duplicate label name {name:?}")]
    DuplicateLabel {
        /// Index of the offending series.
        series: usize,
        /// The repeated name.
        name: String,
    },
    /// Labels not sorted by name (every `Labels` the model builds is sorted; storage relies on it).
    #[error("series {series}: labels are not sorted by name (at {name:?})")]
    UnsortedLabels {
        /// Index of the offending series.
        series: usize,
        /// The first name found out of order.
        name: String,
    },
    /// A label with an empty value (in Prometheus' model an empty value means the label is absent).
    #[error("series {series}: label {name:?} has an empty value")]
    EmptyLabelValue {
        /// Index of the offending series.
        series: usize,
        /// The label's name.
        name: String,
    },
}
