//! Owns the `/api/v1` handlers: reads the token (query or cookie), checks
//! bodies against the documented rules, calls the state and shapes answers.
//!
//! Rules about sessions live in `state`; JSON shapes live in `views` and
//! `search`. Password and code hashing run on the blocking pool.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::api_error::{ApiError, FieldProblem};
use super::crypto;
use super::search::{parse_search, search_json};
use super::seed::{AccountStatus, DEFAULT_TENANT, Factor, is_valid_name, is_valid_tenant};
use super::state::Mock;
use super::views::{logged_out_json, recovery_json, session_json, unlock_json};

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

/// Returns the token from `?token=`, else from the `token` cookie.
pub(crate) fn token_from(params: &HashMap<String, String>, headers: &HeaderMap) -> Option<String> {
    if let Some(token) = params.get("token").filter(|t| !t.is_empty()) {
        return Some(token.clone());
    }
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == TOKEN_COOKIE && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

/// Reads a `true`/`false` query flag.
fn query_flag(params: &HashMap<String, String>, name: &str, default: bool) -> Result<bool, ApiError> {
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
fn json_object(body: &[u8], message: &str) -> Result<Map<String, Value>, ApiError> {
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
fn string_field(
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
fn bool_field(object: &Map<String, Value>, field: &str, problems: &mut Vec<FieldProblem>) -> Option<bool> {
    match object.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            problems.push(FieldProblem::new(field, "must be a boolean"));
            None
        }
    }
}

/// Holds a checked `POST /login` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LoginRequest {
    pub(crate) name: String,
    pub(crate) password: String,
    pub(crate) return_token: bool,
    pub(crate) tenant: Option<String>,
}

/// Checks a `POST /login` body against the documented schema.
pub(crate) fn parse_login(body: &[u8]) -> Result<LoginRequest, ApiError> {
    const MESSAGE: &str = "Invalid request format.";
    let object = json_object(body, MESSAGE)?;
    let mut problems = Vec::new();
    let name = string_field(&object, "name", &mut problems);
    let password = string_field(&object, "password", &mut problems);
    let return_token = bool_field(&object, "returnToken", &mut problems);
    let tenant = string_field(&object, "tenant", &mut problems);
    bool_field(&object, "termsAccepted", &mut problems);
    match &name {
        None if object.get("name").is_none_or(Value::is_null) => {
            problems.push(FieldProblem::new("name", "is required"));
        }
        Some(name) if !is_valid_name(name) => {
            problems.push(FieldProblem::new("name", "must match ^[A-Za-z0-9.@_-]+$"));
        }
        _ => {}
    }
    if password.is_none() && object.get("password").is_none_or(Value::is_null) {
        problems.push(FieldProblem::new("password", "is required"));
    }
    if let Some(tenant) = tenant.as_deref().filter(|t| !is_valid_tenant(t)) {
        problems.push(FieldProblem::new(
            "tenant",
            format!("`{tenant}` must match ^[a-z0-9]+$"),
        ));
    }
    match (name, password) {
        (Some(name), Some(password)) if problems.is_empty() => Ok(LoginRequest {
            name,
            password,
            return_token: return_token.unwrap_or(true),
            tenant,
        }),
        _ => Err(ApiError::invalid_input(MESSAGE, problems)),
    }
}

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

/// Returns the `Set-Cookie` value that stores `token`.
fn token_cookie(token: &str, max_age_seconds: i64) -> Option<HeaderValue> {
    HeaderValue::from_str(&format!(
        "{TOKEN_COOKIE}={token}; Path=/; Max-Age={max_age_seconds}; HttpOnly; SameSite=Lax"
    ))
    .ok()
}

/// Returns the `Set-Cookie` value that removes the token cookie.
fn cleared_cookie() -> HeaderValue {
    HeaderValue::from_static("token=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax")
}

fn with_cookie(body: Value, cookie: Option<HeaderValue>) -> Response {
    let mut response = Json(body).into_response();
    if let Some(cookie) = cookie {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// Runs CPU-heavy hashing off the async workers.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ApiError::internal(format!("worker failed: {e}")))
}

/// `POST /login`: checks the password and opens a session (locked for MFA accounts).
pub(crate) async fn login(State(mock): Shared, body: RawBody) -> Result<Response, ApiError> {
    let body = body_bytes(body)?;
    let request = parse_login(&body)?;
    let tenant = request.tenant.as_deref().unwrap_or(DEFAULT_TENANT);
    if request.tenant.is_some() && !mock.tenant_exists(tenant) {
        return Err(ApiError::invalid_input(
            "Invalid request format.",
            vec![FieldProblem::new("tenant", format!("unknown tenant `{tenant}`"))],
        ));
    }
    let account = mock.find_account(tenant, &request.name);
    let hash = mock.password_hash_for(account);
    let password = request.password;
    let verified = blocking(move || crypto::verify_password(&password, &hash)).await?;
    let Some(index) = account.filter(|_| verified) else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "AUTH:INVALID_CREDENTIALS",
            "Invalid credentials.",
        ));
    };
    let profile = mock
        .accounts
        .get(index)
        .ok_or_else(|| ApiError::internal("unknown account"))?;
    if profile.status == AccountStatus::Suspended {
        return Err(ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "AUTH:ACCOUNT_INACTIVE",
            "Account is not active.",
        ));
    }
    let view = mock.create_session(index)?;
    let lifetime = mock.settings.session_lifetime;
    let body = session_json(
        profile,
        &view,
        request.return_token,
        lifetime.whole_milliseconds(),
    );
    Ok(with_cookie(
        body,
        token_cookie(&view.token, lifetime.whole_seconds()),
    ))
}

