//! Defines the template functions and filters: `env`, `uuid`, `now`,
//! `timestamp`, `base64_encode`/`base64_decode`, `urlencode`,
//! `random_digits`, `random_alphanumeric`, `totp` and `take`.
//!
//! Reads only what [`Shared`] hands it (the injected environment map, clock
//! and hooks) and the OS random source. Must not read the process environment.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use minijinja::value::{Kwargs, Object, ObjectRepr};
use minijinja::{Environment, Error, ErrorKind, State, Value};
use time::OffsetDateTime;
use time::format_description::well_known::{Rfc2822, Rfc3339};

use super::hooks::TemplateHooks;
use super::totp::{Ledger, TotpSpec, unix_seconds};
use super::{RenderNotes, TotpWait};

/// Reads the current time; injectable so tests can pin it.
pub(super) type Clock = Arc<dyn Fn() -> std::time::SystemTime + Send + Sync>;

/// The longest string `random_digits` and `random_alphanumeric` produce; a
/// bound so a typo cannot ask for gigabytes.
const MAX_RANDOM_LEN: usize = 4096;

/// The label under which generated TOTP codes are reported for redaction.
pub(super) const TOTP_SECRET_LABEL: &str = "totp";

/// Holds what the functions of one run share: its environment, clock, TOTP
/// ledger and the hooks the run plugs in (TOTP history, pools).
pub(super) struct Shared {
    pub(super) env: BTreeMap<String, String>,
    pub(super) clock: Clock,
    pub(super) ledger: Ledger,
    pub(super) hooks: TemplateHooks,
}

/// Marks an error raised by one of our functions, whose message is complete
/// as it is (no engine category in front).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(super) struct FunctionFailure(pub(super) String);

/// Returns an engine error carrying `message` as a [`FunctionFailure`].
pub(super) fn failure(message: impl Into<String>) -> Error {
    let message = message.into();
    Error::new(ErrorKind::InvalidOperation, message.clone()).with_source(FunctionFailure(message))
}

/// Registers every function and filter on `jinja`.
pub(super) fn register(jinja: &mut Environment<'static>, shared: &Arc<Shared>) {
    jinja.add_global("env", Value::from_object(EnvVars::new(Arc::clone(shared))));
    jinja.add_function("uuid", uuid_v4);
    let clock = Arc::clone(shared);
    jinja.add_function("now", move |format: Option<String>| {
        now((clock.clock)(), format.as_deref()).map_err(failure)
    });
    let clock = Arc::clone(shared);
    jinja.add_function("timestamp", move || unix_seconds((clock.clock)()));
    // The `b64` spellings are the ones Ansible and Jinja users already know.
    for name in ["base64_encode", "b64encode"] {
        jinja.add_function(name, base64_encode);
        jinja.add_filter(name, base64_encode);
    }
    for name in ["base64_decode", "b64decode"] {
        jinja.add_function(name, base64_decode);
        jinja.add_filter(name, base64_decode);
    }
    // The filter is minijinja's own; the function form delegates to it so both agree.
    jinja.add_function("urlencode", |state: &mut State<'_, '_>, value: Value| {
        state.apply_filter("urlencode", &[value])
    });
    jinja.add_function("random_digits", |len: usize| {
        random_string(len, b"0123456789").map_err(|e| failure(format!("random_digits: {e}")))
    });
    jinja.add_function("random_alphanumeric", |len: usize| {
        random_string(len, ALPHANUMERIC).map_err(|e| failure(format!("random_alphanumeric: {e}")))
    });
    let run = Arc::clone(shared);
    jinja.add_function(
        "totp",
        move |state: &mut State<'_, '_>, secret: String, options: Kwargs| {
            totp(&run, state, &secret, &options)
        },
    );
    let run = Arc::clone(shared);
    jinja.add_function("take", move |state: &mut State<'_, '_>, pool: String| {
        take(&run, state, &pool)
    });
}

/// Exposes the injected environment both as `env("NAME", default)` and as `env.NAME`.
struct EnvVars {
    shared: Arc<Shared>,
    /// The call form, as a minijinja function so its arguments get the
    /// engine's usual checks (a strict undefined name is an error).
    lookup: Value,
}

impl EnvVars {
    fn new(shared: Arc<Shared>) -> Self {
        let vars = Arc::clone(&shared);
        let lookup = Value::from_function(move |name: String, default: Option<Value>| {
            match (vars.env.get(&name), default) {
                (Some(value), _) => Ok(Value::from(value.as_str())),
                (None, Some(default)) => Ok(default),
                (None, None) => Err(failure(format!("environment variable `{name}` is not set"))),
            }
        });
        Self { shared, lookup }
    }
}

