//! The accept loop: HTTP/1.1 connections with a deadline for request headers, a cap on open
//! connections, and a graceful shutdown.
//!
//! `axum::serve` has neither a header timeout nor a connection cap, so a few thousand clients
//! that send half a request line keep their sockets forever and the process runs out of file
//! descriptors. Here each connection holds a permit of a semaphore sized
//! `server.max_connections`; when none is left, a new socket is answered 503 and closed at
//! once. hyper's header-read timer closes a connection whose request head does not arrive in
//! `server.header_timeout_secs`; the same timer runs while a keep-alive connection waits for
//! its next request. Slow bodies are cut off by a layer in [`super::router`].

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt;

use crate::config::ServerConfig;

/// What a refused client reads, when it reads at all.
const REFUSED: &[u8] =
    b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

/// At most one log line per this interval for refused connections and accept errors.
const LOG_EVERY: Duration = Duration::from_secs(10);

/// The limits the accept loop enforces, from `[server]`.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub max_connections: usize,
    pub header_timeout: Duration,
}

impl From<&ServerConfig> for ConnectionLimits {
    fn from(server: &ServerConfig) -> Self {
        ConnectionLimits {
            max_connections: server.max_connections,
            header_timeout: Duration::from_secs(server.header_timeout_secs),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then stops accepting and waits for
/// open connections to finish their requests. Handlers see the peer as
/// `ConnectInfo<SocketAddr>`.
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let mut refused = RateLog::new("connections refused: server.max_connections reached");
    let mut failed = RateLog::new("accept failed (out of file descriptors?)");
    tokio::pin!(shutdown);
    loop {
        let (socket, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    failed.note(Some(&err));
                    // EMFILE and friends clear up when connections close; don't spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            refused.note(None);
            tokio::spawn(refuse(socket));
            continue;
        };
        let _ = socket.set_nodelay(true);
        let app = app.clone();
        let service = service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            app.clone().oneshot(request.map(Body::new))
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(socket), service));
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(error = %err, "connection closed with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Best effort: a 503 if the socket takes it without waiting, then close.
async fn refuse(mut socket: TcpStream) {
    let _ = socket.try_write(REFUSED);
    let _ = socket.shutdown().await;
}

/// Counts an event and logs it at most once per [`LOG_EVERY`], with the count since the last
/// line, so a flood does not flood the log too.
struct RateLog {
    what: &'static str,
    count: u64,
    logged: Option<Instant>,
}

impl RateLog {
    fn new(what: &'static str) -> Self {
        RateLog {
            what,
            count: 0,
            logged: None,
        }
    }

    fn note(&mut self, error: Option<&io::Error>) {
        self.count += 1;
        if self.logged.is_some_and(|at| at.elapsed() < LOG_EVERY) {
            return;
        }
        let error = error.map(ToString::to_string).unwrap_or_default();
        tracing::warn!(count = self.count, error, "{}", self.what);
        self.count = 0;
        self.logged = Some(Instant::now());
    }
}
