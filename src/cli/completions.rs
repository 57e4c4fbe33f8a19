//! Owns `scenario completions SHELL`: prints a completion script generated
//! from the command-line definition itself, so every subcommand, flag and
//! value list is offered as `--help` shows it.
//!
//! Must not hand-write completion rules: a new flag reaches every shell
//! without an edit here.

use std::io::Write;

use clap::{Args, Command};
use clap_complete::Shell;

/// Holds the arguments of `scenario completions`.
#[derive(Debug, Args)]
#[command(after_help = "\
Install, for example:
  bash:        scenario completions bash > ~/.local/share/bash-completion/completions/scenario
  zsh:         scenario completions zsh > ~/.zfunc/_scenario   (with fpath+=~/.zfunc before compinit)
  fish:        scenario completions fish > ~/.config/fish/completions/scenario.fish
  powershell:  scenario completions powershell | Out-String | Invoke-Expression   (in $PROFILE)")]
pub struct CompletionsArgs {
    /// The shell to write the script for.
    #[arg(value_enum)]
    pub shell: Shell,
}

impl CompletionsArgs {
    /// Writes the completion script for `command` to `out`.
    pub fn write(&self, command: &mut Command, out: &mut dyn Write) -> std::io::Result<()> {
        let name = command.get_name().to_owned();
        clap_complete::generate(self.shell, command, name, out);
        out.flush()
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use crate::cli::{Cli, Command as Sub};

    fn script(shell: &str) -> String {
        let cli = Cli::try_parse_from(["scenario", "completions", shell]).unwrap();
        let Sub::Completions(args) = cli.command else {
            panic!("not completions")
        };
        let mut out = Vec::new();
        args.write(&mut Cli::command(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn value_lists_are_offered() {
        let fish = script("fish");
        assert!(fish.contains("auto") && fish.contains("never"), "{fish}");
    }
}
