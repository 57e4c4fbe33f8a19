//! Keeps authored numbers exact. serde-saphyr reads a plain scalar as a
//! 64-bit integer or an `f64` before any value type sees it, so
//! `18446744073709551617` would become `1.8446744073709552e19`, `1e-400`
//! would become `0.0`, and `1e400` infinity. Every free JSON value of the
//! format (bodies, variables, query and header values, expectations) is read
//! here instead: through a tree whose every node keeps its location, then
//! turned into a `serde_json::Value` whose numbers are the scalar's own text
//! (serde_json's `arbitrary_precision` keeps that text as it is).
//!
//! The text comes from the file being parsed, lent for the duration of one
//! parse with [`with_source`]; without it (a value parsed from elsewhere),
//! the number serde-saphyr read is used, and a non-finite one is an error.
//! A number read both ways must agree, so a misplaced span can never put
//! another value in: it falls back to what serde-saphyr read.
//!
//! Must not know the format's fields (they name these functions in their
//! `deserialize_with`), and must not print.

use std::cell::RefCell;
use std::fmt;
use std::hash::Hash;
use std::str::FromStr;
use std::sync::Arc;

use indexmap::IndexMap;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};
use serde_saphyr::Location;

use super::location::Spanned;

thread_local! {
    /// The text of the file being parsed on this thread, if any.
    static SOURCE: RefCell<Option<Arc<str>>> = const { RefCell::new(None) };
}

/// Runs `parse` with `source` lent as the text that numbers are read from,
/// restoring what was lent before (parses may nest).
pub(crate) fn with_source<T>(source: &str, parse: impl FnOnce() -> T) -> T {
    struct Restore(Option<Arc<str>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            SOURCE.with(|s| *s.borrow_mut() = previous);
        }
    }
    let previous = SOURCE.with(|s| s.borrow_mut().replace(Arc::from(source)));
    let _restore = Restore(previous);
    parse()
}

