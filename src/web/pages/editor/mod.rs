//! The article editor for content editors (role editor or admin): a form for every field,
//! the resident's view of the answer with B1 hints, validation with the rules of `kb check`
//! next to each field, "Probeer een vraag", saving (published or as a concept) through the
//! editing core, history with restore, and archiving. Agents get 403 on all of it.
//!
//! One form posts to `/kb/articles/{id}` (`new` for a new article) with a button `action`:
//! `preview` (also Enter in a field), `probe` (rank the example questions), `ask` (the free
//! box), `publish` or `draft`. Without JavaScript every step is a round trip; `editor.js`
//! only refreshes the preview while typing and adds list rows.
//!
//! ```text
//! mod.rs      routes: open, post (preview, try-out, save), live preview
//! view.rs     the page: form as typed, problems at their fields, preview
//! probe.rs    the try-out on a throwaway index with the draft article in it
//! problems.rs `kb check`'s problems at their fields, in Dutch
//! save.rs     saving through the editing core; ids for new articles
//! history.rs  history with diffs, restore, archive
//! diff.rs     diffs marked by sign and element, not by colour alone
//! ```

mod diff;
mod history;
mod probe;
mod problems;
mod save;
mod view;

pub use history::{archive, archive_form, history, restore};

use std::collections::BTreeSet;

use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use self::problems::placed;
use self::view::{EditorPage, Preview, PreviewPartial, Ranks};
use super::Nav;
use crate::chat::editing::EditError;
use crate::kb::form::ArticleForm;
use crate::kb::{Article, parse_article};
use crate::search::today;
use crate::store::users::Session;
use crate::web::AppState;
use crate::web::auth::Agent;
use crate::web::error::{AppError, PageResult};

/// The path segment that stands for an article not yet saved.
const NEW: &str = "new";

/// "Probeer een vraag" builds an index of the whole knowledge base; one runs at a time.
static TRY_OUTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// `GET /kb/articles/new`: an empty form.
pub async fn new_article(State(state): State<AppState>, agent: Agent) -> PageResult<EditorPage> {
    agent.require_editor()?;
    let form = ArticleForm::default();
    Ok(page(
        &state,
        &agent.0,
        String::new(),
        true,
        String::new(),
        form,
    ))
}

/// `GET /kb/articles/{id}`: the article as it is published, or its pending draft.
pub async fn open(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<String>,
) -> PageResult<Response> {
    agent.require_editor()?;
    let opened = state
        .chat
        .open_article(&id)
        .await?
        .ok_or(AppError::NotFound)?;
    let version = opened
        .file
        .as_ref()
        .map(|f| f.version.clone())
        .unwrap_or_default();
    let (source, draft_note) = match (&opened.draft, &opened.file) {
        (Some((revision, source)), _) => (
            source.clone(),
            Some(format!(
                "U bewerkt het concept van {} ({}). {}",
                revision.author,
                super::local_time(revision.at),
                if opened.file.is_some() {
                    "Inwoners krijgen nog de gepubliceerde versie."
                } else {
                    "Het artikel is nog niet gepubliceerd."
                }
            )),
        ),
        (None, Some(file)) => (file.source.clone(), None),
        (None, None) => return Err(AppError::NotFound.into()),
    };
    let (form, unreadable) = match ArticleForm::from_source(&source) {
        Ok(form) => (form, None),
        Err(err) => (ArticleForm::default(), Some(err.to_string())),
    };
    let mut page = page(&state, &agent.0, id, false, version, form);
    page.draft_note = draft_note;
    page.notice = state.flashes.take(&agent.0).notice;
    if let Some(err) = unreadable {
        page.problems.push((
            None,
            format!("Het bestand kan niet in het formulier worden gelezen: {err}"),
        ));
    }
    Ok(page.into_response())
}

/// What the form posts besides the article's fields.
pub(super) struct Posted {
    csrf: String,
    action: String,
    version: String,
    comment: String,
    probe_message: String,
    form: ArticleForm,
}

impl Posted {
    fn from_pairs(pairs: &[(String, String)]) -> Posted {
        let field = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_string())
                .unwrap_or_default()
        };
        Posted {
            csrf: field("csrf"),
            action: field("action"),
            version: field("version"),
            comment: field("comment"),
            probe_message: field("probe_message"),
            form: ArticleForm::from_pairs(pairs),
        }
    }
}

/// `POST /kb/articles/{id}`: preview, try out or save the form.
pub async fn post(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    posted(state, agent, id, pairs).await
}

/// `POST /kb/articles/new`: the same for an article not saved before.
pub async fn post_new(
    State(state): State<AppState>,
    agent: Agent,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    posted(state, agent, NEW.to_string(), pairs).await
}

async fn posted(
    state: AppState,
    agent: Agent,
    id: String,
    pairs: Vec<(String, String)>,
) -> PageResult<Response> {
    let posted = Posted::from_pairs(&pairs);
    agent.check_csrf(&posted.csrf)?;
    agent.require_editor()?;
    let new = id == NEW;
    let id = if new {
        save::new_id(&state, &posted.form.title).await?
    } else {
        id
    };
    let session = &agent.0;
    match posted.action.as_str() {
        "publish" | "draft" => save::save(&state, session, id, new, posted).await,
        "probe" | "ask" => Ok(try_out(&state, session, id, new, posted)
            .await?
            .into_response()),
        _ => Ok(checked(&state, session, id, new, posted).into_response()),
    }
}

