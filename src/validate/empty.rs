//! Refuses a scenario or flow with no steps (`steps: []`): it would run
//! nothing and still be counted as passed.
//!
//! Reads the parsed file and its text (to point at `steps:`); must not run
//! or render anything, nor touch HTTP or the terminal.

use std::sync::Arc;

use crate::model::SourceLocation;
use crate::model::diag::Diagnostic;
use crate::model::load::LoadedScenario;

/// Returns the error for a file whose `steps` list is empty.
pub(super) fn check_file(loaded: &LoadedScenario) -> Option<Diagnostic> {
    if !loaded.scenario.steps.is_empty() {
        return None;
    }
    let line = loaded
        .source
        .lines()
        .position(|l| l.starts_with("steps:"))
        .map_or(0, |i| i as u64 + 1);
    let location = SourceLocation {
        file: Arc::clone(&loaded.file),
        line,
        column: u64::from(line > 0),
    };
    let what = if loaded.scenario.is_flow() {
        "flow"
    } else {
        "scenario"
    };
    Some(
        Diagnostic::error(
            format!("this {what} has no steps, so it would pass without testing anything"),
            location,
        )
        .with_span_len(if line > 0 { "steps".len() } else { 0 })
        .with_label("empty")
        .with_help("add at least one step (`- get: /health`), or delete the file"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load::parse_source;
    use std::path::PathBuf;

    fn check(src: &str) -> Option<(u64, String)> {
        let file = Arc::new(PathBuf::from("t.yaml"));
        let loaded = LoadedScenario {
            scenario: parse_source(&file, src).unwrap_or_else(|d| panic!("{}", d.one_line())),
            case: None,
            source: Arc::from(src),
            file,
        };
        check_file(&loaded).map(|d| (d.location.line, d.message))
    }

    #[test]
    fn an_empty_step_list_is_an_error() {
        assert_eq!(
            check("name: x\nsteps: []\n"),
            Some((
                2,
                "this scenario has no steps, so it would pass without testing anything".to_owned()
            ))
        );
        assert_eq!(check("name: x\nsteps:\n  - get: /a\n"), None);
    }
}
