//! Owns secret redaction: the one place every output path (console, verbose
//! exchanges, curl lines, error messages, reports, snapshots) sends text
//! through before it leaves the process. `redactor` holds the secrets and
//! replaces them, `segment` searches runs of patterns, `forms` lists the
//! encodings a secret is looked for in.
//!
//! Must not know where secrets come from; the engine registers values as it
//! learns them (declared secrets, secret inputs, captured tokens, codes).

mod forms;
mod redactor;
mod segment;

pub use redactor::Redactor;
