//! Owns [`Segment`]: the search over one consecutive run of the redactor's
//! patterns, leftmost-longest, from a position: an Aho-Corasick automaton,
//! or for a handful of patterns one substring finder each, which costs
//! nothing to build (a scenario learns its secrets one or two at a time, and
//! each new one rebuilds the newest segment).
//!
//! Must not know what a pattern stands for (secret or marker), nor decide when
//! segments are built or merged: the redactor does.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, Match, MatchKind, PatternID};
use indexmap::IndexMap;
use memchr::memmem::Finder;

/// Up to this many patterns are searched one finder each: each search then
/// passes over the text once per pattern, and building costs nothing.
const FEW_PATTERNS: usize = 16;

/// Searches one consecutive run of patterns.
#[derive(Clone)]
pub(super) struct Segment {
    /// Index in `Redactor::patterns` of the segment's pattern 0.
    pub(super) first: usize,
    search: Search,
}

/// Holds how a segment searches.
#[derive(Clone)]
enum Search {
    Automaton(AhoCorasick),
    Few(Vec<Finder<'static>>),
}

impl Segment {
    /// Builds the search over `patterns[range]`; `None` if the range is out
    /// of bounds or the automaton would exceed the library's limits.
    pub(super) fn build<T>(patterns: &IndexMap<String, T>, range: Range<usize>) -> Option<Self> {
        let first = range.start;
        let slice = patterns.get_range(range)?;
        if slice.len() <= FEW_PATTERNS {
            let finders = slice
                .keys()
                .map(|p| Finder::new(p.as_bytes()).into_owned())
                .collect();
            return Some(Self {
                first,
                search: Search::Few(finders),
            });
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            // A DFA searches faster but takes far longer to build, and the
            // tail is rebuilt after every new secret.
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(slice.keys())
            .ok()?;
        Some(Self {
            first,
            search: Search::Automaton(automaton),
        })
    }

    /// Returns how many patterns the segment holds.
    pub(super) fn len(&self) -> usize {
        match &self.search {
            Search::Automaton(automaton) => automaton.patterns_len(),
            Search::Few(finders) => finders.len(),
        }
    }

    /// Returns the leftmost-longest match starting at or after `from`.
    pub(super) fn find_from(
        &self,
        text: &str,
        from: usize,
    ) -> Result<Option<Match>, aho_corasick::MatchError> {
        match &self.search {
            Search::Automaton(automaton) => automaton.try_find(Input::new(text).range(from..)),
            Search::Few(finders) => Ok(few_find_from(finders, text, from)),
        }
    }
}

/// Finds the leftmost match of any finder at or after `from`, the longest
/// when several start there: what a leftmost-longest automaton reports.
fn few_find_from(finders: &[Finder<'static>], text: &str, from: usize) -> Option<Match> {
    let rest = text.as_bytes().get(from..)?;
    finders
        .iter()
        .enumerate()
        .filter(|(_, finder)| !finder.needle().is_empty())
        .filter_map(|(index, finder)| {
            let start = from + finder.find(rest)?;
            Some((index, start, start + finder.needle().len()))
        })
        .min_by_key(|&(_, start, end)| (start, std::cmp::Reverse(end)))
        .map(|(index, start, end)| Match::new(PatternID::new_unchecked(index), start..end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns(texts: &[&str]) -> IndexMap<String, ()> {
        texts.iter().map(|t| ((*t).to_owned(), ())).collect()
    }

    /// Lists every match from the start, as the redactor walks them.
    fn walk(segment: &Segment, text: &str) -> Vec<(usize, Range<usize>)> {
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(m) = segment.find_from(text, from).unwrap() {
            found.push((m.pattern().as_usize(), m.range()));
            from = m.end();
        }
        found
    }

    #[test]
    fn few_patterns_match_as_the_automaton_does() {
        let few = ["abc", "abcdef", "cde", "xyz", "żluť"];
        let mut many: Vec<String> = few.iter().map(|s| (*s).to_owned()).collect();
        many.extend((0..FEW_PATTERNS).map(|i| format!("unused-{i}")));
        let few_segment = Segment::build(&patterns(&few), 0..few.len()).unwrap();
        let many_refs: Vec<&str> = many.iter().map(String::as_str).collect();
        let automaton = Segment::build(&patterns(&many_refs), 0..many.len()).unwrap();
        assert!(matches!(few_segment.search, Search::Few(_)));
        assert!(matches!(automaton.search, Search::Automaton(_)));
        for text in [
            "abcdefxyz",
            "xx abc cde abcde abcdef",
            "żluť abcżluť",
            "",
            "nothing here",
            "ababcdcdexyzxy",
        ] {
            assert_eq!(walk(&few_segment, text), walk(&automaton, text), "{text}");
        }
    }
}
