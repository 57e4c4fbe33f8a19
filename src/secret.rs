//! Owns secret redaction: the one place every output path (console, verbose
//! exchanges, curl lines, error messages, reports, snapshots) sends text
//! through before it leaves the process.
//!
//! Must not know where secrets come from; the engine registers values as it
//! learns them (declared secrets, secret inputs, captured tokens, codes).

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, Match, MatchKind};
use base64::Engine as _;
use indexmap::IndexMap;
use indexmap::map::Entry;

/// Values shorter than this are not redacted when they are secret only by
/// their name: replacing every `1` or `ab` in a body would make output
/// unreadable and hide nothing worth hiding.
const MIN_SECRET_LEN: usize = 4;

/// Patterns registered since the last frozen segment; once this many gather
/// they are frozen into a segment, so the automaton rebuilt after each new
/// secret stays small however many secrets a run collects.
const TAIL_LIMIT: usize = 32;

/// Stands in for a whole text when no automaton could be built: printing the
/// text unredacted could leak, so nothing of it is shown.
const WITHHELD: &str = "[secret: output withheld, redaction failed]";

/// Replaces known secret values (and their URL-, JSON- and base64-encoded
/// forms) with `[secret:NAME]` markers.
///
/// Matching is leftmost-longest over all patterns at once, so a secret that
/// contains another is replaced whole. Patterns live in a few Aho-Corasick
/// automata whose number grows with the logarithm of the number of secrets,
/// so neither registering nor redacting costs time per secret.
#[derive(Clone, Default)]
pub struct Redactor {
    /// Every registered secret value, with the name it was first registered under.
    values: BTreeMap<String, String>,
    /// Every secret name, with its marker, in order of registration.
    markers: IndexMap<String, String>,
    /// Every text to look for, in order of registration: the forms of each
    /// secret and the markers themselves.
    patterns: IndexMap<String, Pattern>,
    /// Automata over consecutive runs of `patterns`, oldest first. Each is at
    /// least as large as the next, so a pattern is rebuilt into a new segment
    /// only a logarithmic number of times.
    segments: Vec<Segment>,
    /// Automaton over the patterns after the last segment, built on the first
    /// redaction after a change; `None` if it could not be built.
    tail: OnceLock<Option<Segment>>,
    /// Set when a segment could not be built: redaction then withholds text.
    broken: bool,
}

/// Tells what a found pattern stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pattern {
    /// A form of a secret; the index names its marker in `Redactor::markers`.
    Secret(usize),
    /// A marker already in the text (a text redacted twice), kept as it is
    /// so a short secret inside it cannot garble it.
    Marker,
}

/// Searches one consecutive run of patterns.
#[derive(Clone)]
struct Segment {
    /// Index in `Redactor::patterns` of the automaton's pattern 0.
    first: usize,
    automaton: AhoCorasick,
}

impl Segment {
    /// Builds an automaton over `patterns[range]`; `None` if the range is out
    /// of bounds or the automaton would exceed the library's limits.
    fn build(patterns: &IndexMap<String, Pattern>, range: Range<usize>) -> Option<Self> {
        let first = range.start;
        let slice = patterns.get_range(range)?;
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            // A DFA searches faster but takes far longer to build, and the
            // tail is rebuilt after every new secret.
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(slice.keys())
            .ok()?;
        Some(Self { first, automaton })
    }

    fn len(&self) -> usize {
        self.automaton.patterns_len()
    }

    /// Returns the leftmost-longest match starting at or after `from`.
    fn find_from(&self, text: &str, from: usize) -> Result<Option<Match>, aho_corasick::MatchError> {
        self.automaton.try_find(Input::new(text).range(from..))
    }
}

impl fmt::Debug for Redactor {
    // Hand-written so that debug output never shows a secret value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redactor")
            .field("secrets", &self.values.len())
            .field("names", &self.markers.keys().collect::<Vec<_>>())
            .field("patterns", &self.patterns.len())
            .field("segments", &self.segments.len())
            .finish_non_exhaustive()
    }
}

impl Redactor {
    /// Creates a redactor that knows no secret yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `value`, secret because of its name (a field `code`, a
    /// `password` header); values shorter than four characters are ignored.
    pub fn add(&mut self, name: &str, value: &str) {
        self.register(name, value, MIN_SECRET_LEN);
    }

    /// Registers `value`, explicitly declared secret by the user; it is
    /// redacted whatever its length, if not empty.
    pub fn add_declared(&mut self, name: &str, value: &str) {
        self.register(name, value, 1);
    }

