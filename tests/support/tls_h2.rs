//! An HTTPS server on 127.0.0.1:0 that speaks only HTTP/2 (offered by ALPN)
//! and compresses its answers: `/api/gzip` with gzip, `/api/br` with
//! brotli, anything else not at all. Each answer is JSON saying the path,
//! the encoding used and the `accept-encoding` the client sent. It stops
//! when dropped.

use std::io::Write;
use std::sync::Arc;

use super::serve::{Served, serve_tls};
use super::tls::Pki;

/// Holds the running server.
pub struct H2Server {
    /// `https://127.0.0.1:PORT`
    pub url: String,
    _served: Served,
}

/// Returns `body` compressed with `encoding` (`gzip`, `br`), or as it is.
fn encoded(encoding: &str, body: &[u8]) -> Vec<u8> {
    match encoding {
        "gzip" => {
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(body).unwrap();
            encoder.finish().unwrap()
        }
        "br" => {
            let mut out = Vec::new();
            {
                let mut encoder = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
                encoder.write_all(body).unwrap();
            }
            out
        }
        _ => body.to_vec(),
    }
}

/// Answers the requests of one HTTP/2 connection.
async fn serve_connection(io: tokio_rustls::server::TlsStream<tokio::net::TcpStream>) {
    let Ok(mut connection) = h2::server::handshake(io).await else {
        return;
    };
    while let Some(Ok((request, mut respond))) = connection.accept().await {
        let path = request.uri().path().to_owned();
        let accepted = request
            .headers()
            .get("accept-encoding")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let encoding = match path.as_str() {
            "/api/gzip" => "gzip",
            "/api/br" => "br",
            _ => "identity",
        };
        let body = serde_json::json!({"path": path, "encoding": encoding, "accept_encoding": accepted});
        let body = encoded(encoding, body.to_string().as_bytes());
        let mut response = http::Response::builder()
            .status(200)
            .header("content-type", "application/json");
        if encoding != "identity" {
            response = response.header("content-encoding", encoding);
        }
        let Ok(mut send) = respond.send_response(response.body(()).unwrap(), false) else {
            return;
        };
        let _ = send.send_data(bytes::Bytes::from(body), true);
    }
}

impl H2Server {
    /// Starts the server with the certificate of `pki`.
    pub fn start(pki: &Pki) -> Self {
        let mut config = pki.server_config();
        config.alpn_protocols = vec![b"h2".to_vec()];
        let served = serve_tls(
            tokio_rustls::TlsAcceptor::from(Arc::new(config)),
            serve_connection,
        );
        Self {
            url: format!("https://{}", served.addr),
            _served: served,
        }
    }
}
