//! Owns the second-factor endpoints: `POST /login/unlock` (codes for the
//! pending factors) and `POST /login/recovery` (a single-use recovery code),
//! with their bodies' rules; both need the token of a live session.
//!
//! Must not check codes itself: the state does, and recovery codes are hashed
//! on the blocking pool, never under the state's lock.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::request::{
    QueryParams, RawBody, Shared, blocking, body_bytes, json_object, query_params, token_from,
};
use crate::mock::account::Factor;
use crate::mock::api_error::{ApiError, FieldProblem};
use crate::mock::state::Mock;
use crate::mock::views::{recovery_json, unlock_json};

/// Checks a `POST /login/unlock` body: a non-empty list of distinct known
/// factors, each with a non-empty code.
pub(crate) fn parse_unlock(body: &[u8]) -> Result<Vec<(Factor, String)>, ApiError> {
    const MESSAGE: &str = "Incorrect request properties were specified.";
    let object = json_object(body, MESSAGE)?;
    let refuse = |field: &str, message: &str| {
        ApiError::invalid_input(MESSAGE, vec![FieldProblem::new(field, message)])
    };
    let items = match object.get("factors") {
        Some(Value::Array(items)) if !items.is_empty() => items,
        Some(Value::Array(_)) => return Err(refuse("factors", "must list at least one factor")),
        Some(_) => return Err(refuse("factors", "must be an array")),
        None => return Err(refuse("factors", "is required")),
    };
    let mut problems = Vec::new();
    let mut attempts: Vec<(Factor, String)> = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let field = |name: &str| format!("factors[{index}].{name}");
        let Value::Object(item) = item else {
            problems.push(FieldProblem::new(
                &format!("factors[{index}]"),
                "must be an object",
            ));
            continue;
        };
        let factor = match item.get("factor") {
            Some(Value::String(name)) => match Factor::parse(name) {
                Some(factor) => Some(factor),
                None => {
                    problems.push(FieldProblem::new(
                        &field("factor"),
                        format!("unknown factor `{name}`"),
                    ));
                    None
                }
            },
            _ => {
                problems.push(FieldProblem::new(
                    &field("factor"),
                    "is required (email, sms or totp)",
                ));
                None
            }
        };
        let code = match item.get("password") {
            Some(Value::String(code)) if !code.is_empty() => Some(code.clone()),
            _ => {
                problems.push(FieldProblem::new(&field("password"), "is required (the code)"));
                None
            }
        };
        if let (Some(factor), Some(code)) = (factor, code) {
            if attempts.iter().any(|(seen, _)| *seen == factor) {
                problems.push(FieldProblem::new(&field("factor"), "is listed twice"));
            } else {
                attempts.push((factor, code));
            }
        }
    }
    if problems.is_empty() {
        Ok(attempts)
    } else {
        Err(ApiError::invalid_input(MESSAGE, problems))
    }
}

/// Checks a `POST /login/recovery` body and returns the code.
pub(crate) fn parse_recovery(body: &[u8]) -> Result<String, ApiError> {
    const MESSAGE: &str = "Invalid request.";
    let object = json_object(body, MESSAGE)?;
    match object.get("recoveryCode") {
        Some(Value::String(code)) if !code.is_empty() => Ok(code.clone()),
        _ => Err(ApiError::invalid_input(
            MESSAGE,
            vec![FieldProblem::new(
                "recoveryCode",
                "is required (a non-empty string)",
            )],
        )),
    }
}

/// Returns the token of a live session, from the query or the cookie, or a
/// 401 saying `message`.
fn live_token(
    mock: &Mock,
    headers: &HeaderMap,
    query: QueryParams,
    message: &str,
) -> Result<String, ApiError> {
    let params = query_params(query)?;
    let token = token_from(&params, headers, mock.settings.token_precedence)
        .ok_or_else(|| ApiError::token_invalid(message))?;
    if mock.session(&token).is_none() {
        return Err(ApiError::token_invalid(message));
    }
    Ok(token)
}

/// `POST /login/unlock`: checks MFA codes for a locked token.
pub(crate) async fn unlock(
    State(mock): Shared,
    headers: HeaderMap,
    query: QueryParams,
    body: RawBody,
) -> Result<Response, ApiError> {
    let token = live_token(
        &mock,
        &headers,
        query,
        "Incorrect or missing authentication token was specified.",
    )?;
    let attempts = parse_unlock(&body_bytes(body)?)?;
    let view = mock.unlock(&token, &attempts)?;
    Ok(Json(unlock_json(&view)).into_response())
}

/// `POST /login/recovery`: unlocks every factor of a locked token with a single-use code.
pub(crate) async fn recovery(
    State(mock): Shared,
    headers: HeaderMap,
    query: QueryParams,
    body: RawBody,
) -> Result<Response, ApiError> {
    let token = live_token(&mock, &headers, query, "Authentication failed.")?;
    let code = parse_recovery(&body_bytes(body)?)?;
    let check = mock.recovery_begin(&token)?;
    let digest = match check.hasher {
        Some(hasher) => Some(
            blocking(move || hasher.digest(&code))
                .await?
                .map_err(|e| ApiError::internal(e.to_string()))?,
        ),
        None => None,
    };
    let outcome = mock.recovery_finish(&token, digest)?;
    Ok(Json(recovery_json(&outcome)).into_response())
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;

    use super::super::request::problems;
    use super::*;

    #[test]
    fn unlock_body_needs_distinct_known_factors_with_codes() {
        let ok = parse_unlock(br#"{"factors": [{"factor": "email", "password": "271008"}, {"factor": "totp", "password": "1"}]}"#)
            .unwrap();
        assert_eq!(
            ok,
            [
                (Factor::Email, "271008".to_owned()),
                (Factor::Totp, "1".to_owned())
            ]
        );
        for (body, needle) in [
            (r#"{"factors": []}"#, "factors: must list at least one factor"),
            (r#"{}"#, "factors: is required"),
            (r#"{"factors": {}}"#, "factors: must be an array"),
            (
                r#"{"factors": [{"factor": "fax", "password": "1"}]}"#,
                "factors[0].factor: unknown factor `fax`",
            ),
            (
                r#"{"factors": [{"factor": "sms", "password": ""}]}"#,
                "factors[0].password: is required (the code)",
            ),
            (r#"{"factors": [3]}"#, "factors[0]: must be an object"),
            (
                r#"{"factors": [{"factor": "sms", "password": "1"}, {"factor": "sms", "password": "2"}]}"#,
                "factors[1].factor: is listed twice",
            ),
        ] {
            let err = parse_unlock(body.as_bytes()).unwrap_err();
            assert_eq!(err.status, StatusCode::BAD_REQUEST);
            assert!(
                problems(&err).contains(&needle.to_owned()),
                "{body}: {:?}",
                problems(&err)
            );
        }
    }

    #[test]
    fn recovery_body_needs_a_code() {
        assert_eq!(
            parse_recovery(br#"{"recoveryCode": "12345678"}"#).unwrap(),
            "12345678"
        );
        assert_eq!(
            parse_recovery(br#"{"recoveryCode": ""}"#).unwrap_err().message,
            "Invalid request."
        );
        assert!(parse_recovery(br#"{"recoveryCode": 12345678}"#).is_err());
    }
}
