//! Answers look right on every channel: the bot and "Gebruik" send the same text with the
//! article's links, the web chat gets safe HTML, and the dashboard shows answers rendered with
//! the channel named.

use vraagbaak::channels::whatsapp::simulate;
use vraagbaak::chat::Direction;
use vraagbaak::chat::answer::outgoing_text;
use vraagbaak::config::{BotMode, Config};
use vraagbaak::store::users::Role;

use crate::common::app::{TestApp, app, app_with, text};
use crate::whatsapp::{PHONE_ID, SECRET, deliver, whatsapp_config};

const GROFVUIL_QUESTION: &str = "wanneer wordt het grofvuil opgehaald?";

fn bot_always(mut config: Config) -> Config {
    config.bot.mode = BotMode::Always;
    config
}

/// The first reply the bot stored for the article `grofvuil` in conversation 1.
async fn bot_article_text(app: &TestApp) -> String {
    app.thread(1)
        .await
        .into_iter()
        .find(|m| m.direction == Direction::Out && m.article_id.as_deref() == Some("grofvuil"))
        .expect("the bot sent the grofvuil article")
        .text
}

/// The value of `attribute` on the first element that also carries `marker`.
fn attribute(html: &str, marker: &str, attribute: &str) -> String {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in the page"));
    let tag_start = html[..at].rfind('<').expect("inside a tag");
    let tag_end = at + html[at..].find('>').expect("tag end");
    let tag = &html[tag_start..tag_end];
    let name = format!(" {attribute}=\"");
    let value_start = tag.find(&name).expect("attribute present") + name.len();
    let value_len = tag[value_start..].find('"').expect("attribute end");
    unescape(&tag[value_start..value_start + value_len])
}

/// Undoes askama's HTML escaping (numeric entities) and the named ones.
fn unescape(escaped: &str) -> String {
    let mut out = String::new();
    let mut rest = escaped;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let semi = amp + rest[amp..].find(';').expect("entity end");
        let entity = &rest[amp + 1..semi];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            _ => entity
                .strip_prefix('#')
                .and_then(|n| n.parse::<u32>().ok())
                .and_then(char::from_u32)
                .unwrap_or_else(|| panic!("unknown entity &{entity};")),
        };
        out.push(c);
        rest = &rest[semi + 1..];
    }
    out.push_str(rest);
    out
}

/// The suggestions column of a conversation page.
fn suggestions_column(page: &str) -> &str {
    let start = page.find("id=\"suggestions\"").expect("suggestions column");
    let end = start + page[start..].find("</aside>").expect("column end");
    &page[start..end]
}

#[tokio::test]
async fn gebruik_carries_the_links_the_bot_sends_on_the_web_chat() {
    let app = app_with(bot_always(Config::default())).await;
    app.resident_says(None, GROFVUIL_QUESTION).await;
    let bot = bot_article_text(&app).await;
    assert!(
        bot.contains("Meer informatie") && bot.contains("/milieustraat"),
        "the bot sends the article's links: {bot}"
    );

    let anna = app.login("anna", Role::Agent, None).await;
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    let gebruik = attribute(
        &page,
        "data-article=\"grofvuil\" data-via=\"suggestion\" data-reply",
        "data-reply",
    );
    assert_eq!(
        gebruik, bot,
        "Gebruik puts exactly the bot's text in the reply box"
    );

    // Without JavaScript, "Gebruik" is a link that fills the reply box on the server.
    let page = text(app.get("/conversations/1?use=grofvuil", Some(&anna)).await).await;
    let start = page.find("id=\"reply-text\"").expect("reply box");
    let draft = &page[start..];
    let draft =
        &draft[draft.find('>').expect("tag end") + 1..draft.find("</textarea>").expect("end")];
    assert_eq!(unescape(draft), bot);
}

