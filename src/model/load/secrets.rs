//! Warns about declared secrets that name nothing the scenario defines: a
//! misspelt secret would leave the real value printed in clear.
//!
//! Must not read secret values or redact anything (that is `crate::secret`).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::model::Scenario;
use crate::model::diag::{Diagnostic, did_you_mean};

/// Warns about secret names that no var, input, capture, flow output or
/// caller-provided name (`known`) defines: a typo there leaks the value.
#[must_use]
pub fn check_secrets(file: &Arc<PathBuf>, scenario: &Scenario, known: &BTreeSet<String>) -> Vec<Diagnostic> {
    let mut names: BTreeSet<&str> = known.iter().map(String::as_str).collect();
    names.extend(scenario.vars.keys().map(|k| k.value.as_str()));
    if let Some(inputs) = &scenario.inputs {
        names.extend(inputs.keys().map(|k| k.value.as_str()));
    }
    for step in scenario.steps.iter().chain(&scenario.finally) {
        names.extend(step.value.capture.keys().map(|k| k.value.as_str()));
        if let Some(outputs) = &step.value.outputs {
            names.extend(outputs.local_names().map(|o| o.value.as_str()));
        }
    }
    let mut out = Vec::new();
    for secret in &scenario.secrets {
        if !names.contains(secret.value.as_str()) {
            let mut d = Diagnostic::warning_at(
                format!(
                    "secret `{}` is not a declared variable, input or capture",
                    secret.value
                ),
                file,
                secret,
            )
            .with_label("never defined");
            d = match did_you_mean(&secret.value, names.iter().copied()) {
                Some(s) => d.with_help(format!(
                    "did you mean `{s}`? a misspelt secret is printed in clear"
                )),
                None => d.with_help(format!(
                    "declare it under `vars:`, capture it, pass it with `--var {}=...`, or remove it from `secrets:`",
                    secret.value
                )),
            };
            out.push(d);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::file;
    use super::super::parse_source;
    use super::*;

    #[test]
    fn secrets_must_name_something() {
        let src = "name: x\nvars: { password: a }\nsecrets: [password, pasword, token, from_cli]\nsteps:\n  - get: /a\n    capture: { token: $.t }\n";
        let s = parse_source(&file(), src).unwrap();
        let known = BTreeSet::from(["from_cli".to_owned()]);
        let found = check_secrets(&file(), &s, &known);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("`pasword`"));
        assert!(found[0].help[0].contains("did you mean `password`?"));
    }
}
