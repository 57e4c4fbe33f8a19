//! Owns the terminal prompter: how a step's `ask:` is put to the person at
//! the terminal (on stderr), one question at a time.
//!
//! Must not decide when to ask or what an answer means: the engine does, through
//! [`crate::engine::Prompter`].

/// Asks at the terminal (stderr), one question at a time across scenarios.
#[derive(Debug, Default)]
pub(super) struct TerminalPrompter {
    lock: std::sync::Mutex<()>,
}

impl crate::engine::Prompter for TerminalPrompter {
    fn ask(&self, prompt: &str, secret: bool) -> Result<String, String> {
        let term = console::Term::stderr();
        if !term.is_term() || !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            return Err("there is no terminal to ask at".to_owned());
        }
        // Concurrent scenarios may ask at once; questions must not interleave.
        let _guard = self
            .lock
            .lock()
            .map_err(|_| "the prompt is unavailable".to_owned())?;
        term.write_str(&format!("{prompt}: "))
            .map_err(|e| e.to_string())?;
        let answer = if secret {
            term.read_secure_line()
        } else {
            term.read_line()
        };
        let answer = answer.map_err(|e| format!("could not read the answer: {e}"))?;
        if answer.trim().is_empty() {
            return Err("no answer was given".to_owned());
        }
        Ok(answer)
    }
}
