//! Declares the serde types of the scenario format (see `docs/format.md`).
//!
//! Every authored value that a diagnostic may point at is wrapped in
//! [`Spanned`]. Enums are never `untagged` or `flatten`ed, because both lose
//! serde-saphyr's locations and give poor messages; "a string or a mapping"
//! shorthands use hand-written visitors instead, and hand-written
//! `JsonSchema` impls describe them to editors (see [`super::schema`]).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use indexmap::IndexMap;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Spanned;
use super::schema;

/// Maps authored keys to authored values, keeping YAML order.
pub type SpannedMap<V> = IndexMap<Spanned<String>, Spanned<V>>;

/// Describes one scenario file: a named flow of steps, or a reusable flow
/// (a file with `inputs` or `outputs`, run only through a step's `use`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Names the scenario in reports; shown with every failure.
    #[schemars(with = "String")]
    pub name: Spanned<String>,
    /// Explains what the scenario proves, for `list` and reports.
    #[serde(default)]
    pub description: Option<String>,
    /// Labels used by `--tag` to select scenarios.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub tags: Vec<Spanned<String>>,
    /// Declares variables; values may be templates over earlier variables.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Value>")]
    pub vars: SpannedMap<Value>,
    /// Names variables and captures whose values must never be printed.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub secrets: Vec<Spanned<String>>,
    /// Declares the inputs of a reusable flow (name -> declaration).
    #[serde(default)]
    #[schemars(with = "Option<BTreeMap<String, InputSpec>>")]
    pub inputs: Option<SpannedMap<InputSpec>>,
    /// Declares the variables a reusable flow hands back to the caller.
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub outputs: Option<Vec<Spanned<String>>>,
    /// Sets snapshot defaults (redactions) for every step of the scenario.
    #[serde(default)]
    #[schemars(with = "SnapshotDefaults")]
    pub snapshot: Option<Spanned<SnapshotDefaults>>,
    /// Lists the steps, run in order until one fails or errors.
    #[serde(default)]
    #[schemars(with = "Vec<Step>")]
    pub steps: Vec<Spanned<Step>>,
    /// Lists steps that always run after `steps`, even after a failure.
    #[serde(default)]
    #[schemars(with = "Vec<Step>")]
    pub finally: Vec<Spanned<Step>>,
}

impl Scenario {
    /// Tells whether this file is a reusable flow rather than a runnable scenario.
    #[must_use]
    pub fn is_flow(&self) -> bool {
        self.inputs.is_some() || self.outputs.is_some()
    }

    /// Returns the names of the flow's inputs, in declaration order.
    #[must_use]
    pub fn input_names(&self) -> Vec<&str> {
        self.inputs
            .iter()
            .flatten()
            .map(|(name, _)| name.value.as_str())
            .collect()
    }

    /// Returns the names of the flow's outputs, in declaration order.
    #[must_use]
    pub fn output_names(&self) -> Vec<&str> {
        self.outputs
            .iter()
            .flatten()
            .map(|name| name.value.as_str())
            .collect()
    }
}

/// Declares one input of a reusable flow.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InputSpec {
    /// Explains the input, for `list` and `check` messages.
    #[serde(default)]
    pub description: Option<String>,
    /// Supplies the value when the caller gives none; without it the input is required.
    #[serde(default)]
    pub default: Option<Value>,
    /// Marks the input's value as secret in every output.
    #[serde(default)]
    pub secret: bool,
}

/// Lists HTTP methods a step may use as its request key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `HEAD`
    Head,
    /// `OPTIONS`
    Options,
}

