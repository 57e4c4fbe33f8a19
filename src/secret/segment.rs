//! Owns [`Segment`]: one Aho-Corasick automaton over a consecutive run of the
//! redactor's patterns, built leftmost-longest, and the search from a position.
//!
//! Must not know what a pattern stands for (secret or marker), nor decide when
//! segments are built or merged: the redactor does.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, Match, MatchKind};
use indexmap::IndexMap;

/// Searches one consecutive run of patterns.
#[derive(Clone)]
pub(super) struct Segment {
    /// Index in `Redactor::patterns` of the automaton's pattern 0.
    pub(super) first: usize,
    automaton: AhoCorasick,
}

impl Segment {
    /// Builds an automaton over `patterns[range]`; `None` if the range is out
    /// of bounds or the automaton would exceed the library's limits.
    pub(super) fn build<T>(patterns: &IndexMap<String, T>, range: Range<usize>) -> Option<Self> {
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

    /// Returns how many patterns the automaton holds.
    pub(super) fn len(&self) -> usize {
        self.automaton.patterns_len()
    }

    /// Returns the leftmost-longest match starting at or after `from`.
    pub(super) fn find_from(
        &self,
        text: &str,
        from: usize,
    ) -> Result<Option<Match>, aho_corasick::MatchError> {
        self.automaton.try_find(Input::new(text).range(from..))
    }
}
