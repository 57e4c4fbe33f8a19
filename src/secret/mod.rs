//! Owns secret redaction: the one place every output path (console, verbose
//! exchanges, curl lines, error messages, reports, snapshots) sends text
//! through before it leaves the process. `redactor` holds the secrets and
//! replaces them, `names` tells which names are secret by default, `segment` searches runs of patterns, `forms` lists the
//! encodings a secret is looked for in.
//!
//! Must not know where secrets come from; the engine registers values as it
//! learns them (declared secrets, secret inputs, captured tokens, codes).

mod forms;
mod names;
mod redactor;
mod replay;
mod segment;

pub use names::is_sensitive_name;
pub use redactor::Redactor;
pub use replay::{replay_variables, replayable};
