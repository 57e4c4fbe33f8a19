//! Owns [`ApiError`]: every refusal the mock answers with, in Circularo's error
//! shape `{status, type, message, requestId, details}` (JSON, fresh request id),
//! and [`ErrorStyle`]: the switches that shape it (the request id's form,
//! whether an empty `details` is `null` or left out).
//!
//! The `type` strings sit in the namespaces Circularo documents; the specific
//! names for auth failures are ours (see `docs/mock.md`).
//!
//! Must not decide when to refuse: handlers and the state pick the error; this
//! file only shapes the answer.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::crypto::request_id;
use super::switches::{ErrorDetails, LockedTokenStatus, RequestIdFormat};

/// Holds the switches that shape every error body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ErrorStyle {
    pub(crate) request_id: RequestIdFormat,
    pub(crate) details: ErrorDetails,
}

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

    /// Returns 401 (or 403, as `status` says) for a token whose MFA is still
    /// pending, with the documented message.
    pub(crate) fn token_locked(status: LockedTokenStatus) -> Self {
        let status = match status {
            LockedTokenStatus::Status401 => StatusCode::UNAUTHORIZED,
            LockedTokenStatus::Status403 => StatusCode::FORBIDDEN,
        };
        Self::new(status, "AUTH:TOKEN_LOCKED", "Access token is locked")
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

    /// Returns the JSON body in the default style, with a fresh request id.
    pub(crate) fn body(&self) -> Value {
        self.body_in(ErrorStyle::default())
    }

    /// Returns the JSON body shaped by `style`, with a fresh request id.
    pub(crate) fn body_in(&self, style: ErrorStyle) -> Value {
        let mut body = json!({
            "status": self.status.as_u16(),
            "type": self.kind,
            "message": self.message,
            "requestId": request_id(style.request_id),
            "details": self.details,
        });
        if style.details == ErrorDetails::OmitEmpty
            && self.details.is_null()
            && let Some(object) = body.as_object_mut()
        {
            object.remove("details");
        }
        body
    }
}

/// Rewrites the body of an error answer in `style`; other answers pass unchanged.
///
/// Errors are answered before a handler can see the settings (extractor
/// rejections, the 404 fallback), so the router applies the style afterwards.
pub(crate) fn restyle(response: Response, style: ErrorStyle) -> Response {
    let Some(error) = response.extensions().get::<ApiError>().cloned() else {
        return response;
    };
    if style == ErrorStyle::default() {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let body = error.body_in(style).to_string();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
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
        // Kept so `restyle` can render the body again in the configured style.
        response.extensions_mut().insert(self);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_the_documented_shape() {
        let body = ApiError::token_locked(LockedTokenStatus::Status401).body();
        assert_eq!(body["status"], 401);
        assert_eq!(body["type"], "AUTH:TOKEN_LOCKED");
        assert_eq!(body["message"], "Access token is locked");
        assert_eq!(body["details"], Value::Null);
        assert_eq!(body["requestId"].as_str().map(str::len), Some(32));
    }

    #[test]
    fn the_style_sets_the_request_id_form_and_drops_empty_details() {
        let style = ErrorStyle {
            request_id: RequestIdFormat::Uuid,
            details: ErrorDetails::OmitEmpty,
        };
        let body = ApiError::not_found().body_in(style);
        assert!(body.get("details").is_none(), "{body}");
        assert_eq!(body["requestId"].as_str().map(str::len), Some(36), "{body}");
        let with_data = ApiError::invalid_input(
            "Invalid request format.",
            vec![FieldProblem::new("name", "is required")],
        )
        .body_in(style);
        assert_eq!(with_data["details"][0]["field"], "name", "details with data stay");
        assert_eq!(
            ApiError::token_locked(LockedTokenStatus::Status403).status,
            StatusCode::FORBIDDEN
        );
    }

    #[tokio::test]
    async fn restyle_rewrites_error_answers_only() {
        use http_body_util::BodyExt;
        let style = ErrorStyle {
            request_id: RequestIdFormat::Uuid,
            details: ErrorDetails::OmitEmpty,
        };
        let error = restyle(ApiError::not_found().into_response(), style);
        assert_eq!(error.status(), StatusCode::NOT_FOUND);
        assert_eq!(error.headers()[header::CONTENT_TYPE], "application/json");
        let bytes = error.into_body().collect().await.unwrap().to_bytes();
        let body: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(body["type"], "RESOURCE:NOT_FOUND");
        assert!(
            body.get("details").is_none() && body["requestId"].as_str().is_some_and(|id| id.contains('-'))
        );
        let ok = restyle(axum::Json(json!({"logged": false})).into_response(), style);
        let bytes = ok.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&bytes[..], br#"{"logged":false}"#);
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
