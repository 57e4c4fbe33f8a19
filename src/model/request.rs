//! Declares the serde types of what a step puts on the wire besides its
//! method, URL, query and headers: `auth` credentials, file bodies
//! (`body_file`, `json_file`), `follow_redirects` (`true` or a mapping),
//! `http_version`, and [`Templated`] numbers a template may give
//! (`retry.attempts: "{{ n }}"`), with the hand-written visitors and
//! `JsonSchema` impls of their shorthands. Multipart fields are free values
//! (`super::step::Step::multipart`) whose shape `check` verifies.
//!
//! Must not touch HTTP, the terminal or templates: these are plain data.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::location::Spanned;

/// Names the keys a multipart field's mapping form may hold.
pub const MULTIPART_KEYS: &[&str] = &["value", "file", "type", "filename", "secret"];

/// Chooses how a step authenticates: exactly one of `basic`, `digest`, `bearer`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthSpec {
    /// Sends `Authorization: Basic` (RFC 7617) with this user and password.
    #[serde(default)]
    #[schemars(with = "Option<Credentials>")]
    pub basic: Option<Spanned<Credentials>>,
    /// Answers the server's `401` Digest challenge (RFC 7616: SHA-256 or MD5, `qop=auth`).
    #[serde(default)]
    #[schemars(with = "Option<Credentials>")]
    pub digest: Option<Spanned<Credentials>>,
    /// Sends `Authorization: Bearer` with this token.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub bearer: Option<Spanned<String>>,
}

/// Holds a user and password; the password is secret everywhere, encoded
/// forms and computed digests included.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// The user name (templated).
    #[schemars(with = "String")]
    pub user: Spanned<String>,
    /// The password (templated; never printed).
    #[schemars(with = "String")]
    pub password: Spanned<String>,
}

/// Names a file a body is read from: a path (relative to the scenario), or
/// a mapping with `file`, `type` and `secret`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FileSpec {
    /// The path, relative to the scenario file (templated).
    pub file: String,
    /// The content type to send, unless the step's headers set one.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Marks the file's contents secret: they are never printed.
    pub secret: bool,
}

/// Sets a file body (the mapping form of `body_file:` and `json_file:`).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "FileSettings")]
struct FileSpecMap {
    /// The path, relative to the scenario file (templated).
    file: String,
    /// The content type to send, unless the step's headers set one.
    #[serde(default, rename = "type")]
    content_type: Option<String>,
    /// Marks the file's contents secret: they are never printed.
    #[serde(default)]
    secret: bool,
}

impl<'de> Deserialize<'de> for FileSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FileVisitor;
        impl<'de> Visitor<'de> for FileVisitor {
            type Value = FileSpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a file path, or a mapping with `file`, `type` and `secret`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FileSpec, E> {
                Ok(FileSpec {
                    file: v.to_owned(),
                    ..FileSpec::default()
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FileSpec, A::Error> {
                let m = FileSpecMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(FileSpec {
                    file: m.file,
                    content_type: m.content_type,
                    secret: m.secret,
                })
            }
        }
        deserializer.deserialize_any(FileVisitor)
    }
}

impl JsonSchema for FileSpec {
    fn schema_name() -> Cow<'static, str> {
        "FileSpec".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let settings = generator.subschema_for::<FileSpecMap>();
        json_schema!({
            "oneOf": [
                { "type": "string", "description": "The file's path, relative to the scenario file." },
                settings
            ]
        })
    }
}

/// Says whether and how a step follows redirects: `true`, `false`, or a
/// mapping (which follows) with `max` and `trusted_hosts`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FollowRedirects {
    /// Follows redirects.
    pub follow: bool,
    /// Gives up after this many redirects (default 10).
    pub max: Option<u32>,
    /// Hosts (`host` or `host:port`) that keep the step's credentials when a
    /// redirect leads to them from another origin.
    pub trusted_hosts: Vec<String>,
}

/// Sets how redirects are followed (the mapping form of `follow_redirects:`).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RedirectSettings")]
struct FollowRedirectsMap {
    /// Gives up (a step error) after this many redirects (default 10).
    #[serde(default)]
    max: Option<u32>,
    /// Hosts (`host` or `host:port`, templated) that still get
    /// `Authorization`, cookies and secret headers when a redirect leads to
    /// them from another origin.
    #[serde(default)]
    trusted_hosts: Vec<String>,
}

impl<'de> Deserialize<'de> for FollowRedirects {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FollowVisitor;
        impl<'de> Visitor<'de> for FollowVisitor {
            type Value = FollowRedirects;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`true`, `false`, or a mapping with `max` and `trusted_hosts`")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<FollowRedirects, E> {
                Ok(FollowRedirects {
                    follow: v,
                    ..FollowRedirects::default()
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FollowRedirects, E> {
                match v.trim() {
                    "true" => self.visit_bool(true),
                    "false" => self.visit_bool(false),
                    // Named like the plain boolean it stands for, so the loader words it as one.
                    _ => Err(E::invalid_type(de::Unexpected::Str(v), &"bool")),
                }
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FollowRedirects, A::Error> {
                let m = FollowRedirectsMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(FollowRedirects {
                    follow: true,
                    max: m.max,
                    trusted_hosts: m.trusted_hosts,
                })
            }
        }
        deserializer.deserialize_any(FollowVisitor)
    }
}

impl JsonSchema for FollowRedirects {
    fn schema_name() -> Cow<'static, str> {
        "FollowRedirects".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let settings = generator.subschema_for::<FollowRedirectsMap>();
        json_schema!({
            "oneOf": [
                {
                    "type": "boolean",
                    "description": "`true` follows up to 10 redirects; `false` (the default) makes a `302` a response you can assert."
                },
                settings
            ]
        })
    }
}

/// Chooses the HTTP version a step speaks: `"1.1"` or `"2"` (h2c with prior
/// knowledge over cleartext); by default HTTP/2 where TLS negotiates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum HttpVersionSpec {
    /// `1.1`
    #[serde(rename = "1.1")]
    Http1,
    /// `2`
    #[serde(rename = "2")]
    Http2,
}

