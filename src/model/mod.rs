//! Owns the scenario format: serde types, loading from YAML, validation, the
//! source locations every diagnostic points at, and the JSON Schema editors
//! complete from.
//!
//! Must not touch HTTP, the terminal, or templates' evaluation: the model is
//! plain data plus pure checks, so `scenario check` can run with no network.

pub(crate) mod exact;
mod location;
mod paths;
mod predicate;
mod request;
mod response;
mod scenario;
mod schema_parts;
mod shape;
mod step;

pub mod diag;
pub mod load;
pub mod project;
pub mod schema;

pub use location::{SourceLocation, Spanned, SpannedMap};
pub use paths::{normalize, resolve_use_path};
pub use predicate::{
    CmpOp, JsonType, PREDICATE_KEYS, Predicate, PredicateError, StatusExpect, parse_predicates,
};
pub use request::{
    AuthSpec, Credentials, FileSpec, FollowRedirects, HttpVersionSpec, MULTIPART_KEYS, TEMPLATE_PATTERN,
    Templated,
};
pub use response::{CaptureEntry, CaptureSpec, Expect, SnapshotSpec};
pub use scenario::{InputSpec, Scenario, SnapshotDefaults};
pub use step::{Ask, Method, Retry, Step};
