//! Loads scenario files from disk into [`super::Scenario`]s.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::Scenario;

/// Holds a parsed scenario with the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    /// The file, as found (relative to the working directory when given so).
    pub file: Arc<PathBuf>,
    /// The file's text, kept for diagnostics that quote it.
    pub source: Arc<str>,
    /// The parsed scenario.
    pub scenario: Scenario,
}

/// Explains why a file could not be loaded.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}: {message}")]
pub struct LoadError {
    /// The file.
    pub file: String,
    /// What went wrong.
    pub message: String,
}

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
    }
}

/// Parses one scenario from `source`.
///
/// # Errors
/// Returns a [`LoadError`] with serde-saphyr's rendered message.
pub fn parse_scenario(file: &Path, source: &str) -> Result<Scenario, LoadError> {
    let err = |e: serde_saphyr::Error| LoadError {
        file: file.display().to_string(),
        message: e.to_string(),
    };
    serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(source, options()).map_err(err)?;
    serde_saphyr::from_str_with_options::<Scenario>(source, options()).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_locations_through_shorthands() {
        let src = "name: x\nsteps:\n  - name: a\n    post: /login\n    capture:\n      token: $.token\n      sid: { header: set-cookie, regex: 'a(b)' }\n    snapshot: { redact: [$.x] }\n    expect:\n      status: 200\n      body:\n        $.a: { type: string }\n";
        let s = parse_scenario(Path::new("t.yaml"), src).unwrap();
        let step = &s.steps[0];
        assert_eq!(step.referenced.line(), 3);
        let (k, v) = step.value.capture.get_index(1).unwrap();
        assert_eq!(k.value, "sid");
        assert_eq!(v.referenced.line(), 7);
        assert_eq!(v.value.0.header.as_ref().unwrap().referenced.line(), 7);
        let snap = step.value.snapshot.as_ref().unwrap();
        assert_eq!(snap.value.redact[0].referenced.line(), 8);
        let body = &step.value.expect.as_ref().unwrap().value.body;
        assert_eq!(body.get_index(0).unwrap().0.referenced.line(), 12);
        let (_, token) = step.value.capture.get_index(0).unwrap();
        assert_eq!(token.value.0.jsonpath.as_ref().unwrap().value, "$.token");
    }
}
