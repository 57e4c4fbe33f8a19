//! Owns `scenario mock`: serves the built-in Circularo mock, with the switches
//! the command line sets, until Ctrl-C, and says where it listens, which
//! switches differ from the defaults and which accounts it holds.
//!
//! Must not hold mock behaviour (`crate::mock` does) nor run scenarios; it
//! never sees clap.

use std::io::Write;

use super::mock_setup::{config_with_switches, describe_mock};
use super::options::MockOptions;
use crate::error::{Error, ExitStatus};
use crate::mock::MfaCodes;

/// Runs `scenario mock`: serves the mock until Ctrl-C.
///
/// # Errors
/// Returns [`Error::Usage`] for an unreadable or invalid seed file, [`Error::Mock`]
/// when the port is taken.
pub async fn mock(options: &MockOptions, stdout: &mut dyn Write) -> Result<ExitStatus, Error> {
    let seed = match &options.seed {
        Some(path) => crate::mock::Seed::from_file(path).map_err(|e| Error::Usage(e.to_string()))?,
        None => crate::mock::Seed::builtin(),
    };
    let config = config_with_switches(&options.switches, "scenario mock")?;
    let described = describe_mock(&config, None);
    // The banner shows the codes the accounts will really send.
    let shown = if config.mfa_codes == MfaCodes::Fixed {
        seed.clone().with_fixed_codes()
    } else {
        seed.clone()
    };
    let banner = crate::mock::describe_accounts(&shown, options.show_secrets);
    let server = crate::mock::MockServer::start(options.addr, config, seed)
        .await
        .map_err(|e| Error::Mock(e.to_string()))?;
    let _ = writeln!(stdout, "Circularo mock listening on {}", server.base_url());
    let _ = writeln!(stdout, "serving {described}");
    let _ = writeln!(
        stdout,
        "control endpoints under {}/__mock (outbox, clock, reset, accounts, switches)",
        server.root_url()
    );
    let _ = writeln!(stdout, "{banner}");
    if !options.show_secrets {
        let _ = writeln!(
            stdout,
            "passwords, TOTP secrets, fixed MFA codes and recovery codes: run with --show-secrets"
        );
    }
    let _ = writeln!(stdout, "press Ctrl-C to stop");
    let _ = stdout.flush();
    let _ = tokio::signal::ctrl_c().await;
    server.shutdown().await;
    let _ = writeln!(stdout, "mock stopped");
    Ok(ExitStatus::Passed)
}
