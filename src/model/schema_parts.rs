//! Writes the parts of the JSON Schema that serde cannot describe by itself
//! and that the model types point at with `#[schemars(schema_with = ...)]`:
//! status codes, durations, snapshot parts, and expectations that are a
//! literal or a mapping of predicates.
//!
//! Must not name the model types (they name these parts; `super::schema`
//! assembles the whole schema from both) and must not touch loading or
//! validation.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Value, json};

use super::filter::FILTER_NAMES;
use super::predicate::{FILTERS_KEY, PREDICATE_KEYS};
use super::value_type::{FORMAT_NAMES, TYPE_NAMES};

/// Returns the schema of `status:`: a code, a class such as `2xx`, a list of
/// those, or a template.
pub(super) fn status(generator: &mut SchemaGenerator) -> Schema {
    let expectation = generator.subschema_for::<Expectation>();
    const CODE_OR_CLASS: &str = "^\\s*([1-5][0-9][0-9]|[1-5][xX][xX])\\s*$";
    // Type-specific keywords rather than `anyOf`, so editors show the field's
    // description alone on hover.
    json_schema!({
        "type": ["integer", "string", "array", "object"],
        "allOf": [expectation],
        "minimum": 100,
        "maximum": 599,
        "pattern": format!("{CODE_OR_CLASS}|\\{{\\{{"),
        "patternErrorMessage": "write a code (200), a class (2xx), a list ([200, 204]) or a template",
        "minItems": 1,
        "items": {
            "type": ["integer", "string"],
            "minimum": 100,
            "maximum": 599,
            "pattern": CODE_OR_CLASS
        },
        "examples": [200, "2xx", [200, 204], { "not_equals": 500 }]
    })
}

/// Returns the schema of `expect.body`: JSONPaths (or templates) mapped to expectations.
pub(super) fn body_expectations(generator: &mut SchemaGenerator) -> Schema {
    let expectation = generator.subschema_for::<Expectation>();
    json_schema!({
        "type": "object",
        "propertyNames": {
            "pattern": "^\\s*\\$|\\{\\{",
            // Read by VS Code and yaml-language-server in place of the bare pattern.
            "patternErrorMessage": "a body expectation is keyed by a JSONPath starting at the root `$`, e.g. `$.token`"
        },
        "additionalProperties": { "description": EXPECTATION, "allOf": [expectation] }
    })
}

/// Returns the schema of `expect.headers`: header names mapped to expectations.
pub(super) fn header_expectations(generator: &mut SchemaGenerator) -> Schema {
    let expectation = generator.subschema_for::<Expectation>();
    json_schema!({
        "type": "object",
        "additionalProperties": { "description": EXPECTATION, "allOf": [expectation] }
    })
}

/// Returns the schema of one expectation (`text:`, `bytes:`, `url:`,
/// `redirects:`): a literal or a mapping of predicates.
pub(super) fn expectation(generator: &mut SchemaGenerator) -> Schema {
    let expectation = generator.subschema_for::<Expectation>();
    json_schema!({ "allOf": [expectation] })
}

/// Returns the schema of `expect.vars`: variable names mapped to expectations.
pub(super) fn var_expectations(generator: &mut SchemaGenerator) -> Schema {
    header_expectations(generator)
}

/// Returns the schema of `expect.xpath` / `expect.css`: queries mapped to expectations.
pub(super) fn markup_expectations(generator: &mut SchemaGenerator) -> Schema {
    header_expectations(generator)
}

/// Returns the schema of `expect.cookies`: cookie names mapped to an
/// expectation on the value, or to attribute expectations.
pub(super) fn cookie_expectations(generator: &mut SchemaGenerator) -> Schema {
    let expectation = generator.subschema_for::<Expectation>();
    let attributes: serde_json::Map<String, Value> = [
        ("value", "The cookie's value."),
        ("path", "The `Path` attribute (absent when not set)."),
        ("domain", "The `Domain` attribute (absent when not set)."),
        (
            "expires",
            "The `Expires` attribute, as text; `filters: [days_after_now]` counts the days left.",
        ),
        ("max_age", "The `Max-Age` attribute, a number."),
        ("secure", "`true` when the cookie is `Secure`."),
        ("http_only", "`true` when the cookie is `HttpOnly`."),
        (
            "same_site",
            "The `SameSite` attribute: `Strict`, `Lax` or `None`.",
        ),
    ]
    .into_iter()
    .map(|(key, description)| {
        (
            key.to_owned(),
            json!({ "description": description, "allOf": [expectation.clone()] }),
        )
    })
    .collect();
    json_schema!({
        "type": "object",
        "additionalProperties": {
            "description": "The cookie's value as a literal or predicates, or a mapping of its attributes (`path`, `secure`, `max_age`...) to expectations.",
            "allOf": [expectation],
            "properties": attributes
        }
    })
}