    /// Registers a JSON value secret because of its name, as [`Redactor::add`]
    /// does: strings as they are, numbers by their text, containers item by item.
    pub fn add_value(&mut self, name: &str, value: &serde_json::Value) {
        self.register_value(name, value, MIN_SECRET_LEN);
    }

    /// Registers a JSON value explicitly declared secret, as
    /// [`Redactor::add_declared`] does: any non-empty string, numbers by their
    /// text, containers item by item.
    pub fn add_declared_value(&mut self, name: &str, value: &serde_json::Value) {
        self.register_value(name, value, 1);
    }

    /// Tells whether any secret is registered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Returns `text` with every registered secret replaced by its marker;
    /// borrows `text` when nothing in it is secret.
    #[must_use]
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.values.is_empty() || text.is_empty() {
            return Cow::Borrowed(text);
        }
        let Some(searchers) = self.searchers() else {
            return Cow::Owned(WITHHELD.to_owned());
        };
        match self.replace_all(&searchers, text) {
            Ok(redacted) => redacted,
            Err(_) => Cow::Owned(WITHHELD.to_owned()),
        }
    }

    /// Returns a copy of `value` with secrets redacted in every string and key;
    /// a number that is itself a secret becomes its marker.
    #[must_use]
    pub fn redact_json(&self, value: &serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::String(s) => Value::String(self.redact(s).into_owned()),
            Value::Number(n) => {
                let text = n.to_string();
                if self.values.contains_key(&text) {
                    Value::String(self.redact(&text).into_owned())
                } else {
                    value.clone()
                }
            }
            Value::Array(items) => Value::Array(items.iter().map(|v| self.redact_json(v)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (self.redact(k).into_owned(), self.redact_json(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    fn register_value(&mut self, name: &str, value: &serde_json::Value, min_len: usize) {
        use serde_json::Value;
        match value {
            Value::String(s) => self.register(name, s, min_len),
            Value::Number(n) => self.register(name, &n.to_string(), min_len),
            Value::Array(items) => items.iter().for_each(|v| self.register_value(name, v, min_len)),
            Value::Object(map) => map.values().for_each(|v| self.register_value(name, v, min_len)),
            Value::Bool(_) | Value::Null => {}
        }
    }

    /// Registers `value` and its encoded forms if it has at least `min_len`
    /// characters; encoded forms shorter than that are left out too.
    fn register(&mut self, name: &str, value: &str, min_len: usize) {
        let min_len = min_len.max(1);
        if value.chars().count() < min_len || self.values.contains_key(value) {
            return;
        }
        self.values.insert(value.to_owned(), name.to_owned());
        let marker_index = match self.markers.entry(name.to_owned()) {
            Entry::Occupied(entry) => entry.index(),
            Entry::Vacant(entry) => {
                let index = entry.index();
                let marker = format!("[secret:{name}]");
                entry.insert(marker.clone());
                self.push_pattern(marker, Pattern::Marker);
                index
            }
        };
        for form in encoded_forms(value) {
            if form.len() >= min_len {
                self.push_pattern(form, Pattern::Secret(marker_index));
            }
        }
    }

    /// Adds a pattern unless it is known; a secret form takes over a marker
    /// with the same text, and the first secret to claim a form names it.
    fn push_pattern(&mut self, text: String, pattern: Pattern) {
        match self.patterns.entry(text) {
            Entry::Occupied(mut entry) => {
                if *entry.get() == Pattern::Marker && pattern != Pattern::Marker {
                    // Same automata, new meaning: no rebuild needed.
                    entry.insert(pattern);
                }
            }
            Entry::Vacant(entry) => {
                entry.insert(pattern);
                self.tail = OnceLock::new();
                self.freeze_full_tail();
            }
        }
    }

    /// Moves the tail into a segment once it is large, merging it with the
    /// newest segments while they are no larger, like carries in a binary counter.
    fn freeze_full_tail(&mut self) {
        let end = self.patterns.len();
        let mut start = self.segments.last().map_or(0, |s| s.first + s.len());
        if end - start < TAIL_LIMIT {
            return;
        }
        while let Some(last) = self.segments.last()
            && last.len() <= end - start
        {
            start = last.first;
            self.segments.pop();
        }
        match Segment::build(&self.patterns, start..end) {
            Some(segment) => self.segments.push(segment),
            None => self.broken = true,
        }
    }

    /// Returns every automaton to search, building the tail's if needed;
    /// `None` if one could not be built.
    fn searchers(&self) -> Option<Vec<&Segment>> {
        if self.broken {
            return None;
        }
        let tail = self
            .tail
            .get_or_init(|| {
                let start = self.segments.last().map_or(0, |s| s.first + s.len());
                Segment::build(&self.patterns, start..self.patterns.len())
            })
            .as_ref()?;
        let mut searchers: Vec<&Segment> = self.segments.iter().collect();
        if tail.len() > 0 {
            searchers.push(tail);
        }
        Some(searchers)
    }

    /// Replaces every leftmost-longest match over the union of `searchers`.
    fn replace_all<'a>(
        &self,
        searchers: &[&Segment],
        text: &'a str,
    ) -> Result<Cow<'a, str>, aho_corasick::MatchError> {
        let mut next = searchers
            .iter()
            .map(|s| s.find_from(text, 0))
            .collect::<Result<Vec<_>, _>>()?;
        let mut out: Option<String> = None;
        let mut copied_up_to = 0;
        loop {
            // The earliest start wins, then the longest match; two matches with
            // the same span are the same pattern, which lives in one segment.
            let best = next
                .iter()
                .enumerate()
                .filter_map(|(i, m)| m.map(|m| (i, m)))
                .min_by_key(|(_, m)| (m.start(), Reverse(m.end())));
            let Some((searcher, found)) = best else { break };
            let index = searchers[searcher].first + found.pattern().as_usize();
            if let Some((_, Pattern::Secret(marker_index))) = self.patterns.get_index(index)
                && let Some((_, marker)) = self.markers.get_index(*marker_index)
            {
                let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
                // Patterns are whole UTF-8 strings, so matches start and end on
                // character boundaries.
                out.push_str(&text[copied_up_to..found.start()]);
                out.push_str(marker);
                copied_up_to = found.end();
            }
            for (slot, segment) in next.iter_mut().zip(searchers) {
                if slot.is_some_and(|m| m.start() < found.end()) {
                    *slot = segment.find_from(text, found.end())?;
                }
            }
        }
        Ok(match out {
            None => Cow::Borrowed(text),
            Some(mut out) => {
                out.push_str(&text[copied_up_to..]);
                Cow::Owned(out)
            }
        })
    }
}

/// Returns `value` as written, URL-encoded (`%20` and `+` for spaces),
/// JSON-escaped, and base64-encoded (standard and URL-safe).
fn encoded_forms(value: &str) -> [String; 6] {
    let json_escaped = serde_json::to_string(value).unwrap_or_default();
    let json_inner = json_escaped
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(value)
        .to_owned();
    let url = url_encode(value);
    let url_plus = url.replace("%20", "+");
    [
        value.to_owned(),
        url,
        url_plus,
        json_inner,
        base64::engine::general_purpose::STANDARD.encode(value),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value),
    ]
}

fn url_encode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn redacts_plain_and_encoded_forms() {
        let mut r = Redactor::new();
        r.add("password", "#32Password1!");
        assert_eq!(r.redact("pw=#32Password1!"), "pw=[secret:password]");
        assert_eq!(r.redact("pw=%2332Password1%21"), "pw=[secret:password]");
        let b64 = base64::engine::general_purpose::STANDARD.encode("#32Password1!");
        assert_eq!(r.redact(&b64), "[secret:password]");
    }

    #[test]
    fn leaves_short_values_and_unrelated_text_alone() {
        let mut r = Redactor::new();
        r.add("flag", "ab");
        assert!(r.is_empty());
        assert!(matches!(r.redact("abc"), Cow::Borrowed(_)));
    }

    #[test]
    fn longer_secrets_win_over_their_substrings() {
        let mut r = Redactor::new();
        r.add("short", "abcd");
        r.add("long", "abcdefgh");
        assert_eq!(r.redact("abcdefgh abcd"), "[secret:long] [secret:short]");
    }

    #[test]
    fn redacts_inside_json_values_and_numbers() {
        let mut r = Redactor::new();
        r.add_value("code", &json!(271008));
        r.add("token", "tok-123456");
        let got = r.redact_json(&json!({"code": 271008, "t": ["x tok-123456"], "n": 5}));
        assert_eq!(
            got,
            json!({"code": "[secret:code]", "t": ["x [secret:token]"], "n": 5})
        );
    }

    #[test]
    fn redacts_declared_short_secrets_in_text_and_json() {
        let mut r = Redactor::new();
        r.add_declared("pin", "abc");
        r.add_declared_value("code", &json!(12));
        assert!(!r.is_empty());
        assert_eq!(r.redact("x abc y"), "x [secret:pin] y");
        assert_eq!(r.redact("code=12;"), "code=[secret:code];");
        let got = r.redact_json(&json!({"p": "abc", "n": 12, "other": 5, "abc": ["abcd"]}));
        assert_eq!(
            got,
            json!({"p": "[secret:pin]", "n": "[secret:code]", "other": 5, "[secret:pin]": ["[secret:pin]d"]})
        );
    }

    #[test]
    fn redacts_encoded_forms_of_declared_short_secrets() {
        let mut r = Redactor::new();
        r.add_declared("pin", "a b");
        assert_eq!(r.redact("q=a+b&r=a%20b"), "q=[secret:pin]&r=[secret:pin]");
        let b64 = base64::engine::general_purpose::STANDARD.encode("a b");
        assert_eq!(r.redact(&format!("basic {b64}")), "basic [secret:pin]");
    }

    #[test]
    fn ignores_short_heuristic_values_and_empty_declared_ones() {
        let mut r = Redactor::new();
        r.add("code", "123");
        r.add_value("code", &json!(7));
        r.add_value("flags", &json!([true, null, "ab"]));
        r.add_declared("empty", "");
        r.add_declared_value("nothing", &json!(null));
        assert!(r.is_empty());
        assert!(matches!(r.redact("123 7 ab"), Cow::Borrowed(_)));
    }

    #[test]
    fn redacts_a_value_registered_both_ways_in_either_order() {
        let mut heuristic_first = Redactor::new();
        heuristic_first.add("code", "42");
        heuristic_first.add_declared("code", "42");
        let mut declared_first = Redactor::new();
        declared_first.add_declared("code", "42");
        declared_first.add("code", "42");
        for r in [heuristic_first, declared_first] {
            assert_eq!(r.redact("code 42"), "code [secret:code]");
        }
    }

    #[test]
    fn redacts_non_ascii_secrets_and_their_percent_encoding() {
        let mut r = Redactor::new();
        r.add_declared("pw", "pä");
        assert_eq!(r.redact("ü pä ü"), "ü [secret:pw] ü");
        assert_eq!(r.redact("pw=p%C3%A4"), "pw=[secret:pw]");
    }

    #[test]
    fn overlapping_secrets_are_replaced_from_the_leftmost_longest() {
        for long_first in [true, false] {
            let mut r = Redactor::new();
            if long_first {
                r.add("long", "abcdefgh");
                r.add("short", "efgh");
            } else {
                r.add("short", "efgh");
                r.add("long", "abcdefgh");
            }
            r.add("tail", "ghij");
            assert_eq!(r.redact("abcdefghij efgh"), "[secret:long]ij [secret:short]");
        }
    }

    #[test]
    fn longest_wins_across_frozen_and_recent_secrets() {
        for long_first in [true, false] {
            let mut r = Redactor::new();
            let (first, second) = if long_first {
                (("long", "tok-0000-extended"), ("short", "tok-0000"))
            } else {
                (("short", "tok-0000"), ("long", "tok-0000-extended"))
            };
            r.add(first.0, first.1);
            for i in 0..TAIL_LIMIT {
                r.add("filler", &format!("filler-{i:04}"));
            }
            r.add(second.0, second.1);
            assert!(
                !r.segments.is_empty(),
                "the first secret should sit in a frozen segment"
            );
            assert_eq!(
                r.redact("tok-0000-extended tok-0000 filler-0003"),
                "[secret:long] [secret:short] [secret:filler]"
            );
        }
    }

    #[test]
    fn keeps_markers_intact_when_redacting_twice() {
        let mut r = Redactor::new();
        r.add("password", "hunter22");
        r.add_declared("pin", "e");
        r.add_declared("word", "secret");
        let once = r.redact("pw hunter22 e secret");
        assert_eq!(once, "pw [secret:password] [secret:pin] [secret:word]");
        assert_eq!(r.redact(&once), once);
    }

    #[test]
    fn a_secret_equal_to_a_marker_is_still_redacted() {
        let mut r = Redactor::new();
        r.add("a", "abcd");
        r.add("b", "[secret:a]");
        assert_eq!(r.redact("[secret:a] abcd"), "[secret:b] [secret:a]");
    }

    #[test]
    fn redacts_many_long_secrets_in_a_large_text() {
        let mut r = Redactor::new();
        for i in 0..5000 {
            r.add("token", &token(i));
        }
        let mut text = String::new();
        let mut expected = String::new();
        let mut i = 0;
        while text.len() < 100_000 {
            text.push_str(&format!("line {i} token={} end\n", token(i * 7 % 5000)));
            expected.push_str(&format!("line {i} token=[secret:token] end\n"));
            i += 1;
        }
        assert_eq!(r.redact(&text), expected);
        let unrelated = "z".repeat(100_000);
        assert!(matches!(r.redact(&unrelated), Cow::Borrowed(_)));
    }

    #[test]
    fn segments_cover_every_pattern_once_and_stay_few() {
        let mut r = Redactor::new();
        for i in 0..3000 {
            r.add("token", &token(i));
        }
        let mut next = 0;
        for segment in &r.segments {
            assert_eq!(segment.first, next);
            next += segment.len();
        }
        assert!(r.patterns.len() - next < TAIL_LIMIT);
        // Sizes at least halve from one segment to the next, like bits of a counter.
        let segment_limit = (r.patterns.len() / TAIL_LIMIT).ilog2() as usize + 1;
        assert!(r.segments.len() <= segment_limit, "{} segments", r.segments.len());
        assert!(r.segments.windows(2).all(|w| w[0].len() > w[1].len()));
    }

    #[test]
    fn a_secret_added_after_a_redaction_is_redacted_next_time() {
        let mut r = Redactor::new();
        r.add("first", "one-secret");
        assert_eq!(r.redact("one-secret two-secret"), "[secret:first] two-secret");
        r.add("second", "two-secret");
        assert_eq!(
            r.redact("one-secret two-secret"),
            "[secret:first] [secret:second]"
        );
        for i in 0..2 * TAIL_LIMIT {
            r.add("filler", &format!("filler-{i:04}"));
            let text = format!("filler-{i:04}");
            assert_eq!(r.redact(&text), "[secret:filler]");
        }
        assert_eq!(
            r.redact("one-secret two-secret"),
            "[secret:first] [secret:second]"
        );
    }

    #[test]
    fn a_clone_redacts_the_same_and_learns_on_its_own() {
        let mut r = Redactor::new();
        r.add("token", "tok-123456");
        let before_use = r.clone();
        assert_eq!(r.redact("tok-123456"), "[secret:token]");
        let mut after_use = r.clone();
        assert_eq!(before_use.redact("tok-123456"), "[secret:token]");
        assert_eq!(after_use.redact("tok-123456"), "[secret:token]");
        after_use.add("other", "tok-999999");
        assert_eq!(after_use.redact("tok-999999"), "[secret:other]");
        assert_eq!(r.redact("tok-999999"), "tok-999999");
    }

    #[test]
    fn is_shareable_and_debug_shows_no_secret() {
        fn assert_traits<T: Clone + Send + Sync + fmt::Debug + Default>() {}
        assert_traits::<Redactor>();
        let mut r = Redactor::new();
        r.add("password", "hunter22");
        let _ = r.redact("warm the cache: hunter22");
        let shown = format!("{r:?}");
        assert!(shown.contains("password"), "{shown}");
        assert!(!shown.contains("hunter22"), "{shown}");
    }

    #[test]
    fn withholds_text_when_no_automaton_could_be_built() {
        let mut r = Redactor::new();
        r.add("password", "hunter22");
        r.broken = true;
        assert_eq!(r.redact("nothing secret here"), WITHHELD);
    }

    /// Returns a distinct 64-character hex token, like a session token.
    fn token(i: usize) -> String {
        format!(
            "{:016x}{:016x}{:016x}{:016x}",
            i,
            i.wrapping_mul(31),
            i ^ 0x5a5a,
            i + 7
        )
    }

    #[test]
    #[ignore = "measurement; run by hand with --release --nocapture"]
    fn measure_login_loop_and_large_text() {
        let started = std::time::Instant::now();
        let mut r = Redactor::new();
        for i in 0..4000 {
            let tok = token(i);
            r.add("token", &tok);
            let exchange = format!("{{\"token\":\"{tok}\",\"user\":\"u{i}\"}} {}", "x".repeat(1000));
            for _ in 0..6 {
                assert!(r.redact(&exchange).starts_with("{\"token\":\"[secret:token]\""));
            }
        }
        println!("login loop, 4000 adds x 6 redacts: {:?}", started.elapsed());

        let mut r = Redactor::new();
        for i in 0..5000 {
            r.add("token", &token(i));
        }
        let mut text = String::new();
        let mut i = 0;
        while text.len() < 100_000 {
            text.push_str(&format!("line {i} token={} end\n", token(i * 7 % 5000)));
            i += 1;
        }
        let started = std::time::Instant::now();
        let out = r.redact(&text);
        println!("5000 tokens, first redact of 100 KB: {:?}", started.elapsed());
        let started = std::time::Instant::now();
        let again = r.redact(&text);
        println!("5000 tokens, second redact of 100 KB: {:?}", started.elapsed());
        assert_eq!(out, again);
        assert!(!out.contains(&token(0)));
    }
}
