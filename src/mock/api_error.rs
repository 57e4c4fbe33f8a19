//! Owns [`ApiError`]: every refusal the mock answers with, in Circularo's error
//! shape `{status, type, message, requestId, details}` (JSON, fresh request id).
//!
//! The `type` strings sit in the namespaces Circularo documents; the specific
//! names for auth failures are ours (see `docs/mock.md`).
//!
//! Must not decide when to refuse: handlers and the state pick the error; this
//! file only shapes the answer.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::crypto::request_id;

/// Describes one refusal; turned into a JSON error answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) kind: &'static str,
    pub(crate) message: String,
    pub(crate) details: Value,
    pub(crate) retry_after_seconds: Option<u64>,
}

impl ApiError {
    /// Creates an error without details.
    pub(crate) fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            kind,
            message: message.into(),
            details: Value::Null,
            retry_after_seconds: None,
        }
    }

    /// Adds structured details (per-field problems, the factor involved...).
    pub(crate) fn with_details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }

    /// Returns 400 for a request body or query that breaks the documented rules.
    pub(crate) fn invalid_input(message: &str, problems: Vec<FieldProblem>) -> Self {
        let details = if problems.is_empty() {
            Value::Null
        } else {
            Value::Array(
                problems
                    .into_iter()
                    .map(|p| json!({"field": p.field, "message": p.message}))
                    .collect(),
            )
        };
        Self::new(StatusCode::BAD_REQUEST, "VALIDATION:INPUT_INVALID", message).with_details(details)
    }

    /// Returns 401 for a missing, unknown, expired or logged-out token.
    pub(crate) fn token_invalid(message: &str) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "AUTH:TOKEN_INVALID", message)
    }

    /// Returns 401 for a token whose MFA is still pending (documented message).
    pub(crate) fn token_locked() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "AUTH:TOKEN_LOCKED",
            "Access token is locked",
        )
    }

    /// Returns 404 for an unknown route or method.
    pub(crate) fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "RESOURCE:NOT_FOUND",
            "The requested resource was not found.",
        )
    }

    /// Returns 500 for a failure of the mock itself (random source, worker thread).
    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "SYSTEM:INTERNAL_ERROR",
            message,
        )
    }

    /// Returns the JSON body, with a fresh request id.
    pub(crate) fn body(&self) -> Value {
        json!({
            "status": self.status.as_u16(),
            "type": self.kind,
            "message": self.message,
            "requestId": request_id(),
            "details": self.details,
        })
    }
}

/// Names one field of a request and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldProblem {
    pub(crate) field: String,
    pub(crate) message: String,
}

impl FieldProblem {
    /// Creates a problem for `field`.
    pub(crate) fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.body())).into_response();
        if let Some(seconds) = self.retry_after_seconds {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_the_documented_shape() {
        let body = ApiError::token_locked().body();
        assert_eq!(body["status"], 401);
        assert_eq!(body["type"], "AUTH:TOKEN_LOCKED");
        assert_eq!(body["message"], "Access token is locked");
        assert_eq!(body["details"], Value::Null);
        assert_eq!(body["requestId"].as_str().map(str::len), Some(32));
    }

    #[test]
    fn field_problems_become_details() {
        let err = ApiError::invalid_input(
            "Invalid request format.",
            vec![FieldProblem::new("name", "is required")],
        );
        assert_eq!(
            err.body()["details"],
            json!([{"field": "name", "message": "is required"}])
        );
        assert_eq!(err.status, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn retry_after_becomes_a_header() {
        let err = ApiError {
            retry_after_seconds: Some(42),
            ..ApiError::not_found()
        };
        let response = err.into_response();
        assert_eq!(response.headers()[header::RETRY_AFTER], "42");
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
    }
}
