//! Declares the serde types of one step: its request (method, target,
//! query, headers, body, credentials, cookies and session), its `retry`, its
//! `ask` for a value, and the `use` of a reusable flow with its `with` and
//! `outputs`. What a step checks and keeps from the response is in
//! `super::response`; the request's own setting types are in `super::request`.
//!
//! Must not touch HTTP, the terminal or templates: these are plain data, read
//! by the loader and sent by the engine.

use std::collections::BTreeMap;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::condition::Condition;
use super::exact;
use super::location::{Spanned, SpannedMap};
use super::request::{AuthSpec, FileSpec, FollowRedirects, HttpVersionSpec, Templated};
use super::response::{CaptureEntry, Expect, SnapshotSpec};
use super::schema_parts;

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
    /// Runs the step only when this expression is true (`{{ }}` optional),
    /// or, written `{ vars: {...} }`, when these expectations on variables hold.
    #[serde(default, rename = "if")]
    #[schemars(with = "Option<Condition>")]
    pub condition: Option<Spanned<Condition>>,
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
    #[serde(deserialize_with = "exact::map")]
    #[schemars(with = "BTreeMap<String, Value>")]
    pub query: SpannedMap<Value>,
    /// Adds request headers.
    #[serde(default)]
    #[serde(deserialize_with = "exact::map")]
    #[schemars(with = "BTreeMap<String, Value>")]
    pub headers: SpannedMap<Value>,
    /// Sends this value as a JSON body (`null` included).
    #[serde(default)]
    #[serde(deserialize_with = "exact::present")]
    #[schemars(with = "Option<Value>")]
    pub json: Option<Spanned<Value>>,
    /// Sends these fields as an `application/x-www-form-urlencoded` body.
    #[serde(default)]
    #[serde(deserialize_with = "exact::option_map")]
    #[schemars(with = "Option<BTreeMap<String, Value>>")]
    pub form: Option<SpannedMap<Value>>,
    /// Sends this text as the raw body.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub body: Option<Spanned<String>>,
    /// Bounds the whole exchange, e.g. `5s` or `750ms`.
    #[serde(default)]
    #[schemars(schema_with = "schema_parts::duration")]
    pub timeout: Option<Spanned<String>>,
    /// Follows redirects: `true`, or `{ max: 30, trusted_hosts: [...] }` (off by
    /// default, so a step can assert a `302`). Credentials never follow a
    /// redirect to another origin unless its host is trusted.
    #[serde(default)]
    #[schemars(with = "Option<FollowRedirects>")]
    pub follow_redirects: Option<Spanned<FollowRedirects>>,
    /// States what the response must look like.
    #[serde(default)]
    #[schemars(with = "Expect")]
    pub expect: Option<Box<Spanned<Expect>>>,
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
    pub retry: Option<Box<Spanned<Retry>>>,
    /// Sets a variable from an environment variable or, failing that, from the
    /// person at the terminal (an MFA code sent by email or SMS).
    #[serde(default)]
    #[schemars(with = "Ask")]
    pub ask: Option<Box<Spanned<Ask>>>,
    /// Runs a reusable flow file (relative to this file) as this step.
    #[serde(default, rename = "use")]
    #[schemars(with = "Option<String>")]
    pub use_flow: Option<Spanned<String>>,
    /// Gives the used flow its inputs.
    #[serde(default)]
    #[serde(deserialize_with = "exact::map")]
    #[schemars(with = "BTreeMap<String, Value>")]
    pub with: SpannedMap<Value>,
    /// Names the used flow's outputs to bring into this scenario (all when
    /// absent): a list keeps their names, a mapping renames them
    /// (`{ token: second_token }`).
    #[serde(default)]
    pub outputs: Option<super::Outputs>,
    /// Authenticates: `basic: { user, password }`, `digest: { user, password }` or `bearer: TOKEN`.
    #[serde(default)]
    #[schemars(with = "Option<AuthSpec>")]
    pub auth: Option<Box<Spanned<AuthSpec>>>,
    /// Sends these fields as a `multipart/form-data` body: a text value, or
    /// `{ file: PATH, type, filename, secret }` (or `{ value, type }`).
    #[serde(default)]
    #[serde(deserialize_with = "exact::option_map")]
    #[schemars(schema_with = "schema_parts::multipart")]
    pub multipart: Option<SpannedMap<Value>>,
    /// Sends this file's bytes (relative to the scenario) as the body.
    #[serde(default)]
    #[schemars(with = "Option<FileSpec>")]
    pub body_file: Option<Box<Spanned<FileSpec>>>,
    /// Sends this JSON file (relative to the scenario) as the body, `application/json`.
    #[serde(default)]
    #[schemars(with = "Option<FileSpec>")]
    pub json_file: Option<Box<Spanned<FileSpec>>>,
    /// Sends these cookies besides the session's (a name the jar also has: this value wins).
    #[serde(default)]
    #[serde(deserialize_with = "exact::map")]
    #[schemars(with = "BTreeMap<String, Value>")]
    pub cookies: SpannedMap<Value>,
    /// Uses this named session's cookie jar (default: the scenario's main
    /// session); on a `use` step, the flow's steps use it.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub session: Option<Spanned<String>>,
    /// `false` sends no cookie from the jar and stores none the response sets.
    #[serde(default)]
    pub cookie_jar: Option<bool>,
    /// Empties the session's cookie jar before sending.
    #[serde(default)]
    pub clear_cookies: Option<bool>,
    /// Bounds connecting (not the whole exchange), e.g. `2s`.
    #[serde(default)]
    #[schemars(schema_with = "schema_parts::duration")]
    pub connect_timeout: Option<Spanned<String>>,
    /// Speaks HTTP `1.1` or `2` (by default HTTP/2 where TLS negotiates it, else 1.1).
    #[serde(default)]
    #[schemars(with = "Option<HttpVersionSpec>")]
    pub http_version: Option<Spanned<HttpVersionSpec>>,
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

/// Sets how a step is retried until its expectations hold.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Retry {
    /// Limits the number of attempts, the first one included (a number or a template).
    #[schemars(with = "Templated<u32>", range(min = 1))]
    pub attempts: Spanned<Templated<u32>>,
    /// Waits this long before the second attempt (default `1s`).
    #[serde(default)]
    #[schemars(schema_with = "schema_parts::duration")]
    pub interval: Option<Spanned<String>>,
    /// Multiplies the wait after each attempt (default 1: constant interval).
    #[serde(default)]
    #[schemars(with = "Option<Templated<f64>>", extend("exclusiveMinimum" = 0))]
    pub backoff: Option<Spanned<Templated<f64>>>,
    /// Caps a single wait (default: no cap).
    #[serde(default)]
    #[schemars(schema_with = "schema_parts::duration")]
    pub max_interval: Option<Spanned<String>>,
    /// Gives up once this much time has passed since the first attempt.
    #[serde(default)]
    #[schemars(schema_with = "schema_parts::duration")]
    pub deadline: Option<Spanned<String>>,
}