/// Returns the schema of a JSON Schema given to `schema:`: a mapping, or
/// the path of a schema file.
pub(super) fn json_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": ["object", "boolean", "string"],
        "examples": ["schemas/user.schema.json", { "type": "object", "required": ["id"] }]
    })
}

/// Returns the schema of a filter chain: names, or mappings of one name to
/// its argument.
pub(super) fn filters(_: &mut SchemaGenerator) -> Schema {
    let with_argument: serde_json::Map<String, Value> = [
        ("split", json!({ "type": "string", "description": "Splits a string on this separator." })),
        ("nth", json!({ "type": ["integer", "string"], "description": "Takes the item at this index (-1: the last)." })),
        ("replace", json!({ "type": "array", "items": { "type": "string" }, "minItems": 2, "maxItems": 2, "description": "Replaces text: `[old, new]`." })),
        ("replace_regex", json!({ "type": "array", "items": { "type": "string" }, "minItems": 2, "maxItems": 2, "description": "Replaces regex matches: `[pattern, replacement]`." })),
        ("regex", json!({ "type": "string", "description": "Takes the regex's first group (or the whole match)." })),
        ("to_date", json!({ "type": "string", "description": "Reads a date with this strftime format, e.g. `%d/%m/%Y`." })),
        ("jsonpath", json!({ "type": "string", "description": "Queries the value, or a string holding JSON." })),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let bare: Vec<&str> = FILTER_NAMES
        .iter()
        .copied()
        .filter(|name| !with_argument.contains_key(*name) || *name == "to_date")
        .collect();
    json_schema!({
        "type": "array",
        "description": "Filters applied in order before the predicates, e.g. `[{ split: \".\" }, { nth: 1 }, base64url_decode]`.",
        "items": {
            "anyOf": [
                { "enum": bare },
                {
                    "type": "object",
                    "properties": with_argument,
                    "additionalProperties": false,
                    "minProperties": 1,
                    "maxProperties": 1
                }
            ]
        }
    })
}

/// Returns the schema of a duration such as `500ms`, `5s` or `2m` (or a template).
pub(super) fn duration(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "string",
        "examples": ["500ms", "5s", "2m"]
    })
}

/// Returns the schema of a snapshot's `include`: the response parts recorded besides the body.
pub(super) fn snapshot_parts(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "array",
        "items": { "enum": ["status", "headers"] }
    })
}

/// Returns the schema of `multipart:`: field names mapped to a text value,
/// or a mapping naming a file (or a value) with its type.
pub(super) fn multipart(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "additionalProperties": {
            "description": "A text value (templated), or `{ file: PATH, type, filename, secret }` to send a file (or `{ value, type }` for text with a content type).",
            "type": ["string", "number", "boolean", "object"],
            "properties": {
                "value": { "description": "The field's text (templated)." },
                "file": { "type": "string", "description": "The file to send, relative to the scenario file." },
                "type": { "type": "string", "description": "The part's content type (for a file: guessed from its extension unless given)." },
                "filename": { "type": "string", "description": "The file name sent (default: the file's own name)." },
                "secret": { "type": "boolean", "description": "Marks the file's contents secret: they are never printed." }
            },
            "additionalProperties": false
        }
    })
}

/// Returns the schema of a scenario's `matrix:`: variables mapped to their
/// lists of values, plus `rows` (inline or a file) and `exclude`.
pub(super) fn matrix(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": "object",
        "description": "Runs the scenario once per combination of these values: each key is a variable and its list of values; the combinations are their cartesian product.",
        "properties": {
            "rows": {
                "description": "Whole combinations: a list of mappings (variable -> value), or a CSV (first line: the names), YAML or JSON file next to the scenario holding such a list.",
                "type": ["string", "array"],
                "items": { "type": "object" }
            },
            "exclude": {
                "description": "Drops every combination that has all the values of one of these mappings.",
                "type": "array",
                "items": { "type": "object" }
            }
        },
        "additionalProperties": {
            "description": "A variable's values, one combination each.",
            "type": "array",
            "minItems": 1
        }
    })
}

/// Stands for an authored expectation in the schema: a literal compared with
/// `equals`, or a mapping whose keys are all predicates.
///
/// Its schema carries no description: editors show the first description
/// they meet, and a use site (a body value, `length`) says it better.
struct Expectation;

/// Describes a body or header expectation, for editors' hover.
const EXPECTATION: &str = "A literal (compared with `equals`), or a mapping of predicates that must all hold, e.g. `{ type: string, length: 64 }`.";

