//! Runs the interactive review of pending snapshots: shows each one, asks
//! what to do, acts, then sums up. Reads answers from an [`Answers`] source
//! (one key press on a terminal, a line from a pipe) and prints through the
//! stream it is given, so it runs the same on a terminal and in tests.
//!
//! Must not touch the process's own stdin or stdout, nor decide what a
//! snapshot file looks like.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use super::SnapshotError;
use super::diff::{colorize_diff, diff_text};
use super::file::SnapshotFile;
use super::pending::{PendingSnapshot, accept_one, pending, reject_one};
use super::yaml::mapping_to_yaml;

/// Sums up a review: which files were accepted, rejected or left pending.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewSummary {
    /// `.snap` files written from accepted snapshots.
    pub accepted: Vec<PathBuf>,
    /// `.snap.new` files deleted.
    pub rejected: Vec<PathBuf>,
    /// `.snap.new` files left for later (skipped, not reached before quitting,
    /// or not reviewable).
    pub skipped: Vec<PathBuf>,
    /// Why some pending files could not be shown or acted on.
    pub problems: Vec<String>,
}

/// Gives the reviewer's answers, one at a time; `None` at the end of input.
pub trait Answers {
    /// Waits for the next answer.
    ///
    /// # Errors
    /// Fails when the input cannot be read.
    fn next_answer(&mut self) -> std::io::Result<Option<String>>;
}

/// Reads a line per answer from a pipe or a file (Enter after each).
impl<T: BufRead> Answers for T {
    fn next_answer(&mut self) -> std::io::Result<Option<String>> {
        let mut line = String::new();
        Ok((self.read_line(&mut line)? > 0).then_some(line))
    }
}

/// Reads one key press per answer on a terminal, no Enter needed; Ctrl-C
/// and Ctrl-D quit.
#[derive(Debug)]
pub struct KeyPresses(pub console::Term);

impl Answers for KeyPresses {
    fn next_answer(&mut self) -> std::io::Result<Option<String>> {
        // Raw: Ctrl-C is a key here, so the review quits with its summary.
        let key = self.0.read_key_raw()?;
        Ok(key_answer(&key))
    }
}

/// Maps a key press to an answer's text; Ctrl-C and Ctrl-D end the review.
fn key_answer(key: &console::Key) -> Option<String> {
    match key {
        console::Key::CtrlC | console::Key::Char('\u{3}' | '\u{4}') => None,
        console::Key::Char(c) => Some(c.to_string()),
        console::Key::Enter => Some("\n".to_owned()),
        _ => Some(String::new()),
    }
}

/// What the reviewer answered for one snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Accept,
    Reject,
    Skip,
    Quit,
}

impl Answer {
    fn word(self) -> &'static str {
        match self {
            Answer::Accept => "accept",
            Answer::Reject => "reject",
            Answer::Skip => "skip",
            Answer::Quit => "quit",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "a" | "accept" => Some(Answer::Accept),
            "r" | "reject" => Some(Answer::Reject),
            "s" | "skip" => Some(Answer::Skip),
            "q" | "quit" => Some(Answer::Quit),
            _ => None,
        }
    }
}

/// Shows every pending snapshot under `root` (its header, then a diff from
/// the stored one or the whole new content), asks `a`ccept, `r`eject, `s`kip
/// or `q`uit on `input`, acts on the answer and prints a summary to `out`.
/// The end of `input` counts as quitting.
///
/// # Errors
/// Fails when `root` cannot be listed or `input`/`out` fail; a pending file
/// that cannot be read or moved is listed in [`ReviewSummary::problems`] instead.
pub fn review(
    root: &Path,
    input: &mut dyn Answers,
    out: &mut dyn Write,
    color: bool,
) -> Result<ReviewSummary, SnapshotError> {
    let items = pending(root)?;
    let mut summary = ReviewSummary::default();
    if items.is_empty() {
        writeln!(out, "No pending snapshots in {}.", root.display()).map_err(SnapshotError::Terminal)?;
        return Ok(summary);
    }
    let total = items.len();
    let mut quitting = false;
    for (index, item) in items.into_iter().enumerate() {
        if quitting {
            summary.skipped.push(item.pending_path);
            continue;
        }
        if !show(&item, index + 1, total, out, color, &mut summary)? {
            continue;
        }
        match ask(input, out)? {
            Answer::Accept => match accept_one(&item) {
                Ok(()) => summary.accepted.push(item.snapshot_path),
                Err(e) => note_problem(&mut summary, out, &e, item.pending_path)?,
            },
            Answer::Reject => match reject_one(&item) {
                Ok(()) => summary.rejected.push(item.pending_path),
                Err(e) => note_problem(&mut summary, out, &e, item.pending_path)?,
            },
            Answer::Skip => summary.skipped.push(item.pending_path),
            Answer::Quit => {
                quitting = true;
                summary.skipped.push(item.pending_path);
            }
        }
    }
    writeln!(
        out,
        "\nReviewed {total} pending snapshot(s): {} accepted, {} rejected, {} skipped.",
        summary.accepted.len(),
        summary.rejected.len(),
        summary.skipped.len()
    )
    .map_err(SnapshotError::Terminal)?;
    Ok(summary)
}

