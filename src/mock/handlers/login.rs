//! Owns the session endpoints: `POST /login` (password check, then a session,
//! locked for MFA accounts), `GET /login` (status) and `GET /logout`, with the
//! login body's rules and the token cookie.
//!
//! Must not check second factors (see `mfa`) nor hold session rules (`state`).

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::request::{
    QueryParams, RawBody, Shared, TOKEN_COOKIE, blocking, body_bytes, bool_field, json_object, query_flag,
    query_params, string_field, token_from,
};
use crate::mock::account::{AccountStatus, DEFAULT_TENANT};
use crate::mock::api_error::{ApiError, FieldProblem};
use crate::mock::crypto;
use crate::mock::rules::{is_valid_name, is_valid_tenant};
use crate::mock::switches::{InvalidTokenStatus, StatusToken};
use crate::mock::views::{logged_out_json, session_json};

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

/// `POST /login`: checks the password and opens a session (locked for MFA accounts).
pub(crate) async fn login(State(mock): Shared, body: RawBody) -> Result<Response, ApiError> {
    let body = body_bytes(body)?;
    let request = parse_login(&body)?;
    let tenant = request.tenant.as_deref().unwrap_or(DEFAULT_TENANT);
    if request.tenant.is_some() && !mock.directory.tenant_exists(tenant) {
        return Err(ApiError::invalid_input(
            "Invalid request format.",
            vec![FieldProblem::new("tenant", format!("unknown tenant `{tenant}`"))],
        ));
    }
    let account = mock.directory.find_account(tenant, &request.name);
    let hash = mock.directory.password_hash_for(account);
    let password = request.password;
    let verified = blocking(move || crypto::verify_password(&password, &hash)).await?;
    let Some(index) = account.filter(|_| verified) else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "AUTH:INVALID_CREDENTIALS",
            "Invalid credentials.",
        ));
    };
    let profile = &mock.account(index)?.profile;
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
    let by_default = mock.settings.status_token == StatusToken::ByDefault;
    let include_token = query_flag(&params, "returnToken", by_default)?;
    let view =
        token_from(&params, &headers, mock.settings.token_precedence).and_then(|token| mock.session(&token));
    let lifetime = mock.settings.session_lifetime.whole_milliseconds();
    match view.and_then(|view| mock.account(view.account).ok().map(|account| (account, view))) {
        Some((account, view)) => {
            Ok(Json(session_json(&account.profile, &view, include_token, lifetime)).into_response())
        }
        None if mock.settings.invalid_token == InvalidTokenStatus::Status401 => Err(ApiError::token_invalid(
            "No valid authentication token was provided or the token has expired.",
        )),
        None => Ok(Json(logged_out_json()).into_response()),
    }
}

/// `GET /logout`: ends this token's session only and clears the cookie.
pub(crate) async fn logout(
    State(mock): Shared,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    const NO_TOKEN: &str = "No valid authentication token was provided.";
    let params = query_params(query)?;
    let token = token_from(&params, &headers, mock.settings.token_precedence)
        .ok_or_else(|| ApiError::token_invalid(NO_TOKEN))?;
    mock.logout(&token)?;
    Ok(with_cookie(json!({}), Some(cleared_cookie())))
}

#[cfg(test)]
mod tests {
    use super::super::request::problems;
    use super::*;

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
}
