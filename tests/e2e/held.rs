//! Replying into a conversation a colleague has just taken: the reason shows beside the reply
//! box, the draft survives a reload, and "Overnemen en versturen" takes it over and sends.

use fantoccini::Client;

use super::{LIVE, log_in, resident_sends, start_server};
use crate::common::axe::{assert_accessible, screenshot};
use crate::common::browser::{Browser, click, wait_for, wait_for_prop, wait_for_text};

const DRAFT: &str = "U kunt het grofvuil online aanmelden.";

async fn stored_draft(client: &Client) -> serde_json::Value {
    client
        .execute("return sessionStorage.getItem('vraagbaak:draft:1')", vec![])
        .await
        .expect("script")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_into_a_held_conversation_keeps_its_draft_and_can_take_over() {
    let Some(mut browser) = Browser::start().await else {
        return;
    };
    let (base, stop, _data) = start_server().await;
    let resident = browser.session().await;
    let anna = browser.session().await;
    let bram = browser.session().await;
    resident.goto(&format!("{base}/chat")).await.expect("chat");
    resident_sends(&resident, "wanneer wordt het grofvuil opgehaald?").await;
    log_in(&anna, &base, "anna").await;
    log_in(&bram, &base, "bram").await;
    let conversation = format!("{base}/conversations/1");
    for agent in [&anna, &bram] {
        agent.goto(&conversation).await.expect("conversation");
        wait_for_text(agent, "#holder", "Nog niemand", LIVE).await;
    }

    // Bram starts typing; Anna takes the conversation meanwhile.
    let reply_box = wait_for(&bram, "#reply-text", LIVE).await;
    reply_box.send_keys(DRAFT).await.expect("type");
    click(&anna, "#take").await;
    wait_for_text(&bram, "#reply-held", "anna behandelt dit gesprek", LIVE).await;
    wait_for_prop(&bram, "#send", "disabled", "true", LIVE).await;
    wait_for(&bram, "#take-over-send", LIVE).await;

    // The draft survives a reload.
    bram.refresh().await.expect("reload");
    wait_for_prop(&bram, "#reply-text", "value", DRAFT, LIVE).await;

    // A send that races the take-over is refused beside the reply box, not on a bare page.
    bram.execute("document.querySelector('#send').disabled = false", vec![])
        .await
        .expect("script");
    click(&bram, "#send").await;
    wait_for_text(&bram, "#reply-error", "anna behandelt dit gesprek", LIVE).await;
    screenshot(&bram, "conversation-held").await;
    assert_accessible(&bram, "refused reply").await;
    wait_for_prop(&bram, "#reply-text", "value", DRAFT, LIVE).await;
    assert_eq!(
        bram.current_url().await.expect("url").as_str(),
        conversation,
        "the page stayed"
    );

    // "Overnemen en versturen" takes it over and sends; the stored draft is gone.
    click(&bram, "#take-over-send").await;
    wait_for_text(&bram, "#thread", DRAFT, LIVE).await;
    wait_for_text(&bram, "#holder", "U behandelt", LIVE).await;
    wait_for_prop(&bram, "#reply-text", "value", "", LIVE).await;
    assert_eq!(stored_draft(&bram).await, serde_json::Value::Null);
    wait_for_text(&anna, "#holder", "bram behandelt dit gesprek", LIVE).await;
    wait_for_text(&resident, ".vb-messages .vb-out", DRAFT, LIVE).await;

    for session in [resident, anna, bram] {
        let _ = session.close().await;
    }
    let _ = stop.send(());
}
