//! Owns turning checked scenario files into a run plan (one entry per
//! selected matrix combination, as the validator expanded them)
//! and finding which variables a plan needs that could not be set.
//!
//! Must not load or validate files (`crate::validate` does) nor run anything
//! (`crate::engine` does), nor select (`select` does): it only inspects what
//! was loaded and selected.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crate::engine::RunPlan;
use crate::model::load::LoadedScenario;
use crate::validate::CheckReport;

/// Builds the plan of a checked report whose scenarios were already
/// selected (see `select`): those scenarios, and every flow.
pub(super) fn plan_of(report: CheckReport) -> RunPlan {
    RunPlan {
        scenarios: report.scenarios.into_iter().map(Arc::new).collect(),
        flows: report
            .flows
            .into_iter()
            .map(|(path, flow)| (path, Arc::new(flow)))
            .collect(),
    }
}

/// Lists the unavailable variables the plan's scenarios (and the flows they
/// use) refer to, with the reason each could not be set.
pub(super) fn missing_variables<'a>(
    plan: &RunPlan,
    unavailable: &'a BTreeMap<String, String>,
) -> Vec<(&'a String, &'a String)> {
    if unavailable.is_empty() {
        return Vec::new();
    }
    let mut used = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut pending: Vec<&LoadedScenario> = plan.scenarios.iter().map(AsRef::as_ref).collect();
    while let Some(loaded) = pending.pop() {
        let scenario = &loaded.scenario;
        // Names the file defines itself (vars, inputs, captures, asked values,
        // outputs of the flows it uses) never come from the environment.
        let mut defined: BTreeSet<&str> = scenario.vars.keys().map(|k| k.value.as_str()).collect();
        defined.extend(scenario.input_names());
        defined.extend(
            loaded
                .case
                .iter()
                .flat_map(|c| c.vars.iter().map(|(name, _)| name.as_str())),
        );
        for step in scenario.steps.iter().chain(&scenario.finally) {
            let step = &step.value;
            defined.extend(step.capture.keys().map(|k| k.value.as_str()));
            defined.extend(step.ask.iter().map(|a| a.value.var.value.as_str()));
            if let Some(use_path) = &step.use_flow {
                let path = crate::model::resolve_use_path(&loaded.file, &use_path.value);
                let flow = plan.flows.get(&path);
                match &step.outputs {
                    Some(outputs) => defined.extend(outputs.local_names().map(|o| o.value.as_str())),
                    None => defined.extend(flow.iter().flat_map(|f| f.scenario.output_names())),
                }
                if seen.insert(path.clone())
                    && let Some(flow) = flow
                {
                    pending.push(flow);
                }
            }
        }
        used.extend(
            crate::validate::referenced_names(scenario)
                .into_iter()
                .filter(|name| !defined.contains(name.as_str())),
        );
    }
    unavailable
        .iter()
        .filter(|(name, _)| used.contains(*name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn missing_variables_counts_only_what_the_selected_scenarios_use() {
        let file = Arc::new(PathBuf::from("a.yaml"));
        let source = "name: a\nsteps:\n  - post: /login\n    json: { name: \"{{ user }}\" }\n";
        let scenario = crate::model::load::parse_scenario(&file, source).unwrap();
        let loaded = crate::model::load::LoadedScenario {
            file,
            source: source.into(),
            scenario,
            case: None,
        };
        let plan = RunPlan {
            scenarios: vec![Arc::new(loaded)],
            flows: Default::default(),
        };
        let unavailable = BTreeMap::from([
            (
                "user".to_owned(),
                "environment variable `U` is not set".to_owned(),
            ),
            (
                "password".to_owned(),
                "environment variable `P` is not set".to_owned(),
            ),
        ]);
        let missing = missing_variables(&plan, &unavailable);
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].0, "user");
    }

    #[test]
    fn names_a_flow_defines_itself_are_not_environment_needs() {
        let flow_file = Arc::new(PathBuf::from("flows/login.yaml"));
        let flow_source = "name: login\ninputs: { password: {} }\noutputs: [token]\nsteps:\n  - post: /login\n    json: { password: \"{{ password }}\" }\n    capture: { token: $.token }\n";
        let flow = crate::model::load::parse_scenario(&flow_file, flow_source).unwrap();
        let file = Arc::new(PathBuf::from("a.yaml"));
        let source = "name: a\nsteps:\n  - use: flows/login.yaml\n    with: { password: \"{{ mfa_password }}\" }\n  - get: /x\n    query: { token: \"{{ token }}\" }\n";
        let scenario = crate::model::load::parse_scenario(&file, source).unwrap();
        let plan = RunPlan {
            scenarios: vec![Arc::new(crate::model::load::LoadedScenario {
                file,
                source: source.into(),
                scenario,
                case: None,
            })],
            flows: [(
                PathBuf::from("flows/login.yaml"),
                Arc::new(crate::model::load::LoadedScenario {
                    file: flow_file,
                    source: flow_source.into(),
                    scenario: flow,
                    case: None,
                }),
            )]
            .into_iter()
            .collect(),
        };
        let unavailable: BTreeMap<String, String> = ["password", "mfa_password", "token"]
            .iter()
            .map(|n| ((*n).to_owned(), format!("`{n}` is not set")))
            .collect();
        let missing: Vec<&String> = missing_variables(&plan, &unavailable)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(missing, ["mfa_password"]);
    }
}
