//! `serve`: the server until Ctrl-C or SIGTERM.

use std::process::ExitCode;

use anyhow::{Context, Result};
use vraagbaak::config::Config;
use vraagbaak::server::Server;

pub(super) fn serve(config: Config) -> Result<ExitCode> {
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let served = runtime.block_on(async move {
        let listen = config.server.listen;
        let server = Server::open(config).await?;
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .with_context(|| format!("cannot listen on {listen}"))?;
        let base = format!("http://{}", listener.local_addr()?);
        let articles = server.state.chat.engine.snapshot().articles.len();
        eprintln!("vraagbaak serves {articles} articles on {base}");
        eprintln!("  dashboard:  {base}/inbox");
        eprintln!("  demo chat:  {base}/chat");
        let config = &server.state.chat.config;
        match config.whatsapp.credentials() {
            Ok(_) => eprintln!("  WhatsApp:   on, webhook {base}/webhooks/whatsapp"),
            Err(missing) => eprintln!(
                "  WhatsApp:   off (not set: {})",
                missing
                    .iter()
                    .map(|m| format!("VRAAGBAAK_WHATSAPP_{}", m.to_uppercase()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
        eprintln!("  bot mode:   {}", config.bot.mode.as_str());
        if let Some(password) = &server.first_admin_password {
            eprintln!(
                "\nFirst start: created the user `{}` with password\n\n    {password}\n\nIt is shown only this once. Log in and add your colleagues under Beheer.",
                vraagbaak::server::FIRST_ADMIN
            );
        }
        server.run(listener, shutdown_signal()).await?;
        Ok(ExitCode::SUCCESS)
    });
    // The store is closed by now. Whatever blocking work is left (a reload building an index
    // nobody will use) is abandoned rather than waited for: the process exits at once.
    runtime.shutdown_background();
    served
}

/// Ctrl-C or SIGTERM (systemd, docker stop).
pub(super) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
