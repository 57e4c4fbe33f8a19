//! Owns the `scenario mock` flags for the mock's switches: one flag per entry
//! of the mock's switch registry, with its values and default in `--help`, so
//! a new switch gets its flag without an edit here.
//!
//! Must not know what a switch does, nor validate beyond clap's list of
//! values: the app hands the names to the mock.

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgMatches, Args, Command, FromArgMatches};

use scenario::mock::SWITCHES;

/// Holds the switches given on the command line, as `(key, value)` names.
#[derive(Debug, Clone, Default)]
pub struct SwitchArgs {
    /// The switches set, in registry order.
    pub switches: Vec<(String, String)>,
}

impl FromArgMatches for SwitchArgs {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        let mut args = Self::default();
        args.update_from_arg_matches(matches)?;
        Ok(args)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        for info in SWITCHES {
            if let Some(value) = matches.get_one::<String>(info.key) {
                self.switches.retain(|(key, _)| key != info.key);
                self.switches.push((info.key.to_owned(), value.clone()));
            }
        }
        Ok(())
    }
}

impl Args for SwitchArgs {
    fn augment_args(command: Command) -> Command {
        SWITCHES.iter().fold(command, |command, info| {
            command.arg(
                Arg::new(info.key)
                    .long(info.flag)
                    .value_name("VALUE")
                    .value_parser(PossibleValuesParser::new(info.values))
                    .help(format!("{} [default: {}]", info.about, info.default_value()))
                    .help_heading("Switches (docs/mock.md)"),
            )
        })
    }

    fn augment_args_for_update(command: Command) -> Command {
        Self::augment_args(command)
    }
}
