//! Holds the format's shape as the walk reads it: the JSON Schema generated
//! from the model types, the lookups in it (`$ref`s, the kinds a schema
//! names), and the probe that asks the typed parse for a mapping's fields in
//! declaration order.
//!
//! Must not walk a file or report problems (that is `super::walk`).

use std::sync::OnceLock;

use schemars::SchemaGenerator;
use serde_json::{Map, Value, json};
use serde_saphyr::{Error as YamlError, Options};

use super::node::Node;
use super::problem::Kind;
use crate::model::Scenario;
use crate::model::schema::scenario_schema;
use crate::model::schema_parts;

/// Bounds how many `$ref` / `allOf` / `oneOf` hops are followed without
/// descending into the file, so a schema that refers to itself cannot loop.
pub(super) const MAX_SCHEMA_HOPS: usize = 16;

/// Holds the format's shape, computed once per process.
pub(super) struct Format {
    /// The JSON Schema of a scenario file.
    pub(super) schema: Value,
    /// The schema every duration key shares, to recognise durations by.
    pub(super) duration: Value,
}

/// Returns the format's shape, computed on first use.
pub(super) fn format() -> &'static Format {
    static FORMAT: OnceLock<Format> = OnceLock::new();
    FORMAT.get_or_init(|| Format {
        schema: scenario_schema(),
        duration: schema_parts::duration(&mut SchemaGenerator::default()).to_value(),
    })
}

/// Accepts anything; stands for a `$ref` that points nowhere.
static ANYTHING: Value = Value::Bool(true);

/// Names one step from the file's root to a node, to ask serde about the
/// mapping found there.
#[derive(Debug, Clone)]
pub(super) enum Segment {
    /// A key the format defines.
    Key(String),
    /// A key the author chooses (a capture name, an input name).
    Entry,
    /// An item of a list.
    Item,
}

/// Asks the typed parse for the fields of the struct at `path`: a document
/// that holds an unknown (empty) key there makes serde list them.
pub(super) fn declared_fields(path: &[Segment], options: fn() -> Options) -> Option<Vec<String>> {
    let mut probe = json!({ "": null });
    for segment in path.iter().rev() {
        probe = match segment {
            Segment::Key(key) => {
                let mut map = Map::new();
                map.insert(key.clone(), probe);
                Value::Object(map)
            }
            Segment::Entry => json!({ "x": probe }),
            Segment::Item => json!([probe]),
        };
    }
    let text = serde_json::to_string(&probe).ok()?;
    let error = serde_saphyr::from_str_with_options::<Scenario>(&text, options()).err()?;
    match error.without_snippet() {
        YamlError::SerdeUnknownField { field, expected, .. } if field.is_empty() => {
            Some(expected.iter().map(|f| (*f).to_owned()).collect())
        }
        _ => None,
    }
}

/// Follows `$ref`s to the schema they name; `None` when `hops` ran out.
pub(super) fn resolve(
    root: &'static Value,
    mut schema: &'static Value,
    hops: usize,
) -> Option<&'static Value> {
    for _ in 0..hops {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            return Some(schema);
        };
        schema = reference
            .strip_prefix("#/definitions/")
            .and_then(|name| root.get("definitions")?.get(name))
            .unwrap_or(&ANYTHING);
    }
    None
}

/// Returns the kinds a schema's `type` names, or `None` when it names none.
pub(super) fn kinds_of(schema: &Value) -> Option<Vec<Kind>> {
    let unsigned = schema
        .get("minimum")
        .and_then(Value::as_f64)
        .is_some_and(|m| m >= 0.0);
    let kind = |name: &str| match name {
        "string" => Some(Kind::String),
        "integer" => Some(Kind::Integer { unsigned }),
        "number" => Some(Kind::Number),
        "boolean" => Some(Kind::Boolean),
        "array" => Some(Kind::List),
        "object" => Some(Kind::Mapping),
        "null" => Some(Kind::Null),
        _ => None,
    };
    match schema.get("type")? {
        Value::String(name) => Some(kind(name).into_iter().collect()),
        Value::Array(names) => Some(names.iter().filter_map(Value::as_str).filter_map(kind).collect()),
        _ => None,
    }
}

/// Tells whether a node is of `kind` as YAML wrote it, with no conversion:
/// how a hand-written visitor tells the forms of a shorthand apart.
pub(super) fn kind_matches(node: &Node, kind: Kind) -> bool {
    matches!(
        (node, kind),
        (Node::Map(_), Kind::Mapping)
            | (Node::Seq(_), Kind::List)
            | (Node::Str(_), Kind::String)
            | (Node::Bool(_), Kind::Boolean)
            | (Node::Int(_), Kind::Integer { .. } | Kind::Number)
            | (Node::Float(_), Kind::Number)
            | (Node::Null, Kind::Null)
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::super::tests::options;
    use super::*;

    /// Lists a path to every mapping of the format whose keys are closed, with
    /// the schema definition that describes it (`None`: the root).
    fn closed_mappings() -> Vec<(Vec<Segment>, Option<&'static str>)> {
        let key = |k: &str| Segment::Key(k.to_owned());
        vec![
            (vec![], None),
            (vec![key("steps"), Segment::Item], Some("Step")),
            (vec![key("steps"), Segment::Item, key("expect")], Some("Expect")),
            (
                vec![key("steps"), Segment::Item, key("capture"), Segment::Entry],
                Some("CaptureSpec"),
            ),
            (vec![key("steps"), Segment::Item, key("retry")], Some("Retry")),
            (
                vec![key("steps"), Segment::Item, key("snapshot")],
                Some("SnapshotSettings"),
            ),
            (vec![key("steps"), Segment::Item, key("ask")], Some("Ask")),
            (vec![key("steps"), Segment::Item, key("auth")], Some("AuthSpec")),
            (
                vec![key("steps"), Segment::Item, key("auth"), key("basic")],
                Some("Credentials"),
            ),
            (
                vec![key("steps"), Segment::Item, key("body_file")],
                Some("FileSettings"),
            ),
            (
                vec![key("steps"), Segment::Item, key("follow_redirects")],
                Some("RedirectSettings"),
            ),
            (vec![key("snapshot")], Some("SnapshotDefaults")),
            (vec![key("inputs"), Segment::Entry], Some("InputSpec")),
        ]
    }

    #[test]
    fn serde_and_the_schema_agree_on_every_closed_mapping() {
        let schema = &format().schema;
        let mut covered = BTreeSet::new();
        for (path, definition) in closed_mappings() {
            let described = match definition {
                Some(name) => {
                    covered.insert(name);
                    &schema["definitions"][name]
                }
                None => schema,
            };
            let from_schema: BTreeSet<&str> = described["properties"]
                .as_object()
                .unwrap_or_else(|| panic!("{definition:?} has no properties"))
                .keys()
                .map(String::as_str)
                .collect();
            let fields = declared_fields(&path, options).unwrap_or_else(|| panic!("no fields for {path:?}"));
            let from_serde: BTreeSet<&str> = fields.iter().map(String::as_str).collect();
            assert_eq!(from_serde, from_schema, "{definition:?}");
        }
        let closed: BTreeSet<&str> = schema["definitions"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, d)| d["additionalProperties"] == Value::Bool(false))
            .map(|(name, _)| name.as_str())
            .collect();
        assert_eq!(covered, closed, "a closed mapping is missing from this test");
    }
}
