//! A resident's photo or file, for agents: shown in the thread (images inline, the rest as a
//! download) and served by `GET /conversations/{id}/media/{message_id}` only to an agent who
//! may see that conversation; anyone else gets the same 404 as for the conversation.
//!
//! Files live under their SHA-256 and are never reachable by a path of their own. Only the
//! allowlisted image types are served inline; everything else (and anything whose stored type
//! is not on the allowlist, such as an SVG put there by hand) is an attachment with a safe
//! name, and a sandboxing Content-Security-Policy stops a file from running anything.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::channels::whatsapp::media::files::MediaFiles;
use crate::channels::whatsapp::media::size_nl;
use crate::channels::whatsapp::media::sniff::FileType;
use crate::store::audit;
use crate::store::media::{self, Media, MediaState};
use crate::web::AppState;
use crate::web::auth::Agent;
use crate::web::error::{AppError, PageResult};

/// The longest side of an inline thumbnail, in CSS pixels.
const THUMBNAIL_PX: u32 = 240;

/// A media message's file as the thread shows it.
pub struct MediaItem {
    pub url: String,
    /// For a stored image: the thumbnail's width and height.
    pub thumbnail: Option<(u32, u32)>,
    /// What the image is, for its `alt` text: "Foto" or "Sticker".
    pub what: &'static str,
    /// The name the download gets.
    pub name: String,
    pub size: String,
    /// Instead of the file: "wordt opgehaald", or why it was not stored.
    pub note: Option<String>,
}

impl MediaItem {
    fn new(conversation_id: i64, media: &Media) -> MediaItem {
        let url = format!(
            "/conversations/{conversation_id}/media/{}",
            media.message_id
        );
        let file = media.file.as_ref();
        let image = file
            .and_then(|f| FileType::from_mime(&f.mime_type))
            .filter(|t| t.is_image());
        let note = match media.state {
            MediaState::Stored => None,
            MediaState::Pending if media.attempts == 0 => Some("Bestand wordt opgehaald.".into()),
            MediaState::Pending => Some(format!(
                "Bestand nog niet opgehaald ({} pogingen); het wordt opnieuw geprobeerd.",
                media.attempts
            )),
            MediaState::Failed | MediaState::Refused => Some(
                media
                    .reason
                    .clone()
                    .unwrap_or_else(|| "Bestand niet opgehaald.".into()),
            ),
        };
        MediaItem {
            url,
            thumbnail: image.map(|_| thumbnail(file.and_then(|f| f.dimensions))),
            what: if media.kind == "sticker" {
                "Sticker"
            } else {
                "Foto"
            },
            name: download_name(media),
            size: file.map(|f| size_nl(f.size)).unwrap_or_default(),
            note,
        }
    }
}

/// The media of a conversation's thread, by message id.
pub fn items(conversation_id: i64, media: &[Media]) -> HashMap<i64, MediaItem> {
    media
        .iter()
        .map(|m| (m.message_id, MediaItem::new(conversation_id, m)))
        .collect()
}

/// Scaled to fit [`THUMBNAIL_PX`], aspect kept; a square when the header gave no size.
fn thumbnail(dimensions: Option<(u32, u32)>) -> (u32, u32) {
    let (w, h) = dimensions.unwrap_or((THUMBNAIL_PX, THUMBNAIL_PX));
    let longest = w.max(h).max(1);
    if longest <= THUMBNAIL_PX {
        return (w, h);
    }
    let scale =
        |side: u32| (u64::from(side) * u64::from(THUMBNAIL_PX) / u64::from(longest)).max(1) as u32;
    (scale(w), scale(h))
}

