//! Evaluates captures and expectations over a recorded [`Response`]: JSONPath
//! queries, captures, predicates, subset matching and redaction.
//!
//! Pure and synchronous: no network, no templates (operands arrive rendered
//! through a callback), no terminal. Unit-tested with canned responses.

mod assert;
mod capture;
mod display;
mod query;
mod redact;
mod response;

pub use assert::{AssertionResult, PredicateOutcome, RenderOperand, eval_expect, eval_predicates};
pub use capture::{CaptureError, eval_capture};
pub use query::{JsonPathQuery, QueryError, Selection};
pub use redact::{REDACTED, redact_path, redact_paths};
pub use response::Response;
