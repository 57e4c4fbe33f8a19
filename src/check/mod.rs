//! Evaluates captures and expectations over a recorded [`Response`]: JSONPath
//! queries, captures, predicates, subset matching and redaction.
//!
//! Pure and synchronous: no network, no templates (operands arrive rendered
//! through a callback), no terminal. Unit-tested with canned responses.
//! Must not reach the network, render templates, print, or know how a run is
//! reported.

mod capture;
mod capture_error;
mod capture_regex;
mod capture_source;
mod compare;
mod display;
mod expect;
mod expect_body;
mod expect_headers;
#[cfg(test)]
mod fixtures;
mod outcome;
mod predicate;
mod prepare;
mod query;
mod query_hint;
mod redact;
mod response;
mod subset;

pub use capture::eval_capture;
pub use capture_error::CaptureError;
pub use expect::eval_expect;
pub use outcome::AssertionResult;
pub use predicate::{PredicateOutcome, eval_predicates};
pub use prepare::RenderOperand;
pub use query::{JsonPathQuery, QueryError, Selection};
pub use redact::{REDACTED, redact_path, redact_paths};
pub use response::{Hop, Response};
