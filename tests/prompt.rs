//! Runs the engine as a library with a recording prompter, to prove what the
//! person at the terminal sees when a step asks for a code: the question,
//! named after the scenario that asks, since several may log in at once.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use scenario::engine::{Engine, EngineConfig, Prompter, RunPlan};

/// Answers every question with `271008` and remembers what was asked.
#[derive(Debug, Default)]
struct Recording(Mutex<Vec<String>>);

impl Prompter for Recording {
    fn ask(&self, prompt: &str, _secret: bool) -> Result<String, String> {
        self.0.lock().unwrap().push(prompt.to_owned());
        Ok("271008".to_owned())
    }
}

#[tokio::test]
async fn a_prompt_names_the_scenario_that_asks() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ask.yaml");
    std::fs::write(
        &file,
        "name: MFA login by email\nsteps:\n  - ask:\n      var: code\n      prompt: \"Enter the email code sent to {{ address }}\"\n",
    )
    .unwrap();
    let report = scenario::validate::check_paths(&[file], &["address".to_owned()].into());
    assert!(!report.has_errors(), "{}", report.render_compact());
    let plan = RunPlan {
        scenarios: report.scenarios.into_iter().map(Arc::new).collect(),
        flows: Default::default(),
    };
    let prompter = Arc::new(Recording::default());
    let config = EngineConfig {
        vars: [("address".to_owned(), serde_json::json!("m*****@example.com"))].into(),
        prompter: Arc::clone(&prompter) as Arc<dyn Prompter>,
        root: PathBuf::from("."),
        ..EngineConfig::default()
    };
    let engine = Engine::new(config, &plan).unwrap();
    let summary = engine.run(&plan, |_| {}).await;
    assert!(summary.all_passed(), "{summary:?}");
    assert_eq!(
        *prompter.0.lock().unwrap(),
        ["[MFA login by email] Enter the email code sent to m*****@example.com"]
    );
}