/// `GET /login`: reports whether the token is logged in and unlocked.
pub(crate) async fn login_status(
    State(mock): Shared,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let params = query_params(query)?;
    let include_token = query_flag(&params, "returnToken", false)?;
    let view = token_from(&params, &headers).and_then(|token| mock.session(&token));
    let lifetime = mock.settings.session_lifetime.whole_milliseconds();
    match view.and_then(|view| mock.accounts.get(view.account).map(|account| (account, view))) {
        Some((account, view)) => {
            Ok(Json(session_json(account, &view, include_token, lifetime)).into_response())
        }
        None if mock.settings.invalid_token_status_401 => Err(ApiError::token_invalid(
            "No valid authentication token was provided or the token has expired.",
        )),
        None => Ok(Json(logged_out_json()).into_response()),
    }
}

/// `POST /login/unlock`: checks MFA codes for a locked token.
pub(crate) async fn unlock(
    State(mock): Shared,
    headers: HeaderMap,
    query: QueryParams,
    body: RawBody,
) -> Result<Response, ApiError> {
    const NO_TOKEN: &str = "Incorrect or missing authentication token was specified.";
    let params = query_params(query)?;
    let token = token_from(&params, &headers).ok_or_else(|| ApiError::token_invalid(NO_TOKEN))?;
    if mock.session(&token).is_none() {
        return Err(ApiError::token_invalid(NO_TOKEN));
    }
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
    let params = query_params(query)?;
    let token =
        token_from(&params, &headers).ok_or_else(|| ApiError::token_invalid("Authentication failed."))?;
    if mock.session(&token).is_none() {
        return Err(ApiError::token_invalid("Authentication failed."));
    }
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

/// `POST /search`: one page of the user's documents.
pub(crate) async fn search(
    State(mock): Shared,
    headers: HeaderMap,
    query: QueryParams,
    body: RawBody,
) -> Result<Response, ApiError> {
    let params = query_params(query)?;
    let token =
        token_from(&params, &headers).ok_or_else(|| ApiError::token_invalid("Authentication failed."))?;
    let index = mock.search_account(&token)?;
    let request = parse_search(&body_bytes(body)?)?;
    let account = mock
        .accounts
        .get(index)
        .ok_or_else(|| ApiError::internal("unknown account"))?;
    Ok(Json(search_json(
        account,
        request,
        mock.settings.search_results_wrapped,
    ))
    .into_response())
}

/// `GET /logout`: ends this token's session only and clears the cookie.
pub(crate) async fn logout(
    State(mock): Shared,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    const NO_TOKEN: &str = "No valid authentication token was provided.";
    let params = query_params(query)?;
    let token = token_from(&params, &headers).ok_or_else(|| ApiError::token_invalid(NO_TOKEN))?;
    mock.logout(&token)?;
    Ok(with_cookie(json!({}), Some(cleared_cookie())))
}

/// Answers every unknown route or method with 404 `RESOURCE:NOT_FOUND`.
pub(crate) async fn not_found() -> ApiError {
    ApiError::not_found()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(err: &ApiError) -> Vec<String> {
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

    #[test]
    fn login_body_defaults_return_token_to_true() {
        let request = parse_login(br#"{"name": "a@b.c", "password": "p"}"#).unwrap();
        assert!(request.return_token);
        assert_eq!(request.tenant, None);
        let request =
            parse_login(br#"{"name": "a", "password": "", "returnToken": false, "tenant": "acme"}"#).unwrap();
        assert!(!request.return_token);
        assert_eq!(request.tenant.as_deref(), Some("acme"));
    }

    #[test]
    fn login_body_problems_are_listed_per_field() {
        let err = parse_login(br#"{"name": "a b", "returnToken": "yes", "tenant": "Acme"}"#).unwrap_err();
        assert_eq!(err.message, "Invalid request format.");
        let listed = problems(&err);
        assert!(
            listed.iter().any(|p| p.starts_with("name: must match")),
            "{listed:?}"
        );
        assert!(listed.iter().any(|p| p == "password: is required"), "{listed:?}");
        assert!(
            listed.iter().any(|p| p == "returnToken: must be a boolean"),
            "{listed:?}"
        );
        assert!(listed.iter().any(|p| p.starts_with("tenant:")), "{listed:?}");
        assert_eq!(
            problems(&parse_login(b"[]").unwrap_err()),
            ["body: must be a JSON object"]
        );
        assert_eq!(
            problems(&parse_login(br#"{"name": 5, "password": "x"}"#).unwrap_err()),
            ["name: must be a string"]
        );
    }

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

    #[test]
    fn token_comes_from_query_then_cookie() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("theme=dark; token=FROMCOOKIE; x=y"),
        );
        let mut params = HashMap::new();
        assert_eq!(token_from(&params, &headers).as_deref(), Some("FROMCOOKIE"));
        params.insert("token".to_owned(), "FROMQUERY".to_owned());
        assert_eq!(token_from(&params, &headers).as_deref(), Some("FROMQUERY"));
        params.insert("token".to_owned(), String::new());
        assert_eq!(token_from(&params, &headers).as_deref(), Some("FROMCOOKIE"));
        assert_eq!(token_from(&params, &HeaderMap::new()), None);
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
