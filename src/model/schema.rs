//! Generates the JSON Schema (draft-07) of scenario files and of
//! `scenario.yaml`, so editors running yaml-language-server complete keys,
//! show each key's documentation and flag unknown keys and wrong types.
//!
//! The schema is derived from the model types and their doc comments; the
//! shapes serde cannot describe by itself (expectations that are a literal or
//! predicates, status codes, durations, JSONPath keys) are written in
//! `super::schema_parts`, which the types point at.
//! Optional mappings (`expect`, `retry`, `snapshot`...) are described without
//! `null`: an empty `expect:` is a slip, and a bare reference gives editors
//! clearer messages than "a mapping or null".
//!
//! Must not touch loading or validation: the schema is a typing aid, and
//! `scenario check` stays the authority on what a file means.

use schemars::generate::SchemaSettings;
use schemars::transform::{RecursiveTransform, RestrictFormats, Transform};
use schemars::{JsonSchema, Schema};
use serde_json::Value;

use super::project::ProjectConfig;
use super::scenario::Scenario;

/// Names the two file formats that have a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaFile {
    /// A scenario or reusable flow under `scenarios/`.
    Scenario,
    /// The project configuration, `scenario.yaml`.
    Config,
}

impl SchemaFile {
    /// Returns the schema of this format as JSON.
    #[must_use]
    pub fn schema(self) -> Value {
        match self {
            SchemaFile::Scenario => scenario_schema(),
            SchemaFile::Config => config_schema(),
        }
    }

    /// Returns the name of the committed schema file, at the repository root.
    #[must_use]
    pub fn file_name(self) -> &'static str {
        match self {
            SchemaFile::Scenario => "scenario.schema.json",
            SchemaFile::Config => "scenario-config.schema.json",
        }
    }

    /// Returns the schema as printed by `scenario schema`: pretty JSON ending with a newline.
    #[must_use]
    pub fn render(self) -> String {
        // The alternate form of `Value`'s Display is pretty JSON, two-space indented.
        format!("{:#}\n", self.schema())
    }
}

/// Returns the JSON Schema of a scenario file (or reusable flow).
#[must_use]
pub fn scenario_schema() -> Value {
    root_schema::<Scenario>()
}

/// Returns the JSON Schema of the project configuration, `scenario.yaml`.
#[must_use]
pub fn config_schema() -> Value {
    root_schema::<ProjectConfig>()
}

/// Builds the draft-07 schema of `T` as every committed schema is written.
pub(crate) fn root_schema<T: JsonSchema>() -> Value {
    let generator = SchemaSettings::draft07()
        .with_transform(RecursiveTransform(drop_uninformative_default))
        .into_generator();
    let mut schema = generator.into_root_schema_for::<T>();
    // yaml-language-server heads every hover text with the root title (the
    // type's name); without one, hovers show the key's description alone.
    schema.remove("title");
    // Drops Rust-only formats (`uint32`, `double`) that strict validators reject.
    RestrictFormats::default().transform(&mut schema);
    schema.to_value()
}

