//! Turns node positions into exact spans in a file's text: a line of the
//! source, a node's length, and [`TextIndex`], which finds a template, a regex
//! or a variable name inside a parsed node.
//!
//! Must not parse YAML or templates: it searches text near a known position.

use std::path::PathBuf;
use std::sync::Arc;

use crate::model::{SourceLocation, Spanned};

/// Returns the length of a node's text in characters, when serde-saphyr knows it.
#[must_use]
pub fn span_len_of<T>(node: &Spanned<T>) -> usize {
    usize::try_from(node.referenced.span().len()).unwrap_or(0)
}

/// Returns line `line` (1-based) of `source`, without its line break.
#[must_use]
pub fn line_of(source: &str, line: u64) -> Option<&str> {
    let index = usize::try_from(line.checked_sub(1)?).ok()?;
    source
        .split('\n')
        .nth(index)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// Converts a 1-based character column into a byte offset within `line`
/// (clamped to the line's end).
pub(super) fn byte_of_column(line: &str, column: u64) -> usize {
    let skip = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
    line.char_indices().nth(skip).map_or(line.len(), |(i, _)| i)
}

/// Points at text inside a parsed node: the exact place a template, a regex
/// or a variable name sits, found by searching the source near the node.
#[derive(Debug, Clone, Copy)]
pub struct TextIndex<'s> {
    source: &'s str,
}

/// Gives a line, a column and a length in characters, as diagnostics need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextSpan {
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in characters.
    pub column: u64,
    /// Length in characters.
    pub len: usize,
}

impl<'s> TextIndex<'s> {
    /// Wraps a file's text.
    #[must_use]
    pub fn new(source: &'s str) -> Self {
        Self { source }
    }

    /// Returns the byte offset of a 1-based (line, column), if the line exists.
    fn offset_of(&self, line: u64, column: u64) -> Option<usize> {
        let index = usize::try_from(line.checked_sub(1)?).ok()?;
        let mut start = 0;
        for (i, text) in self.source.split('\n').enumerate() {
            if i == index {
                return Some(start + byte_of_column(text, column));
            }
            start += text.len() + 1;
        }
        None
    }

    /// Converts a byte offset into a 1-based (line, column in characters).
    fn position_of(&self, offset: usize) -> (u64, u64) {
        let before = &self.source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line as u64, column as u64)
    }

    /// Returns the byte range a node starting at (line, column) most likely
    /// covers. A block collection (its first key or item starts the line, or
    /// follows `- `) runs while lines stay indented at least as far as it; any
    /// other value (a scalar, a flow collection) runs over the rest of its line
    /// and the following lines indented deeper than that line.
    fn node_region(&self, line: u64, column: u64) -> Option<std::ops::Range<usize>> {
        let start = self.offset_of(line, column)?;
        let first_line = line_of(self.source, line)?;
        let line_indent = first_line.len() - first_line.trim_start().len();
        let line_start = start - byte_of_column(first_line, column);
        let lead = &self.source[line_start..start];
        let is_block = lead.chars().all(|c| c == ' ' || c == '-');
        let lead_width = lead.chars().count();
        let continues = |indent: usize| {
            if is_block {
                indent >= lead_width
            } else {
                indent > line_indent
            }
        };
        let mut end = self.source[start..]
            .find('\n')
            .map_or(self.source.len(), |i| start + i);
        while end < self.source.len() {
            let next_start = end + 1;
            let next_end = self.source[next_start..]
                .find('\n')
                .map_or(self.source.len(), |i| next_start + i);
            let next = &self.source[next_start..next_end];
            let trimmed = next.trim_start();
            if !trimmed.is_empty() && !continues(next.len() - trimmed.len()) {
                break;
            }
            end = next_end;
        }
        Some(start..end)
    }

    /// Finds the first occurrence of `needle` in the node at (line, column).
    #[must_use]
    pub fn find_in_node(&self, line: u64, column: u64, needle: &str) -> Option<TextSpan> {
        if needle.is_empty() {
            return None;
        }
        let region = self.node_region(line, column)?;
        let found = self.source[region.clone()].find(needle)? + region.start;
        Some(self.span_at(found, needle))
    }

    /// Finds `name` used as a variable inside a `{{ ... }}` or `{% ... %}` block
    /// of the node at (line, column), or in a bare condition when `bare` is set.
    #[must_use]
    pub fn find_variable_in_node(&self, line: u64, column: u64, name: &str, bare: bool) -> Option<TextSpan> {
        let region = self.node_region(line, column)?;
        let text = &self.source[region.clone()];
        let mut search_from = 0;
        while let Some(pos) = text[search_from..].find(name) {
            let at = search_from + pos;
            search_from = at + name.len();
            let before = text[..at].chars().next_back();
            let after = text[at + name.len()..].chars().next();
            let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
            if is_word(before) || is_word(after) || before == Some('.') {
                continue;
            }
            let opened = text[..at].rfind("{{").max(text[..at].rfind("{%"));
            let closed = text[..at].rfind("}}").max(text[..at].rfind("%}"));
            let inside = match (opened, closed) {
                (Some(o), Some(c)) => o > c,
                (Some(_), None) => true,
                (None, _) => bare,
            };
            if inside {
                return Some(self.span_at(region.start + at, name));
            }
        }
        None
    }

    fn span_at(&self, offset: usize, needle: &str) -> TextSpan {
        let (line, column) = self.position_of(offset);
        TextSpan {
            line,
            column,
            len: needle.chars().count(),
        }
    }
}

impl TextSpan {
    /// Builds the location of this span in `file`.
    #[must_use]
    pub fn location(&self, file: &Arc<PathBuf>) -> SourceLocation {
        SourceLocation {
            file: Arc::clone(file),
            line: self.line,
            column: self.column,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_variables_inside_templates_only() {
        let src = "vars:\n  a: \"tokn {{ tokn }}\"\n  b:\n    c: \"{{ x.tokn }} {{ tokn2 }} {{ tokn|upper }}\"\nnext: 1\n";
        let index = TextIndex::new(src);
        assert_eq!(
            index.find_variable_in_node(2, 6, "tokn", false),
            Some(TextSpan {
                line: 2,
                column: 15,
                len: 4
            })
        );
        assert_eq!(
            index.find_variable_in_node(4, 8, "tokn", false),
            Some(TextSpan {
                line: 4,
                column: 37,
                len: 4
            })
        );
        // A block value spans its deeper-indented lines, and stops at its parent's sibling.
        let src = "json:\n  a: 1\n  b:\n    c: \"{{ tokn }}\"\n  d: [x]\nnext: 1\n";
        let index = TextIndex::new(src);
        assert_eq!(
            index.find_variable_in_node(2, 3, "tokn", false).map(|s| s.line),
            Some(4)
        );
        assert_eq!(index.find_in_node(2, 3, "[x]").map(|s| s.line), Some(5));
        assert_eq!(index.find_in_node(2, 3, "next"), None);
        let src = "steps:\n  - get: /a\n    name: \"{{ a }}\"\n  - get: /b\n";
        let index = TextIndex::new(src);
        assert_eq!(index.find_in_node(2, 5, "name").map(|s| s.line), Some(3));
        assert_eq!(index.find_in_node(2, 5, "/b"), None);
    }

    #[test]
    fn finds_text_with_multibyte_characters_before_it() {
        let src = "a: \"é {{ x }}\"\n";
        let span = TextIndex::new(src)
            .find_variable_in_node(1, 4, "x", false)
            .unwrap();
        assert_eq!((span.line, span.column), (1, 10));
    }
}
