//! Knowledge-base articles over the API (keys with the `kb` scope), for a CMS, scripts and
//! tests. The same save path as the dashboard's editor: validated with the rules of
//! `kb check`, written atomically, recorded as a revision, live when the call returns.
//!
//! ```text
//! GET    /api/v1/kb/articles                 every article: id, title, category, status, version
//! GET    /api/v1/kb/articles/{id}            {"id", "version", "status", "source"}; ETag
//! PUT    /api/v1/kb/articles/{id}            {"source", "comment"?, "status"?}; If-Match
//! DELETE /api/v1/kb/articles/{id}            archive; If-Match
//! GET    /api/v1/kb/articles/{id}/revisions  newest first
//! ```
//!
//! Versions are the hex SHA-256 of the file. `ETag` carries it in double quotes and
//! `If-Match` takes that back: a change to an existing article without it gets 428, with an
//! older one 412 and a diff; invalid content gets 422 with the problems by line.

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::ApiJson;
use crate::chat::editing::{Edit, EditError, Edited};
use crate::kb::write::Expected;
use crate::store::audit;
use crate::store::revisions::Status;
use crate::store::usage::{self, ArticleUsage};
use crate::web::AppState;
use crate::web::auth::KbCaller;
use crate::web::error::{ApiError, AppError};

/// The largest article source accepted: far above what `kb check` allows an answer to be.
pub const MAX_SOURCE_BYTES: usize = 256 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/kb/articles", get(list))
        .route(
            "/api/v1/kb/articles/{id}",
            get(article)
                .put(put)
                .delete(delete)
                .layer(DefaultBodyLimit::max(MAX_SOURCE_BYTES)),
        )
        .route("/api/v1/kb/articles/{id}/revisions", get(revisions))
}

/// One line of the article list.
#[derive(Serialize)]
struct Listed {
    id: String,
    title: String,
    category: String,
    /// `published`, or `draft` for an article that exists only as a concept.
    status: Status,
    /// Whether a draft newer than the published text waits.
    has_draft: bool,
    version: String,
    reviewed: Option<NaiveDate>,
    /// The last 30 days: suggested, used unchanged or edited, not used, bot answers and "nee".
    usage: ArticleUsage,
}

/// The period the list's usage figures cover, as on the dashboard's /kb page.
const USAGE_DAYS: i64 = 30;

