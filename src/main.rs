//! The `scenario` binary: parses the command line and hands over to the library.
//!
//! Declares `mod cli` here, so the library can never depend on clap. Must not
//! run a command itself: each one is handed to `scenario::app`.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use cli::{Cli, Command};
use scenario::app;
use scenario::error::{Error, ExitStatus};

fn main() -> ExitCode {
    // args_os: an argument that is not UTF-8 is clap's error to report, not a panic.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(mut error) => {
            let words: Vec<String> = args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
            cli::add_subcommand_tip(&mut error, &Cli::command(), &words);
            // Help and version are not errors; everything else is an invalid invocation.
            let _ = error.print();
            return match error.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(ExitStatus::Invalid.code()),
            };
        }
    };
    let status = match dispatch(cli) {
        Ok(status) => status,
        Err(error) => report(&error),
    };
    ExitCode::from(status.code())
}

fn dispatch(cli: Cli) -> Result<ExitStatus, Error> {
    let color = cli.color;
    let mut stdout = std::io::stdout();
    let mut stderr = std::io::stderr();
    match cli.command {
        Command::Run(args) => runtime()?.block_on(app::run(
            args.into_options(color),
            Box::new(std::io::stdout()),
            &mut stderr,
        )),
        Command::Check(args) => app::check(&Cli::check_options(args, color), &mut stdout, &mut stderr),
        Command::List(args) => app::list(&Cli::list_options(args), &mut stdout, &mut stderr),
        Command::Mock(args) => runtime()?.block_on(app::mock(&Cli::mock_options(args), &mut stdout)),
        Command::Snapshots(args) => app::snapshots(&Cli::snapshots_options(args, color), &mut stdout),
        Command::State(args) => app::state(&args.into_options(), &mut stdout),
        Command::Schema(args) => app::schema(args.of(), &mut stdout),
        Command::Report(args) => app::report_merge(&args.into_options(), &mut stdout, &mut stderr),
        Command::Completions(args) => args
            .write(&mut Cli::command(), &mut stdout)
            .map(|()| ExitStatus::Passed)
            .map_err(|e| Error::CouldNotRun(format!("could not write the completion script: {e}"))),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::CouldNotRun(format!("could not start the async runtime: {e}")))
}

fn report(error: &Error) -> ExitStatus {
    let mut stderr = std::io::stderr();
    // InvalidInput follows diagnostics already printed; a one-line summary closes them.
    let _ = writeln!(stderr, "error: {error}");
    error.exit_status()
}