impl<'de> Deserialize<'de> for HttpVersionSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct VersionVisitor;
        impl VersionVisitor {
            fn named<E: de::Error>(self, text: &str) -> Result<HttpVersionSpec, E> {
                let lower = text.trim().to_ascii_lowercase();
                match lower.trim_start_matches("http/").trim_start_matches("http") {
                    "1.1" => Ok(HttpVersionSpec::Http1),
                    "2" | "2.0" => Ok(HttpVersionSpec::Http2),
                    _ => Err(E::invalid_value(de::Unexpected::Str(text), &self)),
                }
            }
        }
        impl Visitor<'_> for VersionVisitor {
            type Value = HttpVersionSpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`1.1` or `2`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<HttpVersionSpec, E> {
                self.named(v)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<HttpVersionSpec, E> {
                self.named(&v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<HttpVersionSpec, E> {
                self.named(&v.to_string())
            }
        }
        deserializer.deserialize_any(VersionVisitor)
    }
}

impl JsonSchema for HttpVersionSpec {
    fn schema_name() -> Cow<'static, str> {
        "HttpVersion".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": ["string", "number"],
            "enum": ["1.1", "2", 1.1, 2],
            "description": "`1.1`: HTTP/1.1 only; `2`: HTTP/2 only (over cleartext with prior knowledge, h2c)."
        })
    }
}

/// Holds a number written as a literal, or as text a template renders to
/// one at run time (`"{{ n }}"`). Reading never fails: anything that is not
/// a number of the right kind is kept as text, which `check` verifies (and
/// the shape walk, which reports it with the file's other problems).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Templated<T> {
    /// A number as written.
    Value(T),
    /// Text: a template, or a number written as a string.
    Text(String),
}

impl<T> Templated<T> {
    /// Returns the literal, if the value is one.
    #[must_use]
    pub fn literal(&self) -> Option<&T> {
        match self {
            Templated::Value(value) => Some(value),
            Templated::Text(_) => None,
        }
    }
}

/// Converts a number serde-saphyr read into a [`Templated`]'s literal type.
pub trait FromYamlNumber: Sized {
    /// Returns the value of a whole number, if it fits.
    fn from_u64(v: u64) -> Option<Self>;
    /// Returns the value of a number with a fraction, if it fits.
    fn from_f64(v: f64) -> Option<Self>;
}

impl FromYamlNumber for u32 {
    fn from_u64(v: u64) -> Option<Self> {
        u32::try_from(v).ok()
    }
    fn from_f64(_: f64) -> Option<Self> {
        None
    }
}

impl FromYamlNumber for f64 {
    #[allow(clippy::cast_precision_loss)]
    fn from_u64(v: u64) -> Option<Self> {
        Some(v as f64)
    }
    fn from_f64(v: f64) -> Option<Self> {
        Some(v)
    }
}

impl<'de, T: FromYamlNumber> Deserialize<'de> for Templated<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TemplatedVisitor<T>(std::marker::PhantomData<T>);
        impl<T: FromYamlNumber> Visitor<'_> for TemplatedVisitor<T> {
            type Value = Templated<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // The Rust type's name, which the loader words like any typed field's.
                f.write_str(std::any::type_name::<T>())
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Templated<T>, E> {
                T::from_u64(v)
                    .map(Templated::Value)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(v), &self))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Templated<T>, E> {
                match u64::try_from(v) {
                    Ok(u) => self.visit_u64(u),
                    Err(_) => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
                }
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Templated<T>, E> {
                T::from_f64(v)
                    .map(Templated::Value)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Float(v), &self))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Templated<T>, E> {
                Err(E::invalid_type(de::Unexpected::Bool(v), &self))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Templated<T>, E> {
                if v.contains("{{") {
                    return Ok(Templated::Text(v.to_owned()));
                }
                match v.trim().parse::<u64>() {
                    Ok(u) => self.visit_u64(u),
                    Err(_) => match v.trim().parse::<f64>() {
                        Ok(f) if T::from_u64(0).is_some() && T::from_f64(0.0).is_some() => self.visit_f64(f),
                        _ => Err(E::invalid_type(de::Unexpected::Str(v), &self)),
                    },
                }
            }
        }
        deserializer.deserialize_any(TemplatedVisitor(std::marker::PhantomData))
    }
}

/// Marks a schema whose strings must be templates: the shape walk reads
/// it to report a word where a number or a template is expected.
pub const TEMPLATE_PATTERN: &str = "\\{\\{";

impl<T: JsonSchema> JsonSchema for Templated<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("Templated_{}", T::schema_name()).into()
    }

    // Inline, so a field's own bounds (`range(min = 1)`) sit beside the type
    // instead of beside a `$ref`, where draft-07 ignores them.
    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut literal = T::json_schema(generator).to_value();
        // One schema with type-specific keywords rather than `anyOf`, so
        // editors show the field's description alone on hover.
        let kind = literal.get("type").cloned().unwrap_or_else(|| "number".into());
        if let Some(object) = literal.as_object_mut() {
            object.insert("type".into(), serde_json::json!([kind, "string"]));
            object.insert("pattern".into(), TEMPLATE_PATTERN.into());
            object.remove("format");
        }
        Schema::try_from(literal).unwrap_or_default()
    }
}