async fn list(State(state): State<AppState>, _caller: KbCaller) -> Result<Response, KbError> {
    let snapshot = state.chat.engine.snapshot();
    let articles: Vec<(
        String,
        String,
        String,
        Option<NaiveDate>,
        std::path::PathBuf,
    )> = (snapshot.articles.iter())
        .map(|a| {
            let category = a.category().to_string();
            (
                a.id.clone(),
                a.title.clone(),
                category,
                a.reviewed,
                a.path.clone(),
            )
        })
        .collect();
    drop(snapshot);
    let drafts = state.chat.drafts().await?;
    let since = Utc::now() - chrono::Duration::days(USAGE_DAYS);
    let mut usage = state
        .chat
        .store
        .call(move |c| usage::per_article(c, since))
        .await
        .map_err(EditError::Store)?;
    let versions = tokio::task::spawn_blocking(move || {
        articles
            .into_iter()
            .map(|(id, title, category, reviewed, path)| {
                let version = std::fs::read(&path)
                    .map(|bytes| crate::kb::write::version(&bytes))
                    .unwrap_or_default();
                (id, title, category, reviewed, version)
            })
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|err| EditError::Io(crate::task::stopped(&err).into()))?;
    let mut listed: Vec<Listed> = versions
        .into_iter()
        .map(|(id, title, category, reviewed, version)| Listed {
            has_draft: drafts.iter().any(|d| d.article_id == id),
            usage: usage.remove(&id).unwrap_or_default(),
            id,
            title,
            category,
            status: Status::Published,
            version,
            reviewed,
        })
        .collect();
    for draft in drafts {
        if listed.iter().any(|l| l.id == draft.article_id) {
            continue;
        }
        let Ok(source) = state
            .chat
            .revision_source(&draft.article_id, draft.id)
            .await
        else {
            continue;
        };
        let parsed = crate::kb::parse_article(std::path::Path::new(""), &source).ok();
        listed.push(Listed {
            id: draft.article_id.clone(),
            title: parsed.as_ref().map(|a| a.title.clone()).unwrap_or_default(),
            category: (parsed.as_ref())
                .map(|a| a.category().to_string())
                .unwrap_or_default(),
            status: Status::Draft,
            has_draft: true,
            version: draft.version,
            reviewed: parsed.and_then(|a| a.reviewed),
            usage: ArticleUsage::default(),
        });
    }
    Ok(Json(listed).into_response())
}

#[derive(Serialize)]
struct Source {
    id: String,
    version: String,
    status: Status,
    source: String,
    /// A draft newer than the published text, when one waits.
    #[serde(skip_serializing_if = "Option::is_none")]
    draft: Option<DraftSource>,
}

#[derive(Serialize)]
struct DraftSource {
    version: String,
    author: String,
    at: DateTime<Utc>,
    source: String,
}

async fn article(
    State(state): State<AppState>,
    _caller: KbCaller,
    Path(id): Path<String>,
) -> Result<Response, KbError> {
    let open = state
        .chat
        .open_article(&id)
        .await?
        .ok_or(EditError::NotFound)?;
    let draft = open.draft.map(|(revision, source)| DraftSource {
        version: revision.version,
        author: revision.author,
        at: revision.at,
        source,
    });
    match open.file {
        Some(file) => {
            let etag = etag(&file.version);
            let body = Source {
                id,
                version: file.version,
                status: Status::Published,
                source: file.source,
                draft,
            };
            Ok(([(header::ETAG, etag)], Json(body)).into_response())
        }
        // Only a concept: nothing to match against, so no ETag; the first publish is a new
        // article.
        None => {
            let draft = draft.ok_or(EditError::NotFound)?;
            Ok(Json(Source {
                id,
                version: draft.version,
                status: Status::Draft,
                source: draft.source,
                draft: None,
            })
            .into_response())
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PutRequest {
    source: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    status: PutStatus,
}

#[derive(Deserialize, Default, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum PutStatus {
    #[default]
    Published,
    Draft,
}

async fn put(
    State(state): State<AppState>,
    KbCaller(caller): KbCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<PutRequest>,
) -> Result<Response, KbError> {
    let expected = expected(&state, &id, &headers).await?;
    let actor = caller.actor();
    let draft = request.status == PutStatus::Draft;
    let edited = state
        .chat
        .save_article(Edit {
            id: &id,
            source: &request.source,
            expected,
            author: &actor,
            comment: &request.comment,
            draft,
        })
        .await?;
    let detail = format!("{id} {}", if draft { "draft" } else { "published" });
    audit_edit(&state, actor, "kb.save", detail).await?;
    let status = if edited.created && !draft {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(saved(status, &edited))
}

async fn delete(
    State(state): State<AppState>,
    KbCaller(caller): KbCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, KbError> {
    let Expected::Version(version) = expected(&state, &id, &headers).await? else {
        return Err(EditError::NotFound.into());
    };
    let actor = caller.actor();
    let edited = state
        .chat
        .archive_article(&id, &version, &actor, "")
        .await?;
    audit_edit(&state, actor, "kb.archive", id).await?;
    Ok(saved(StatusCode::OK, &edited))
}

#[derive(Serialize)]
struct Listedrevision {
    id: i64,
    version: String,
    author: String,
    at: DateTime<Utc>,
    comment: String,
    status: Status,
}

async fn revisions(
    State(state): State<AppState>,
    _caller: KbCaller,
    Path(id): Path<String>,
) -> Result<Response, KbError> {
    let revisions = state.chat.article_history(&id).await?;
    if revisions.is_empty() && state.chat.open_article(&id).await?.is_none() {
        return Err(EditError::NotFound.into());
    }
    let listed: Vec<Listedrevision> = revisions
        .into_iter()
        .map(|r| Listedrevision {
            id: r.id,
            version: r.version,
            author: r.author,
            at: r.at,
            comment: r.comment,
            status: r.status,
        })
        .collect();
    Ok(Json(listed).into_response())
}

/// What `If-Match` says the caller saw. An existing article needs it (428 without);
/// `If-Match: *` accepts whatever version is on disk. A new article needs none, and an
/// `If-Match` for one that does not exist fails as a stale version (412).
async fn expected(state: &AppState, id: &str, headers: &HeaderMap) -> Result<Expected, KbError> {
    let exists = state
        .chat
        .open_article(id)
        .await?
        .and_then(|open| open.file);
    let Some(value) = headers.get(header::IF_MATCH) else {
        return match exists {
            Some(_) => Err(KbError::PreconditionRequired),
            None => Ok(Expected::New),
        };
    };
    let value = value
        .to_str()
        .map_err(|_| KbError::BadIfMatch)?
        .trim()
        .to_string();
    if value == "*" {
        return match exists {
            Some(file) => Ok(Expected::Version(file.version)),
            None => Err(EditError::Stale {
                current: String::new(),
                diff: String::new(),
            }
            .into()),
        };
    }
    let version = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_hexdigit()))
        .ok_or(KbError::BadIfMatch)?;
    Ok(Expected::Version(version.to_ascii_lowercase()))
}

fn etag(version: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"\""))
}

fn saved(status: StatusCode, edited: &Edited) -> Response {
    let mut body = serde_json::json!({ "id": edited.id, "version": edited.version });
    if edited.draft {
        body["status"] = "draft".into();
    }
    if let Some(Err(problems)) = &edited.reload {
        // The article is valid and saved, but the knowledge base as a whole was refused.
        body["reload_problems"] = problems.clone().into();
    }
    let mut response = (status, Json(body)).into_response();
    if !edited.draft && edited.reload.is_some() && edited.revision.is_some() {
        response
            .headers_mut()
            .insert(header::ETAG, etag(&edited.version));
    }
    response
}

async fn audit_edit(
    state: &AppState,
    actor: String,
    action: &'static str,
    detail: String,
) -> Result<(), KbError> {
    state
        .chat
        .store
        .call(move |c| audit::record(c, &actor, action, None, &detail))
        .await
        .map_err(|err| KbError::Api(err.into()))
}

/// The answers of the article endpoints: the API's JSON errors, plus the edit's own.
pub enum KbError {
    Edit(EditError),
    /// A change to an existing article without `If-Match`.
    PreconditionRequired,
    BadIfMatch,
    Api(ApiError),
}

impl From<EditError> for KbError {
    fn from(err: EditError) -> Self {
        KbError::Edit(err)
    }
}

impl From<ApiError> for KbError {
    fn from(err: ApiError) -> Self {
        KbError::Api(err)
    }
}

impl IntoResponse for KbError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            KbError::Api(err) => return err.into_response(),
            KbError::PreconditionRequired => (
                StatusCode::PRECONDITION_REQUIRED,
                serde_json::json!({
                    "error": "this article exists: send If-Match with the ETag of the version you changed (GET the article first)"
                }),
            ),
            KbError::BadIfMatch => (
                StatusCode::BAD_REQUEST,
                serde_json::json!({
                    "error": "If-Match must be the article's ETag: its version in double quotes, or *"
                }),
            ),
            KbError::Edit(EditError::Invalid(problems)) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                serde_json::json!({
                    "error": format!("the article has {} problem(s); nothing was written", problems.len()),
                    "problems": problems
                        .iter()
                        .map(|p| serde_json::json!({ "line": p.line, "message": p.message }))
                        .collect::<Vec<_>>(),
                }),
            ),
            KbError::Edit(EditError::Stale { current, diff }) => (
                StatusCode::PRECONDITION_FAILED,
                serde_json::json!({
                    "error": if current.is_empty() {
                        "the article does not exist (any more); nothing was written".to_string()
                    } else {
                        "the article was changed since that version; nothing was written".to_string()
                    },
                    "current_version": current,
                    "diff": diff,
                }),
            ),
            KbError::Edit(EditError::NotFound) => {
                return ApiError(AppError::NotFound).into_response();
            }
            KbError::Edit(err @ (EditError::Io(_) | EditError::Store(_))) => {
                tracing::error!(error = %err, "article edit failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    serde_json::json!({ "error": "internal error; it has been logged" }),
                )
            }
        };
        (status, Json(body)).into_response()
    }
}
