//! Declares a step's `if:`: a template expression (`token is defined`), or
//! expectations on variables (`{ vars: { status: 200 } }`) tested by the same
//! evaluator as `expect.vars`, so filters, `not` and every predicate work in
//! conditions too.
//!
//! Must not evaluate anything: the engine does, with the template engine for
//! expressions and the check layer for expectations.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::location::SpannedMap;
use super::schema_parts;

/// Says when a step runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Condition {
    /// Runs the step when this expression is true (`{{ }}` around it optional).
    Expression(String),
    /// Runs the step when every expectation on these variables holds.
    Vars(VarsCondition),
}

/// Holds the mapping form of `if:`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VarsCondition {
    /// Maps variable names to expectations, as in `expect.vars`; an
    /// undefined variable is absent (`{ absent: true }` holds).
    pub vars: SpannedMap<Value>,
}

impl Condition {
    /// Returns the expression, when the condition is one.
    #[must_use]
    pub fn expression(&self) -> Option<&str> {
        match self {
            Self::Expression(text) => Some(text),
            Self::Vars(_) => None,
        }
    }

    /// Returns the expectations on variables, when the condition is the mapping form.
    #[must_use]
    pub fn vars(&self) -> Option<&SpannedMap<Value>> {
        match self {
            Self::Expression(_) => None,
            Self::Vars(condition) => Some(&condition.vars),
        }
    }

    /// Describes the condition for a skip reason: the expression, or the variables tested.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Self::Expression(text) => format!("`{}`", text.trim()),
            Self::Vars(condition) => {
                let names: Vec<String> = condition
                    .vars
                    .keys()
                    .map(|name| format!("`{}`", name.value))
                    .collect();
                format!("on {}", names.join(", "))
            }
        }
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ConditionVisitor;
        impl<'de> Visitor<'de> for ConditionVisitor {
            type Value = Condition;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an expression such as `token is defined`, or a mapping `{ vars: { name: expectation } }`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Condition, E> {
                Ok(Condition::Expression(v.to_owned()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Condition, E> {
                // `if: true` reads as the expression it spells.
                Ok(Condition::Expression(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Condition, A::Error> {
                VarsCondition::deserialize(de::value::MapAccessDeserializer::new(map)).map(Condition::Vars)
            }
        }
        deserializer.deserialize_any(ConditionVisitor)
    }
}

impl JsonSchema for Condition {
    fn schema_name() -> Cow<'static, str> {
        "Condition".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let vars = schema_parts::var_expectations(generator);
        json_schema!({
            "oneOf": [
                {
                    "type": "string",
                    "description": "Runs the step when this expression is true, e.g. `token is defined` or `unlocked == false` (`{{ }}` optional)."
                },
                {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["vars"],
                    "properties": {
                        "vars": vars
                    },
                    "description": "Runs the step when every expectation on these variables holds, as in `expect.vars`, e.g. `{ vars: { status: 200 } }`."
                }
            ]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Holder {
        #[serde(rename = "if")]
        condition: Condition,
    }

    fn parse(yaml: &str) -> Condition {
        serde_saphyr::from_str::<Holder>(yaml).unwrap().condition
    }

    #[test]
    fn reads_an_expression_or_expectations_on_variables() {
        assert_eq!(
            parse("if: token is defined\n").expression(),
            Some("token is defined")
        );
        let vars = parse("if:\n  vars:\n    status: 200\n    token: { exists: true }\n");
        let names: Vec<&str> = vars.vars().unwrap().keys().map(|k| k.value.as_str()).collect();
        assert_eq!(names, ["status", "token"]);
        assert_eq!(vars.describe(), "on `status`, `token`");
        assert_eq!(parse("if: true\n").expression(), Some("true"));
    }

    #[test]
    fn the_mapping_form_names_its_one_key() {
        let err = serde_saphyr::from_str::<Holder>("if:\n  varz: { a: 1 }\n").unwrap_err();
        assert!(err.to_string().contains("vars"), "{err}");
    }
}
