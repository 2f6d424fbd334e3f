//! WhatsApp conversations as Meta delivers them, in a real browser and checked by axe-core:
//! signed webhook posts to the real server build a thread with a photo, a quote, a reaction,
//! an edit, a revoke, marks, a system note, an echo and a marketing opt-out; a second
//! resident's three-day-old question is answered through the page, so the answer is held and
//! the re-engagement template goes out; a server without a template says what to configure.
//! Every state is audited, with the `<details>` closed and open.

use std::time::{Duration, Instant};

use fantoccini::Client;
use serde_json::{Value, json};
use vraagbaak::channels::whatsapp::signature::sign;

mod bodies;
mod png;

use bodies::{first_resident_thread, text};

use super::a11y::Audit;
use super::{LIVE, log_in, start_server_with};
use crate::common::browser::{click, wait_for, wait_for_text};
use crate::common::graph::{SECRET, SharedGraph, StandInMedia, graph_stand_in, whatsapp_config};

const TEMPLATE: &str = "vraag_beantwoord";
const SECOND_RESIDENT: &str = "31687654321";
const THIRD_RESIDENT: &str = "31622223333";
const PHOTO_ID: &str = "1234567890123456";
const DOCUMENT_ID: &str = "1234567890123457";
/// A photo Meta no longer has: the thread says why it is missing.
const GONE_ID: &str = "1234567890123458";
const QUESTION: &str = "Wanneer wordt het grofvuil opgehaald?";
const EDITED: &str = "Wanneer wordt het grofvuil in de Dorpsstraat opgehaald?";
/// The photo's thumbnail in the thread, in the page's JavaScript.
const THUMBNAIL: &str = "document.querySelector('#thread .media img')";

/// Posts `body` signed with the app secret, as Meta does, and expects it accepted.
async fn deliver(http: &reqwest::Client, base: &str, body: &Value) {
    let bytes = body.to_string().into_bytes();
    let res = http
        .post(format!("{base}/webhooks/whatsapp"))
        .header("content-type", "application/json")
        .header("x-hub-signature-256", sign(SECRET.as_bytes(), &bytes))
        .body(bytes)
        .send()
        .await
        .expect("webhook post");
    assert_eq!(res.status(), 200, "{body}");
}

/// The WhatsApp-enabled real server (outbox and media workers running) at a Graph stand-in
/// that serves the photo, the document and the gone photo, with the re-engagement template
/// unless `template` is `None`.
async fn whatsapp_server(
    template: Option<&str>,
) -> (
    String,
    tokio::sync::oneshot::Sender<()>,
    tempfile::TempDir,
    SharedGraph,
) {
    let (graph_url, graph) = graph_stand_in(0).await;
    let served = |bytes: Vec<u8>, mime_type: &str| StandInMedia {
        bytes,
        mime_type: mime_type.into(),
        ..StandInMedia::default()
    };
    graph.lock().expect("graph").media.extend([
        (PHOTO_ID.into(), served(png::photo(), "image/png")),
        (
            DOCUMENT_ID.into(),
            served(b"%PDF-1.4\n% aanvraag\n".to_vec(), "application/pdf"),
        ),
        (
            GONE_ID.into(),
            StandInMedia {
                gone: true,
                ..served(png::photo(), "image/png")
            },
        ),
    ]);
    let mut config = whatsapp_config(&graph_url);
    config.whatsapp.reopen_template = template.map(str::to_string);
    let (base, stop, data) = start_server_with(config).await;
    (base, stop, data, graph)
}

