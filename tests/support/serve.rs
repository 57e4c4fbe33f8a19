//! Serves an axum router, or TLS connections to a handler, on 127.0.0.1:0
//! from a runtime thread of its own, until dropped: the one way the test
//! servers start and stop.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;

/// Keeps a served router running; dropping it shuts the server down and
/// waits for its thread.
#[derive(Debug)]
pub struct Served {
    /// The address it listens on.
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Binds a free loopback port on a runtime thread of its own, with
/// `workers` runtime threads (0: a current-thread runtime), and runs `serve`
/// on the listener until the stop signal it is given fires.
fn spawn<F, Fut>(workers: usize, serve: F) -> Served
where
    F: FnOnce(tokio::net::TcpListener, tokio::sync::oneshot::Receiver<()>) -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let (addr_tx, addr_rx) = std::sync::mpsc::channel::<SocketAddr>();
    let thread = std::thread::spawn(move || {
        let runtime = if workers == 0 {
            tokio::runtime::Builder::new_current_thread().enable_all().build()
        } else {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(workers)
                .enable_all()
                .build()
        }
        .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            serve(listener, rx).await;
        });
    });
    Served {
        addr: addr_rx.recv().unwrap(),
        shutdown: Some(tx),
        thread: Some(thread),
    }
}

/// Starts serving `app` on a free loopback port, with `workers` runtime
/// threads (0: a current-thread runtime).
pub fn serve(app: Router, workers: usize) -> Served {
    spawn(workers, |listener, stop| async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stop.await;
            })
            .await
            .unwrap();
    })
}

/// Accepts TLS connections on a free loopback port with `acceptor`, on a
/// current-thread runtime, and hands each one to `handle` on a task of its
/// own; a failed handshake is dropped.
pub fn serve_tls<F, Fut>(acceptor: tokio_rustls::TlsAcceptor, handle: F) -> Served
where
    F: Fn(tokio_rustls::server::TlsStream<tokio::net::TcpStream>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let handle = Arc::new(handle);
    spawn(0, |listener, mut stop| async move {
        loop {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                _ = &mut stop => break,
            };
            let Ok((stream, _)) = accepted else { continue };
            let (acceptor, handle) = (acceptor.clone(), Arc::clone(&handle));
            tokio::spawn(async move {
                if let Ok(tls) = acceptor.accept(stream).await {
                    handle(tls).await;
                }
            });
        }
    })
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
