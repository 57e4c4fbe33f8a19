//! Sets up TLS and proxies for a client: the crypto provider (ring), extra
//! trusted CAs (a PEM bundle), a client certificate and key (mutual TLS),
//! `--insecure`, and the proxy
//! (given explicitly, or `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` with
//! `NO_PROXY`, which never apply to loopback targets).
//!
//! Reads the certificate files it is given. Must not send anything, nor read
//! the process environment (the caller hands the variables over).

use std::path::{Path, PathBuf};

use super::error::{HttpError, error_chain};

/// Names the certificate files of a run (PEM).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsFiles {
    /// Extra CAs to trust besides the system's (`--cacert`).
    pub ca_bundle: Option<PathBuf>,
    /// A client certificate chain, for servers that ask for one (`--cert`).
    pub client_cert: Option<PathBuf>,
    /// The client certificate's private key (`--key`); may be in `client_cert`'s file.
    pub client_key: Option<PathBuf>,
}

/// Says which proxy requests go through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxySettings {
    /// Every request goes through this proxy (`--proxy`), loopback included.
    pub explicit: Option<String>,
    /// `HTTPS_PROXY` (or `https_proxy`), for `https://` targets.
    pub https: Option<String>,
    /// `HTTP_PROXY` (or `http_proxy`), for `http://` targets.
    pub http: Option<String>,
    /// `ALL_PROXY` (or `all_proxy`), for targets the two above do not cover.
    pub all: Option<String>,
    /// `NO_PROXY` (or `no_proxy`): hosts, domains and IP ranges reached directly.
    pub no_proxy: Option<String>,
}

impl ProxySettings {
    /// Reads the proxy variables from an environment map, upper case first.
    #[must_use]
    pub fn from_env(env: &std::collections::BTreeMap<String, String>) -> Self {
        let get = |name: &str| {
            env.get(name)
                .or_else(|| env.get(&name.to_ascii_lowercase()))
                .filter(|v| !v.trim().is_empty())
                .cloned()
        };
        Self {
            explicit: None,
            https: get("HTTPS_PROXY"),
            http: get("HTTP_PROXY"),
            all: get("ALL_PROXY"),
            no_proxy: get("NO_PROXY"),
        }
    }

    /// Returns every proxy URL in use, for redacting their passwords.
    #[must_use]
    pub fn urls(&self) -> Vec<&str> {
        [&self.explicit, &self.https, &self.http, &self.all]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect()
    }
}

/// Hosts that environment proxies never apply to: a local mock or test
/// server must not be sent through a corporate proxy.
const LOOPBACK: &str = "localhost,127.0.0.0/8,::1";

/// Makes ring the process's rustls crypto provider, once, before any client
/// is built: reqwest is built without a provider of its own, so that
/// aws-lc-sys (its default, a C library that takes longest to build of all
/// the dependencies) is not needed.
pub(super) fn install_crypto_provider() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        // An error means a provider is installed already (by an embedding
        // program or a test); reqwest uses that one.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// Applies `files`, `insecure` and `proxy` to a client builder.
pub(super) fn configure(
    mut builder: reqwest::ClientBuilder,
    files: &TlsFiles,
    insecure: bool,
    proxy: &ProxySettings,
) -> Result<reqwest::ClientBuilder, HttpError> {
    builder = builder.tls_danger_accept_invalid_certs(insecure);
    if let Some(path) = &files.ca_bundle {
        let pem = read(path, "CA bundle")?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| setup(path, "CA bundle", &e))?;
        if certs.is_empty() {
            return Err(HttpError::Setup(format!(
                "the CA bundle {} holds no PEM certificate",
                path.display()
            )));
        }
        builder = builder.tls_certs_merge(certs);
    }
    match (&files.client_cert, &files.client_key) {
        (Some(cert), key) => {
            let mut pem = read(cert, "client certificate")?;
            if let Some(key) = key {
                pem.push(b'\n');
                pem.extend(read(key, "client key")?);
            }
            let identity = reqwest::Identity::from_pem(&pem)
                .map_err(|e| setup(cert, "client certificate and key", &e))?;
            builder = builder.identity(identity);
        }
        (None, Some(key)) => {
            return Err(HttpError::Setup(format!(
                "a client key ({}) needs its certificate: give --cert (or `client_cert:`) too",
                key.display()
            )));
        }
        (None, None) => {}
    }
    builder = builder.no_proxy();
    for proxy in proxies(proxy)? {
        builder = builder.proxy(proxy);
    }
    Ok(builder)
}

