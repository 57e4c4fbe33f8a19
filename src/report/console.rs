//! Owns the console report: the header (target, configuration, environment),
//! one line per scenario, the failure view, verbose step listings and the
//! final summary line.
//!
//! Scenarios run concurrently, so their events interleave. Each scenario's
//! output is rendered once it finishes and printed in `index` order: scenario
//! `i` appears as soon as it and every scenario before it have finished, and
//! its buffer is dropped once printed. What the events said (running
//! scenarios and their steps, finished results, the announced count) comes
//! from the shared fold; this file only keeps the blocks waiting their turn.
//!
//! Detail levels: `verbose = 0` shows passed scenarios as one line and the
//! non-passed (and `finally`) steps of the others, a failed step with an
//! excerpt of its response body; `verbose = 1` (`-v`) lists every step with
//! its request line and captures; `verbose = 2` (`-vv`) adds the full request
//! and response (headers and body) of each failed step; `verbose = 3`
//! (`-vvv`) of every step.
//!
//! Waits are printed when they happen, not in order: a step waiting for the
//! next TOTP window always (the person at the terminal must know why nothing
//! moves), a scenario waiting for a lock only in verbose mode, and so is a
//! scenario that runs again (`--retries`). A retried scenario's block is its
//! final result's: the steps of a discarded attempt are never printed as its
//! own; a flaky scenario's block says what made each earlier attempt fail.
//!
//! Must not decide anything about the run: it only prints the events it gets.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;

use super::annotations;
use super::clean::one_line;
use super::fold::RunFold;
use super::headline;
use super::live::LiveLine;
use super::render::{self, Detail};
use super::snapshot_recap::snapshot_recap;
use super::style::{Styles, Tone, status_mark};
use super::{ReportError, Reporter};
use crate::engine::{Event, Interrupt, RunContext, ScenarioResult, Status};

/// Chooses what the console shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsoleOptions {
    /// Emits ANSI colours (the caller decides from the terminal and `--color`).
    pub color: bool,
    /// 0: failures only; 1 (`-v`): every step; 2 (`-vv`): failed exchanges in
    /// full; 3 (`-vvv`): every exchange in full.
    pub verbose: u8,
    /// Shows a curl command line replaying each failed or errored step.
    pub curl: bool,
    /// Writes GitHub Actions annotations (`::error file=...`) after each
    /// scenario that did not pass.
    pub github_annotations: bool,
    /// Shows a live status line and prints each scenario as it finishes
    /// (on a terminal); otherwise scenarios print in run order.
    pub live: bool,
}

impl Default for ConsoleOptions {
    fn default() -> Self {
        Self {
            color: false,
            verbose: 0,
            curl: true,
            github_annotations: false,
            live: false,
        }
    }
}

/// Prints a human-readable report to a stream, keeping scenarios in order.
pub struct ConsoleReporter {
    out: Box<dyn Write + Send>,
    styles: Styles,
    detail: Detail,
    /// Writes GitHub Actions annotations after each scenario's block.
    github_annotations: bool,
    /// What the events said so far: running scenarios with their steps,
    /// finished results, the announced count.
    fold: RunFold,
    /// Rendered blocks waiting for an earlier scenario to finish.
    ready: BTreeMap<usize, String>,
    /// The index of the next scenario to print.
    next: usize,
    /// Whether the closing lines (summary or interruption) were printed.
    closed: bool,
    /// Whether the output so far ends with a blank line (so none is doubled).
    after_blank: bool,
    /// How many scenarios Ctrl-C kept from starting: one line says so, not
    /// one line each.
    not_started: usize,
    /// Whether to show the live line once the run starts.
    live_wanted: bool,
    /// The live status line, while the run goes on.
    live: Option<LiveLine>,
}

impl fmt::Debug for ConsoleReporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConsoleReporter")
            .field("styles", &self.styles)
            .field("detail", &self.detail)
            .field("next", &self.next)
            .field("waiting", &self.ready.len())
            .field("running", &self.fold.running().count())
            .finish_non_exhaustive()
    }
}

impl ConsoleReporter {
    /// Creates a console reporter writing to `out`.
    #[must_use]
    pub fn new(out: Box<dyn Write + Send>, options: ConsoleOptions) -> Self {
        Self {
            out,
            styles: Styles::new(options.color),
            detail: Detail {
                verbose: options.verbose,
                curl: options.curl,
                earlier_attempts: true,
            },
            github_annotations: options.github_annotations,
            fold: RunFold::default(),
            ready: BTreeMap::new(),
            next: 0,
            closed: false,
            after_blank: false,
            not_started: 0,
            live_wanted: options.live,
            live: None,
        }
    }

