//! Owns [`Diagnostic`]s: a located problem in a scenario file, its rustc-style
//! rendering (annotate-snippets) and its one-line form (`diagnostic`), the
//! small text helpers that turn a node position into an exact span in the
//! source (`text`), and the "did you mean" and quoting helpers messages share
//! (`suggest`).
//!
//! Pure: no file system, no terminal detection, no templates. Must not decide
//! whether to colour the output or where it goes: callers do.

mod diagnostic;
mod suggest;
mod text;

pub use diagnostic::{Diagnostic, RenderOptions, Severity, Sources, render_all, render_compact};
pub use suggest::{did_you_mean, quote_list};
pub use text::{TextIndex, TextSpan, line_of, span_len_of};
