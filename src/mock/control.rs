//! Owns the test-only control endpoints under `/__mock` (never under
//! `/api/v1`): the outbox of sent codes, the clock, reset, the account list
//! and the switches this mock runs with.
//!
//! They exist so scenarios can read e-mail/SMS codes and expire tokens.
//! Must not reveal passwords, TOTP secrets or recovery codes.

use axum::Json;
use serde_json::{Value, json};

use super::api_error::{ApiError, FieldProblem};
use super::handlers::{QueryParams, RawBody, Shared, body_bytes, query_params};
use super::outbox::OutboxFilter;
use super::views::{message_json, rfc3339};

/// `GET /__mock/outbox?name=&address=&factor=&token=`: sent codes, newest first.
pub(crate) async fn outbox(
    axum::extract::State(mock): Shared,
    query: QueryParams,
) -> Result<Json<Value>, ApiError> {
    let mut params = query_params(query)?;
    let filter = OutboxFilter {
        name: params.remove("name"),
        address: params.remove("address"),
        factor: params.remove("factor"),
        token: params.remove("token"),
    };
    if let Some(unknown) = params.keys().next() {
        return Err(ApiError::invalid_input(
            "Unknown outbox filter.",
            vec![FieldProblem::new(unknown, "use name, address, factor or token")],
        ));
    }
    let messages: Vec<Value> = mock.outbox(&filter).iter().map(message_json).collect();
    Ok(Json(json!({ "messages": messages })))
}

/// `GET /__mock/clock`: the mock's current time.
pub(crate) async fn clock(axum::extract::State(mock): Shared) -> Json<Value> {
    Json(json!({ "now": rfc3339(mock.now()) }))
}

/// `POST /__mock/clock {"advanceSeconds": N}`: moves the clock forward.
pub(crate) async fn advance_clock(
    axum::extract::State(mock): Shared,
    body: RawBody,
) -> Result<Json<Value>, ApiError> {
    let body = body_bytes(body)?;
    let refuse = |message: &str| {
        ApiError::invalid_input(
            "Send {\"advanceSeconds\": N} with N a whole number of seconds, 0 or more.",
            vec![FieldProblem::new("advanceSeconds", message)],
        )
    };
    let value: Value = serde_json::from_slice(&body).map_err(|_| refuse("the body is not JSON"))?;
    let Some(object) = value.as_object().filter(|o| o.len() == 1) else {
        return Err(refuse("must be the only field of a JSON object"));
    };
    let seconds = object
        .get("advanceSeconds")
        .and_then(Value::as_u64)
        .ok_or_else(|| refuse("must be an integer of 0 or more"))?;
    let now = mock.advance_clock(seconds)?;
    Ok(Json(json!({ "now": rfc3339(now) })))
}

/// `POST /__mock/reset`: back to the seed state.
pub(crate) async fn reset(axum::extract::State(mock): Shared) -> Json<Value> {
    mock.reset();
    Json(json!({ "status": "SUCCESS" }))
}

/// `GET /__mock/switches`: every switch and its value on this mock.
pub(crate) async fn switches(axum::extract::State(mock): Shared) -> Json<Value> {
    let switches: serde_json::Map<String, Value> = mock
        .switches
        .iter()
        .map(|(key, value)| ((*key).to_owned(), Value::from(*value)))
        .collect();
    Json(json!({ "switches": switches }))
}

/// `GET /__mock/accounts`: seeded names, tenants and factors, no secrets.
pub(crate) async fn accounts(axum::extract::State(mock): Shared) -> Json<Value> {
    Json(mock.accounts_summary())
}
