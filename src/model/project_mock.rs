//! Declares an environment's `mock:` in `scenario.yaml`: `true` (the built-in
//! mock as it is), `false`, or a mapping that sets the mock's switches (the
//! behaviours Circularo's documentation leaves open) and its seed file:
//!
//! ```yaml
//! mock: { invalid_token: status-401, token_format: hex-64 }
//! ```
//!
//! Plain data, typed so editors complete the names and `scenario check`
//! refuses a misspelt one. The names mirror the mock's own switch registry
//! (`tests/mock_switches.rs` keeps the two in step). Must not know the mock
//! itself: the app hands these names to it.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::Spanned;

/// Says whether an environment runs against the built-in mock, and how it is set.
#[derive(Debug, Clone, Default)]
pub enum MockSetting {
    /// `mock: false`, or no `mock:` at all.
    #[default]
    Off,
    /// `mock: true` (default settings) or a mapping of settings.
    On(MockSettings),
}

impl MockSetting {
    /// Tells whether the environment uses the built-in mock.
    #[must_use]
    pub fn enabled(&self) -> bool {
        matches!(self, MockSetting::On(_))
    }

    /// Returns the mock's settings, when the environment uses it.
    #[must_use]
    pub fn settings(&self) -> Option<&MockSettings> {
        match self {
            MockSetting::Off => None,
            MockSetting::On(settings) => Some(settings),
        }
    }
}

impl<'de> Deserialize<'de> for MockSetting {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Setting;
        impl<'de> Visitor<'de> for Setting {
            type Value = MockSetting;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(
                    "`true`, `false`, or a mapping of mock switches such as `{ invalid_token: status-401 }`",
                )
            }

            fn visit_bool<E: de::Error>(self, on: bool) -> Result<MockSetting, E> {
                Ok(if on {
                    MockSetting::On(MockSettings::default())
                } else {
                    MockSetting::Off
                })
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<MockSetting, A::Error> {
                // Delegating keeps the settings' own errors (unknown key with
                // the expected ones, unknown value) instead of "no variant matched".
                MockSettings::deserialize(de::value::MapAccessDeserializer::new(map)).map(MockSetting::On)
            }
        }
        deserializer.deserialize_any(Setting)
    }
}

impl JsonSchema for MockSetting {
    fn schema_name() -> Cow<'static, str> {
        "MockSetting".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let settings = generator.subschema_for::<MockSettings>();
        json_schema!({ "anyOf": [{ "type": "boolean" }, settings] })
    }
}

/// Sets the built-in mock of one environment; every key is optional and an
/// absent switch keeps its default. `docs/mock.md` says what each one means.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MockSettings {
    /// Replaces the built-in accounts with this seed file, relative to the
    /// folder of `scenario.yaml`.
    #[serde(default, skip_serializing)]
    #[schemars(with = "String", transform = readable)]
    pub seed: Option<Spanned<String>>,
    /// How `GET /login` answers a missing, invalid or logged-out token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "InvalidToken")]
    pub invalid_token: Option<InvalidToken>,
    /// Which token counts when the query and the cookie both carry one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "TokenPrecedence")]
    pub token_precedence: Option<TokenPrecedence>,
    /// The form of `requestId` in error bodies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "RequestId")]
    pub request_id: Option<RequestId>,
    /// Whether e-mail and SMS codes are random per login or fixed per account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "MfaCodes")]
    pub mfa_codes: Option<MfaCodes>,
    /// The status of an unlock call with a wrong code while attempts remain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "WrongMfaCode")]
    pub wrong_mfa_code: Option<WrongMfaCode>,
    /// The status a locked token (MFA pending) gets on a protected endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "LockedToken")]
    pub locked_token: Option<LockedToken>,
    /// The alphabet and length of session tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "TokenFormat")]
    pub token_format: Option<TokenFormat>,
    /// Whether an error body without details says `"details": null` or leaves the key out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "ErrorDetails")]
    pub error_details: Option<ErrorDetails>,
    /// Whether `GET /login` without `returnToken` includes the token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "StatusToken")]
    pub status_token: Option<StatusToken>,
    /// The shape of search hits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "SearchResults")]
    pub search_results: Option<SearchResults>,
    /// Which factors of an account with several must be unlocked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "MfaPolicy")]
    pub mfa_policy: Option<MfaPolicy>,
}

/// Drops the `writeOnly` schemars derives from `skip_serializing`: the seed
/// is left out only of [`MockSettings::switches`], not hidden from editors.
fn readable(schema: &mut Schema) {
    schema.remove("writeOnly");
}

