//! Declares the selection flags `scenario run` and `scenario list` share
//! and turns them into the library's [`SelectOptions`].
//!
//! Must not parse the values (regexes, globs, tag expressions, partitions):
//! the library does, so it can name the flag of a bad one, and the binary
//! only carries the text.

use clap::Args;

use scenario::app::SelectOptions;

/// Groups the selection flags in `--help`.
const HEADING: &str = "Selecting scenarios";

/// Holds the flags that choose which scenarios run (or are listed).
#[derive(Debug, Args)]
pub struct SelectArgs {
    /// Only scenarios whose tags satisfy this: a tag, or an expression with `and`, `or`, `not`
    /// and parentheses, e.g. 'mfa and not sms' (repeatable: any of them).
    #[arg(help_heading = HEADING, long = "tag", visible_alias = "tags", value_name = "EXPR")]
    pub tags: Vec<String>,
    /// Leave out scenarios with this tag (repeatable).
    #[arg(help_heading = HEADING, long = "exclude-tag", value_name = "TAG")]
    pub exclude_tags: Vec<String>,
    /// Only scenarios whose id (the name, with a matrix combination in brackets) this regex
    /// matches anywhere, e.g. '^MFA' (repeatable: any of them).
    #[arg(help_heading = HEADING, long = "filter", value_name = "REGEX")]
    pub filters: Vec<String>,
    /// Only scenarios whose file, relative to the current folder, this glob matches: `*` stays
    /// in a folder, `**` crosses folders, e.g. 'scenarios/mfa-*.yaml' (repeatable: any of them).
    #[arg(help_heading = HEADING, long = "file-filter", value_name = "GLOB")]
    pub file_filters: Vec<String>,
    /// Keep shard K of N of what the other flags select: count:K/N deals them round-robin,
    /// hash:K/N by a hash of file and id, so a shard keeps its scenarios when files are added.
    #[arg(help_heading = HEADING, long, value_name = "count:K/N|hash:K/N")]
    pub partition: Option<String>,
    /// Only the scenarios that did not pass in the last run (failed, errored, or cut short by
    /// Ctrl-C), as recorded in the state folder; nothing to re-run exits 0.
    #[arg(help_heading = HEADING, long)]
    pub rerun_failed: bool,
}

impl SelectArgs {
    /// Converts the flags into library options.
    #[must_use]
    pub fn into_options(self) -> SelectOptions {
        SelectOptions {
            tags: self.tags,
            exclude_tags: self.exclude_tags,
            filters: self.filters,
            file_filters: self.file_filters,
            partition: self.partition,
            rerun_failed: self.rerun_failed,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::super::{Cli, Command};
    use super::*;

    #[test]
    fn run_and_list_take_the_same_selection_flags() {
        let flags = [
            "--tags",
            "mfa and not sms",
            "--tag",
            "smoke",
            "--exclude-tag",
            "slow",
            "--filter",
            "^MFA",
            "--file-filter",
            "scenarios/*.yaml",
            "--partition",
            "hash:1/3",
            "--rerun-failed",
        ];
        let expected = SelectOptions {
            tags: vec!["mfa and not sms".into(), "smoke".into()],
            exclude_tags: vec!["slow".into()],
            filters: vec!["^MFA".into()],
            file_filters: vec!["scenarios/*.yaml".into()],
            partition: Some("hash:1/3".into()),
            rerun_failed: true,
        };
        let parse = |command: &str| {
            Cli::try_parse_from(["scenario", command].into_iter().chain(flags))
                .unwrap()
                .command
        };
        let Command::Run(args) = parse("run") else {
            panic!("not run")
        };
        assert_eq!(args.into_options(super::super::ColorArg::Never).select, expected);
        let Command::List(args) = parse("list") else {
            panic!("not list")
        };
        assert_eq!(Cli::list_options(args).select, expected);
    }
}