#[tokio::test]
async fn gebruik_sent_on_whatsapp_is_exactly_what_the_bot_sends_there() {
    let app = app_with(bot_always(whatsapp_config("http://127.0.0.1:9/v23.0"))).await;
    let body = simulate::text_message(
        PHONE_ID,
        "31612345678",
        "Fatima",
        "wamid.1",
        GROFVUIL_QUESTION,
    )
    .to_string()
    .into_bytes();
    assert_eq!(deliver(&app, &body, Some(SECRET)).await.status(), 200);
    let bot = bot_article_text(&app).await;
    let snapshot = app.state.chat.engine.snapshot();
    let article = snapshot.article("grofvuil").expect("sample article");
    assert_eq!(bot, outgoing_text(article, "whatsapp", &snapshot.site_url));
    assert!(
        bot.contains("*Kosten:*") && !bot.contains("**"),
        "WhatsApp's own bold: {bot}"
    );
    assert!(
        bot.contains("Milieustraat (https://"),
        "with its links: {bot}"
    );

    let anna = app.login("anna", Role::Agent, None).await;
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    let gebruik = attribute(
        &page,
        "data-article=\"grofvuil\" data-via=\"suggestion\" data-reply",
        "data-reply",
    );
    app.act(&anna, 1, "take", &[]).await;
    let sent = app
        .act(
            &anna,
            1,
            "reply",
            &[("text", &gebruik), ("article", "grofvuil")],
        )
        .await;
    assert!(sent.status().is_redirection(), "{}", sent.status());
    let reply = app.thread(1).await.into_iter().last().expect("the reply");
    assert_eq!(
        reply.text, bot,
        "the agent's reply reads as the bot's answer"
    );
    assert_eq!(reply.usage, Some(vraagbaak::chat::Usage::Unchanged));
}

#[tokio::test]
async fn suggestion_cards_show_the_answer_rendered_with_the_channel_named() {
    let app = app().await;
    app.resident_says(None, GROFVUIL_QUESTION).await;
    let anna = app.login("anna", Role::Agent, None).await;
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    let column = suggestions_column(&page);
    assert!(
        column.contains("Zo ziet de inwoner het in de webchat:"),
        "{column}"
    );
    assert!(column.contains("<strong>Kosten:</strong>"), "{column}");
    assert!(column.contains("<li>"), "lists are lists: {column}");
    assert!(
        column.contains("href=\"https://www.dijkstede.example/milieustraat\""),
        "links are links: {column}"
    );
    let shown: String = column
        .split("data-reply=")
        .map(|part| &part[part.find('>').unwrap_or(0)..])
        .collect();
    assert!(
        !shown.contains("**"),
        "no raw Markdown on the card: {shown}"
    );
}

/// The dashboard's suggestion card of `article` for a resident who wrote `message`.
async fn card_for(message: &str, article: &str) -> String {
    let app = app().await;
    app.resident_says(None, message).await;
    let anna = app.login("anna", Role::Agent, None).await;
    let page = text(app.get("/conversations/1", Some(&anna)).await).await;
    let column = suggestions_column(&page);
    let card = column
        .split("<article class=\"suggestion\"")
        .find(|card| card.contains(&format!("data-article=\"{article}\"")))
        .unwrap_or_else(|| panic!("the card of {article}: {column}"));
    card.to_string()
}

/// A card says which specific word of the message its article leaves unexplained, so the
/// agent does not send the neighbouring article for a near miss.
#[tokio::test]
async fn suggestion_cards_name_the_words_their_article_leaves_unexplained() {
    let paving = card_for("er ligt een matras op de stoep", "stoeptegel-weg-kapot").await;
    assert!(
        paving.contains("<p class=\"unexplained\">Niet in dit artikel: matras</p>"),
        "{paving}"
    );
}

/// A card whose article has only part of a compound of the message says so: the waste pass
/// has "card" and "kwijt", not "kenteken".
#[tokio::test]
async fn suggestion_cards_name_the_words_their_article_has_only_part_of() {
    let pass = card_for("ik ben mijn kentekencard kwijt", "afvalpas").await;
    assert!(
        pass.contains(
            "<p class=\"unexplained\">Alleen een deel van het woord staat in dit artikel: \
             kentekencard</p>"
        ),
        "{pass}"
    );
}

/// A card whose article lists the question the message asks among those it does not answer
/// quotes that question, so the agent sees why the confidence is low.
#[tokio::test]
async fn suggestion_cards_quote_the_question_their_article_does_not_answer() {
    let dog = card_for(
        "ik fok honden, geldt er een kenneltarief voor de hondenbelasting?",
        "hondenbelasting",
    )
    .await;
    assert!(
        dog.contains(
            "<p class=\"unexplained\">Lijkt op een vraag die dit artikel niet beantwoordt: \
             “ik fok honden, is er een speciaal kenneltarief voor de hondenbelasting”</p>"
        ),
        "{dog}"
    );
}

