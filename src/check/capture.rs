//! Evaluates one capture over a response.

use crate::model::CaptureSpec;

use super::Response;

/// Explains why a capture produced no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaptureError {
    /// Placeholder until implemented.
    #[error("{0}")]
    Other(String),
}

/// Evaluates `spec` over `response`.
///
/// # Errors
/// Returns [`CaptureError`] when the source matches nothing and no default is given.
pub fn eval_capture(spec: &CaptureSpec, response: &Response) -> Result<serde_json::Value, CaptureError> {
    todo!("{spec:?} {response:?}")
}
