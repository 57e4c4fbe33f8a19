//! Owns [`Redactor`]: the registered secrets, their names and markers, the
//! patterns to look for, and the replacement of every leftmost-longest match,
//! over segments that are frozen as the number of patterns grows.
//!
//! Must not know where secrets come from; the engine registers values as it
//! learns them.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use indexmap::IndexMap;
use indexmap::map::Entry;

use super::forms::encoded_forms;
use super::segment::Segment;

/// Values shorter than this are not redacted when they are secret only by
/// their name: replacing every `1` or `ab` in a body would make output
/// unreadable and hide nothing worth hiding.
const MIN_SECRET_LEN: usize = 4;

/// Marks where an excerpt was cut (`shorten`, body excerpts).
const CUT_MARK: &str = "...";

/// The fewest characters of a secret, right before a cut mark, that are
/// redacted as its beginning: fewer would hide ordinary words.
const MIN_CUT_PREFIX: usize = 3;

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
        // Cut beginnings first, on the text as it is: a shorter secret
        // replaced inside a cut token would hide that the rest begins one.
        let result = match self.redact_cut_beginnings(Cow::Borrowed(text)) {
            Cow::Borrowed(text) => self.replace_all(&searchers, text),
            Cow::Owned(cut) => self
                .replace_all(&searchers, &cut)
                .map(|redacted| Cow::Owned(redacted.into_owned())),
        };
        result.unwrap_or_else(|_| Cow::Owned(WITHHELD.to_owned()))
    }

    /// Tells whether `value` is a registered secret (as written, not an encoding).
    #[must_use]
    pub fn knows(&self, value: &str) -> bool {
        self.values.contains_key(value)
    }

    /// Replaces the beginning of a secret that an excerpt cut short: text
    /// right before a cut mark (`...`) that is the first characters of a
    /// secret's form, so `abcdefgh...` never shows half a token.
    ///
    /// Excerpts are cut where they are made (a check's display of a value,
    /// a body's first characters), often before redaction runs; this keeps
    /// every excerpt safe whichever order its path takes.
    fn redact_cut_beginnings<'a>(&self, text: Cow<'a, str>) -> Cow<'a, str> {
        if !text.contains(CUT_MARK) {
            return text;
        }
        let mut out = String::with_capacity(text.len());
        let mut rest: &str = &text;
        let mut changed = false;
        while let Some(at) = rest.find(CUT_MARK) {
            let before = &rest[..at];
            match self.cut_secret_at_end(before) {
                Some((start, marker)) => {
                    out.push_str(&before[..start]);
                    out.push_str(marker);
                    changed = true;
                }
                None => out.push_str(before),
            }
            out.push_str(CUT_MARK);
            rest = &rest[at + CUT_MARK.len()..];
        }
        if !changed {
            return text;
        }
        out.push_str(rest);
        Cow::Owned(out)
    }

    /// Finds the longest end of `before` that begins a secret's form (at
    /// least [`MIN_CUT_PREFIX`] characters, or the whole form but one when
    /// shorter), returning where it starts and the secret's marker.
    ///
    /// Runs only for texts with a cut mark; each form is tried only at the
    /// places its first byte occurs within its length of the end.
    fn cut_secret_at_end(&self, before: &str) -> Option<(usize, &str)> {
        let bytes = before.as_bytes();
        let mut best: Option<(usize, usize)> = None;
        for (form, pattern) in &self.patterns {
            let Pattern::Secret(marker_index) = pattern else {
                continue;
            };
            let Some(&first) = form.as_bytes().first() else {
                continue;
            };
            let shortest = MIN_CUT_PREFIX.min(form.len().saturating_sub(1)).max(1);
            // A tail must be shorter than the form (a whole one is replaced anyway).
            let window_start = before.len().saturating_sub(form.len() - 1);
            let earliest = best.map_or(before.len(), |(start, _)| start);
            let found = (window_start..before.len().saturating_sub(shortest - 1))
                .take_while(|start| *start < earliest)
                .find(|&start| {
                    bytes[start] == first
                        && before.is_char_boundary(start)
                        && form.as_bytes().starts_with(&bytes[start..])
                        && before[start..].chars().count() >= shortest
                });
            if let Some(start) = found {
                best = Some((start, *marker_index));
            }
        }
        let (start, marker_index) = best?;
        let (_, marker) = self.markers.get_index(marker_index)?;
        Some((start, marker.as_str()))
    }

    /// Returns a copy of `value` with secrets redacted in every string and key;
    /// a number that is or holds a secret becomes its redacted text (`48210`
    /// with the secret `4821` becomes `"[secret:pin]0"`), as text shows it.
    #[must_use]
    pub fn redact_json(&self, value: &serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match value {
            Value::String(s) => Value::String(self.redact(s).into_owned()),
            Value::Number(n) => {
                let text = n.to_string();
                let redacted = self.redact(&text);
                if redacted == text {
                    value.clone()
                } else {
                    Value::String(redacted.into_owned())
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
                let marker = format!("[secret:{}]", marker_name(name));
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

    /// Moves every pattern into frozen segments, so clones of this redactor
    /// share its automata and each builds only those of what it learns later.
    pub fn freeze(&mut self) {
        self.freeze_tail(1);
        self.tail = OnceLock::new();
    }

    /// Moves the tail into a segment once it is large, merging it with the
    /// newest segments while they are no larger, like carries in a binary counter.
    fn freeze_full_tail(&mut self) {
        self.freeze_tail(TAIL_LIMIT);
    }

    /// Moves the tail into a segment when it holds at least `at_least` patterns.
    fn freeze_tail(&mut self, at_least: usize) {
        let end = self.patterns.len();
        let mut start = self.segments.last().map_or(0, |s| s.first + s.len());
        if end - start < at_least {
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

/// Returns a secret's name as its marker shows it: letters, digits, `_`,
/// `.` and `-` only. Names can come from a server (a JSON key, a cookie),
/// and a marker lands in shell-quoted curl lines people paste.
fn marker_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_.-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
