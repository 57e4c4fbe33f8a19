//! Owns the app's two hooks into a running engine: [`Prompter`] (asking a
//! person for a value) and [`Interrupt`] (asking the run to wind down).
//!
//! Must not touch the terminal itself (the app supplies a prompter), nor
//! clap, JUnit or axum; must not use the scenario runner.

use std::sync::atomic::{AtomicBool, Ordering};

/// Asks a run to wind down: no new step starts, but every `finally` step
/// still runs (to log out) and reports are still written.
#[derive(Debug, Default)]
pub struct Interrupt(AtomicBool);

impl Interrupt {
    /// Says why a scenario the run never started is skipped after Ctrl-C.
    pub const NOT_STARTED: &'static str = "not started: the run was interrupted";

    /// Asks the run to wind down.
    pub fn trigger(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Tells whether the run was asked to wind down.
    #[must_use]
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// Asks a person for a value (an MFA code). The engine never touches the
/// terminal itself; the app supplies an implementation.
pub trait Prompter: Send + Sync + std::fmt::Debug {
    /// Shows `prompt` and returns the answer; `secret` hides the typing.
    ///
    /// # Errors
    /// Returns why nobody can be asked (no terminal, input closed).
    fn ask(&self, prompt: &str, secret: bool) -> Result<String, String>;
}

/// Refuses every question: for unattended runs with no terminal.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoPrompter;

impl Prompter for NoPrompter {
    fn ask(&self, _prompt: &str, _secret: bool) -> Result<String, String> {
        Err("there is no terminal to ask at".to_owned())
    }
}
