//! Owns [`Diagnostic`] and [`Severity`]: a located problem in a scenario
//! file, built up with labels, help and notes, then rendered rustc-style
//! (annotate-snippets) with its source line, or on one line.
//!
//! Must not detect the terminal or write anywhere: callers choose colour and
//! destination. Must not read files: sources are passed in.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use super::text::{byte_of_column, line_of, span_len_of};
use crate::model::{SourceLocation, Spanned};
use crate::secret::Redactor;

/// Maps each file (as displayed) to its text, for rendering source lines.
pub type Sources = BTreeMap<Arc<PathBuf>, Arc<str>>;

/// Says how serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The file cannot run as written; `check` fails and `run` sends nothing.
    Error,
    /// Probably a mistake, but the file can run.
    Warning,
}

impl Severity {
    /// Returns the word printed before the message (`error`, `warning`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Describes one problem in a scenario file, located at the exact text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How serious the problem is.
    pub severity: Severity,
    /// Says what is wrong, in one line.
    pub message: String,
    /// Points at the first character of the offending text (line 0: the whole file).
    pub location: SourceLocation,
    /// Counts the characters to underline from `location` (0 or 1: a single caret).
    pub span_len: usize,
    /// Labels the underlined text, shown next to the caret.
    pub label: Option<String>,
    /// Says what to do, one `= help:` line each.
    pub help: Vec<String>,
    /// Adds context (valid keys, where something was defined), one `= note:` line each.
    pub notes: Vec<String>,
}

/// Chooses how [`Diagnostic::render`] draws its output.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Adds ANSI colours (off for files, pipes and tests).
    pub color: bool,
}

impl Diagnostic {
    /// Creates an error at `location`.
    #[must_use]
    pub fn error(message: impl Into<String>, location: SourceLocation) -> Self {
        Self::new(Severity::Error, message, location)
    }

    /// Creates a warning at `location`.
    #[must_use]
    pub fn warning(message: impl Into<String>, location: SourceLocation) -> Self {
        Self::new(Severity::Warning, message, location)
    }

    /// Creates a diagnostic of any severity at `location`.
    #[must_use]
    pub fn new(severity: Severity, message: impl Into<String>, location: SourceLocation) -> Self {
        Self {
            severity,
            message: message.into(),
            location,
            span_len: 0,
            label: None,
            help: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Creates an error at a parsed node, underlining it when its length is known.
    #[must_use]
    pub fn error_at<T>(message: impl Into<String>, file: &Arc<PathBuf>, node: &Spanned<T>) -> Self {
        Self::error(message, SourceLocation::of(file, node)).with_span_len(span_len_of(node))
    }

    /// Creates a warning at a parsed node, underlining it when its length is known.
    #[must_use]
    pub fn warning_at<T>(message: impl Into<String>, file: &Arc<PathBuf>, node: &Spanned<T>) -> Self {
        Self::warning(message, SourceLocation::of(file, node)).with_span_len(span_len_of(node))
    }

    /// Sets how many characters to underline.
    #[must_use]
    pub fn with_span_len(mut self, len: usize) -> Self {
        self.span_len = len;
        self
    }

    /// Sets the label shown under the underlined text.
    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a `= help:` line.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    /// Adds a `= note:` line.
    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Tells whether this diagnostic is an error (as opposed to a warning).
    #[must_use]
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic like rustc: title, ` --> file:line:col`, the source
    /// line with the text underlined, then `= help:` and `= note:` lines.
    ///
    /// `source` is the whole file; without it (or without a line) only the
    /// location is shown.
    #[must_use]
    pub fn render(&self, source: Option<&str>, options: RenderOptions) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = self.location.file.display().to_string();
        let line_text = source.and_then(|src| line_of(src, self.location.line));
        let mut group = Group::with_title(level.primary_title(self.message.as_str()));
        group = match line_text {
            Some(text) => {
                let range = underline_range(text, self.location.column, self.span_len);
                let mut annotation = AnnotationKind::Primary.span(range);
                if let Some(label) = &self.label {
                    annotation = annotation.label(label.as_str());
                }
                group.element(
                    Snippet::source(text)
                        .line_start(usize::try_from(self.location.line).unwrap_or(usize::MAX))
                        .path(path.as_str())
                        .annotation(annotation),
                )
            }
            None => {
                let mut origin = Origin::path(path.as_str());
                if self.location.line > 0 {
                    origin = origin
                        .line(usize::try_from(self.location.line).unwrap_or(usize::MAX))
                        .char_column(usize::try_from(self.location.column.max(1)).unwrap_or(1));
                }
                group.element(origin)
            }
        };
        for help in &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        for note in &self.notes {
            group = group.element(Level::NOTE.message(note.as_str()));
        }
        let renderer = if options.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        renderer.render(&[group])
    }

    /// Renders the diagnostic on one line: `file:line:col: error: message (help: ...)`.
    #[must_use]
    pub fn one_line(&self) -> String {
        let mut line = format!(
            "{}: {}: {}",
            self.location,
            self.severity,
            single_line(&self.message)
        );
        if let Some(help) = self.help.first() {
            line.push_str(" (help: ");
            line.push_str(&single_line(help));
            line.push(')');
        }
        line
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.one_line())
    }
}

