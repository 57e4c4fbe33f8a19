//! Declares the serde types of what a step does with its response: `expect`
//! (status, headers, body, subset, time), `capture` (a JSONPath shorthand or
//! a mapping naming one source) and `snapshot` (`true`, `false` or a
//! mapping), with the hand-written visitors and `JsonSchema` impls of the
//! shorthands.
//!
//! Must not evaluate anything: expectations and captures stay unrendered
//! values that `crate::check` evaluates and the engine applies.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::exact;
use super::location::{Spanned, SpannedMap};
use super::schema_parts;

/// States what a response must satisfy.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// Accepts a status code, a list of codes, or a class such as `2xx`.
    #[serde(default)]
    #[serde(deserialize_with = "exact::option_spanned")]
    #[schemars(schema_with = "schema_parts::status")]
    pub status: Option<Spanned<Value>>,
    /// Checks headers by (case-insensitive) name: a literal or predicates.
    #[serde(default)]
    #[serde(deserialize_with = "exact::map")]
    #[schemars(schema_with = "schema_parts::header_expectations")]
    pub headers: SpannedMap<Value>,
    /// Checks body values by JSONPath: a literal or predicates.
    #[serde(default)]
    #[serde(deserialize_with = "exact::map")]
    #[schemars(schema_with = "schema_parts::body_expectations")]
    pub body: SpannedMap<Value>,
    /// Requires the JSON body to contain this value (objects by subset, arrays
    /// element-wise).
    #[serde(default)]
    #[serde(deserialize_with = "exact::option_spanned")]
    #[schemars(with = "Option<Value>")]
    pub subset: Option<Spanned<Value>>,
    /// Bounds the response time, e.g. `500ms`.
    #[serde(default)]
    #[schemars(schema_with = "schema_parts::duration")]
    pub max_time: Option<Spanned<String>>,
    /// Checks the body as text (any content type): a literal or predicates.
    #[serde(default)]
    #[schemars(schema_with = "schema_parts::expectation")]
    pub text: Option<Spanned<Value>>,
    /// Checks the body as bytes: `length`, `sha256`, `md5`, `equals_base64`,
    /// `equals_hex`, `equals_file`.
    #[serde(default)]
    #[schemars(schema_with = "schema_parts::expectation")]
    pub bytes: Option<Spanned<Value>>,
    /// Validates the JSON body against a JSON Schema: inline, or a file path
    /// (relative to this file; `$ref`s to local files resolve).
    #[serde(default)]
    #[schemars(schema_with = "schema_parts::json_schema")]
    pub schema: Option<Spanned<Value>>,
    /// Checks every value of a header (repeated headers such as `set-cookie`,
    /// `vary`), as a list in received order.
    #[serde(default)]
    #[schemars(schema_with = "schema_parts::header_expectations")]
    pub header_values: SpannedMap<Value>,
    /// Checks cookies the response sets, by name: their value (a literal or
    /// predicates) or their attributes (`value`, `path`, `domain`, `expires`,
    /// `max_age`, `secure`, `http_only`, `same_site`).
    #[serde(default)]
    #[schemars(schema_with = "schema_parts::cookie_expectations")]
    pub cookies: SpannedMap<Value>,
    /// Checks the redirects followed, as a list of `{status, url, location}` hops.
    #[serde(default)]
    #[schemars(schema_with = "schema_parts::expectation")]
    pub redirects: Option<Spanned<Value>>,
    /// Checks the final URL (after any redirects).
    #[serde(default)]
    #[schemars(schema_with = "schema_parts::expectation")]
    pub url: Option<Spanned<Value>>,
    /// Checks the HTTP version of the final response: `HTTP/1.1`, `HTTP/2`.
    #[serde(default)]
    #[schemars(schema_with = "schema_parts::expectation")]
    pub version: Option<Spanned<Value>>,
    /// Checks XPath 1.0 queries on an XML or HTML body: a string, number or
    /// boolean result, or the text of the selected nodes.
    #[serde(default)]
    #[schemars(schema_with = "schema_parts::markup_expectations")]
    pub xpath: SpannedMap<Value>,
    /// Checks CSS selectors on an HTML body: the text of the matched
    /// elements (one: a string; several: a list).
    #[serde(default)]
    #[schemars(schema_with = "schema_parts::markup_expectations")]
    pub css: SpannedMap<Value>,
    /// Checks variables and captured values (this step's captures included).
    #[serde(default)]
    #[schemars(schema_with = "schema_parts::var_expectations")]
    pub vars: SpannedMap<Value>,
}

impl Expect {
    /// Returns the expectations keyed by a name, path or query (headers,
    /// body, header values, cookies, XPath, CSS, variables).
    #[must_use]
    pub fn keyed_subjects(&self) -> [&SpannedMap<Value>; 7] {
        [
            &self.headers,
            &self.body,
            &self.header_values,
            &self.cookies,
            &self.xpath,
            &self.css,
            &self.vars,
        ]
    }

    /// Returns the single expectations with operands (subset, text, bytes,
    /// redirects, URL, version), those written.
    #[must_use]
    pub fn single_subjects(&self) -> Vec<&Spanned<Value>> {
        [
            &self.subset,
            &self.text,
            &self.bytes,
            &self.redirects,
            &self.url,
            &self.version,
        ]
        .into_iter()
        .flatten()
        .collect()
    }
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
    /// Evaluates this XPath 1.0 query on an XML or HTML body.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub xpath: Option<Spanned<String>>,
    /// Takes the text of the first element this CSS selector matches in an HTML body.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub css: Option<Spanned<String>>,
    /// Applies these filters to the value, after `regex`.
    #[serde(default)]
    #[schemars(schema_with = "schema_parts::filters")]
    pub filters: Option<Spanned<Value>>,
    /// Marks the captured value as secret in every output.
    #[serde(default)]
    pub secret: bool,
    /// Uses this value when the source matches nothing, instead of an error.
    #[serde(default)]
    #[serde(deserialize_with = "exact::option_value")]
    pub default: Option<Value>,
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
    #[schemars(schema_with = "schema_parts::snapshot_parts")]
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

/// Lists the attribute keys a cookie expectation may name (`expect.cookies`).
pub const COOKIE_ATTRIBUTES: &[&str] = &[
    "value",
    "path",
    "domain",
    "expires",
    "max_age",
    "secure",
    "http_only",
    "same_site",
];

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
