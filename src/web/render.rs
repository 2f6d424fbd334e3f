//! Message text as HTML, the way the resident sees it on their channel: the web chat renders
//! Markdown, WhatsApp renders its own `*bold*` and `_italic_`. The widget and the dashboard
//! (thread, suggestion cards, /kb) show this HTML, so no one reads raw `**` or `[…](…)`.
//!
//! Safe by construction: all text is escaped, raw HTML in the source is shown as text, and
//! only `http(s)`, `mailto` and `tel` links become links (a `javascript:` link is plain text).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use crate::chat::service::WHATSAPP;

/// `text`, stored in `channel`'s plain form, as HTML the way that channel shows it.
pub fn channel_html(text: &str, channel: &str) -> String {
    if channel == WHATSAPP {
        whatsapp_html(text)
    } else {
        markdown_html(text)
    }
}

/// The channel as the dashboard names it: "Zo ziet de inwoner het {name}".
pub fn channel_label(channel: &str) -> &'static str {
    if channel == WHATSAPP {
        "op WhatsApp"
    } else {
        "in de webchat"
    }
}

/// Markdown as safe HTML: paragraphs, bold, italics, lists, headings, code and links.
pub fn markdown_html(markdown: &str) -> String {
    let mut events = Vec::new();
    // Whether each open link was kept (safe target) or dropped to its text.
    let mut links: Vec<bool> = Vec::new();
    for event in Parser::new_ext(markdown, Options::empty()) {
        match event {
            // Raw HTML is text to be read, never markup.
            Event::Html(html) | Event::InlineHtml(html) => events.push(Event::Text(html)),
            Event::Start(Tag::HtmlBlock) => events.push(Event::Start(Tag::Paragraph)),
            Event::End(TagEnd::HtmlBlock) => events.push(Event::End(TagEnd::Paragraph)),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                let safe = safe_link(&dest_url);
                links.push(safe);
                if safe {
                    events.push(Event::InlineHtml(anchor(&dest_url).into()));
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if links.pop().unwrap_or(false) {
                    events.push(Event::InlineHtml("</a>".into()));
                }
            }
            Event::Text(text) if links.is_empty() => {
                let mut html = String::new();
                push_linked(&mut html, &text, escape_into);
                events.push(Event::InlineHtml(html.into()));
            }
            other => events.push(other),
        }
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// WhatsApp-formatted text as WhatsApp shows it: `*bold*`, `_italic_`, `~strike~`,
/// `` `code` `` and ```` ``` ```` blocks, lines kept as typed, web addresses as links.
pub fn whatsapp_html(text: &str) -> String {
    let mut html = String::from("<p>");
    let mut in_block = false;
    for (n, line) in text.lines().enumerate() {
        if line.trim() == "```" {
            html.push_str(if in_block {
                "</code>"
            } else {
                "<code class=\"block\">"
            });
            in_block = !in_block;
            continue;
        }
        if n > 0 {
            html.push_str("<br>\n");
        }
        if in_block {
            escape_into(&mut html, line);
        } else {
            push_linked(&mut html, line, whatsapp_inline);
        }
    }
    if in_block {
        html.push_str("</code>");
    }
    html.push_str("</p>\n");
    html
}

/// WhatsApp's markers on one line (outside links): a marker opens before a non-space and
/// closes after one, and only at a word's edge, so `5 * 3` and `bestand_naam` stay as typed.
fn whatsapp_inline(out: &mut String, text: &str) {
    let chars: Vec<char> = text.chars().collect();
    let mut plain_from = 0;
    let mut i = 0;
    while i < chars.len() {
        let Some(tag) = marker_tag(chars[i]) else {
            i += 1;
            continue;
        };
        let opens = chars.get(i + 1).is_some_and(|c| !c.is_whitespace())
            && i.checked_sub(1).is_none_or(|p| !chars[p].is_alphanumeric());
        let close = (i + 2..chars.len()).find(|&j| {
            chars[j] == chars[i]
                && !chars[j - 1].is_whitespace()
                && chars.get(j + 1).is_none_or(|c| !c.is_alphanumeric())
        });
        match close {
            Some(j) if opens => {
                escape_into(out, &chars[plain_from..i].iter().collect::<String>());
                let inner: String = chars[i + 1..j].iter().collect();
                out.push_str(&format!("<{tag}>"));
                if tag == "code" {
                    escape_into(out, &inner);
                } else {
                    whatsapp_inline(out, &inner);
                }
                out.push_str(&format!("</{tag}>"));
                i = j + 1;
                plain_from = i;
            }
            _ => i += 1,
        }
    }
    escape_into(out, &chars[plain_from..].iter().collect::<String>());
}

fn marker_tag(c: char) -> Option<&'static str> {
    match c {
        '*' => Some("strong"),
        '_' => Some("em"),
        '~' => Some("s"),
        '`' => Some("code"),
        _ => None,
    }
}

/// Appends `text` with its `http(s)://` addresses as links and the rest through `plain`.
fn push_linked(out: &mut String, text: &str, plain: fn(&mut String, &str)) {
    let mut rest = text;
    while let Some(start) = url_start(rest) {
        let len = rest[start..]
            .find(|c: char| c.is_whitespace() || c == '<' || c == '"')
            .unwrap_or(rest.len() - start);
        // Punctuation that ends the sentence is not part of the address.
        let url = rest[start..start + len]
            .trim_end_matches(['.', ',', ':', ';', '!', '?', ')', '*', '_', '\'']);
        if url.len() <= "https://".len() {
            plain(out, &rest[..start + len]);
            rest = &rest[start + len..];
            continue;
        }
        plain(out, &rest[..start]);
        out.push_str(&anchor(url));
        escape_into(out, url);
        out.push_str("</a>");
        rest = &rest[start + url.len()..];
    }
    plain(out, rest);
}

/// Where the first `http://` or `https://` address starts that is not inside a word.
fn url_start(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    lower.match_indices("http").map(|(at, _)| at).find(|&at| {
        let tail = &lower[at..];
        (tail.starts_with("https://") || tail.starts_with("http://"))
            && !lower[..at]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
    })
}

/// Whether a link target may be a link: web addresses, e-mail and phone numbers only.
fn safe_link(url: &str) -> bool {
    let url = url.trim().to_ascii_lowercase();
    ["https://", "http://", "mailto:", "tel:"]
        .iter()
        .any(|scheme| url.starts_with(scheme))
}

/// An opening `<a>` that opens outside the dashboard or the municipality's page.
fn anchor(url: &str) -> String {
    // `escape_href` percent-encodes quotes and writes `&` as `&amp;`: safe in an attribute.
    let mut href = String::new();
    // Writing to a String cannot fail.
    let _ = escape_href(&mut href, url.trim());
    format!("<a href=\"{href}\" target=\"_blank\" rel=\"noopener noreferrer\">")
}

fn escape_into(out: &mut String, text: &str) {
    // Writing to a String cannot fail.
    let _ = escape_html(out, text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_bold_lists_and_links_render() {
        let html = markdown_html(
            "Neem **uw paspoort** mee.\n\n- papier\n- glas\n\nZie [Afval](https://dijkstede.example/afval).",
        );
        assert!(html.contains("<strong>uw paspoort</strong>"), "{html}");
        assert!(
            html.contains("<ul>\n<li>papier</li>\n<li>glas</li>\n</ul>"),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"https://dijkstede.example/afval\" target=\"_blank\" rel=\"noopener noreferrer\">Afval</a>"),
            "{html}"
        );
        assert!(!html.contains("**"), "{html}");
    }

    #[test]
    fn markdown_raw_html_is_shown_as_text() {
        let html =
            markdown_html("Hallo <script>alert(1)</script>\n\n<div onclick=\"x()\">blok</div>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<div"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
    }

    #[test]
    fn markdown_javascript_links_are_refused() {
        for source in [
            "[klik](javascript:alert(1))",
            "[klik](JavaScript:alert(1))",
            "![plaatje](javascript:alert(1))",
            "<javascript:alert(1)>",
            "[klik](data:text/html,x)",
        ] {
            let html = markdown_html(source);
            assert!(!html.contains("href"), "{source} gave {html}");
        }
        assert!(markdown_html("[mail](mailto:info@dijkstede.example)").contains("href=\"mailto:"));
    }

    #[test]
    fn markdown_bare_addresses_become_links_without_the_full_stop() {
        let html = markdown_html("Kijk op https://dijkstede.example/a_b_c. Of bel.");
        assert!(
            html.contains(">https://dijkstede.example/a_b_c</a>. Of bel."),
            "{html}"
        );
    }

    #[test]
    fn link_targets_cannot_break_out_of_the_attribute() {
        let html = markdown_html("[x](https://a.example/\"onmouseover=\"alert(1))");
        assert!(!html.contains("\"onmouseover"), "{html}");
    }

    #[test]
    fn whatsapp_markers_render_as_whatsapp_shows_them() {
        let html = whatsapp_html(
            "Neem *uw paspoort* mee, _vandaag_ nog.\n• papier\n5 * 3 = 15, bestand_naam.pdf",
        );
        assert_eq!(
            html,
            "<p>Neem <strong>uw paspoort</strong> mee, <em>vandaag</em> nog.<br>\n• papier<br>\n5 * 3 = 15, bestand_naam.pdf</p>\n"
        );
        assert_eq!(
            whatsapp_html("_*Gesloten*_"),
            "<p><em><strong>Gesloten</strong></em></p>\n"
        );
    }

    #[test]
    fn whatsapp_text_is_escaped_and_addresses_link() {
        let html = whatsapp_html("<script>x</script> zie https://dijkstede.example/a_b_c.");
        assert!(
            html.starts_with(
                "<p>&lt;script&gt;x&lt;/script&gt; zie <a href=\"https://dijkstede.example/a_b_c\""
            ),
            "{html}"
        );
        assert!(
            html.contains(">https://dijkstede.example/a_b_c</a>.</p>"),
            "{html}"
        );
    }

    #[test]
    fn channel_html_picks_the_channel_form() {
        assert!(channel_html("**vet**", "webchat").contains("<strong>vet</strong>"));
        assert!(channel_html("*vet*", WHATSAPP).contains("<strong>vet</strong>"));
        assert!(channel_html("*schuin*", "webchat").contains("<em>schuin</em>"));
    }
}