/// Prints one pending snapshot; returns `false` (after noting the problem)
/// when it cannot be read.
fn show(
    item: &PendingSnapshot,
    position: usize,
    total: usize,
    out: &mut dyn Write,
    color: bool,
    summary: &mut ReviewSummary,
) -> Result<bool, SnapshotError> {
    let new = match SnapshotFile::read(&item.pending_path) {
        Ok(new) => new,
        Err(e) => {
            note_problem(summary, out, &e, item.pending_path.clone())?;
            return Ok(false);
        }
    };
    let stored = item.stored.then(|| SnapshotFile::read(&item.snapshot_path));
    let text = render(item, &format!("[{position}/{total}]"), &new, stored, color);
    out.write_all(text.as_bytes()).map_err(SnapshotError::Terminal)?;
    Ok(true)
}

/// Returns the text shown for one pending snapshot: its header, then the
/// diff from the stored snapshot, or the whole body when there is none.
fn render(
    item: &PendingSnapshot,
    counter: &str,
    new: &SnapshotFile,
    stored: Option<Result<SnapshotFile, SnapshotError>>,
    color: bool,
) -> String {
    let bold = console::Style::new().bold().force_styling(color);
    let dim = console::Style::new().dim().force_styling(color);
    let green = console::Style::new().green().force_styling(color);
    let mut lines = vec![
        String::new(),
        format!(
            "{} {counter} {}",
            bold.apply_to("Snapshot"),
            bold.apply_to(&item.name)
        ),
        format!("  file:        {}", item.pending_path.display()),
    ];
    if let Some(source) = new.source() {
        lines.push(format!("  source:      {source}"));
    }
    if let Some(description) = new.description() {
        lines.push(format!("  description: {}", description.escape_debug()));
    }
    if let Some(info) = new.info() {
        lines.extend(
            mapping_to_yaml([("info", info)])
                .lines()
                .map(|line| format!("  {line}")),
        );
    }
    let stored = match stored {
        Some(Ok(stored)) => Some(stored),
        Some(Err(e)) => {
            lines.push(format!("  {} {e}", dim.apply_to("stored snapshot unreadable:")));
            None
        }
        None => None,
    };
    lines.push(String::new());
    if let Some(stored) = stored {
        let diff = diff_text(stored.body(), new.body());
        if diff.is_empty() {
            lines.push("The bodies are identical; only the header differs.".to_owned());
        } else {
            lines.extend(colorize_diff(&diff, color).lines().map(str::to_owned));
        }
    } else {
        lines.push(bold.apply_to("New snapshot:").to_string());
        lines.extend(
            new.normalized_body()
                .lines()
                .map(|line| green.apply_to(format!("+{line}")).to_string()),
        );
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

/// Asks until the reviewer gives a valid answer; the end of input quits.
fn ask(input: &mut dyn Answers, out: &mut dyn Write) -> Result<Answer, SnapshotError> {
    loop {
        write!(out, "\n[a]ccept, [r]eject, [s]kip, [q]uit? ").map_err(SnapshotError::Terminal)?;
        out.flush().map_err(SnapshotError::Terminal)?;
        let Some(text) = input.next_answer().map_err(SnapshotError::Terminal)? else {
            writeln!(out).map_err(SnapshotError::Terminal)?;
            return Ok(Answer::Quit);
        };
        if let Some(answer) = Answer::parse(&text) {
            // A key press is not echoed: say what it did.
            if !text.ends_with('\n') {
                writeln!(out, "{}", answer.word()).map_err(SnapshotError::Terminal)?;
            }
            return Ok(answer);
        }
        write!(out, "Please answer a, r, s or q.").map_err(SnapshotError::Terminal)?;
    }
}

fn note_problem(
    summary: &mut ReviewSummary,
    out: &mut dyn Write,
    problem: &SnapshotError,
    pending_path: PathBuf,
) -> Result<(), SnapshotError> {
    let message = problem.to_string();
    writeln!(out, "\nSkipped: {message}").map_err(SnapshotError::Terminal)?;
    summary.problems.push(message);
    summary.skipped.push(pending_path);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn understands_short_and_long_answers() {
        assert_eq!(Answer::parse("a\n"), Some(Answer::Accept));
        assert_eq!(Answer::parse(" Reject "), Some(Answer::Reject));
        assert_eq!(Answer::parse("S"), Some(Answer::Skip));
        assert_eq!(Answer::parse("quit"), Some(Answer::Quit));
        assert_eq!(Answer::parse(""), None);
        assert_eq!(Answer::parse("yes"), None);
    }

    #[test]
    fn a_key_press_is_an_answer_and_ctrl_c_ends_the_review() {
        use console::Key;
        let answer = |key: Key| key_answer(&key).as_deref().and_then(Answer::parse);
        assert_eq!(answer(Key::Char('a')), Some(Answer::Accept));
        assert_eq!(answer(Key::Char('R')), Some(Answer::Reject));
        assert_eq!(key_answer(&Key::CtrlC), None);
        assert_eq!(key_answer(&Key::Char('\u{4}')), None);
        assert_eq!(answer(Key::Char('x')), None);
        assert_eq!(answer(Key::ArrowUp), None);
    }

    #[test]
    fn empty_folder_has_nothing_to_review() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = Vec::new();
        let summary = review(dir.path(), &mut &b""[..], &mut out, false).unwrap();
        assert_eq!(summary, ReviewSummary::default());
        assert!(
            String::from_utf8(out)
                .unwrap()
                .starts_with("No pending snapshots")
        );
    }
}
