//! Owns the scenario format: serde types, loading from YAML, validation, the
//! source locations every diagnostic points at, and the JSON Schema editors
//! complete from.
//!
//! Must not touch HTTP, the terminal, or templates' evaluation: the model is
//! plain data plus pure checks, so `scenario check` can run with no network.

mod case;
mod condition;
pub(crate) mod exact;
mod filter;
mod location;
mod outputs;
mod paths;
mod predicate;
mod predicate_error;
mod request;
mod response;
mod scenario;
mod schema_parts;
mod shape;
mod status;
mod step;
mod value_type;

pub mod diag;
pub mod load;
pub mod project;
pub mod project_mock;
pub mod schema;

pub use case::{Case, scenario_id};
pub use condition::{Condition, VarsCondition};
pub use filter::{FILTER_NAMES, Filter, parse_filters};
pub use location::{SourceLocation, Spanned, SpannedMap};
pub use outputs::{OutputBinding, Outputs};
pub use paths::{normalize, resolve_use_path};
pub use predicate::{
    Expectation, FILTERS_KEY, PREDICATE_KEYS, Predicate, PredicateError, parse_expectation, parse_predicates,
};
pub use request::{
    AuthSpec, Credentials, FileSpec, FollowRedirects, HttpVersionSpec, MULTIPART_KEYS, TEMPLATE_PATTERN,
    Templated,
};
pub use response::{COOKIE_ATTRIBUTES, CaptureEntry, CaptureSpec, Expect, SnapshotSpec};
pub use scenario::{InputSpec, Scenario, SnapshotDefaults};
pub use status::StatusExpect;
pub use step::{Ask, Method, Retry, Step};
pub use value_type::{CmpOp, FORMAT_NAMES, JsonType, TYPE_NAMES, TextFormat, is_integer};
