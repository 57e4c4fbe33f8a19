//! `scenario`: a declarative scenario test runner for HTTP APIs.
//!
//! YAML files describe API flows as steps (a request, captures, expectations,
//! snapshots); the engine runs them against a target URL and streams results to
//! reporters as events. A faithful Circularo mock ships in [`mock`] so every flow
//! runs offline.
//!
//! Dependencies point one way: `app` -> [`engine`] -> ([`check`], [`http`],
//! [`template`], [`snapshot`]) -> [`model`]. [`mock`] stands apart and
//! [`report`] only consumes [`engine::Event`]s. `app` loads and checks files
//! through [`validate`] (which parses with [`template`] and [`check`], above
//! [`model`]) before anything runs; it wires the layers together and must not
//! own domain rules of its own. [`secret`] (redaction) and [`error`] (exit
//! codes) are leaves that any layer may use. The command line lives in the
//! binary, so this library never sees clap.

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
pub mod template;
pub mod validate;
