//! Owns [`MockError`]: the reasons the mock cannot start (bad seed, bad
//! configuration, port in use).
//!
//! Must not describe answers to HTTP requests: those live in `api_error`.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Explains why the mock could not be built or started.
#[derive(Debug, thiserror::Error)]
pub enum MockError {
    /// The seed file could not be read.
    #[error("could not read the seed file {path}: {source}")]
    ReadSeed {
        /// The seed file.
        path: PathBuf,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The seed text is not valid YAML, does not fit the seed format, or
    /// describes accounts that cannot exist (duplicate names, missing TOTP
    /// secret...). The message carries the line and column when known.
    #[error("invalid seed {origin}: {message}")]
    InvalidSeed {
        /// Where the seed came from: a file path, or `(text)` / `(built-in)`.
        origin: String,
        /// What is wrong, with `line L, column C` when known.
        message: String,
    },
    /// A [`crate::mock::MockConfig`] value is out of range.
    #[error("invalid mock configuration: {0}")]
    InvalidConfig(String),
    /// Hashing the seeded passwords or recovery codes failed.
    #[error("could not hash the seeded secrets: {0}")]
    Hashing(String),
    /// The operating system's random number generator failed.
    #[error("the system random number generator failed: {0}")]
    Random(String),
    /// The listening socket could not be opened.
    #[error("could not listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the operating system said.
        #[source]
        source: std::io::Error,
    },
    /// The background task that builds the mock stopped unexpectedly.
    #[error("the mock could not be prepared: {0}")]
    Startup(String),
}
