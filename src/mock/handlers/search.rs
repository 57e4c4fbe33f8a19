//! Owns the `POST /search` endpoint: the token must belong to a live,
//! unlocked session with the search right; the answer is one page of the
//! account's documents.
//!
//! Must not shape the answer or read paging itself: `crate::mock::search` does.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use super::request::{QueryParams, RawBody, Shared, body_bytes, query_params, token_from};
use crate::mock::api_error::ApiError;
use crate::mock::search::{parse_search, search_json};
use crate::mock::switches::SearchResults;

/// `POST /search`: one page of the user's documents.
pub(crate) async fn search(
    State(mock): Shared,
    headers: HeaderMap,
    query: QueryParams,
    body: RawBody,
) -> Result<Response, ApiError> {
    let params = query_params(query)?;
    let token = token_from(&params, &headers, mock.settings.token_precedence)
        .ok_or_else(|| ApiError::token_invalid("Authentication failed."))?;
    let index = mock.search_account(&token)?;
    let request = parse_search(&body_bytes(body)?)?;
    let account = mock.account(index)?;
    Ok(Json(search_json(
        &account.profile,
        request,
        mock.settings.search_results == SearchResults::Wrapped,
    ))
    .into_response())
}