impl Method {
    /// Returns the method as sent on the wire.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Describes one step: a request with expectations and captures, a `use` of
/// a reusable flow, or an `ask` for a value.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Names the step in reports; defaults to the request line.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// Runs the step only when this expression is true (`{{ }}` optional).
    #[serde(default, rename = "if")]
    #[schemars(with = "Option<String>")]
    pub condition: Option<Spanned<String>>,
    /// `GET` this path (relative to the target) or absolute URL.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub get: Option<Spanned<String>>,
    /// `POST` this path or URL.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub post: Option<Spanned<String>>,
    /// `PUT` this path or URL.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub put: Option<Spanned<String>>,
    /// `PATCH` this path or URL.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub patch: Option<Spanned<String>>,
    /// `DELETE` this path or URL.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub delete: Option<Spanned<String>>,
    /// `HEAD` this path or URL.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub head: Option<Spanned<String>>,
    /// `OPTIONS` this path or URL.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub options: Option<Spanned<String>>,
    /// Adds query parameters (values are templated and may be lists).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Value>")]
    pub query: SpannedMap<Value>,
    /// Adds request headers.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Value>")]
    pub headers: SpannedMap<Value>,
    /// Sends this value as a JSON body.
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub json: Option<Spanned<Value>>,
    /// Sends these fields as an `application/x-www-form-urlencoded` body.
    #[serde(default)]
    #[schemars(with = "Option<BTreeMap<String, Value>>")]
    pub form: Option<SpannedMap<Value>>,
    /// Sends this text as the raw body.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub body: Option<Spanned<String>>,
    /// Bounds the whole exchange, e.g. `5s` or `750ms`.
    #[serde(default)]
    #[schemars(schema_with = "schema::duration")]
    pub timeout: Option<Spanned<String>>,
    /// Follows redirects (off by default, so a step can assert a `302`).
    #[serde(default)]
    pub follow_redirects: Option<bool>,
    /// States what the response must look like.
    #[serde(default)]
    #[schemars(with = "Expect")]
    pub expect: Option<Spanned<Expect>>,
    /// Names values to take from the response for later steps.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, CaptureEntry>")]
    pub capture: SpannedMap<CaptureEntry>,
    /// Compares the response with a stored snapshot.
    #[serde(default)]
    #[schemars(with = "SnapshotSpec")]
    pub snapshot: Option<Spanned<SnapshotSpec>>,
    /// Repeats the step until its expectations hold.
    #[serde(default)]
    #[schemars(with = "Retry")]
    pub retry: Option<Spanned<Retry>>,
    /// Sets a variable from an environment variable or, failing that, from the
    /// person at the terminal (an MFA code sent by email or SMS).
    #[serde(default)]
    #[schemars(with = "Ask")]
    pub ask: Option<Spanned<Ask>>,
    /// Runs a reusable flow file (relative to this file) as this step.
    #[serde(default, rename = "use")]
    #[schemars(with = "Option<String>")]
    pub use_flow: Option<Spanned<String>>,
    /// Gives the used flow its inputs.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, Value>")]
    pub with: SpannedMap<Value>,
    /// Names the used flow's outputs to bring into this scenario (all when absent).
    #[serde(default)]
    #[schemars(with = "Option<Vec<String>>")]
    pub outputs: Option<Vec<Spanned<String>>>,
}

impl Step {
    /// Returns the request method and its target, if the step names exactly one.
    ///
    /// Returns `None` when no method key is present; `check` reports several.
    #[must_use]
    pub fn request_target(&self) -> Option<(Method, &Spanned<String>)> {
        self.request_targets().into_iter().next()
    }

    /// Returns every method key present, so validation can report duplicates.
    #[must_use]
    pub fn request_targets(&self) -> Vec<(Method, &Spanned<String>)> {
        [
            (Method::Get, &self.get),
            (Method::Post, &self.post),
            (Method::Put, &self.put),
            (Method::Patch, &self.patch),
            (Method::Delete, &self.delete),
            (Method::Head, &self.head),
            (Method::Options, &self.options),
        ]
        .into_iter()
        .filter_map(|(m, t)| t.as_ref().map(|t| (m, t)))
        .collect()
    }
}

/// Describes an `ask` step: where a value comes from when no request can fetch it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ask {
    /// Names the variable to set.
    #[schemars(with = "String")]
    pub var: Spanned<String>,
    /// Shows this (templated) text at the prompt, e.g. "Email code sent to {{ address }}".
    #[schemars(with = "String")]
    pub prompt: Spanned<String>,
    /// Reads the value from this environment variable when it is set (unattended runs).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub env: Option<Spanned<String>>,
    /// Hides the typed value and redacts it everywhere (default true).
    #[serde(default = "default_true")]
    pub secret: bool,
}

fn default_true() -> bool {
    true
}

/// States what a response must satisfy.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Accepts a status code, a list of codes, or a class such as `2xx`.
    #[serde(default)]
    #[schemars(schema_with = "schema::status")]
    pub status: Option<Spanned<Value>>,
    /// Checks headers by (case-insensitive) name: a literal or predicates.
    #[serde(default)]
    #[schemars(schema_with = "schema::header_expectations")]
    pub headers: SpannedMap<Value>,
    /// Checks body values by JSONPath: a literal or predicates.
    #[serde(default)]
    #[schemars(schema_with = "schema::body_expectations")]
    pub body: SpannedMap<Value>,
    /// Requires the JSON body to contain this value (objects by subset, arrays
    /// element-wise).
    #[serde(default)]
    #[schemars(with = "Option<Value>")]
    pub subset: Option<Spanned<Value>>,
    /// Bounds the response time, e.g. `500ms`.
    #[serde(default)]
    #[schemars(schema_with = "schema::duration")]
    pub max_time: Option<Spanned<String>>,
}

