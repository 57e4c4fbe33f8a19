//! Checks the editor schemas: the committed files are what the code generates,
//! `scenario schema` prints them, every shipped scenario, flow and
//! `scenario.yaml` validates against them and names them in its first line,
//! and a misspelt key is flagged.

mod support;

use std::path::{Path, PathBuf};

use scenario::model::schema::SchemaFile;
use serde_json::Value;
use support::{root, scenario};

/// Parses YAML into JSON the way the loader reads values: YAML 1.2 booleans,
/// leading-zero numbers kept as strings.
fn yaml_to_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    let options = serde_saphyr::options! { strict_booleans: true, leading_zero_numbers_as_strings: true };
    serde_saphyr::from_str_with_options(&text, options)
        .unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()))
}

/// Returns one line per schema violation of `path`: instance path and message.
fn violations(file: SchemaFile, path: &Path) -> Vec<String> {
    let schema = file.schema();
    let validator = jsonschema::draft7::new(&schema).unwrap();
    let instance = yaml_to_json(path);
    validator
        .iter_errors(&instance)
        .map(|e| format!("{}: at `{}`: {e}", path.display(), e.instance_path()))
        .collect()
}

/// Returns every YAML file under `scenarios/`, flows included, sorted.
fn shipped_scenarios() -> Vec<PathBuf> {
    // The check fixtures use every expectation subject, predicate and filter.
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(root().join("scenarios"))
        .into_iter()
        .chain(walkdir::WalkDir::new(root().join("tests/fixtures/checks")).max_depth(1))
        .map(Result::unwrap)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    assert!(files.len() > 10, "found only {files:?}");
    files
}

#[test]
fn committed_schemas_are_what_the_code_generates() {
    for (file, command) in [
        (SchemaFile::Scenario, "cargo run -- schema > scenario.schema.json"),
        (
            SchemaFile::Config,
            "cargo run -- schema --config > scenario-config.schema.json",
        ),
    ] {
        let committed = std::fs::read_to_string(root().join(file.file_name())).unwrap_or_default();
        assert!(
            committed == file.render(),
            "{} differs from the schema the model types generate; run `{command}` and commit it",
            file.file_name()
        );
    }
}

#[test]
fn the_schema_command_prints_the_generated_schemas() {
    for (args, file) in [
        (&["schema"][..], SchemaFile::Scenario),
        (&["schema", "--config"][..], SchemaFile::Config),
    ] {
        let output = scenario(&root()).args(args).output().unwrap();
        assert!(output.status.success(), "{args:?}: {output:?}");
        assert_eq!(
            String::from_utf8(output.stdout).unwrap(),
            file.render(),
            "{args:?}"
        );
    }
}

#[test]
fn every_shipped_scenario_and_flow_validates() {
    let problems: Vec<String> = shipped_scenarios()
        .iter()
        .flat_map(|path| violations(SchemaFile::Scenario, path))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_project_configuration_validates() {
    let problems = violations(SchemaFile::Config, &root().join("scenario.yaml"));
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn a_misspelt_key_fails_validation_and_is_named() {
    let problems = violations(
        SchemaFile::Scenario,
        &root().join("tests/fixtures/broken/unknown-key.yaml"),
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("at `/steps/0`") && p.contains("'captur'")),
        "{problems:#?}"
    );
}

#[test]
fn a_wrong_type_fails_validation() {
    let problems = violations(
        SchemaFile::Scenario,
        &root().join("tests/fixtures/broken/wrong-type.yaml"),
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("at `/steps/0/retry/attempts`")),
        "{problems:#?}"
    );
}
