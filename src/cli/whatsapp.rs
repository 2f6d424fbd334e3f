//! `whatsapp simulate`: a signed webhook to a running server, as Meta would send it.

use std::process::ExitCode;

use anyhow::{Context, Result};
use vraagbaak::channels::whatsapp::{signature, simulate};
use vraagbaak::config::Config;

pub(super) fn simulate(
    config: &Config,
    message: &str,
    from: &str,
    name: &str,
    url: Option<String>,
) -> Result<ExitCode> {
    let credentials = config.whatsapp.credentials().map_err(|missing| {
        anyhow::anyhow!(
            "the WhatsApp channel is not configured: set {}",
            missing
                .iter()
                .map(|m| format!("VRAAGBAAK_WHATSAPP_{}", m.to_uppercase()))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })?;
    let base = url.unwrap_or_else(|| format!("http://{}", config.server.listen));
    let endpoint = format!("{}/webhooks/whatsapp", base.trim_end_matches('/'));
    let wamid = simulate::new_wamid();
    let body = simulate::text_message(&credentials.phone_number_id, from, name, &wamid, message)
        .to_string();
    let signature = signature::sign(credentials.app_secret.as_bytes(), body.as_bytes());
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    let (status, answer) = runtime.block_on(async {
        vraagbaak::channels::whatsapp::client::use_ring_for_tls();
        let response = reqwest::Client::new()
            .post(&endpoint)
            .header("content-type", "application/json")
            .header("x-hub-signature-256", signature)
            .body(body)
            .send()
            .await
            .with_context(|| format!("cannot reach {endpoint}"))?;
        let status = response.status();
        let answer = response.text().await.unwrap_or_default();
        anyhow::Ok((status, answer))
    })?;
    anyhow::ensure!(
        status.is_success(),
        "{endpoint} answered {status}: {answer}"
    );
    println!("delivered {wamid} from {from}: {answer}");
    Ok(ExitCode::SUCCESS)
}
