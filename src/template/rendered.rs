//! Owns what a render returns and learns: the value, TOTP waits, generated
//! secrets, pool values taken, what each template printed from which
//! variables, and the bounds one render must stay within.
//!
//! Plain data. Must not render, parse templates or know the engine.

use std::time::SystemTime;

/// Explains why a template could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TemplateError {
    /// What went wrong, naming the variable or function involved.
    pub message: String,
}

/// Carries a rendered value and what rendering learned on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered<T> {
    /// The result.
    pub value: T,
    /// The request must not be sent before this instant (a TOTP code of the next window).
    pub not_before: Option<SystemTime>,
    /// Generated values that must be redacted: `(label, value)`, e.g. TOTP codes.
    pub secrets: Vec<(String, String)>,
    /// Why the request must wait: one entry per TOTP code of a later window.
    pub waits: Vec<TotpWait>,
    /// Values taken from pools: `(pool, value)`.
    pub taken: Vec<(String, String)>,
    /// What each template printed and which variables it read, so a caller
    /// that knows which variables are secret can treat what they became
    /// (through any filter) as secret too.
    pub printed: Vec<Printed>,
}

impl<T> Rendered<T> {
    pub(super) fn plain(value: T) -> Self {
        Self {
            value,
            not_before: None,
            secrets: Vec::new(),
            waits: Vec::new(),
            taken: Vec::new(),
            printed: Vec::new(),
        }
    }
}

/// Records one rendered template: the variables it read and the text of
/// every `{{ ... }}` it printed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Printed {
    /// The variables the template reads, sorted.
    pub reads: Vec<String>,
    /// The text of each printed expression, in order.
    pub outputs: Vec<String>,
}

/// Bounds the text one template may produce, so `{{ 'x' * 100000000 }}`
/// is a clear error instead of hundreds of megabytes in every report.
pub const MAX_RENDERED_BYTES: usize = 16 * 1024 * 1024;

/// Bounds the instructions one render may run (minijinja's fuel), so a loop
/// over ten thousand times ten thousand items ends with an error instead of running for ever.
pub const RENDER_FUEL: u64 = 5_000_000;

/// Says that a TOTP code belongs to a later window than the current one, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TotpWait {
    /// When the code's window starts.
    pub until: SystemTime,
    /// Whether an earlier run used the windows before (else only this run did).
    pub earlier_run: bool,
}

/// Collects, during one render, what functions learned and the last value printed.
///
/// Lives in minijinja's render state as an extension, so concurrent renders
/// never see each other's notes.
#[derive(Debug, Default, Clone)]
pub(super) struct RenderNotes {
    /// The value of the last `{{ ... }}` printed, before it became text.
    pub(super) printed: Option<minijinja::Value>,
    /// The text of every `{{ ... }}` printed.
    pub(super) outputs: Vec<String>,
    /// Bytes printed so far, against [`MAX_RENDERED_BYTES`].
    pub(super) printed_bytes: usize,
    pub(super) not_before: Option<SystemTime>,
    pub(super) secrets: Vec<(String, String)>,
    pub(super) waits: Vec<TotpWait>,
    pub(super) taken: Vec<(String, String)>,
    /// The variables the template reads (set after rendering).
    pub(super) reads: Vec<String>,
}

/// Accumulates the notes of several renders (the strings inside one JSON value).
#[derive(Debug, Default)]
pub(super) struct Learned {
    not_before: Option<SystemTime>,
    secrets: Vec<(String, String)>,
    waits: Vec<TotpWait>,
    taken: Vec<(String, String)>,
    printed: Vec<Printed>,
}

impl Learned {
    pub(super) fn absorb(&mut self, notes: RenderNotes) {
        self.not_before = self.not_before.max(notes.not_before);
        self.secrets.extend(notes.secrets);
        self.waits.extend(notes.waits);
        self.taken.extend(notes.taken);
        if !notes.reads.is_empty() && !notes.outputs.is_empty() {
            self.printed.push(Printed {
                reads: notes.reads,
                outputs: notes.outputs,
            });
        }
    }

    pub(super) fn into_rendered<T>(self, value: T) -> Rendered<T> {
        Rendered {
            value,
            not_before: self.not_before,
            secrets: self.secrets,
            waits: self.waits,
            taken: self.taken,
            printed: self.printed,
        }
    }
}