    fn write(&mut self, text: &str) -> Result<(), ReportError> {
        if text.is_empty() {
            return Ok(());
        }
        self.after_blank = text.ends_with("\n\n");
        match &self.live {
            Some(live) => live.above(&mut self.out, text),
            None => self.out.write_all(text.as_bytes()),
        }
        .map_err(ReportError::Console)
    }

    /// Returns the separator that sets the next paragraph apart.
    fn blank_line(&self) -> &'static str {
        if self.after_blank { "" } else { "\n" }
    }

    fn flush(&mut self) -> Result<(), ReportError> {
        self.out.flush().map_err(ReportError::Console)
    }

    /// Prints a line about what is happening now, dimmed, between scenario blocks.
    fn now(&mut self, line: &str) -> Result<(), ReportError> {
        let text = format!("{}\n", self.styles.paint(Tone::Dim, line));
        self.write(&text)?;
        self.flush()
    }

    fn run_started(
        &mut self,
        target: &str,
        scenarios: usize,
        context: &RunContext,
    ) -> Result<(), ReportError> {
        let noun = if scenarios == 1 { "scenario" } else { "scenarios" };
        let mut header = format!("Running {scenarios} {noun} against {}\n", one_line(target));
        if let Some(line) = context_line(context) {
            header.push_str(&one_line(&line));
            header.push('\n');
        }
        header.push('\n');
        self.write(&header)?;
        if self.live_wanted {
            self.live = Some(LiveLine::start(scenarios));
        }
        self.flush()
    }

    fn scenario_finished(&mut self, index: usize, result: &ScenarioResult) -> Result<(), ReportError> {
        if result.skip_reason.as_deref() == Some(Interrupt::NOT_STARTED) {
            if let Some(live) = &self.live {
                live.finished(index, false);
            }
            self.not_started += 1;
            self.ready.insert(index, String::new());
            return self.print_ready();
        }
        let mut block = String::new();
        render::render_scenario(&mut block, result, self.styles, self.detail);
        // A block with details reads better set apart from the next header.
        if block.lines().nth(1).is_some() {
            block.push('\n');
        }
        if self.github_annotations {
            block.push_str(&annotations::github_annotations(result));
        }
        if let Some(live) = &self.live {
            // On a terminal a result shows when it is known, not in turn.
            live.finished(index, matches!(result.status, Status::Failed | Status::Errored));
            self.write(&block)?;
            return self.flush();
        }
        self.ready.insert(index, block);
        self.print_ready()
    }

    /// Prints every block whose predecessors have all been printed.
    fn print_ready(&mut self) -> Result<(), ReportError> {
        let mut printed = false;
        while let Some(block) = self.ready.remove(&self.next) {
            self.write(&block)?;
            self.next += 1;
            printed = true;
        }
        if printed {
            self.flush()?;
        }
        Ok(())
    }

    /// Prints everything still held, finished or not, in index order.
    fn print_remaining(&mut self) -> Result<(), ReportError> {
        let mut blocks: BTreeMap<usize, String> = std::mem::take(&mut self.ready);
        for (index, running) in self.fold.running() {
            let mut block = String::new();
            render::render_unfinished(
                &mut block,
                &running.name,
                &running.file,
                &running.steps,
                self.styles,
                self.detail,
            );
            block.push('\n');
            blocks.entry(index).or_insert(block);
        }
        for block in blocks.into_values() {
            self.write(&block)?;
        }
        Ok(())
    }

    /// Removes the live line before the run's closing output.
    fn close_live(&mut self) {
        if let Some(live) = self.live.take() {
            live.close();
        }
    }

    /// Prints the one line that stands for every scenario Ctrl-C kept from starting.
    fn print_not_started(&mut self) -> Result<(), ReportError> {
        if self.not_started == 0 {
            return Ok(());
        }
        let noun = if self.not_started == 1 {
            "scenario"
        } else {
            "scenarios"
        };
        let line = format!(
            "{}  {} {noun} {}\n",
            status_mark(Status::Skipped, self.styles),
            self.not_started,
            Interrupt::NOT_STARTED
        );
        self.not_started = 0;
        self.write(&line)
    }

    /// Returns the header lines of the scenarios that failed or errored, in
    /// scenario order (not finishing order), so reports are stable.
    fn recap(&self) -> Vec<String> {
        self.fold
            .finished()
            .filter(|(_, result)| matches!(result.status, Status::Failed | Status::Errored))
            .map(|(_, result)| headline::scenario_header(result, self.styles))
            .collect()
    }

    fn run_finished(&mut self, summary_line: &str) -> Result<(), ReportError> {
        self.close_live();
        self.print_remaining()?;
        self.print_not_started()?;
        let mut tail = self.blank_line().to_owned();
        let recap = self.recap();
        if !recap.is_empty() && self.fold.finished_count() > 1 {
            render::push_line(&mut tail, 0, "not passed:");
            for line in &recap {
                render::push_line(&mut tail, 2, line);
            }
            render::push_line(&mut tail, 0, "");
        }
        let snapshots = snapshot_recap(self.fold.finished().map(|(_, result)| result));
        if !snapshots.is_empty() {
            for line in &snapshots {
                render::push_line(&mut tail, 0, line);
            }
            render::push_line(&mut tail, 0, "");
        }
        render::push_line(&mut tail, 0, summary_line);
        self.write(&tail)?;
        self.closed = true;
        self.flush()
    }
}

