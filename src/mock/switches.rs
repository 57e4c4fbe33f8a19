//! Owns the mock's switches: one small enum per behaviour that Circularo's
//! documentation leaves open or contradicts (how an invalid token is
//! reported, which token wins, the request id and token formats, ...), their
//! names as written in `scenario.yaml` and on the command line, and the
//! [`SWITCHES`] registry every front end lists them from.
//!
//! Names only: the first value of each switch is its default (today's
//! behaviour). Must not act on a value (handlers and the state do) nor hold
//! the other settings of [`MockConfig`](super::MockConfig).

/// Implemented by every switch: its key, what it is about, and its values.
pub trait Switch: Copy + Eq + 'static {
    /// The key in `scenario.yaml` (`invalid_token`).
    const KEY: &'static str;
    /// The `scenario mock` flag without its dashes: the key in kebab case (`invalid-token`).
    const FLAG: &'static str;
    /// One line on what the switch decides.
    const ABOUT: &'static str;
    /// Every value, the default first.
    const ALL: &'static [Self];
    /// Every value's name, in the order of [`Switch::ALL`].
    const LABELS: &'static [&'static str];

    /// Returns this value's name (`status-401`).
    fn label(self) -> &'static str;

    /// Returns the value named `label`, if there is one.
    fn parse(label: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.label() == label)
    }
}

/// Declares one switch enum and its [`Switch`] names; the first value is the default.
macro_rules! switch {
    (
        $(#[$meta:meta])*
        $name:ident = $key:literal / $flag:literal, $about:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $label:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl Switch for $name {
            const KEY: &'static str = $key;
            const FLAG: &'static str = $flag;
            const ABOUT: &'static str = $about;
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            const LABELS: &'static [&'static str] = &[$($label),+];

            fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label),+
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::ALL[0]
            }
        }
    };
}

switch! {
    /// Chooses how `GET /login` answers a missing, unknown, expired or logged-out token.
    InvalidTokenStatus = "invalid_token" / "invalid-token", "GET /login with a bad token: 200 {logged: false} or 401" {
        /// `200 {"logged": false, "isUnlocked": false}` (the API description).
        Status200 = "status-200",
        /// 401 `AUTH:TOKEN_INVALID` (the API reference's list of answers).
        Status401 = "status-401",
    }
}

switch! {
    /// Chooses which token counts when a request carries one in the query and another in the cookie.
    TokenPrecedence = "token_precedence" / "token-precedence", "A token in both the query and the cookie: which one counts" {
        /// The `token` query parameter, else the cookie.
        Query = "query",
        /// The `token` cookie, else the query parameter.
        Cookie = "cookie",
    }
}

switch! {
    /// Chooses the form of `requestId` in error bodies.
    RequestIdFormat = "request_id" / "request-id", "The form of requestId in error bodies" {
        /// 32 lowercase hexadecimal characters, as in the documented example.
        Hex = "hex",
        /// A lowercase UUID with dashes (36 characters).
        Uuid = "uuid",
    }
}

switch! {
    /// Chooses whether e-mail and SMS codes are random or fixed per account.
    MfaCodes = "mfa_codes" / "mfa-codes", "E-mail and SMS codes: random per login, or fixed per account" {
        /// Six random digits per login and factor (a seed's `mfa_code` still wins).
        Random = "random",
        /// The account's fixed code every time, for unattended runs that cannot read the outbox.
        Fixed = "fixed",
    }
}

switch! {
    /// Chooses the status of an unlock call with a wrong code while attempts remain.
    WrongCodeStatus = "wrong_mfa_code" / "wrong-mfa-code", "A wrong MFA code while attempts remain: 200 or 401" {
        /// 200 with the factor still locked and `attemptsLeft` one lower.
        Status200 = "status-200",
        /// 401 `AUTH:MFA_CODE_INVALID`; the attempt is spent all the same.
        Status401 = "status-401",
    }
}

switch! {
    /// Chooses the status a locked token (MFA pending) gets on a protected endpoint.
    LockedTokenStatus = "locked_token" / "locked-token", "A locked token on a protected endpoint: 401 or 403" {
        /// 401 `AUTH:TOKEN_LOCKED`, like every other token failure.
        Status401 = "status-401",
        /// 403 `AUTH:TOKEN_LOCKED`: authenticated, but not allowed yet.
        Status403 = "status-403",
    }
}

switch! {
    /// Chooses the alphabet and length of session tokens.
    TokenFormat = "token_format" / "token-format", "Session tokens: alphabet and length" {
        /// 64 characters from `[A-Za-z0-9]`, as in the guides' examples.
        Alphanumeric64 = "alphanumeric-64",
        /// 64 lowercase hexadecimal characters, as in the OpenAPI examples.
        Hex64 = "hex-64",
        /// 43 characters from `[A-Za-z0-9_-]` (32 random bytes, base64url), within the OpenAPI pattern.
        Base64url43 = "base64url-43",
    }
}