impl JsonSchema for Expectation {
    fn schema_name() -> Cow<'static, str> {
        "Expectation".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let myself = generator.subschema_for::<Expectation>();
        let mut properties: serde_json::Map<String, Value> = PREDICATE_KEYS
            .iter()
            .filter_map(|key| Some(((*key).to_owned(), predicate_schema(key, &myself)?)))
            .collect();
        properties.insert(FILTERS_KEY.to_owned(), filters(generator).to_value());
        let keys: Vec<&str> = PREDICATE_KEYS.iter().copied().chain([FILTERS_KEY]).collect();
        json_schema!({
            "properties": properties,
            // One predicate key makes the whole mapping predicates, so every
            // other key is then an error; a mapping without one is a literal.
            "if": { "not": { "propertyNames": { "not": { "enum": keys } } } },
            "then": { "propertyNames": { "enum": keys } }
        })
    }
}

/// Returns the schema and description of one predicate key, or `None` for a
/// key this function does not know (a unit test keeps the two lists in step).
fn predicate_schema(key: &str, expectation: &Schema) -> Option<Value> {
    let any = |description: &str| json!({ "description": description });
    let typed = |ty: &str, description: &str| json!({ "type": ty, "description": description });
    let compare = |description: &str| json!({ "type": ["number", "string"], "description": description });
    Some(match key {
        "equals" => any("Holds when the value equals this (numbers by value: `1` equals `1.0`)."),
        "not_equals" => any("Holds when the value differs from this."),
        "exists" => typed(
            "boolean",
            "`true`: holds when the value is present; `false`: when it is absent.",
        ),
        "absent" => typed(
            "boolean",
            "`true`: holds when the value is absent; `false`: when it is present.",
        ),
        "type" => json!({
            "description": "Holds when the value has this JSON type (`float`: a number with a fraction or exponent; `bool`, `list` and `map` are accepted as aliases).",
            "enum": TYPE_NAMES
        }),
        "format" => json!({
            "description": "Holds when the value is a string in this format.",
            "enum": FORMAT_NAMES
        }),
        "empty" => typed(
            "boolean",
            "`true`: holds when the value is empty (`\"\"`, `[]`, `{}`, no bytes); `false`: when it is not.",
        ),
        "matches" => typed(
            "string",
            "Holds when the value is a string matching this regex (a search: anchor with `^...$`).",
        ),
        "contains" => {
            any("Holds when a string contains this substring, an array this element, or an object this key.")
        }
        "not_contains" => any("Holds when the value does not contain this (substring, element or key)."),
        "starts_with" => typed("string", "Holds when the value is a string with this prefix."),
        "ends_with" => typed("string", "Holds when the value is a string with this suffix."),
        "<" => {
            compare("Holds when the value is less than this (numbers; strings compare lexicographically).")
        }
        "<=" => compare("Holds when the value is at most this (numbers; strings compare lexicographically)."),
        ">" => {
            compare("Holds when the value is greater than this (numbers; strings compare lexicographically).")
        }
        ">=" => {
            compare("Holds when the value is at least this (numbers; strings compare lexicographically).")
        }
        // Type-specific keywords rather than `anyOf`, so editors show one
        // description on hover: `minimum` applies only to numbers, `pattern`
        // (a template) only to strings, `propertyNames` only to mappings.
        "length" => json!({
            "description": "Holds when the length (string characters, array items, object keys) is this number, or satisfies these predicates, e.g. `{ \">\": 0 }`.",
            "type": ["integer", "string", "object"],
            "minimum": 0,
            "pattern": "\\{\\{",
            "propertyNames": { "enum": PREDICATE_KEYS },
            "allOf": [expectation]
        }),
        "one_of" => json!({
            "description": "Holds when the value equals one of these.",
            "type": ["array", "string"],
            "pattern": "\\{\\{"
        }),
        "not" => json!({
            "description": "Holds when these predicates (or this literal) do not all hold, e.g. `not: { matches: \"^x\" }`.",
            "allOf": [expectation]
        }),
        "sha256" => typed(
            "string",
            "Holds when the SHA-256 of the value's bytes (a string's UTF-8) is this hex digest.",
        ),
        "md5" => typed(
            "string",
            "Holds when the MD5 of the value's bytes (a string's UTF-8) is this hex digest.",
        ),
        "equals_base64" => typed(
            "string",
            "Holds when the value's bytes are these, written in base64.",
        ),
        "equals_hex" => typed(
            "string",
            "Holds when the value's bytes are these, written in hex.",
        ),
        "equals_file" => typed(
            "string",
            "Holds when the value equals this file's content (relative to the scenario file): bytes, text, or JSON by value.",
        ),
        "schema" => json!({
            "description": "Holds when the value is valid against this JSON Schema (a mapping, or a schema file's path).",
            "type": ["object", "boolean", "string"]
        }),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_predicate_key_has_a_described_schema() {
        let placeholder = json_schema!({});
        for key in PREDICATE_KEYS {
            let schema =
                predicate_schema(key, &placeholder).unwrap_or_else(|| panic!("no schema for `{key}`"));
            assert!(schema["description"].is_string(), "`{key}` has no description");
        }
    }
}