/// Builds the proxies of `settings`: the explicit one for every request, else
/// one per environment variable, each skipping `NO_PROXY` and loopback.
fn proxies(settings: &ProxySettings) -> Result<Vec<reqwest::Proxy>, HttpError> {
    let bad =
        |e: reqwest::Error| HttpError::Setup(format!("invalid proxy URL: {}", error_chain(&e.without_url())));
    if let Some(url) = &settings.explicit {
        let mut proxy = reqwest::Proxy::all(url).map_err(bad)?;
        if let Some(no_proxy) = &settings.no_proxy {
            proxy = proxy.no_proxy(reqwest::NoProxy::from_string(no_proxy));
        }
        return Ok(vec![proxy]);
    }
    let skip = || {
        let list = match &settings.no_proxy {
            Some(list) => format!("{list},{LOOPBACK}"),
            None => LOOPBACK.to_owned(),
        };
        reqwest::NoProxy::from_string(&list)
    };
    let mut out = Vec::new();
    if let Some(url) = &settings.https {
        out.push(reqwest::Proxy::https(url).map_err(bad)?.no_proxy(skip()));
    }
    if let Some(url) = &settings.http {
        out.push(reqwest::Proxy::http(url).map_err(bad)?.no_proxy(skip()));
    }
    if let Some(url) = &settings.all {
        out.push(reqwest::Proxy::all(url).map_err(bad)?.no_proxy(skip()));
    }
    Ok(out)
}

fn read(path: &Path, what: &str) -> Result<Vec<u8>, HttpError> {
    std::fs::read(path)
        .map_err(|e| HttpError::Setup(format!("cannot read the {what} {}: {e}", path.display())))
}

fn setup(path: &Path, what: &str, error: &reqwest::Error) -> HttpError {
    HttpError::Setup(format!(
        "the {what} in {} is not usable PEM: {}",
        path.display(),
        error_chain(error)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn proxy_variables_are_read_upper_case_first() {
        let env = BTreeMap::from([
            ("https_proxy".to_owned(), "http://lower:1".to_owned()),
            ("HTTP_PROXY".to_owned(), "http://upper:2".to_owned()),
            ("NO_PROXY".to_owned(), " ".to_owned()),
        ]);
        let settings = ProxySettings::from_env(&env);
        assert_eq!(settings.https.as_deref(), Some("http://lower:1"));
        assert_eq!(settings.http.as_deref(), Some("http://upper:2"));
        assert_eq!(settings.no_proxy, None);
        assert_eq!(proxies(&settings).unwrap().len(), 2);
    }

    #[test]
    fn unreadable_certificates_are_setup_errors_naming_the_file() {
        let files = TlsFiles {
            ca_bundle: Some(PathBuf::from("no/such/ca.pem")),
            ..TlsFiles::default()
        };
        let err = configure(
            reqwest::Client::builder(),
            &files,
            false,
            &ProxySettings::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("no/such/ca.pem"), "{err}");
        let files = TlsFiles {
            client_key: Some(PathBuf::from("k.pem")),
            ..TlsFiles::default()
        };
        let err = configure(
            reqwest::Client::builder(),
            &files,
            false,
            &ProxySettings::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("--cert"), "{err}");
    }
}