/// Evaluates `script` (which returns a boolean) until it is true.
async fn wait_until(client: &Client, what: &str, script: &str) {
    let deadline = Instant::now() + LIVE;
    loop {
        let done = client.execute(script, vec![]).await.expect("script");
        if done == json!(true) {
            return;
        }
        assert!(Instant::now() < deadline, "{what} within {LIVE:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Opens every closed `<details>` in the thread by clicking its summary, as an agent would.
async fn open_details(client: &Client) {
    let count = client
        .execute(
            "return document.querySelectorAll('#thread details:not([open])').length",
            vec![],
        )
        .await
        .expect("script");
    for _ in 0..count.as_u64().expect("a count") {
        click(client, "#thread details:not([open]) > summary").await;
    }
    wait_until(
        client,
        "every <details> open",
        "return document.querySelector('#thread details:not([open])') === null",
    )
    .await;
}

/// Audits the conversation page with its thread scrolled to the top, to the photo, to the
/// other files and to the end, so the screenshots show every message. Ids must be unique
/// too: axe now checks only the ids that ARIA attributes refer to.
async fn audit_thread(audit: &mut Audit, client: &Client, name: &str) {
    for (part, script) in [
        (
            "top",
            "window.scrollTo(0, 0); document.querySelector('#thread').scrollTop = 0",
        ),
        (
            "photo",
            "document.querySelector('#thread .media').scrollIntoView({ block: 'nearest' })",
        ),
        (
            "files",
            "document.querySelector('#thread .media-note').scrollIntoView({ block: 'nearest' })",
        ),
        (
            "end",
            "const t = document.querySelector('#thread'); t.scrollTop = t.scrollHeight",
        ),
    ] {
        client.execute(script, vec![]).await.expect("scroll");
        audit.check(client, &format!("{name}-{part}")).await;
    }
    let duplicates = client
        .execute(
            "const ids = [...document.querySelectorAll('[id]')].map((e) => e.id); \
             return ids.filter((id, i) => ids.indexOf(id) !== i)",
            vec![],
        )
        .await
        .expect("script");
    assert_eq!(duplicates, json!([]), "{name}: duplicate ids");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whatsapp_conversations_pass_axe_core_with_every_element_shown() {
    let Some((mut audit, mut browser)) = Audit::start().await else {
        return;
    };
    let (base, stop, _data, graph) = whatsapp_server(Some(TEMPLATE)).await;
    let http = reqwest::Client::new();
    for body in first_resident_thread() {
        deliver(&http, &base, &body).await;
    }
    let anna = browser.session().await;
    log_in(&anna, &base, "anna").await;
    anna.goto(&format!("{base}/conversations/1"))
        .await
        .expect("conversation");

    // The photo arrives in the background; the page shows it without a reload.
    wait_for(&anna, "#thread .media img", LIVE).await;
    anna.execute(
        "document.querySelector('#thread .media img').scrollIntoView()",
        vec![],
    )
    .await
    .expect("script");
    wait_until(
        &anna,
        "the thumbnail is decoded",
        &format!("const i = {THUMBNAIL}; return i.complete && i.naturalWidth > 0"),
    )
    .await;
    let size = anna
        .execute(
            &format!(
                "const i = {THUMBNAIL}; return [i.naturalWidth, i.getBoundingClientRect().width]"
            ),
            vec![],
        )
        .await
        .expect("script");
    assert_eq!(size[0], json!(800), "the whole photo is served");
    assert!(
        size[1].as_f64().is_some_and(|w| w <= 240.0),
        "shown as a thumbnail: {size}"
    );

    let reaction = wait_for(&anna, "#thread .reaction[role=img]", LIVE).await;
    assert_eq!(
        reaction.attr("aria-label").await.expect("attr").as_deref(),
        Some("Reactie van inwoner: 👍")
    );
    for (css, shown) in [
        ("#thread .edited", "bewerkt"),
        ("#thread .msg.in .text", EDITED),
        ("#thread .revoked-note", "ingetrokken door inwoner"),
        (
            "#thread blockquote.quote",
            "Antwoord op: Wanneer wordt het grofvuil in de Dorpsstraat",
        ),
        ("#thread", "doorgestuurd"),
        ("#thread", "via advertentie: Afvalkalender"),
        ("#thread", "keuze-id l2"),
        ("#thread", "verstuurd buiten vraagbaak"),
        ("#thread", "De beveiligingscode van de inwoner is gewijzigd"),
        ("#thread .revisions summary", "Eerdere versies (1)"),
        ("#thread .revoked-text summary", "Ingetrokken tekst tonen"),
        ("#conv-header", "Inwoner wil geen marketingberichten"),
        ("#conv-header", "foto of video gestuurd"),
        (
            "#thread .media a[download$='.pdf']",
            "Download aanvraag.pdf",
        ),
        (
            "#thread .media-note",
            "WhatsApp heeft dit bestand niet (meer)",
        ),
    ] {
        wait_for_text(&anna, css, shown, LIVE).await;
    }
    audit_thread(&mut audit, &anna, "whatsapp-thread").await;
    open_details(&anna).await;
    wait_for_text(&anna, "#thread .revisions li", QUESTION, LIVE).await;
    wait_for_text(
        &anna,
        "#thread .revoked-text",
        "Verkeerde chat, sorry",
        LIVE,
    )
    .await;
    audit_thread(&mut audit, &anna, "whatsapp-thread-expanded").await;

    // Conversation 2: a question Meta stamped three days ago; the answer waits.
    deliver(
        &http,
        &base,
        &text(SECOND_RESIDENT, "wamid.c2.q", 3 * 24 * 3600, QUESTION),
    )
    .await;
    anna.goto(&format!("{base}/conversations/2"))
        .await
        .expect("conversation");
    wait_for_text(&anna, "#conv-header", TEMPLATE, LIVE).await;
    audit.check(&anna, "whatsapp-window-closed").await;
    wait_for(&anna, "#reply-text", LIVE)
        .await
        .send_keys("Het grofvuil komt dinsdag.")
        .await
        .expect("type");
    click(&anna, "#send").await;
    wait_for_text(
        &anna,
        "#conv-header",
        "wacht op heropening door inwoner",
        LIVE,
    )
    .await;
    let deadline = Instant::now() + LIVE;
    while !graph
        .lock()
        .expect("graph")
        .requests
        .iter()
        .any(|r| r["type"] == "template")
    {
        assert!(Instant::now() < deadline, "the template was sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    audit.check(&anna, "whatsapp-held").await;

    anna.goto(&base).await.expect("inbox");
    wait_for_text(&anna, "#inbox-rows", "whatsapp", LIVE).await;
    audit.check(&anna, "whatsapp-inbox").await;

    // Conversation 3, on a server without a template: the page says what to configure.
    let (base3, stop3, _data3, _graph3) = whatsapp_server(None).await;
    deliver(
        &http,
        &base3,
        &text(THIRD_RESIDENT, "wamid.c3.q", 3 * 24 * 3600, QUESTION),
    )
    .await;
    let bram = browser.session().await;
    log_in(&bram, &base3, "bram").await;
    bram.goto(&format!("{base3}/conversations/1"))
        .await
        .expect("conversation");
    wait_for_text(&bram, "#conv-header", "reopen_template", LIVE).await;
    audit.check(&bram, "whatsapp-no-template").await;

    audit.assert_clean();
    for session in [anna, bram] {
        let _ = session.close().await;
    }
    let _ = stop.send(());
    let _ = stop3.send(());
}
