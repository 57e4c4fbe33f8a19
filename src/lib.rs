//! `scenario`: a declarative scenario test runner for HTTP APIs.
//!
//! YAML files describe API flows as steps (a request, captures, expectations,
//! snapshots); the engine runs them against a target URL and streams results to
//! reporters as events. A faithful Circularo mock ships in [`mock`] so every flow
//! runs offline.
//!
//! Dependencies point one way: `app` -> [`engine`] -> ([`check`], [`http`],
//! [`template`], [`snapshot`], [`state`]) -> [`model`]. [`state`] (what
//! outlives a run: the TOTP ledger and pool marks, in a locked folder) is a
//! leaf that uses only [`secret`]. [`mock`] stands apart and
//! [`report`] only consumes [`engine::Event`]s. `app` loads and checks files
//! through [`validate`] (which parses with [`template`] and [`check`], above
//! [`model`]) before anything runs; it wires the layers together and must not
//! own domain rules of its own. [`secret`] (redaction) and [`error`] (exit
//! codes) are leaves that any layer may use. The command line lives in the
//! binary, so this library never sees clap.
//!
//! One concern per file, in folders by layer:
//! - [`app`]: one file per command (`run`, `check`, `list`, `mock`,
//!   `snapshots`, `state`, `schema`, `report`) and the pieces they share (`target`:
//!   environments and the base URL; `plan`, `pools`, `state_dir`, `project`,
//!   `vars`, `options`, `prompt`).
//! - [`engine`]: the plan runner under the lock manager (`locks`), each
//!   scenario's attempts under `--retries` (`rerun`), the run's
//!   `pool`s and link to the state folder, then one file per step concern:
//!   the step loop (`scenario`), `request` building, one `attempt` (send,
//!   expectations, captures), the `retry` policy, `wait` (TOTP windows),
//!   `consume` (pool values a request carries), `ask`, `flow` (`use`),
//!   `snapshot`, and what is recorded and `redact`ed for reports.
//! - [`http`]: one file per wire concern: the client and its redirect loop
//!   (`client`, `redirect`), sessions' cookie jars (`session`), bodies
//!   (`body`: multipart, files), credentials (`auth`, `digest`), TLS and
//!   proxies (`tls`), and the curl replay line (`curl`).
//! - [`state`]: the state `folder` (file lock, atomic writes, key),
//!   `fingerprint`s, run `lease`s, the `totp` ledger and `pool` marks.
//! - [`check`]: queries (`query`, `capture_source`), `predicate`s, `subset`
//!   matching and the `expect` subjects, each evaluated in its own file;
//!   results (`outcome`) apart from how values are shown (`display`).
//! - [`model`]: the format's types (`scenario`, `step`, `response`), loading by
//!   stage (`load/`: discover, read, yaml pre-pass and budgets, typed parse,
//!   diagnostics, structural checks), diagnostics (`diag/`) and schemas.
//! - [`report`]: one fold of the events (`fold`) that the console, JUnit and
//!   JSON reporters read; file reporters only serialise it. JSON reports are
//!   read back (`read`) and the reports of shards merged (`merge`).
//!
//! Must not depend on clap or the terminal below `app`; `tests/layout.rs`
//! enforces the layers, the absence of import cycles between files, module
//! docs and file length.

pub mod app;
pub mod check;
pub mod engine;
pub mod error;
pub mod http;
pub mod mock;
pub mod model;
pub mod report;
pub mod secret;
pub mod snapshot;
pub mod state;
pub mod template;
pub mod validate;
