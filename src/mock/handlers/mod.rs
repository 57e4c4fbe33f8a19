//! Owns the HTTP handlers of the mock, one file per endpoint group: `login`
//! (log in, status, log out), `mfa` (unlock, recovery), `search`, and
//! `request` (what they all read: token, query, body; the 404 answer).
//!
//! Must not hold session rules (they live in `state`) nor JSON shapes (in
//! `views` and `search`).

mod login;
mod mfa;
mod request;
mod search;

pub(crate) use login::{login, login_status, logout};
pub(crate) use mfa::{recovery, unlock};
pub(crate) use request::{QueryParams, RawBody, Shared, body_bytes, not_found, query_params};
pub(crate) use search::search;