impl fmt::Debug for EnvVars {
    // Environment values may be secrets: never show them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnvVars")
            .field("count", &self.shared.env.len())
            .finish_non_exhaustive()
    }
}

impl Object for EnvVars {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Plain
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        let value = self.shared.env.get(key.as_str()?)?;
        Some(Value::from(value.as_str()))
    }

    fn call(self: &Arc<Self>, state: &mut State<'_, '_>, args: &[Value]) -> Result<Value, Error> {
        self.lookup.call(state, args)
    }

    fn render(self: &Arc<Self>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Printing the whole environment would leak it; name it instead.
        f.write_str("<environment>")
    }
}

fn uuid_v4() -> Result<String, Error> {
    let mut bytes = [0_u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| failure(format!("uuid: {}", random_source_error(e))))?;
    Ok(uuid::Builder::from_random_bytes(bytes).into_uuid().to_string())
}

/// Formats `at` (to the second, in UTC): RFC 3339 by default, `"rfc2822"`,
/// or a strftime format such as `"%Y-%m-%d"`.
fn now(at: std::time::SystemTime, format: Option<&str>) -> Result<String, String> {
    let seconds = i64::try_from(unix_seconds(at)).map_err(|_| "now: the clock is out of range".to_owned())?;
    let at = OffsetDateTime::from_unix_timestamp(seconds).map_err(|e| format!("now: {e}"))?;
    let formatted = match format.map(str::trim) {
        None => at.format(&Rfc3339),
        Some(name) if name.eq_ignore_ascii_case("rfc3339") => at.format(&Rfc3339),
        Some(name) if name.eq_ignore_ascii_case("rfc2822") => at.format(&Rfc2822),
        Some(strftime) => {
            let items = time::format_description::parse_strftime_borrowed(strftime)
                .map_err(|e| format!("now: invalid format `{strftime}`: {e}"))?;
            at.format(&items)
        }
    };
    formatted.map_err(|e| format!("now: {e}"))
}

fn base64_encode(text: String) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

fn base64_decode(encoded: String) -> Result<String, Error> {
    // Accept both alphabets, padded or not: tokens and JWT parts come in every variant.
    let config = GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
    let trimmed = encoded.trim();
    let bytes = GeneralPurpose::new(&base64::alphabet::STANDARD, config)
        .decode(trimmed)
        .or_else(|_| GeneralPurpose::new(&base64::alphabet::URL_SAFE, config).decode(trimmed))
        // The decoder's own message names a character and its position: never quote the input.
        .map_err(|_| failure("base64_decode: the text is not valid base64"))?;
    String::from_utf8(bytes).map_err(|_| failure("base64_decode: the decoded bytes are not UTF-8 text"))
}

const ALPHANUMERIC: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Returns `len` symbols drawn uniformly from `alphabet` with the OS CSPRNG.
fn random_string(len: usize, alphabet: &[u8]) -> Result<String, String> {
    if len > MAX_RANDOM_LEN {
        return Err(format!("length must be at most {MAX_RANDOM_LEN}, got {len}"));
    }
    // Bytes at or above `limit` are dropped, so every symbol is equally likely.
    let limit = 256 - 256 % alphabet.len();
    let mut out = String::with_capacity(len);
    let mut buffer = [0_u8; 64];
    while out.len() < len {
        getrandom::fill(&mut buffer).map_err(random_source_error)?;
        for byte in buffer.iter().map(|b| usize::from(*b)).filter(|b| *b < limit) {
            if out.len() == len {
                break;
            }
            out.push(char::from(alphabet[byte % alphabet.len()]));
        }
    }
    Ok(out)
}

fn random_source_error(error: getrandom::Error) -> String {
    format!("could not read the system's random source: {error}")
}

