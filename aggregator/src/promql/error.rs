//! Typed PromQL errors. Each kind maps to one of the Prometheus HTTP API's `errorType` strings, so
//! the API layer never has to guess from a message what went wrong.

use crate::storage::StorageError;

/// Message Prometheus returns when a range query asks for too many steps.
pub const TOO_MANY_POINTS_MSG: &str =
    "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)";

/// Anything that can go wrong while parsing or evaluating a query.
#[derive(Debug, thiserror::Error)]
pub enum PromqlError {
    /// The query text does not parse or fails the parser's type checks.
    #[error("{0}")]
    Parse(String),
    /// A query parameter is unusable: bad step, end before start, too many points, an expression
    /// of the wrong type for a range query.
    #[error("{0}")]
    BadData(String),
    /// Evaluation failed on valid input, e.g. duplicate series after dropping the metric name or
    /// many-to-many matching.
    #[error("{0}")]
    Execution(String),
    /// A valid PromQL feature this engine does not implement yet.
    #[error("{0} is not supported yet")]
    Unsupported(String),
    /// The query would hold more samples in memory than `EngineOptions::max_samples` allows.
    #[error("query processing would load too many samples into memory in query execution")]
    TooManySamples,
    /// The query ran past its deadline.
    #[error("query timed out in {0}")]
    Timeout(String),
    /// The storage backend failed.
    #[error("{0}")]
    Storage(#[from] StorageError),
    /// A bug or an unexpected internal state (e.g. a worker thread died).
    #[error("{0}")]
    Internal(String),
}

impl PromqlError {
    /// The Prometheus HTTP API `errorType` for this error.
    pub fn error_type(&self) -> &'static str {
        match self {
            PromqlError::Parse(_) | PromqlError::BadData(_) => "bad_data",
            PromqlError::Execution(_) | PromqlError::Unsupported(_) | PromqlError::TooManySamples => "execution",
            PromqlError::Timeout(_) => "timeout",
            PromqlError::Storage(_) | PromqlError::Internal(_) => "internal",
        }
    }

    /// Shorthand for an execution error.
    pub(crate) fn exec(msg: impl Into<String>) -> Self {
        PromqlError::Execution(msg.into())
    }

    /// Shorthand for an unsupported-feature error; `what` names the feature.
    pub(crate) fn unsupported(what: impl Into<String>) -> Self {
        PromqlError::Unsupported(what.into())
    }
}

/// Result alias for the PromQL engine.
pub type Result<T> = std::result::Result<T, PromqlError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_types_match_prometheus_strings() {
        assert_eq!(PromqlError::Parse("x".into()).error_type(), "bad_data");
        assert_eq!(PromqlError::BadData("x".into()).error_type(), "bad_data");
        assert_eq!(PromqlError::exec("x").error_type(), "execution");
        assert_eq!(PromqlError::unsupported("x").error_type(), "execution");
        assert_eq!(PromqlError::Timeout("x".into()).error_type(), "timeout");
        assert_eq!(PromqlError::Storage(StorageError::Backend("x".into())).error_type(), "internal");
        assert_eq!(PromqlError::unsupported("subqueries").to_string(), "subqueries is not supported yet");
    }
}