/// A card passed over because the message asks another article's own question says which
/// article and question, so the agent sees why an article that matches every word is at 35%.
#[tokio::test]
async fn suggestion_cards_name_the_article_whose_question_the_message_asks() {
    let bin = card_for("wanneer moet de groene bak buiten?", "gft-container").await;
    assert!(
        bin.contains(
            "<p class=\"unexplained\">Bijna dezelfde vraag staat bij het artikel “Afvalkalender: \
             wanneer moet welke container aan de straat”: “welke dag moet de groene bak buiten”</p>"
        ),
        "{bin}"
    );
    let calendar = card_for("wanneer moet de groene bak buiten?", "afvalkalender").await;
    assert!(!calendar.contains("Bijna dezelfde vraag"), "{calendar}");
}

#[tokio::test]
async fn the_knowledge_base_shows_answers_as_the_web_chat_and_whatsapp_show_them() {
    let app = app().await;
    let anna = app.login("anna", Role::Agent, None).await;
    let page = text(app.get("/kb?q=grofvuil", Some(&anna)).await).await;
    assert!(
        page.contains("Zo ziet de inwoner het in de webchat:"),
        "{page}"
    );
    assert!(
        page.contains("Zo ziet de inwoner het op WhatsApp:"),
        "{page}"
    );
    assert!(page.contains("<strong>Kosten:</strong>"), "{page}");
    // A result that lacks a searched word another article has says so.
    let nearby = text(app.get("/kb?q=matras+op+de+stoep", Some(&anna)).await).await;
    assert!(
        nearby.contains("<p class=\"unexplained\">Niet in dit artikel: matras</p>"),
        "{nearby}"
    );
    // Each answer pane: from the end of its opening tag (it carries a region label) to `</div>`.
    let answers: Vec<&str> = page.split("class=\"answer rendered\"").skip(1).collect();
    assert!(!answers.is_empty(), "{page}");
    for answer in answers {
        let answer = &answer[answer.find('>').expect("tag end") + 1..];
        let answer = &answer[..answer.find("</div>").expect("answer end")];
        assert!(
            !answer.contains("**") && !answer.contains("]("),
            "raw Markdown: {answer}"
        );
    }
}

#[tokio::test]
async fn the_web_chat_gets_replies_as_safe_html_and_its_own_messages_as_typed() {
    let app = app_with(bot_always(Config::default())).await;
    let token = app.resident_says(None, GROFVUIL_QUESTION).await;
    app.resident_says(Some(&token), "<b>mijn</b> vraag").await;
    let anna = app.login("anna", Role::Agent, None).await;
    app.act(&anna, 1, "take", &[]).await;
    let attack = "Zie <script>alert(1)</script> en [dit](javascript:alert(1)) of **hier**.";
    let sent = app.act(&anna, 1, "reply", &[("text", attack)]).await;
    assert!(sent.status().is_redirection(), "{}", sent.status());

    let view = app.resident_view(&token).await;
    let messages = view["messages"].as_array().expect("messages");
    let html_of = |needle: &str| {
        messages
            .iter()
            .find(|m| m["text"].as_str().is_some_and(|t| t.contains(needle)))
            .unwrap_or_else(|| panic!("a message with {needle}"))["html"]
            .clone()
    };
    let answer = html_of("Grofvuil laat u ophalen");
    let answer = answer.as_str().expect("the bot's answer has HTML");
    assert!(answer.contains("<strong>Kosten:</strong>"), "{answer}");
    assert!(
        answer.contains("href=\"https://www.dijkstede.example/milieustraat\""),
        "{answer}"
    );
    assert!(
        html_of("mijn</b> vraag").is_null(),
        "the resident's own text has no HTML"
    );
    let reply = html_of("javascript:");
    let reply = reply.as_str().expect("the agent's reply has HTML");
    assert!(!reply.contains("<script"), "{reply}");
    assert!(reply.contains("&lt;script&gt;"), "{reply}");
    assert!(!reply.contains("href=\"javascript"), "{reply}");
    assert!(reply.contains("<strong>hier</strong>"), "{reply}");
}
