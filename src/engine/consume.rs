//! Follows the pool values one scenario took: which of them a request
//! carries (anywhere in its URL, headers or body), how each settles from
//! the answers that request got (see `pool` for what counts as used), and
//! giving back, when the scenario ends, every value it took but never sent.
//!
//! Must not decide what an answer means for a value (the pool does), nor
//! touch the terminal, clap, JUnit or axum.

use crate::http::RequestSpec;
use crate::state::Settled;

use super::pool::Carried;
use super::result::StepResult;
use super::scenario::ScenarioRun;

impl ScenarioRun<'_> {
    /// Returns the positions (in `taken`) of the unsettled pool values `spec` carries.
    pub(super) fn carried_values(&self, spec: &RequestSpec) -> Vec<usize> {
        if self.taken.iter().all(|t| t.settled) {
            return Vec::new();
        }
        let request = crate::http::to_curl(spec, &spec.outgoing_headers(None), &self.engine.config.http);
        self.taken
            .iter()
            .enumerate()
            .filter(|(_, taken)| !taken.settled && carries(&request, &taken.value))
            .map(|(position, _)| position)
            .collect()
    }

    /// Settles the values a request carried from how it was answered; a
    /// value the answer says nothing about stays with the scenario.
    pub(super) fn settle_carried(&mut self, carried: &[usize], how: Carried, result: &mut StepResult) {
        let settled = how.settled();
        if settled == Settled::Returned {
            return;
        }
        for &position in carried {
            let taken = &mut self.taken[position];
            taken.settled = true;
            let outcome = self.engine.pools.settle(&taken.pool, &taken.value, settled);
            if let Err(message) = outcome
                && result.error.is_none()
            {
                result.error = Some(self.error("state", &message, result.location.clone()));
                result.status = super::result::Status::Errored;
            }
        }
    }

    /// Gives back to the run's pools every value this scenario took and did not use.
    pub(super) fn return_unsent_values(&mut self) {
        for taken in self.taken.iter_mut().filter(|t| !t.settled) {
            taken.settled = true;
            let _ = self
                .engine
                .pools
                .settle(&taken.pool, &taken.value, Settled::Returned);
        }
    }
}

/// Tells whether a request's text holds `value`, as written, URL-encoded or JSON-escaped.
fn carries(request: &str, value: &str) -> bool {
    if value.is_empty() {
        return false;
    }
    let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    let escaped = serde_json::to_string(value).unwrap_or_default();
    let escaped = escaped.trim_matches('"');
    request.contains(value) || request.contains(&encoded) || request.contains(escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_as_sent_in_any_encoding() {
        assert!(carries(r#"curl -d '{"recoveryCode":"40718623"}'"#, "40718623"));
        assert!(carries("curl 'http://h/x?code=a%2Fb+c'", "a/b c"));
        assert!(carries(r#"curl -d '{"c":"say \"hi\""}'"#, r#"say "hi""#));
        assert!(!carries("curl http://h/x", "40718623"));
        assert!(!carries("curl http://h/x", ""));
    }
}