/// `POST /kb/articles/{id}/preview`: the preview alone, as the live preview fetches it.
/// For a new article it also says the id the title gives.
pub async fn preview(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult<PreviewPartial> {
    let posted = Posted::from_pairs(&pairs);
    agent.check_csrf(&posted.csrf)?;
    agent.require_editor()?;
    let mut preview = Preview::of(&posted.form, &state.chat.engine.snapshot().site_url);
    if id == NEW {
        preview.new_id =
            Some(save::new_id(&state, &posted.form.title).await?).filter(|id| !id.is_empty());
    }
    Ok(PreviewPartial { preview })
}

/// The page for `form`: its preview, and the departments to choose from.
fn page(
    state: &AppState,
    session: &Session,
    id: String,
    new: bool,
    version: String,
    form: ArticleForm,
) -> EditorPage {
    let snapshot = state.chat.engine.snapshot();
    let mut departments: BTreeSet<String> = snapshot
        .articles
        .iter()
        .map(|a| a.department.clone())
        .collect();
    if !form.department.is_empty() {
        departments.insert(form.department.clone());
    }
    let preview = Preview {
        new_id: (new && !id.is_empty()).then(|| id.clone()),
        ..Preview::of(&form, &snapshot.site_url)
    };
    EditorPage {
        nav: Nav::new(state, session, "kb"),
        id,
        new,
        version,
        preview,
        departments: departments.into_iter().collect(),
        form,
        comment: String::new(),
        notice: None,
        draft_note: None,
        problems: Vec::new(),
        ranks: None,
        probe_message: String::new(),
        explained: None,
        probe_note: None,
        conflict: None,
    }
}

/// The page for a posted form, with `kb check`'s problems at their fields.
pub(super) fn checked(
    state: &AppState,
    session: &Session,
    id: String,
    new: bool,
    posted: Posted,
) -> EditorPage {
    let article = validate(state, &id, &posted.form);
    let mut page = page(state, session, id, new, posted.version, posted.form);
    page.comment = posted.comment;
    page.probe_message = posted.probe_message;
    if let Err(problems) = article {
        page.problems = problems;
    }
    page
}

/// The form's text checked with the rules of `kb check`, as the file it would be saved as.
pub(super) fn validate(
    state: &AppState,
    id: &str,
    form: &ArticleForm,
) -> Result<Article, Vec<(Option<crate::kb::form::Field>, String)>> {
    if id.is_empty() {
        return Err(vec![(
            Some(crate::kb::form::Field::Title),
            "Geef het artikel een titel; de id (de bestandsnaam) wordt daaruit gemaakt.".into(),
        )]);
    }
    let category = form.tags.first().cloned().unwrap_or_default();
    let path = (state.chat.engine.kb_dir())
        .join(category)
        .join(format!("{id}.md"));
    parse_article(&path, &form.to_source()).map_err(|problems| placed(form, &problems))
}

/// "Probeer een vraag": the example questions' ranks, or the free box, on a throwaway index
/// with the form's article in it.
async fn try_out(
    state: &AppState,
    session: &Session,
    id: String,
    new: bool,
    posted: Posted,
) -> PageResult<EditorPage> {
    let ask = posted.action == "ask";
    let message = posted.probe_message.clone();
    let mut page = checked(state, session, id, new, posted);
    let article = validate(state, &page.id, &page.form).ok();
    if ask && message.is_empty() {
        page.probe_note = Some("Typ eerst een vraag om te proberen.".into());
        return Ok(page);
    }
    if !ask && article.is_none() {
        page.probe_note = Some(
            "Los eerst de problemen hieronder op; daarna kunt u de voorbeeldvragen proberen."
                .into(),
        );
        return Ok(page);
    }
    // A try-out builds a whole index: one at a time, so editors cannot starve the server.
    let _turn = TRY_OUTS
        .acquire()
        .await
        .map_err(|err| EditError::Io(format!("the try-out stopped: {err}")))?;
    let live = state.chat.engine.snapshot();
    let kb_dir = state.chat.engine.kb_dir().to_path_buf();
    let today = today();
    let result = tokio::task::spawn_blocking(move || {
        let Some(article) = article else {
            return Ok((None, probe::explain(&live, &message, today), false));
        };
        let date = probe::try_date(&article, today);
        let snapshot = probe::with_draft(&kb_dir, &live, &article)?;
        let ranks = (!ask).then(|| (date, probe::rank_questions(&snapshot, &article, date)));
        let explained = if ask {
            probe::explain(&snapshot, &message, date)
        } else {
            Vec::new()
        };
        Ok::<_, crate::search::SearchError>((ranks, explained, true))
    })
    .await
    .map_err(|err| {
        EditError::Io(format!(
            "the try-out stopped: {}",
            crate::task::stopped(&err)
        ))
    })?;
    let (ranks, explained, with_draft) = match result {
        Ok(found) => found,
        Err(err) => {
            tracing::warn!(error = %err, "try-out index could not be built");
            page.probe_note =
                Some("Het proberen lukte niet: de kennisbank kon niet worden gelezen.".into());
            return Ok(page);
        }
    };
    if ask {
        page.explained = Some(explained);
        if !with_draft {
            page.probe_note = Some(
                "Gezocht in de gepubliceerde kennisbank: uw artikel doet nog niet mee, omdat het problemen heeft."
                    .into(),
            );
        }
    }
    page.ranks = ranks.map(|(date, rows)| Ranks {
        date: date.format("%d-%m-%Y").to_string(),
        rows,
    });
    Ok(page)
}

/// Records an editor's action in the audit log (the article id, never its text).
pub(super) async fn audit(
    state: &AppState,
    session: &Session,
    action: &'static str,
    detail: String,
) -> Result<(), AppError> {
    let actor = session.user.name.clone();
    state
        .chat
        .store
        .call(move |c| crate::store::audit::record(c, &actor, action, None, &detail))
        .await?;
    Ok(())
}
