//! Serves a faithful, stateful, offline Circularo session-auth API (axum):
//! login, status, MFA unlock (e-mail, SMS, TOTP), recovery codes, search,
//! logout, plus test-only control endpoints under `/__mock`.
//!
//! Stands apart: must not import anything else from this crate (no engine,
//! model, template or reporters), so it can run inside `scenario run` or alone
//! as `scenario mock`. Documented behaviour and our assumptions are listed in
//! `docs/mock.md`.
//!
//! Layout: accounts in: `account` (what a seeded account is, its defaults),
//! `seed` (the [`Seed`] and its banner), `seed_file` (YAML), `builtin`,
//! `rules` (validation), `stable_id`; accounts held: `directory` (secrets
//! hashed); rules and memory: `state` (the `Mock` behind the handlers),
//! `memory`, `session`, `mfa`, `recovery`, `outbox`; HTTP:
//! `handlers` (one file per endpoint group) and `control`; JSON shapes:
//! `views` and `search`; serving: `server`; `api_error` (error answers),
//! `crypto` (random values and hashing), `config`, `switches` (the
//! behaviours the docs leave open, by name), `error`.

mod account;
mod api_error;
mod builtin;
mod config;
mod control;
mod crypto;
mod directory;
mod error;
mod handlers;
mod memory;
mod mfa;
mod outbox;
mod recovery;
mod rules;
mod search;
mod seed;
mod seed_file;
mod server;
mod session;
mod stable_id;
mod state;
mod switches;
mod views;

pub use config::{HashCost, MockConfig};
pub use error::MockError;
pub use seed::{Seed, describe_accounts};
pub use server::{MockServer, app};
pub use switches::{
    ErrorDetails, InvalidTokenStatus, LockedTokenStatus, MfaCodes, MfaPolicy, RequestIdFormat, SWITCHES,
    SearchResults, StatusToken, Switch, SwitchInfo, TokenFormat, TokenPrecedence, WrongCodeStatus,
    switch_info,
};