/// Removes `default: null`, `[]` and `{}`: they say only "optional", which the
/// absence from `required` already says, and they clutter hover texts.
fn drop_uninformative_default(schema: &mut Schema) {
    let uninformative = match schema.get("default") {
        Some(Value::Null) => true,
        Some(Value::Array(items)) => items.is_empty(),
        Some(Value::Object(map)) => map.is_empty(),
        _ => false,
    };
    if uninformative {
        schema.remove("default");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validator(schema: &Value) -> jsonschema::Validator {
        jsonschema::draft7::new(schema).unwrap_or_else(|e| panic!("the schema does not compile: {e}"))
    }

    fn yaml(text: &str) -> Value {
        serde_saphyr::from_str(text).unwrap()
    }

    fn errors(schema: &Value, text: &str) -> Vec<String> {
        validator(schema)
            .iter_errors(&yaml(text))
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    #[test]
    fn both_schemas_are_draft_07_and_compile() {
        for file in [SchemaFile::Scenario, SchemaFile::Config] {
            let schema = file.schema();
            assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
            validator(&schema);
        }
    }

    #[test]
    fn a_full_step_validates() {
        let text = r#"
name: Log in
vars: { page: 1 }
steps:
  - name: Log in
    post: /login
    json: { name: "{{ user }}" }
    timeout: 5s
    expect:
      status: [200, 2xx]
      headers:
        content-type: { contains: json }
      body:
        $.logged: true
        $.token: { type: string, length: 64, matches: "^[a-z]+$" }
        $.total: { ">": 0 }
        $.items: { length: { ">=": 1 } }
        $.user: { name: mary, role: admin }
    capture:
      token: $.token
      id: { header: x-request-id, regex: "(\\d+)", group: 1 }
    snapshot: { redact: [$.date], include: [status] }
    retry: { attempts: 3, interval: 100ms, backoff: 1.5 }
  - use: flows/login.yaml
    with: { name: mary }
    outputs: [token]
  - ask: { var: code, prompt: "Code?", env: CODE }
finally:
  - get: /logout
    snapshot: false
"#;
        assert_eq!(errors(&scenario_schema(), text), Vec::<String>::new());
    }

    #[test]
    fn unknown_keys_are_flagged_at_every_level() {
        let schema = scenario_schema();
        for (text, path) in [
            ("name: x\nstep: []\n", ""),
            ("name: x\nsteps:\n  - get: /\n    captur: {}\n", "/steps/0"),
            (
                "name: x\nsteps:\n  - get: /\n    expect: { stats: 200 }\n",
                "/steps/0/expect",
            ),
            (
                "name: x\nsteps:\n  - get: /\n    capture: { t: { jsonpth: $.t } }\n",
                "/steps/0/capture/t",
            ),
            (
                "name: x\nsteps:\n  - get: /\n    snapshot: { redacted: [] }\n",
                "/steps/0/snapshot",
            ),
            (
                "name: x\nsteps:\n  - get: /\n    retry: { attempts: 2, wait: 1s }\n",
                "/steps/0/retry",
            ),
        ] {
            let found = errors(&schema, text);
            assert!(
                found.iter().any(|e| e.ends_with(&format!(" at {path}"))),
                "{text}: {found:?}"
            );
        }
    }

    #[test]
    fn wrong_types_and_mixed_predicates_are_flagged() {
        let schema = scenario_schema();
        for text in [
            "steps: []\n",
            "name: [x]\n",
            "name: x\nsteps:\n  - get: /\n    expect: { status: 42 }\n",
            "name: x\nsteps:\n  - get: /\n    expect: { status: [] }\n",
            "name: x\nsteps:\n  - get: /\n    expect: { body: { token: 1 } }\n",
            "name: x\nsteps:\n  - get: /\n    expect: { body: { $.a: { type: text } } }\n",
            "name: x\nsteps:\n  - get: /\n    expect: { body: { $.a: { exists: yes please } } }\n",
            "name: x\nsteps:\n  - get: /\n    expect: { body: { $.a: { type: string, name: x } } }\n",
            "name: x\nsteps:\n  - get: /\n    expect: { body: { $.a: { length: { size: 1 } } } }\n",
            "name: x\nsteps:\n  - get: /\n    capture: { t: 12 }\n",
            "name: x\nsteps:\n  - get: /\n    snapshot: { include: [body] }\n",
            "name: x\nsteps:\n  - get: /\n    retry: { attempts: 0 }\n",
        ] {
            assert!(!errors(&schema, text).is_empty(), "accepted: {text}");
        }
    }

    #[test]
    fn literal_expectations_of_any_shape_are_allowed() {
        let text = "name: x\nsteps:\n  - get: /\n    expect:\n      status: \"{{ code }}\"\n      body:\n        $.a: [1, 2]\n        $.b: null\n        $.c: { id: 1, name: x }\n        $.d: {}\n        \"{{ path }}\": 1\n";
        assert_eq!(errors(&scenario_schema(), text), Vec::<String>::new());
    }

    #[test]
    fn the_config_schema_flags_unknown_environment_keys() {
        let schema = config_schema();
        let valid = "default_env: local\nenvironments:\n  local: { mock: true, vars: { user: mary } }\n  sandbox:\n    base_url: https://x/api/v1\n    snapshots: false\n    secrets: [password]\nsnapshot: { redact: [$.token] }\n";
        assert_eq!(errors(&schema, valid), Vec::<String>::new());
        let found = errors(&schema, "environments:\n  local: { mock: true, base: x }\n");
        assert!(
            found.iter().any(|e| e.ends_with(" at /environments/local")),
            "{found:?}"
        );
    }

    #[test]
    fn descriptions_come_from_the_doc_comments() {
        let schema = scenario_schema();
        let step = &schema["definitions"]["Step"]["properties"];
        assert_eq!(
            step["follow_redirects"]["description"],
            "Follows redirects: `true`, or `{ max: 30, trusted_hosts: [...] }` (off by\ndefault, so a step can assert a `302`). Credentials never follow a\nredirect to another origin unless its host is trusted."
        );
        assert!(schema["properties"]["name"]["description"].is_string());
        assert_eq!(schema["additionalProperties"], false);
    }
}