/// Holds one YAML node as serde-saphyr hands it over, children located.
#[derive(Debug, Clone, PartialEq)]
enum Raw {
    Null,
    Bool(bool),
    Str(String),
    Unsigned(u64),
    Signed(i64),
    /// A whole number beyond 64 bits, already as exact text.
    Wide(String),
    Float(f64),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(String, Spanned<Raw>)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

/// Builds a [`Raw`] from whatever the YAML holds; recursion goes one level
/// per nesting level of the file, which the parser's budget bounds.
struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw::Signed(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Raw, E> {
        Ok(Raw::Unsigned(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Raw, E> {
        Ok(Raw::Wide(v.to_string()))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Raw, E> {
        Ok(Raw::Wide(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Raw, E> {
        Ok(Raw::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Raw, D::Error> {
        Raw::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value::<Spanned<Raw>>()?;
            entries.push((key, value));
        }
        Ok(Raw::Map(entries))
    }
}

/// Turns a located tree into JSON, numbers from the source text when lent.
fn to_value(node: &Spanned<Raw>, source: Option<&str>) -> Result<Value, String> {
    Ok(match &node.value {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(*b),
        Raw::Str(s) => Value::String(s.clone()),
        Raw::Seq(items) => Value::Array(
            items
                .iter()
                .map(|item| to_value(item, source))
                .collect::<Result<_, _>>()?,
        ),
        Raw::Map(entries) => {
            let mut map = serde_json::Map::new();
            for (key, item) in entries {
                map.insert(key.clone(), to_value(item, source)?);
            }
            Value::Object(map)
        }
        number => Value::Number(exact_number(number, scalar_text(node, source).as_deref())?),
    })
}

/// Returns the text a scalar node is written with, without its anchor or tag.
fn scalar_text(node: &Spanned<Raw>, source: Option<&str>) -> Option<String> {
    let source = source?;
    let slice = |at: Location| {
        let span = at.span();
        let start = usize::try_from(span.byte_offset()?).ok()?;
        let len = usize::try_from(span.byte_len()?).ok()?;
        source.get(start..start.checked_add(len)?)
    };
    let mut text = slice(node.referenced)?.trim();
    if text.starts_with('*') {
        // An alias: the number is written where its anchor is.
        text = slice(node.defined)?.trim();
    }
    while let Some(rest) = text.strip_prefix(['&', '!']) {
        text = rest
            .split_once(char::is_whitespace)
            .map_or("", |(_, after)| after)
            .trim_start();
    }
    Some(text.to_owned())
}

/// Returns the exact number a scalar stands for: its own text when that is
/// (or trivially becomes) a JSON number agreeing with what serde-saphyr read,
/// else what serde-saphyr read.
fn exact_number(read: &Raw, text: Option<&str>) -> Result<Number, String> {
    let read_f64 = match read {
        Raw::Unsigned(u) => *u as f64,
        Raw::Signed(i) => *i as f64,
        Raw::Float(f) => *f,
        Raw::Wide(w) => w.parse().unwrap_or(f64::NAN),
        _ => f64::NAN,
    };
    if let Some(text) = text.and_then(json_number_text)
        && Number::from_str(&text).is_ok()
        && text.parse::<f64>().is_ok_and(|f| f == read_f64)
    {
        // serde_json's own parser respells exponents (`1e400` as `1e+400`);
        // the text is a JSON number it accepts, so it is kept as written.
        return Ok(Number::from_string_unchecked(text));
    }
    match read {
        Raw::Unsigned(u) => Ok(Number::from(*u)),
        Raw::Signed(i) => Ok(Number::from(*i)),
        Raw::Wide(w) => Number::from_str(w).map_err(|e| e.to_string()),
        Raw::Float(f) => Number::from_f64(*f).ok_or_else(|| {
            format!(
                "`{}` is not a finite number: JSON has no infinity or NaN; quote it to send it as text",
                text.unwrap_or("the number")
            )
        }),
        _ => Err("not a number".to_owned()),
    }
}

/// Returns `text` as a JSON number's text, after the few spellings YAML
/// allows and JSON does not (`+1`, `.5`, `1.`, `1.e3`); `None` for anything
/// else (hexadecimal, octal, `.inf`...).
fn json_number_text(text: &str) -> Option<String> {
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let whole = if whole.is_empty() && fraction.is_some_and(digits) {
        "0"
    } else {
        whole
    };
    if !digits(whole) || (whole.len() > 1 && whole.starts_with('0')) {
        return None;
    }
    let mut out = format!("{sign}{whole}");
    match fraction {
        Some("") => out.push_str(".0"),
        Some(f) if digits(f) => out.push_str(&format!(".{f}")),
        Some(_) => return None,
        None => {}
    }
    if let Some(exponent) = exponent {
        let (exp_sign, exp_digits) = match exponent.strip_prefix(['+', '-']) {
            Some(rest) => (&exponent[..1], rest),
            None => ("", exponent),
        };
        if !digits(exp_digits) {
            return None;
        }
        out.push_str(&format!("e{exp_sign}{exp_digits}"));
    }
    Some(out)
}

fn lent() -> Option<Arc<str>> {
    SOURCE.with(|s| s.borrow().clone())
}

fn convert<E: de::Error>(node: &Spanned<Raw>) -> Result<Spanned<Value>, E> {
    let source = lent();
    let value = to_value(node, source.as_deref()).map_err(E::custom)?;
    Ok(Spanned {
        value,
        referenced: node.referenced,
        defined: node.defined,
    })
}

/// Reads a located JSON value with exact numbers.
///
/// # Errors
/// Fails on a non-finite number written without its text at hand.
pub(super) fn spanned<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Spanned<Value>, D::Error> {
    convert(&Spanned::<Raw>::deserialize(deserializer)?)
}

/// Reads an optional located JSON value; `null` is none.
///
/// # Errors
/// As [`spanned`].
pub(super) fn option_spanned<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Spanned<Value>>, D::Error> {
    let node = Spanned::<Raw>::deserialize(deserializer)?;
    match node.value {
        Raw::Null => Ok(None),
        _ => convert(&node).map(Some),
    }
}

/// Reads a located JSON value that is present even when it is `null` (a
/// `json: null` body is a body).
///
/// # Errors
/// As [`spanned`].
pub(super) fn present<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Spanned<Value>>, D::Error> {
    spanned(deserializer).map(Some)
}

/// Reads an optional JSON value without its location; `null` is none.
///
/// # Errors
/// As [`spanned`].
pub(super) fn option_value<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Ok(option_spanned(deserializer)?.map(|v| v.value))
}

/// Reads a mapping of keys to located JSON values, in file order.
///
/// # Errors
/// As [`spanned`].
pub(super) fn map<'de, D, K>(deserializer: D) -> Result<IndexMap<K, Spanned<Value>>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Hash + Eq,
{
    let raw = IndexMap::<K, Spanned<Raw>>::deserialize(deserializer)?;
    raw.into_iter()
        .map(|(key, node)| Ok((key, convert(&node)?)))
        .collect()
}

/// Reads a mapping of keys to JSON values, without their locations.
///
/// # Errors
/// As [`spanned`].
pub(crate) fn plain_map<'de, D, K>(deserializer: D) -> Result<IndexMap<K, Value>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Hash + Eq,
{
    Ok(map(deserializer)?
        .into_iter()
        .map(|(k, v)| (k, v.value))
        .collect())
}

/// Reads an optional mapping of keys to located JSON values.
///
/// # Errors
/// As [`spanned`].
pub(super) fn option_map<'de, D, K>(deserializer: D) -> Result<Option<IndexMap<K, Spanned<Value>>>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Hash + Eq,
{
    map(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Doc {
        #[serde(deserialize_with = "spanned")]
        v: Spanned<Value>,
    }

    fn read(yaml: &str) -> Result<Value, String> {
        let options = serde_saphyr::options! {
            non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
        };
        with_source(yaml, || serde_saphyr::from_str_with_options::<Doc>(yaml, options))
            .map(|d| d.v.value)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn numbers_keep_the_text_they_are_written_with() {
        let v = read("v: { big: 18446744073709551617, tiny: 1e-400, huge: 1e400, neg: -170141183460469231731687303715884105729, list: [1.50, 0.1, 1e21, +7, .5, 1., 0x1F] }").unwrap();
        assert_eq!(
            v.to_string(),
            r#"{"big":18446744073709551617,"huge":1e400,"list":[1.50,0.1,1e21,7,0.5,1.0,31],"neg":-170141183460469231731687303715884105729,"tiny":1e-400}"#
        );
    }

    #[test]
    fn aliases_tags_and_block_values_read_their_own_text() {
        let v = read("v:\n  a: &n 123456789012345678901234\n  b: *n\n  c: !!float 2.50\n  d:\n    - 9007199254740993\n").unwrap();
        assert_eq!(
            v.to_string(),
            r#"{"a":123456789012345678901234,"b":123456789012345678901234,"c":2.50,"d":[9007199254740993]}"#
        );
    }

    #[test]
    fn expectations_variables_and_bodies_of_a_scenario_arrive_exact() {
        let src = "name: x\nvars: { big: 18446744073709551617 }\nsteps:\n  - post: /a\n    json: [1e400]\n    with: {}\n    expect:\n      status: 200\n      body:\n        $.id: 18446744073709551617\n        $.rate: { equals: 1e-400, one_of: [0.10, 2] }\n";
        let file = Arc::new(std::path::PathBuf::from("t.yaml"));
        let scenario = crate::model::load::parse_source(&file, src).unwrap();
        assert_eq!(scenario.vars[0].value.to_string(), "18446744073709551617");
        let step = &scenario.steps[0].value;
        assert_eq!(step.json.as_ref().unwrap().value.to_string(), "[1e400]");
        let body = &step.expect.as_ref().unwrap().value.body;
        assert_eq!(body[0].value.to_string(), "18446744073709551617");
        assert_eq!(
            body[1].value.to_string(),
            r#"{"equals":1e-400,"one_of":[0.10,2]}"#
        );
        assert_eq!(body[0].referenced.line(), 10, "locations are kept");
    }

    #[test]
    fn non_finite_spellings_are_refused() {
        let err = read("v: [.inf]").unwrap_err();
        assert!(err.contains("`.inf` is not a finite number"), "{err}");
    }

    #[test]
    fn without_the_source_the_parsed_number_is_used() {
        let v: Doc = serde_saphyr::from_str("v: 18446744073709551617").unwrap();
        assert_eq!(v.v.value.to_string(), "1.8446744073709552e+19");
        assert_eq!(json_number_text("007"), None);
        assert_eq!(json_number_text("-.5e+3").as_deref(), Some("-0.5e+3"));
    }
}