/// Collapses line breaks and runs of spaces, for text quoted from other tools.
fn single_line(text: &str) -> Cow<'_, str> {
    if text.contains('\n') {
        Cow::Owned(text.split_whitespace().collect::<Vec<_>>().join(" "))
    } else {
        Cow::Borrowed(text)
    }
}

/// Renders every diagnostic with its file's source, separated by blank lines,
/// and hides known secret values.
#[must_use]
pub fn render_all(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    redactor: &Redactor,
    options: RenderOptions,
) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        let source = sources.get(&diagnostic.location.file).map(AsRef::as_ref);
        out.push_str(&diagnostic.render(source, options));
        out.push_str("\n\n");
    }
    redactor.redact(&out).into_owned()
}

/// Renders every diagnostic in its one-line form, one per line, and hides
/// known secret values.
#[must_use]
pub fn render_compact(diagnostics: &[Diagnostic], redactor: &Redactor) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        out.push_str(&diagnostic.one_line());
        out.push('\n');
    }
    redactor.redact(&out).into_owned()
}

/// Returns the byte range of `line` to underline: `len` characters from
/// `column`, clamped to the line, at least one position wide.
fn underline_range(line: &str, column: u64, len: usize) -> std::ops::Range<usize> {
    let start = byte_of_column(line, column);
    let rest = &line[start..];
    let end = start + rest.char_indices().nth(len.max(1)).map_or(rest.len(), |(i, _)| i);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(line: u64, column: u64) -> SourceLocation {
        SourceLocation {
            file: Arc::new("scenarios/login.yaml".into()),
            line,
            column,
        }
    }

    #[test]
    fn renders_like_rustc_with_help_and_notes() {
        let source = "name: x\nsteps:\n  - get: /a\n    captur:\n      t: $.t\n";
        let diagnostic = Diagnostic::error("unknown key `captur` in a step", loc(4, 5))
            .with_span_len(6)
            .with_label("unknown key")
            .with_help("did you mean `capture`?")
            .with_note("valid keys: name, get");
        let out = diagnostic.render(Some(source), RenderOptions::default());
        assert_eq!(
            out,
            "error: unknown key `captur` in a step\n --> scenarios/login.yaml:4:5\n  |\n4 |     captur:\n  |     ^^^^^^ unknown key\n  |\n  = help: did you mean `capture`?\n  = note: valid keys: name, get"
        );
    }

    #[test]
    fn renders_a_location_without_source() {
        let out = Diagnostic::warning("file is empty", SourceLocation::file_only("a.yaml".as_ref()))
            .with_help("add `name:` and `steps:`")
            .render(None, RenderOptions::default());
        assert!(out.starts_with("warning: file is empty\n"), "{out}");
        assert!(out.contains("a.yaml"), "{out}");
        assert!(out.contains("= help: add `name:` and `steps:`"), "{out}");
    }

    #[test]
    fn clamps_spans_past_the_end_of_the_line() {
        let out = Diagnostic::error("bad", loc(1, 7))
            .with_span_len(500)
            .render(Some("name: x\n"), RenderOptions::default());
        assert!(out.contains("1 | name: x\n  |       ^"), "{out}");
        let out = Diagnostic::error("bad", loc(1, 40)).render(Some("name: x"), RenderOptions::default());
        assert!(out.contains("^"), "{out}");
    }

    #[test]
    fn colour_is_optional() {
        let d = Diagnostic::error("bad", loc(1, 1));
        assert!(!d.render(Some("x"), RenderOptions::default()).contains('\u{1b}'));
        assert!(
            d.render(Some("x"), RenderOptions { color: true })
                .contains('\u{1b}')
        );
    }

    #[test]
    fn one_line_form_carries_location_and_first_help() {
        let d = Diagnostic::error("undefined variable `tokn`", loc(9, 22)).with_help("did you mean `token`?");
        assert_eq!(
            d.one_line(),
            "scenarios/login.yaml:9:22: error: undefined variable `tokn` (help: did you mean `token`?)"
        );
    }

    #[test]
    fn render_all_hides_secrets() {
        let mut redactor = Redactor::new();
        redactor.add("password", "hunter22");
        let file: Arc<PathBuf> = Arc::new("a.yaml".into());
        let mut sources = Sources::new();
        sources.insert(Arc::clone(&file), Arc::from("password: hunter22 }\n"));
        let d = Diagnostic::error(
            "bad",
            SourceLocation {
                file,
                line: 1,
                column: 20,
            },
        );
        let out = render_all(&[d], &sources, &redactor, RenderOptions::default());
        assert!(!out.contains("hunter22"), "{out}");
        assert!(out.contains("[secret:password]"), "{out}");
    }
}
