//! An HTTPS server on 127.0.0.1:0 that speaks only HTTP/2 (offered by ALPN)
//! and compresses its answers: `/api/gzip` with gzip, `/api/br` with
//! brotli, anything else not at all. Each answer is JSON saying the path,
//! the encoding used and the `accept-encoding` the client sent. It stops
//! when dropped.

use std::io::Write;
use std::sync::Arc;

use super::tls::Pki;

/// Holds the running server.
pub struct H2Server {
    /// `https://127.0.0.1:PORT`
    pub url: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
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
async fn serve_connection<T>(io: T)
where
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
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
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                loop {
                    let accepted = tokio::select! {
                        accepted = listener.accept() => accepted,
                        _ = &mut rx => break,
                    };
                    let Ok((stream, _)) = accepted else { continue };
                    let acceptor = acceptor.clone();
                    tokio::spawn(async move {
                        if let Ok(tls) = acceptor.accept(stream).await {
                            serve_connection(tls).await;
                        }
                    });
                }
            });
        });
        let addr: std::net::SocketAddr = addr_rx.recv().unwrap();
        Self {
            url: format!("https://{addr}"),
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }
}

impl Drop for H2Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
