//! Declares which outputs of a reusable flow a `use:` step brings back, and
//! under which names: a list (`outputs: [token]`) keeps the flow's names, a
//! mapping (`outputs: { token: second_token }`) renames them, so one flow
//! can be used twice in a scenario.
//!
//! Plain data with its hand-written reader and schema. Must not touch HTTP,
//! the terminal or templates.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::location::Spanned;

/// Brings one output of a flow into the caller's scope.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputBinding {
    /// The output's name in the flow.
    pub flow: Spanned<String>,
    /// The variable it becomes in the caller (the same name unless renamed).
    pub local: Spanned<String>,
}

/// Lists the outputs a `use:` step brings back, in the order written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outputs(pub Vec<OutputBinding>);

impl Outputs {
    /// Iterates over the bindings, in the order written.
    pub fn iter(&self) -> std::slice::Iter<'_, OutputBinding> {
        self.0.iter()
    }

    /// Returns the names the outputs take in the caller, in the order written.
    pub fn local_names(&self) -> impl Iterator<Item = &Spanned<String>> {
        self.0.iter().map(|binding| &binding.local)
    }
}

impl<'de> Deserialize<'de> for Outputs {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OutputsVisitor;
        impl<'de> Visitor<'de> for OutputsVisitor {
            type Value = Outputs;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of the flow's outputs (`[token]`), or a mapping renaming them (`{ token: second_token }`)")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Outputs, A::Error> {
                let mut bindings = Vec::new();
                while let Some(name) = seq.next_element::<Spanned<String>>()? {
                    bindings.push(OutputBinding {
                        flow: name.clone(),
                        local: name,
                    });
                }
                Ok(Outputs(bindings))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Outputs, A::Error> {
                let mut bindings: Vec<OutputBinding> = Vec::new();
                while let Some((flow, local)) = map.next_entry::<Spanned<String>, Spanned<String>>()? {
                    if bindings.iter().any(|b| b.flow.value == flow.value) {
                        return Err(de::Error::custom(format!(
                            "output `{}` is renamed twice",
                            flow.value
                        )));
                    }
                    bindings.push(OutputBinding { flow, local });
                }
                Ok(Outputs(bindings))
            }
        }
        deserializer.deserialize_any(OutputsVisitor)
    }
}

impl Serialize for Outputs {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for binding in &self.0 {
            map.serialize_entry(&binding.flow.value, &binding.local.value)?;
        }
        map.end()
    }
}

impl JsonSchema for Outputs {
    fn schema_name() -> Cow<'static, str> {
        "Outputs".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Names the used flow's outputs to bring into this scenario (all when absent): a list keeps their names, a mapping renames them (`{ token: second_token }`).",
            "oneOf": [
                { "type": "array", "items": { "type": "string" } },
                { "type": "object", "additionalProperties": { "type": "string" } }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(yaml: &str) -> Result<Vec<(String, String)>, String> {
        serde_saphyr::from_str::<Outputs>(yaml)
            .map(|o| {
                o.iter()
                    .map(|b| (b.flow.value.clone(), b.local.value.clone()))
                    .collect()
            })
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_list_keeps_names_and_a_mapping_renames_them() {
        assert_eq!(
            read("[token, user]").unwrap(),
            [("token".into(), "token".into()), ("user".into(), "user".into())]
        );
        assert_eq!(
            read("{ token: second_token }").unwrap(),
            [("token".into(), "second_token".into())]
        );
    }

    #[test]
    fn anything_else_is_refused_with_both_forms_named() {
        let error = read("token").unwrap_err();
        assert!(error.contains("a mapping renaming them"), "{error}");
    }
}