/// A file name that is safe in a header and on any disk: the resident's name (documents)
/// or the kind and message id, reduced to letters, digits, `-`, `_` and spaces, with the
/// extension of the type the bytes really are.
pub fn download_name(media: &Media) -> String {
    let stem = media
        .file_name
        .as_deref()
        .map(|name| name.rsplit_once('.').map_or(name, |(stem, _)| stem))
        .map(|stem| {
            stem.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' ') {
                        c
                    } else {
                        '_'
                    }
                })
                .take(80)
                .collect::<String>()
        })
        .map(|stem| stem.trim().to_string())
        .filter(|stem| !stem.is_empty())
        .unwrap_or_else(|| {
            let kind = match media.kind.as_str() {
                "image" => "foto",
                "audio" => "geluid",
                "video" => "video",
                "sticker" => "sticker",
                _ => "bestand",
            };
            format!("{kind}-{}", media.message_id)
        });
    let extension = media
        .file
        .as_ref()
        .and_then(|f| FileType::from_mime(&f.mime_type))
        .map_or("bin", FileType::extension);
    format!("{stem}.{extension}")
}

/// `GET /conversations/{id}/media/{message_id}`: the file, for an agent who may see the
/// conversation. The download is audited like a view.
pub async fn media(
    State(state): State<AppState>,
    Agent(session): Agent,
    Path((id, message_id)): Path<(i64, i64)>,
) -> PageResult<Response> {
    state.chat.conversation_for(&session.user, id).await?;
    let actor = session.user.name.clone();
    let found = state
        .chat
        .store
        .call(move |c| {
            let found = media::in_conversation(c, id, message_id)?;
            if found.as_ref().is_some_and(|m| m.file.is_some()) {
                audit::record(
                    c,
                    &actor,
                    "media.view",
                    Some(id),
                    &format!("message {message_id}"),
                )?;
            }
            Ok(found)
        })
        .await?;
    let Some((media, file)) = found
        .filter(|m| m.state == MediaState::Stored)
        .and_then(|m| m.file.clone().map(|f| (m, f)))
    else {
        return Err(AppError::NotFound.into());
    };
    let files = MediaFiles::new(&state.chat.config.server.data);
    let sha256 = file.sha256.clone();
    let bytes = tokio::task::spawn_blocking(move || files.read(&sha256))
        .await
        .map_err(|e| crate::store::StoreError::Worker(crate::task::stopped(&e).into()))?;
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::error!(conversation = id, message_id, error = %err, "media: stored file unreadable");
            return Err(AppError::NotFound.into());
        }
    };
    let inline = FileType::from_mime(&file.mime_type).filter(|t| t.is_image());
    let content_type = match FileType::from_mime(&file.mime_type) {
        Some(t) => t.mime(),
        None => "application/octet-stream",
    };
    let disposition = format!(
        "{}; filename=\"{}\"",
        if inline.is_some() {
            "inline"
        } else {
            "attachment"
        },
        download_name(&media)
    );
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::media::StoredFile;

    fn stored(kind: &str, file_name: Option<&str>, mime: &str) -> Media {
        Media {
            message_id: 7,
            conversation_id: 1,
            kind: kind.into(),
            state: MediaState::Stored,
            attempts: 1,
            reason: None,
            file: Some(StoredFile {
                sha256: "a".repeat(64),
                size: 10,
                mime_type: mime.into(),
                dimensions: None,
            }),
            file_name: file_name.map(Into::into),
        }
    }

    #[test]
    fn download_names_are_safe_and_carry_the_real_type() {
        assert_eq!(
            download_name(&stored("image", None, "image/jpeg")),
            "foto-7.jpg"
        );
        assert_eq!(
            download_name(&stored(
                "document",
                Some("Aanvraag vergunning.pdf"),
                "application/pdf"
            )),
            "Aanvraag vergunning.pdf"
        );
        assert_eq!(
            download_name(&stored(
                "document",
                Some("x\";\r\n../evil.html"),
                "application/pdf"
            )),
            "x_______evil.pdf"
        );
        assert_eq!(
            download_name(&stored("document", Some("a.svg"), "image/svg+xml")),
            "a.bin"
        );
    }

    #[test]
    fn thumbnails_fit_the_box_and_keep_their_aspect() {
        assert_eq!(thumbnail(Some((4000, 3000))), (240, 180));
        assert_eq!(thumbnail(Some((300, 1200))), (60, 240));
        assert_eq!(thumbnail(Some((100, 50))), (100, 50));
        assert_eq!(thumbnail(None), (240, 240));
    }
}
