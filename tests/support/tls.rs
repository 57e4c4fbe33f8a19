//! A TLS test server on 127.0.0.1:0 with certificates made at test time: a
//! CA, a server certificate it signs (for `127.0.0.1` and `localhost`), and
//! a client certificate the server may require (mutual TLS). Nothing is
//! committed; the PEM files live in a temporary folder. It stops when dropped.

use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{RootCertStore, ServerConfig, crypto};

use super::serve::{Served, serve_tls};

/// Holds the certificates of a test: PEM files for the runner, DER for the server.
pub struct Pki {
    /// The folder the PEM files are in.
    pub dir: tempfile::TempDir,
    /// The CA that signed the server and client certificates.
    pub ca: PathBuf,
    /// The client certificate.
    pub client_cert: PathBuf,
    /// The client certificate's key.
    pub client_key: PathBuf,
    server_cert: CertificateDer<'static>,
    server_key: Vec<u8>,
    ca_der: CertificateDer<'static>,
}

/// Makes a CA and the server and client certificates it signs.
pub fn pki() -> Pki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "scenario test CA");
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let server_key = KeyPair::generate().unwrap();
    let server = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .unwrap()
        .signed_by(&server_key, &ca)
        .unwrap();
    let client_key = KeyPair::generate().unwrap();
    let mut client_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    client_params
        .distinguished_name
        .push(DnType::CommonName, "qa-client");
    let client = client_params.signed_by(&client_key, &ca).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::File::create(&path)
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        path
    };
    Pki {
        ca: write("ca.pem", &ca.pem()),
        client_cert: write("client.pem", &client.pem()),
        client_key: write("client.key", &client_key.serialize_pem()),
        server_cert: server.der().clone(),
        server_key: server_key.serialize_der(),
        ca_der: ca.der().clone(),
        dir,
    }
}

impl Pki {
    /// Returns the server's TLS configuration, with no client authentication.
    pub fn server_config(&self) -> ServerConfig {
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.server_key.clone()));
        ServerConfig::builder_with_provider(Arc::new(crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![self.server_cert.clone()], key)
            .unwrap()
    }
}

/// Runs an HTTPS server that answers every request with JSON saying whether
/// the client presented a certificate, until dropped.
pub struct TlsServer {
    /// `https://127.0.0.1:PORT`
    pub url: String,
    /// One entry per request answered: whether a client certificate came with it.
    pub client_certs: Arc<Mutex<Vec<bool>>>,
    _served: Served,
}

impl TlsServer {
    /// Starts the server; with `require_client_cert`, a client without one is refused.
    pub fn start(pki: &Pki, require_client_cert: bool) -> Self {
        let provider = Arc::new(crypto::ring::default_provider());
        let builder = ServerConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .unwrap();
        let builder = if require_client_cert {
            let mut roots = RootCertStore::empty();
            roots.add(pki.ca_der.clone()).unwrap();
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .unwrap();
            builder.with_client_cert_verifier(verifier)
        } else {
            builder.with_no_client_auth()
        };
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(pki.server_key.clone()));
        let config = builder
            .with_single_cert(vec![pki.server_cert.clone()], key)
            .unwrap();
        let client_certs = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&client_certs);
        let served = serve_tls(
            tokio_rustls::TlsAcceptor::from(Arc::new(config)),
            move |mut tls| {
                let seen = Arc::clone(&seen);
                async move {
                    let mut head = Vec::new();
                    let mut buf = [0u8; 1024];
                    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                        match tls.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => head.extend_from_slice(&buf[..n]),
                        }
                    }
                    let presented = tls.get_ref().1.peer_certificates().is_some_and(|c| !c.is_empty());
                    seen.lock().unwrap().push(presented);
                    let body = format!("{{\"tls\":true,\"client_cert\":{presented}}}");
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = tls.write_all(reply.as_bytes()).await;
                    let _ = tls.shutdown().await;
                }
            },
        );
        Self {
            url: format!("https://{}", served.addr),
            client_certs,
            _served: served,
        }
    }
}
