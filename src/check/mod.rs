//! Evaluates captures and expectations over a recorded [`Response`]: one
//! pipeline of query (JSONPath, header, cookie, text, bytes, XPath/CSS,
//! redirect chain, variable) -> filters -> predicates (with `not`), shared
//! by expectations and captures, plus subset matching, JSON Schema and
//! redaction.
//!
//! Pure and synchronous: no network, no templates (operands arrive rendered
//! through a callback), no terminal; files are read only where an
//! expectation names them (`equals_file`, schemas), inside the project.
//! Unit-tested with canned responses. Must not reach the network, render
//! templates, print, or know how a run is reported.

mod actual;
mod cache;
mod capture;
mod capture_error;
mod capture_regex;
mod capture_source;
mod compare;
mod context;
mod cookie;
mod display;
mod evaluate;
mod expect;
mod expect_body;
mod expect_cookies;
mod expect_headers;
mod expect_markup;
mod expect_redirects;
mod expect_schema;
mod expect_status;
mod expect_text;
mod expect_vars;
mod files;
mod filter;
#[cfg(test)]
mod fixtures;
mod markup;
mod number;
mod outcome;
mod predicate;
mod prepare;
mod query;
mod query_explain;
mod query_hint;
mod query_singular;
mod redact;
mod response;
mod subset;

pub use capture::eval_capture;
pub use capture_error::CaptureError;
pub use context::EvalContext;
pub use evaluate::{Evaluator, LookupVar};
pub use expect::eval_expect;
pub use expect_vars::eval_vars;
pub use filter::ChainStep;
pub use outcome::AssertionResult;
pub use predicate::{PredicateOutcome, eval_predicates};
pub use prepare::RenderOperand;
pub use query::{JsonPathQuery, QueryError, Selection};
pub use redact::{REDACTED, redact_path, redact_paths};
pub use response::{Hop, Response};
