//! Owns what every `/api/v1` and `/__mock` handler shares: the shared state
//! type, reading the query string, the body, the token (query or cookie, in
//! the configured precedence) and
//! JSON fields with per-field problems, running hashing off the async
//! workers, and the 404 answer for unknown routes.
//!
//! Must not apply any endpoint's rules: each endpoint group checks its own
//! bodies and calls the state.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use serde_json::{Map, Value};

use crate::mock::api_error::{ApiError, FieldProblem};
use crate::mock::state::Mock;
use crate::mock::switches::TokenPrecedence;

/// The cookie that carries the session token (name assumed; Circularo does not document it).
pub(crate) const TOKEN_COOKIE: &str = "token";

pub(crate) type Shared = State<Arc<Mock>>;
pub(crate) type QueryParams = Result<Query<HashMap<String, String>>, QueryRejection>;
pub(crate) type RawBody = Result<Bytes, BytesRejection>;

/// Returns the query parameters, or 400 when the query string is malformed.
pub(crate) fn query_params(query: QueryParams) -> Result<HashMap<String, String>, ApiError> {
    query.map(|Query(params)| params).map_err(|e| {
        ApiError::invalid_input(
            "Invalid query string.",
            vec![FieldProblem::new("query", e.body_text())],
        )
    })
}

/// Returns the request body, or the rejection (too large, unreadable) as an error body.
pub(crate) fn body_bytes(body: RawBody) -> Result<Bytes, ApiError> {
    body.map_err(|e| {
        let status = e.status();
        ApiError::new(status, "VALIDATION:INPUT_INVALID", e.body_text())
    })
}

/// Returns the token from `?token=` or the `token` cookie; when both carry
/// one, `precedence` says which counts (an empty value counts as none).
pub(crate) fn token_from(
    params: &HashMap<String, String>,
    headers: &HeaderMap,
    precedence: TokenPrecedence,
) -> Option<String> {
    let from_query = || params.get("token").filter(|t| !t.is_empty()).cloned();
    let from_cookie = || {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, value)| *name == TOKEN_COOKIE && !value.is_empty())
            .map(|(_, value)| value.to_owned())
    };
    match precedence {
        TokenPrecedence::Query => from_query().or_else(from_cookie),
        TokenPrecedence::Cookie => from_cookie().or_else(from_query),
    }
}

/// Reads a `true`/`false` query flag.
pub(crate) fn query_flag(
    params: &HashMap<String, String>,
    name: &str,
    default: bool,
) -> Result<bool, ApiError> {
    match params.get(name).map(|v| v.to_ascii_lowercase()).as_deref() {
        None => Ok(default),
        Some("true" | "1") => Ok(true),
        Some("false" | "0") => Ok(false),
        Some(_) => Err(ApiError::invalid_input(
            "Invalid query string.",
            vec![FieldProblem::new(name, "must be true or false")],
        )),
    }
}

/// Parses `body` as a JSON object, or explains why it is not one.
pub(crate) fn json_object(body: &[u8], message: &str) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(ApiError::invalid_input(
            message,
            vec![FieldProblem::new("body", "must be a JSON object")],
        )),
        Err(e) => Err(ApiError::invalid_input(
            message,
            vec![FieldProblem::new("body", format!("is not valid JSON: {e}"))],
        )),
    }
}

/// Reads an optional string field, noting a wrong type.
pub(crate) fn string_field(
    object: &Map<String, Value>,
    field: &str,
    problems: &mut Vec<FieldProblem>,
) -> Option<String> {
    match object.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            problems.push(FieldProblem::new(field, "must be a string"));
            None
        }
    }
}

/// Reads an optional boolean field, noting a wrong type.
pub(crate) fn bool_field(
    object: &Map<String, Value>,
    field: &str,
    problems: &mut Vec<FieldProblem>,
) -> Option<bool> {
    match object.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            problems.push(FieldProblem::new(field, "must be a boolean"));
            None
        }
    }
}

/// Runs CPU-heavy hashing off the async workers.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::internal(format!("worker failed: {e}")))
}

/// Answers every unknown route or method with 404 `RESOURCE:NOT_FOUND`.
pub(crate) async fn not_found() -> ApiError {
    ApiError::not_found()
}

/// Returns an error's field problems as `field: message` lines.
#[cfg(test)]
pub(crate) fn problems(err: &ApiError) -> Vec<String> {
    err.details.as_array().map_or_else(Vec::new, |items| {
        items
            .iter()
            .map(|p| {
                format!(
                    "{}: {}",
                    p["field"].as_str().unwrap_or(""),
                    p["message"].as_str().unwrap_or("")
                )
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn token_comes_from_query_then_cookie() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; token=FROMCOOKIE; x=y"),
        );
        let query = TokenPrecedence::Query;
        let mut params = HashMap::new();
        assert_eq!(
            token_from(&params, &headers, query).as_deref(),
            Some("FROMCOOKIE")
        );
        params.insert("token".to_owned(), "FROMQUERY".to_owned());
        assert_eq!(token_from(&params, &headers, query).as_deref(), Some("FROMQUERY"));
        params.insert("token".to_owned(), String::new());
        assert_eq!(
            token_from(&params, &headers, query).as_deref(),
            Some("FROMCOOKIE")
        );
        assert_eq!(token_from(&params, &HeaderMap::new(), query), None);
    }

    #[test]
    fn with_cookie_precedence_the_cookie_wins_over_the_query() {
        let cookie = TokenPrecedence::Cookie;
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("token=FROMCOOKIE"));
        let params: HashMap<String, String> = [("token".to_owned(), "FROMQUERY".to_owned())].into();
        assert_eq!(
            token_from(&params, &headers, cookie).as_deref(),
            Some("FROMCOOKIE")
        );
        assert_eq!(
            token_from(&params, &HeaderMap::new(), cookie).as_deref(),
            Some("FROMQUERY"),
            "without a cookie the query still counts"
        );
        headers.insert(header::COOKIE, HeaderValue::from_static("token="));
        assert_eq!(
            token_from(&params, &headers, cookie).as_deref(),
            Some("FROMQUERY")
        );
    }

    #[test]
    fn query_flags_accept_only_booleans() {
        let params: HashMap<String, String> = [("returnToken".to_owned(), "TRUE".to_owned())].into();
        assert!(query_flag(&params, "returnToken", false).unwrap());
        assert!(!query_flag(&HashMap::new(), "returnToken", false).unwrap());
        let params: HashMap<String, String> = [("returnToken".to_owned(), "yes".to_owned())].into();
        assert!(query_flag(&params, "returnToken", false).is_err());
    }
}