/// Returns the code for `secret`, skipping time steps already used in this
/// run, and records the code (and when it becomes valid) in the render's notes.
fn totp(shared: &Shared, state: &mut State<'_, '_>, secret: &str, options: &Kwargs) -> Result<String, Error> {
    let digits: Option<u8> = options.get("digits")?;
    let period: Option<u64> = options.get("period")?;
    let algorithm: Option<String> = options.get("algorithm")?;
    options.assert_all_used()?;
    let spec = TotpSpec::parse(secret, digits, period, algorithm.as_deref()).map_err(failure)?;
    let issued = shared
        .ledger
        .issue(&spec, (shared.clock)(), shared.hooks.totp_history.as_deref())
        .map_err(failure)?;
    let notes = state.get_or_insert_extension_with(RenderNotes::default);
    notes
        .secrets
        .push((TOTP_SECRET_LABEL.to_owned(), issued.code.clone()));
    notes.not_before = notes.not_before.max(issued.not_before);
    if let Some(until) = issued.not_before {
        notes.waits.push(TotpWait {
            until,
            earlier_run: issued.earlier_run,
        });
    }
    Ok(issued.code)
}

/// Hands out an unused value of `pool` and records it in the render's notes:
/// as a secret (labelled with the pool's name) and as taken.
fn take(shared: &Shared, state: &mut State<'_, '_>, pool: &str) -> Result<String, Error> {
    let Some(pools) = &shared.hooks.pools else {
        return Err(failure(format!(
            "take: no pool `{pool}`: this run declares no pools (add `pools:` to the environment in scenario.yaml)"
        )));
    };
    let value = pools.take(pool).map_err(|e| failure(format!("take: {e}")))?;
    let notes = state.get_or_insert_extension_with(RenderNotes::default);
    notes.secrets.push((pool.to_owned(), value.clone()));
    notes.taken.push((pool.to_owned(), value.clone()));
    Ok(value)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    fn at(seconds: u64) -> std::time::SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn formats_now_as_rfc3339_rfc2822_and_strftime() {
        let t = at(1_700_000_000);
        assert_eq!(now(t, None).unwrap(), "2023-11-14T22:13:20Z");
        assert_eq!(now(t, Some("RFC3339")).unwrap(), "2023-11-14T22:13:20Z");
        assert_eq!(
            now(t, Some("rfc2822")).unwrap(),
            "Tue, 14 Nov 2023 22:13:20 +0000"
        );
        assert_eq!(now(t, Some("%Y-%m-%d %H:%M")).unwrap(), "2023-11-14 22:13");
        assert_eq!(
            now(t + Duration::from_millis(999), None).unwrap(),
            "2023-11-14T22:13:20Z"
        );
    }

    #[test]
    fn names_a_bad_now_format() {
        let err = now(at(0), Some("%Q")).unwrap_err();
        assert!(err.starts_with("now: invalid format `%Q`: "), "{err}");
    }

    #[test]
    fn base64_round_trips_and_accepts_url_safe_unpadded_input() {
        assert_eq!(base64_encode("hi?>".to_owned()), "aGk/Pg==");
        assert_eq!(base64_decode("aGk/Pg==".to_owned()).unwrap(), "hi?>");
        assert_eq!(base64_decode("aGk_Pg".to_owned()).unwrap(), "hi?>");
    }

    #[test]
    fn base64_decode_explains_bad_input() {
        assert!(
            base64_decode("***".to_owned())
                .unwrap_err()
                .detail()
                .unwrap()
                .starts_with("base64_decode: ")
        );
        let not_text = base64::engine::general_purpose::STANDARD.encode([0xff, 0xfe]);
        assert_eq!(
            base64_decode(not_text).unwrap_err().detail(),
            Some("base64_decode: the decoded bytes are not UTF-8 text")
        );
    }

    #[test]
    fn random_strings_have_the_requested_length_and_alphabet() {
        let digits = random_string(300, b"0123456789").unwrap();
        assert_eq!(digits.len(), 300);
        assert!(digits.bytes().all(|b| b.is_ascii_digit()));
        let alnum = random_string(300, ALPHANUMERIC).unwrap();
        assert_eq!(alnum.len(), 300);
        assert!(alnum.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(random_string(0, ALPHANUMERIC).unwrap(), "");
        assert!(random_string(MAX_RANDOM_LEN + 1, ALPHANUMERIC).is_err());
    }

    #[test]
    fn random_strings_use_every_symbol() {
        // 4096 draws over 10 symbols: missing one by chance has probability 0.9^4096, about 1e-187.
        let digits = random_string(MAX_RANDOM_LEN, b"0123456789").unwrap();
        for symbol in '0'..='9' {
            assert!(digits.contains(symbol), "{symbol} never drawn");
        }
    }

    #[test]
    fn uuids_are_version_4() {
        let id = uuid_v4().unwrap();
        let parsed = uuid::Uuid::parse_str(&id).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(id.len(), 36);
        assert_ne!(uuid_v4().unwrap(), id);
    }
}