switch! {
    /// Chooses whether an error body without details says `"details": null` or leaves the key out.
    ErrorDetails = "error_details" / "error-details", "Error bodies without details: \"details\": null, or no key" {
        /// Always present: `null` unless there is structured information.
        Always = "always",
        /// Left out unless there is structured information.
        OmitEmpty = "omit-empty",
    }
}

switch! {
    /// Chooses whether `GET /login` without `returnToken` includes the token.
    StatusToken = "status_token" / "status-token", "GET /login without returnToken: the token left out, or included" {
        /// Left out unless `returnToken=true` (the guide asks for it explicitly).
        WhenAsked = "when-asked",
        /// Included unless `returnToken=false`, as `POST /login` does.
        ByDefault = "by-default",
    }
}

switch! {
    /// Chooses the shape of search hits.
    SearchResults = "search_results" / "search-results", "Search hits: flat (the guides) or {document: ...} (the schema)" {
        /// `results: [{documentId, ...}]`, as the guides and the example integration read them.
        Flat = "flat",
        /// `results: [{"document": {documentId, ...}}]`, as the OpenAPI schema literally reads.
        Wrapped = "wrapped",
    }
}

switch! {
    /// Decides which MFA factors must be unlocked before a token is usable.
    MfaPolicy = "mfa_policy" / "mfa-policy", "An account with several factors: all must be unlocked, or any one" {
        /// Every factor of the account must be unlocked.
        All = "all",
        /// Any one unlocked factor unlocks the token.
        Any = "any",
    }
}

/// Describes one switch for listings: `scenario mock --help`, the banner, docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SwitchInfo {
    /// The key in `scenario.yaml`.
    pub key: &'static str,
    /// The `scenario mock` flag without its dashes (the key in kebab case).
    pub flag: &'static str,
    /// One line on what the switch decides.
    pub about: &'static str,
    /// Every value, the default first.
    pub values: &'static [&'static str],
}

impl SwitchInfo {
    /// Returns the default value's name.
    #[must_use]
    pub fn default_value(&self) -> &'static str {
        self.values[0]
    }
}

const fn info<S: Switch>() -> SwitchInfo {
    SwitchInfo {
        key: S::KEY,
        flag: S::FLAG,
        about: S::ABOUT,
        values: S::LABELS,
    }
}

/// Lists every switch, in the order the docs and `--help` show them.
pub const SWITCHES: &[SwitchInfo] = &[
    info::<InvalidTokenStatus>(),
    info::<TokenPrecedence>(),
    info::<RequestIdFormat>(),
    info::<MfaCodes>(),
    info::<WrongCodeStatus>(),
    info::<LockedTokenStatus>(),
    info::<TokenFormat>(),
    info::<ErrorDetails>(),
    info::<StatusToken>(),
    info::<SearchResults>(),
    info::<MfaPolicy>(),
];

/// Returns the switch registered under `key`.
#[must_use]
pub fn switch_info(key: &str) -> Option<&'static SwitchInfo> {
    SWITCHES.iter().find(|s| s.key == key)
}

/// Parses `label` as a value of `S`, or says which values `S` takes.
pub(crate) fn parse_value<S: Switch>(label: &str) -> Result<S, String> {
    S::parse(label).ok_or_else(|| {
        format!(
            "switch `{}` takes {}, not `{label}`",
            S::KEY,
            S::LABELS
                .iter()
                .map(|l| format!("`{l}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_first_values_and_labels_round_trip() {
        assert_eq!(InvalidTokenStatus::default(), InvalidTokenStatus::Status200);
        assert_eq!(MfaPolicy::default(), MfaPolicy::All);
        for value in TokenFormat::ALL {
            assert_eq!(TokenFormat::parse(value.label()), Some(*value));
        }
        assert_eq!(TokenFormat::parse("hex"), None);
    }

    #[test]
    fn the_registry_has_unique_snake_case_keys_and_values() {
        let mut keys: Vec<&str> = SWITCHES.iter().map(|s| s.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), SWITCHES.len());
        for switch in SWITCHES {
            assert!(
                switch.key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{}",
                switch.key
            );
            assert!(switch.values.len() >= 2, "{}", switch.key);
            assert_eq!(switch.flag, switch.key.replace('_', "-"));
            assert!(!switch.about.is_empty());
        }
        assert_eq!(switch_info("locked_token").unwrap().flag, "locked-token");
        assert_eq!(switch_info("locked_token").unwrap().default_value(), "status-401");
    }

    #[test]
    fn a_wrong_value_lists_the_right_ones() {
        let err = parse_value::<LockedTokenStatus>("status-402").unwrap_err();
        assert_eq!(
            err,
            "switch `locked_token` takes `status-401` or `status-403`, not `status-402`"
        );
    }
}
