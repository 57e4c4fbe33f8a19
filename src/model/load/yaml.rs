//! Sets how every scenario file is parsed: the serde-saphyr options (YAML 1.2
//! booleans, duplicate keys refused), the budgets that refuse alias bombs and
//! deep nesting before they cost memory or stack, the syntax-only pre-pass,
//! and the diagnostics for a breached budget.
//!
//! Must not read files or word serde's other errors (that is `yaml_diag`),
//! and must not print.

use serde_saphyr::Error as YamlError;
use serde_saphyr::budget::BudgetBreach;

use crate::model::SourceLocation;
use crate::model::diag::Diagnostic;

/// Refuses YAML nested deeper than this (mappings and lists together).
pub const MAX_DEPTH: usize = 64;
/// Refuses YAML that expands (through aliases) to more nodes than this.
pub const MAX_NODES: usize = 100_000;

/// Returns the serde-saphyr options every scenario file is parsed with:
/// YAML 1.2 booleans, leading-zero numbers kept as strings (`012345` stays a
/// code), duplicate keys rejected, and a budget that refuses alias bombs and
/// deep nesting before they cost memory or stack.
pub(super) fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        with_snippet: false,
        // Numbers are read from their own text (`crate::model::exact`), so
        // `1e400` is kept as written instead of refused; `.inf` is still an error there.
        non_finite_float_policy: serde_saphyr::NonFiniteFloatPolicy::PassThrough,
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
            max_nodes: MAX_NODES,
            max_events: 4 * MAX_NODES,
            max_aliases: 1_000,
            max_anchors: 1_000,
            max_documents: 1,
            max_total_scalar_bytes: 8 * 1024 * 1024,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_NODES,
            max_replay_stack_depth: MAX_DEPTH,
        },
    }
}

/// Parses a YAML data file (a matrix's rows) into JSON values, with the
/// same limits as scenario files and the syntax pass first, so a deep or
/// broken file is refused with its line instead of overflowing the stack.
///
/// # Errors
/// Returns the parser's message, which names the line and column.
pub fn parse_data(source: &str) -> Result<serde_json::Value, String> {
    check_syntax(source).map_err(|e| e.to_string())?;
    serde_saphyr::from_str_with_options(source, options()).map_err(|e| e.to_string())
}

/// Parses `source` for its syntax alone, so a broken line is reported where
/// it is, not as a confusing type error above it.
pub(super) fn check_syntax(source: &str) -> Result<(), YamlError> {
    serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(source, options()).map(|_| ())
}

/// Deepest nesting, by a line's indentation and leading `- ` markers, that
/// the typed parse is trusted with before the syntax pass has run.
const SHALLOW_INDENT: usize = 48;

/// Deepest run of open `[` and `{` trusted the same way.
const SHALLOW_BRACKETS: usize = 16;

/// Tells whether `source` may nest deeply enough that its syntax pass must
/// run first: the pass stops at [`MAX_DEPTH`] with little stack per level,
/// while the typed parse of a deep file could use up a thread's stack before
/// the budget stops it. Cheap and conservative: a false alarm costs only the
/// second pass every file had before.
pub(super) fn may_nest_deeply(source: &str) -> bool {
    let mut open = 0usize;
    let mut line_depth = 0usize;
    let mut at_line_start = true;
    for byte in source.bytes() {
        match byte {
            b'\n' => {
                line_depth = 0;
                at_line_start = true;
                continue;
            }
            b' ' | b'-' | b'\t' if at_line_start => line_depth += 1,
            b'[' | b'{' => {
                open += 1;
                at_line_start = false;
            }
            b']' | b'}' => {
                open = open.saturating_sub(1);
                at_line_start = false;
            }
            _ => at_line_start = false,
        }
        if line_depth > SHALLOW_INDENT || open > SHALLOW_BRACKETS {
            return true;
        }
    }
    false
}

/// Explains which budget a file breached.
pub(super) fn budget_diagnostic(at: SourceLocation, breach: &BudgetBreach) -> Diagnostic {
    match breach {
        BudgetBreach::Depth { .. } => {
            Diagnostic::error(format!("the YAML nests deeper than {MAX_DEPTH} levels"), at)
                .with_help("flatten the structure; a scenario never needs this much nesting")
        }
        BudgetBreach::Documents { .. } => Diagnostic::error(
            "the file holds more than one YAML document (`---`); a scenario file holds one",
            at,
        )
        .with_help("split it into one file per scenario"),
        BudgetBreach::ScalarBytes { .. } | BudgetBreach::InputBytes { .. } => {
            Diagnostic::error("the file holds too much text for a scenario", at)
                .with_help("split it into smaller scenario files")
        }
        _ => alias_bomb(at),
    }
}

/// Explains a file that holds, or expands through aliases to, too many nodes.
pub(super) fn alias_bomb(at: SourceLocation) -> Diagnostic {
    Diagnostic::error(
        format!(
            "the YAML holds or expands to more than {MAX_NODES} nodes: too large for one scenario, \
             or aliases multiply it (an alias bomb)"
        ),
        at,
    )
    .with_help(
        "split a large file into several scenarios; write values out instead of nesting aliases (`*name`)",
    )
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::parse_err;
    use super::may_nest_deeply;

    #[test]
    fn deep_files_are_told_from_ordinary_ones() {
        let ordinary = "name: a\nsteps:\n  - post: /x\n    json: { a: [1, {b: \"{{ c }}\"}] }\n";
        assert!(!may_nest_deeply(ordinary));
        assert!(may_nest_deeply(&format!(
            "a: {}{}",
            "[".repeat(17),
            "]".repeat(17)
        )));
        assert!(may_nest_deeply(&format!("a:\n{}b: 1\n", " ".repeat(49))));
        assert!(may_nest_deeply(&format!("a:\n{}b\n", "- ".repeat(25))));
        // Closed brackets do not add up.
        assert!(!may_nest_deeply(&"[[x]] ".repeat(100)));
    }

    #[test]
    fn budgets_refuse_bombs_and_deep_nesting() {
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            bomb.push_str(&format!(
                "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
        }
        assert!(parse_err(&bomb).message.contains("alias bomb"));
        let deep = format!("name: x\nvars:\n  a: {}{}\n", "[".repeat(100), "]".repeat(100));
        assert!(parse_err(&deep).message.contains("nests deeper"));
    }
}
