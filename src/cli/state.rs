//! Parses `scenario state` (show, reset) into the library's [`StateOptions`].
//!
//! Clap only; must not read the state folder or print anything.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use scenario::app::{StateCommand, StateOptions};

/// Holds the arguments of `scenario state`.
#[derive(Debug, Args)]
pub struct StateArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: StateAction,
    /// The state folder (default: SCENARIO_STATE_DIR, else `state_dir` in scenario.yaml, else .scenario-state).
    #[arg(long, value_name = "DIR", global = true)]
    pub state_dir: Option<PathBuf>,
    /// The environment whose declared pool values are counted (default: the project's default).
    #[arg(long, short = 'e', value_name = "NAME", global = true)]
    pub env: Option<String>,
    /// The project configuration (environments); default: ./scenario.yaml if present.
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
}

/// Lists what `scenario state` can do.
#[derive(Debug, Subcommand)]
pub enum StateAction {
    /// Show each pool's used, refused and held values and the TOTP codes handed out (never a value).
    Show,
    /// Forget what is used: the pools named with --pool, the TOTP ledger with --totp, or everything.
    Reset {
        /// Forget the used and refused values of this pool (repeatable).
        #[arg(long = "pool", value_name = "NAME")]
        pools: Vec<String>,
        /// Forget which TOTP windows earlier runs used.
        #[arg(long)]
        totp: bool,
    },
}

impl StateArgs {
    /// Converts the parsed arguments into library options.
    #[must_use]
    pub fn into_options(self) -> StateOptions {
        StateOptions {
            command: match self.action {
                StateAction::Show => StateCommand::Show,
                StateAction::Reset { pools, totp } => StateCommand::Reset { pools, totp },
            },
            state_dir: self.state_dir,
            env: self.env,
            config: self.config,
        }
    }
}
