//! Owns `scenario mock`: serves the built-in Circularo mock until Ctrl-C and
//! says where it listens and which accounts it holds.
//!
//! Must not hold mock behaviour (`crate::mock` does) nor run scenarios; it
//! never sees clap.

use std::io::Write;

use super::options::MockOptions;
use crate::error::{Error, ExitStatus};

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
    let banner = crate::mock::describe_accounts(&seed, options.show_secrets);
    let server = crate::mock::MockServer::start(options.addr, crate::mock::MockConfig::default(), seed)
        .await
        .map_err(|e| Error::Mock(e.to_string()))?;
    let _ = writeln!(stdout, "Circularo mock listening on {}", server.base_url());
    let _ = writeln!(
        stdout,
        "control endpoints under {}/__mock (outbox, clock, reset, accounts)",
        server.root_url()
    );
    let _ = writeln!(stdout, "{banner}");
    if !options.show_secrets {
        let _ = writeln!(
            stdout,
            "passwords, TOTP secrets and recovery codes: run with --show-secrets"
        );
    }
    let _ = writeln!(stdout, "press Ctrl-C to stop");
    let _ = stdout.flush();
    let _ = tokio::signal::ctrl_c().await;
    server.shutdown().await;
    let _ = writeln!(stdout, "mock stopped");
    Ok(ExitStatus::Passed)
}
