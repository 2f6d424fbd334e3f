//! The outgoing text of an article: what the bot sends and what "Gebruik" puts in the reply
//! box come from here, so both carry the article's links in the same words.
//!
//! A message is stored in its channel's plain form: Markdown on the web chat (the widget shows
//! it rendered), WhatsApp's own formatting on WhatsApp (sent as stored). Agents write Markdown;
//! [`for_channel`] turns it into the channel's form when their reply is stored.

use url::Url;

use super::service::WHATSAPP;
use crate::channels::whatsapp::format::to_whatsapp;
use crate::kb::Article;

/// What a resident on `channel` receives for `article`: its answer and its links.
pub fn outgoing_text(article: &Article, channel: &str, site_url: &Url) -> String {
    for_channel(&article_markdown(article, site_url), channel)
}

/// The article's answer with its links, as Markdown: what an agent edits after "Gebruik".
pub fn article_markdown(article: &Article, site_url: &Url) -> String {
    let links: Vec<(String, String)> = article
        .links
        .iter()
        .map(|l| (l.title.clone(), l.resolve(site_url)))
        .collect();
    with_links(&article.answer(site_url), &links)
}

/// Markdown as `channel` shows it: unchanged on the web chat, WhatsApp formatting on WhatsApp.
pub fn for_channel(markdown: &str, channel: &str) -> String {
    if channel == WHATSAPP {
        to_whatsapp(markdown)
    } else {
        markdown.trim().to_owned()
    }
}

/// `answer`, followed by a Markdown "Meer informatie:" list of the `(title, url)` links it does
/// not already show. Site-relative links are left out: they cannot be opened from a chat, so
/// the caller should pass absolute URLs.
fn with_links(answer: &str, links: &[(String, String)]) -> String {
    let mut listed: Vec<&str> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    for (title, url) in links {
        let url = url.trim();
        let absolute = url.starts_with("https://") || url.starts_with("http://");
        if !absolute || listed.contains(&url) || mentions(answer, url) {
            continue;
        }
        listed.push(url);
        let title = title.trim();
        lines.push(if title.is_empty() {
            format!("- <{url}>")
        } else {
            format!("- [{}]({url})", escape_link_text(title))
        });
    }
    let answer = answer.trim_end();
    if lines.is_empty() {
        return answer.to_owned();
    }
    let list = format!("Meer informatie:\n{}", lines.join("\n"));
    if answer.is_empty() {
        list
    } else {
        format!("{answer}\n\n{list}")
    }
}

/// A link title as Markdown link text: brackets and other markup characters are escaped, so
/// a title like `Afval [oud]` cannot end the link early.
fn escape_link_text(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.chars() {
        if matches!(c, '[' | ']' | '\\' | '*' | '_' | '`' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `text` contains `url` as a whole link, not as the start of a longer one.
fn mentions(text: &str, url: &str) -> bool {
    text.match_indices(url).any(|(at, _)| {
        text[at + url.len()..]
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || ").,;:!?\"'/".contains(c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_links_lists_the_links_not_yet_in_the_answer() {
        let links = [
            (
                "Grofvuil ophaalafspraak".to_owned(),
                "https://dijkstede.example/grofvuil".to_owned(),
            ),
            (
                "Milieustraat".to_owned(),
                "https://dijkstede.example/milieustraat".to_owned(),
            ),
            (
                "Dubbel".to_owned(),
                "https://dijkstede.example/milieustraat".to_owned(),
            ),
            ("Relatief".to_owned(), "/afval".to_owned()),
        ];
        assert_eq!(
            with_links(
                "Maak een afspraak via https://dijkstede.example/grofvuil.\n",
                &links
            ),
            "Maak een afspraak via https://dijkstede.example/grofvuil.\n\nMeer informatie:\n- [Milieustraat](https://dijkstede.example/milieustraat)"
        );
    }

    #[test]
    fn with_links_does_not_mistake_a_longer_url_for_the_link() {
        let links = [(
            "Afval".to_owned(),
            "https://dijkstede.example/afval".to_owned(),
        )];
        assert_eq!(
            with_links("Zie https://dijkstede.example/afvalpas", &links),
            "Zie https://dijkstede.example/afvalpas\n\nMeer informatie:\n- [Afval](https://dijkstede.example/afval)"
        );
    }

    #[test]
    fn with_links_leaves_the_answer_alone_when_nothing_is_new() {
        assert_eq!(with_links("Klaar.", &[]), "Klaar.");
        let links = [(
            "Afval".to_owned(),
            "https://dijkstede.example/afval".to_owned(),
        )];
        assert_eq!(
            with_links("Zie https://dijkstede.example/afval/", &links),
            "Zie https://dijkstede.example/afval/"
        );
    }
}