/// Returns the header line saying which configuration, environment and
/// server a run used, or `None` when the run had neither (a bare `--target`).
fn context_line(context: &RunContext) -> Option<String> {
    if context.is_empty() {
        return None;
    }
    let config = match &context.config {
        Some(file) => format!("Using {}", file.display()),
        None => "Using no configuration file".to_owned(),
    };
    let environment = match &context.environment {
        Some(name) => format!(", environment `{name}`"),
        None => ", no environment".to_owned(),
    };
    let served_by = context
        .served_by
        .as_deref()
        .map_or_else(String::new, |s| format!(": {s}"));
    Some(format!("{config}{environment}{served_by}"))
}

impl Reporter for ConsoleReporter {
    fn on_event(&mut self, event: &Event) -> Result<(), ReportError> {
        self.fold.apply(event);
        match event {
            Event::RunStarted {
                target,
                scenarios,
                context,
            } => self.run_started(target, *scenarios, context),
            Event::ScenarioStarted { index, name, .. } => {
                if let Some(live) = &self.live {
                    live.started(*index, name);
                }
                Ok(())
            }
            Event::StepFinished { .. } => Ok(()),
            Event::StepWaiting {
                scenario,
                step,
                reason,
                ..
            } => self.now(&format!(
                "{} / {} is {}",
                one_line(scenario),
                one_line(step),
                one_line(reason)
            )),
            Event::ScenarioWaiting {
                name, locks, behind, ..
            } if self.detail.verbose >= 1 => {
                let noun = if locks.len() == 1 { "lock" } else { "locks" };
                let holders: Vec<String> = behind.iter().map(|b| format!("\"{}\"", one_line(b))).collect();
                let line = format!(
                    "{} waits for {noun} {} (taken by {})",
                    one_line(name),
                    locks.iter().map(|l| one_line(l)).collect::<Vec<_>>().join(", "),
                    holders.join(", ")
                );
                self.now(&line)
            }
            Event::ScenarioWaiting { .. } => Ok(()),
            Event::ScenarioRetrying {
                attempt,
                limit,
                result,
                ..
            } if self.detail.verbose >= 1 => self.now(&format!(
                "{} {} on attempt {attempt} of {limit}; running it again",
                one_line(&result.name),
                result.status.label()
            )),
            Event::ScenarioRetrying { .. } => Ok(()),
            Event::ScenarioFinished { index, result } => self.scenario_finished(*index, result),
            Event::RunFinished { summary } => self.run_finished(&headline::summary_line(summary)),
        }
    }

    fn finish(&mut self) -> Result<(), ReportError> {
        if self.closed {
            return self.flush();
        }
        self.close_live();
        self.print_remaining()?;
        self.print_not_started()?;
        let finished = self.fold.finished_count();
        let line = match self.fold.announced() {
            Some(total) => format!("\nrun interrupted: {finished} of {total} scenarios finished\n"),
            None => format!("\nrun interrupted: {finished} scenarios finished\n"),
        };
        self.write(&line)?;
        self.closed = true;
        self.flush()
    }
}

#[cfg(test)]
#[path = "console_tests.rs"]
mod tests;