/// Says where a captured value comes from. Written as a JSONPath string
/// (`token: $.token`) or as a mapping naming one source.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CaptureSpec {
    /// Queries the JSON body with this RFC 9535 JSONPath (one node expected).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub jsonpath: Option<Spanned<String>>,
    /// Reads this response header (case-insensitive).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub header: Option<Spanned<String>>,
    /// Reads this cookie from the response's `Set-Cookie` headers.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub cookie: Option<Spanned<String>>,
    /// Takes the status code (`status: true`).
    #[serde(default)]
    pub status: Option<bool>,
    /// Takes the whole body as text (`body: true`); with `regex`, searches it.
    #[serde(default)]
    pub body: Option<bool>,
    /// Applies this regex to the header or body text and takes a group.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub regex: Option<Spanned<String>>,
    /// Chooses the regex group (default 1, or 0 when the regex has no group).
    #[serde(default)]
    pub group: Option<usize>,
    /// Marks the captured value as secret in every output.
    #[serde(default)]
    pub secret: bool,
    /// Uses this value when the source matches nothing, instead of an error.
    #[serde(default)]
    pub default: Option<Value>,
}

/// Sets how a step is retried until its expectations hold.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Retry {
    /// Limits the number of attempts, the first one included.
    #[schemars(with = "u32", range(min = 1))]
    pub attempts: Spanned<u32>,
    /// Waits this long before the second attempt (default `1s`).
    #[serde(default)]
    #[schemars(schema_with = "schema::duration")]
    pub interval: Option<Spanned<String>>,
    /// Multiplies the wait after each attempt (default 1: constant interval).
    #[serde(default)]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub backoff: Option<f64>,
    /// Caps a single wait (default: no cap).
    #[serde(default)]
    #[schemars(schema_with = "schema::duration")]
    pub max_interval: Option<Spanned<String>>,
    /// Gives up once this much time has passed since the first attempt.
    #[serde(default)]
    #[schemars(schema_with = "schema::duration")]
    pub deadline: Option<Spanned<String>>,
}

/// Snapshot settings of one step: `snapshot: true` or a mapping.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SnapshotSpec {
    /// Turns the snapshot on (`snapshot: false` turns it off).
    pub enabled: bool,
    /// Adds JSONPath redactions for this step.
    pub redact: Vec<Spanned<String>>,
    /// Lists the response parts to record besides the body (`status`, `headers`).
    pub include: Vec<Spanned<String>>,
}

/// Sets a step's snapshot (the mapping form of `snapshot:`).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "SnapshotSettings")]
struct SnapshotSpecMap {
    /// Adds JSONPath redactions for this step.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    redact: Vec<Spanned<String>>,
    /// Lists the response parts to record besides the body (`status`, `headers`).
    #[serde(default)]
    #[schemars(schema_with = "schema::snapshot_parts")]
    include: Vec<Spanned<String>>,
}

impl<'de> Deserialize<'de> for SnapshotSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SpecVisitor;
        impl<'de> Visitor<'de> for SpecVisitor {
            type Value = SnapshotSpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`true`, `false`, or a mapping with `redact` and `include`")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<SnapshotSpec, E> {
                Ok(SnapshotSpec {
                    enabled: v,
                    ..SnapshotSpec::default()
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<SnapshotSpec, A::Error> {
                let m = SnapshotSpecMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(SnapshotSpec {
                    enabled: true,
                    redact: m.redact,
                    include: m.include,
                })
            }
        }
        deserializer.deserialize_any(SpecVisitor)
    }
}

impl JsonSchema for SnapshotSpec {
    fn schema_name() -> Cow<'static, str> {
        "SnapshotSpec".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let settings = generator.subschema_for::<SnapshotSpecMap>();
        json_schema!({
            "oneOf": [
                {
                    "type": "boolean",
                    "description": "`true` compares the response body with its stored snapshot; `false` turns the snapshot off."
                },
                settings
            ]
        })
    }
}

/// Snapshot rules shared by every step of a scenario.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SnapshotDefaults {
    /// Redacts these JSONPaths in every snapshot of the scenario.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub redact: Vec<Spanned<String>>,
}

/// Reads a capture written either as a JSONPath string (`token: $.token`) or
/// as a full [`CaptureSpec`] mapping.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct CaptureEntry(pub CaptureSpec);

impl<'de> Deserialize<'de> for CaptureEntry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor;
        impl<'de> Visitor<'de> for EntryVisitor {
            type Value = CaptureEntry;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "a JSONPath such as `$.token`, or a mapping with one of jsonpath, header, cookie, status, body",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CaptureEntry, E> {
                let unknown = serde_saphyr::Location::UNKNOWN;
                Ok(CaptureEntry(CaptureSpec {
                    jsonpath: Some(Spanned::new(v.to_owned(), unknown, unknown)),
                    ..CaptureSpec::default()
                }))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<CaptureEntry, A::Error> {
                CaptureSpec::deserialize(de::value::MapAccessDeserializer::new(map)).map(CaptureEntry)
            }
        }
        deserializer.deserialize_any(EntryVisitor)
    }
}

impl JsonSchema for CaptureEntry {
    fn schema_name() -> Cow<'static, str> {
        "CaptureEntry".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let spec = generator.subschema_for::<CaptureSpec>();
        json_schema!({
            "oneOf": [
                {
                    "type": "string",
                    "description": "Queries the JSON body with this RFC 9535 JSONPath (one node expected), e.g. `$.token`."
                },
                spec
            ]
        })
    }
}
