//! Owns the network settings of `scenario run`: the HTTP client's options
//! (the command line's over the environment's over the process
//! environment's proxy variables), and that the certificate files they name
//! exist before anything is sent.
//!
//! Must not build clients or send anything (`crate::http` does), nor choose
//! the environment (`target` does).

use std::collections::BTreeMap;

use super::options::RunOptions;
use super::target::ResolvedTarget;
use crate::error::Error;
use crate::http::{HttpOptions, ProxySettings, TlsFiles};

/// Fails, before anything is sent, when a certificate file named on the
/// command line or by the environment does not exist.
pub(super) fn check_network_files(options: &RunOptions, target: &ResolvedTarget) -> Result<(), Error> {
    let network = &target.network;
    let files = [
        ("--cacert", options.ca_cert.as_ref().or(network.ca_cert.as_ref())),
        (
            "--cert",
            options.client_cert.as_ref().or(network.client_cert.as_ref()),
        ),
        (
            "--key",
            options.client_key.as_ref().or(network.client_key.as_ref()),
        ),
    ];
    for (flag, path) in files {
        if let Some(path) = path
            && !path.is_file()
        {
            return Err(Error::Usage(format!(
                "{flag}: no file at {} (nothing was sent)",
                path.display()
            )));
        }
    }
    Ok(())
}

/// Returns the HTTP client settings of a run: the command line's, over the
/// environment's, over the process environment's proxy variables.
pub(super) fn http_options(
    options: &RunOptions,
    target: &ResolvedTarget,
    env: &BTreeMap<String, String>,
) -> HttpOptions {
    let network = &target.network;
    HttpOptions {
        timeout: options.timeout,
        connect_timeout: options.connect_timeout,
        insecure: options.insecure,
        tls: TlsFiles {
            ca_bundle: options.ca_cert.clone().or_else(|| network.ca_cert.clone()),
            client_cert: options
                .client_cert
                .clone()
                .or_else(|| network.client_cert.clone()),
            client_key: options.client_key.clone().or_else(|| network.client_key.clone()),
        },
        proxy: ProxySettings {
            explicit: options.proxy.clone().or_else(|| network.proxy.clone()),
            ..ProxySettings::from_env(env)
        },
        bodies_budget: options.bodies_budget,
    }
}