impl MockSettings {
    /// Returns the switches set here as `(key, value)` names, in declaration
    /// order, as the mock's `set_switch` takes them.
    #[must_use]
    pub fn switches(&self) -> Vec<(String, String)> {
        // Serialising gives each switch's YAML name and value, so no list of
        // names is repeated here.
        let Ok(serde_json::Value::Object(map)) = serde_json::to_value(self) else {
            return Vec::new();
        };
        map.into_iter()
            .filter_map(|(key, value)| value.as_str().map(|v| (key, v.to_owned())))
            .collect()
    }
}

/// Declares a switch's values as a serde enum named as in `scenario.yaml`.
macro_rules! values {
    ($(#[$meta:meta])* $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $label:literal ),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $label)] $variant ),+
        }
    };
}

values! {
    /// Answers of `GET /login` for a bad token.
    InvalidToken {
        /// `200 {"logged": false, "isUnlocked": false}` (the default).
        Status200 = "status-200",
        /// 401 `AUTH:TOKEN_INVALID`.
        Status401 = "status-401",
    }
}

values! {
    /// Which token counts when both are sent.
    TokenPrecedence {
        /// The `token` query parameter (the default).
        Query = "query",
        /// The `token` cookie.
        Cookie = "cookie",
    }
}

values! {
    /// Forms of `requestId`.
    RequestId {
        /// 32 lowercase hexadecimal characters (the default).
        Hex = "hex",
        /// A lowercase UUID with dashes.
        Uuid = "uuid",
    }
}

values! {
    /// Where e-mail and SMS codes come from.
    MfaCodes {
        /// Six random digits per login (the default).
        Random = "random",
        /// The account's fixed code (listed in docs/mock.md), for unattended runs.
        Fixed = "fixed",
    }
}

values! {
    /// Answers of an unlock call with a wrong code.
    WrongMfaCode {
        /// 200 with the factor still locked and one attempt fewer (the default).
        Status200 = "status-200",
        /// 401 `AUTH:MFA_CODE_INVALID`, the attempt spent all the same.
        Status401 = "status-401",
    }
}

values! {
    /// Statuses of a locked token on a protected endpoint.
    LockedToken {
        /// 401 `AUTH:TOKEN_LOCKED` (the default).
        Status401 = "status-401",
        /// 403 `AUTH:TOKEN_LOCKED`.
        Status403 = "status-403",
    }
}

values! {
    /// Alphabets and lengths of session tokens.
    TokenFormat {
        /// 64 characters from `[A-Za-z0-9]` (the default).
        Alphanumeric64 = "alphanumeric-64",
        /// 64 lowercase hexadecimal characters.
        Hex64 = "hex-64",
        /// 43 characters from `[A-Za-z0-9_-]`.
        Base64url43 = "base64url-43",
    }
}

values! {
    /// Whether empty `details` are written.
    ErrorDetails {
        /// `"details": null` when there is nothing (the default).
        Always = "always",
        /// No `details` key when there is nothing.
        OmitEmpty = "omit-empty",
    }
}

values! {
    /// Whether the status check returns the token unasked.
    StatusToken {
        /// Only with `returnToken=true` (the default).
        WhenAsked = "when-asked",
        /// Unless `returnToken=false`.
        ByDefault = "by-default",
    }
}

values! {
    /// Shapes of search hits.
    SearchResults {
        /// `results: [{documentId, ...}]` (the default).
        Flat = "flat",
        /// `results: [{"document": {documentId, ...}}]`.
        Wrapped = "wrapped",
    }
}

values! {
    /// Which factors must be unlocked.
    MfaPolicy {
        /// Every factor (the default).
        All = "all",
        /// Any one factor.
        Any = "any",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<MockSetting, serde_saphyr::Error> {
        serde_saphyr::from_str(text)
    }

    #[test]
    fn a_boolean_or_a_mapping_of_switches() {
        assert!(parse("true").unwrap().enabled());
        assert!(!parse("false").unwrap().enabled());
        let setting =
            parse("{ invalid_token: status-401, token_format: hex-64, seed: seeds/qa.yaml }").unwrap();
        let settings = setting.settings().unwrap();
        assert_eq!(
            settings.switches(),
            [
                ("invalid_token".to_owned(), "status-401".to_owned()),
                ("token_format".to_owned(), "hex-64".to_owned())
            ]
        );
        assert_eq!(settings.seed.as_ref().unwrap().value, "seeds/qa.yaml");
        assert!(parse("{}").unwrap().settings().unwrap().switches().is_empty());
    }

    #[test]
    fn misspelt_keys_and_values_keep_serdes_explanation() {
        let err = parse("{ invalid_tokens: status-401 }").unwrap_err().to_string();
        assert!(
            err.contains("unknown field `invalid_tokens`") && err.contains("invalid_token"),
            "{err}"
        );
        let err = parse("{ locked_token: status-402 }").unwrap_err().to_string();
        assert!(err.contains("status-402") && err.contains("status-403"), "{err}");
        let err = parse("3").unwrap_err().to_string();
        assert!(err.contains("mapping of mock switches"), "{err}");
    }
}
