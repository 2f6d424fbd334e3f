//! The gap report ("Hiaten") for editors: what residents asked that the knowledge base did
//! not answer, grouped by meaning, with the actions that close a gap: add a question to an
//! article, start a new article from a group, or dismiss a group ("Negeer").

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Nav, local_time};
use crate::chat::editing::EditError;
use crate::chat::gaps::{self, DraftError, GapGroup, GapQuestion, QuestionError};
use crate::kb::write::QuestionList;
use crate::search::engine::Snapshot;
use crate::store::gaps::Reason;
use crate::web::AppState;
use crate::web::auth::Agent;
use crate::web::error::{AppError, PageResult};
use crate::web::flash::Flash;

/// The examples shown before the rest of a group folds away.
const SHOWN_QUESTIONS: usize = 5;

/// The distinct agents' replies shown per group.
const SHOWN_REPLIES: usize = 5;

/// Which form the page's error message belongs to.
const FORM: &str = "gaps";

#[derive(Template, WebTemplate)]
#[template(path = "kb_gaps.html")]
pub struct GapsPage {
    pub nav: Nav,
    pub days: u32,
    pub groups: Vec<GroupView>,
    pub dropped: usize,
    /// Questions the knowledge base now answers, left out.
    pub answered: usize,
    pub flash: Flash,
}

pub struct GroupView {
    pub number: usize,
    pub terms: String,
    pub count: usize,
    /// The first examples, most recent first; the rest fold away under `more`.
    pub questions: Vec<QuestionView>,
    pub more: Vec<QuestionView>,
    pub nearest: Option<NearestView>,
    /// The most common reply first.
    pub replies: Vec<String>,
    pub common_reply: bool,
    pub central: i64,
    /// The member ids, comma-separated, for "Negeer".
    pub members: String,
    /// Enough distinct questions for "Nieuw artikel".
    pub can_draft: bool,
}

pub struct QuestionView {
    pub message_id: i64,
    pub conversation_id: i64,
    pub text: String,
    pub at: String,
    /// Why it is listed, when not simply unanswered.
    pub reason: Option<&'static str>,
    /// The article the resident said "nee" to: the one whose `not_answered` list the
    /// question most likely belongs in. It is never proposed for the example questions.
    pub declined: Option<ArticleView>,
    /// The article that lists the question as not answered already (the declined one when
    /// it does).
    pub listed: Option<ArticleView>,
    /// Whether the declined article is the one that lists it.
    pub declined_listed: bool,
    /// The article proposed for the example questions: the one an agent's reply used, or
    /// else the question's own first suggestion other than the declined one, when the bot
    /// would at least offer it ("Bedoelt u …?"). Below that the first suggestion is usually
    /// another subject, and the editor names one.
    pub example: Option<ArticleView>,
}

pub struct ArticleView {
    pub id: String,
    pub title: String,
}

impl ArticleView {
    fn new(id: &str, snapshot: &Snapshot) -> Option<ArticleView> {
        let article = snapshot.article(id)?;
        Some(ArticleView {
            id: article.id.clone(),
            title: article.title.clone(),
        })
    }

    fn example(q: &GapQuestion, snapshot: &Snapshot, likely: f32) -> Option<ArticleView> {
        let replied = (q.replied_with.as_deref()).and_then(|id| ArticleView::new(id, snapshot));
        replied.or_else(|| {
            let nearest = q.nearest.as_ref().filter(|n| n.confidence >= likely)?;
            ArticleView::new(&nearest.id, snapshot)
        })
    }
}

pub struct NearestView {
    pub id: String,
    pub title: String,
    pub percent: u32,
}

impl GroupView {
    fn new(number: usize, group: GapGroup, snapshot: &Snapshot, likely: f32) -> GroupView {
        let mut replies: Vec<String> = group.common_reply.iter().cloned().collect();
        for q in &group.questions {
            for reply in &q.replies {
                let reply = reply.trim();
                if !reply.is_empty() && !replies.iter().any(|r| r == reply) {
                    replies.push(reply.to_string());
                }
            }
        }
        replies.truncate(SHOWN_REPLIES);
        let mut questions: Vec<QuestionView> = (group.questions.iter())
            .map(|q| QuestionView {
                message_id: q.message_id,
                conversation_id: q.conversation_id,
                text: q.text.clone(),
                at: local_time(q.at),
                reason: match q.reason {
                    Reason::NoAnswer => None,
                    Reason::NotHelpful => Some("inwoner zei \"nee\" op het antwoord van de bot"),
                    Reason::OfferDeclined => {
                        Some("inwoner zei \"nee\" op het artikel dat de bot voorstelde")
                    }
                },
                declined: (q.declined.as_deref()).and_then(|id| ArticleView::new(id, snapshot)),
                listed: (q.listed.as_deref()).and_then(|id| ArticleView::new(id, snapshot)),
                declined_listed: q.declined.is_some() && q.declined == q.listed,
                example: ArticleView::example(q, snapshot, likely),
            })
            .collect();
        let more = questions.split_off(SHOWN_QUESTIONS.min(questions.len()));
        GroupView {
            number,
            terms: group.terms.join(", "),
            count: group.count(),
            can_draft: gaps::draft_questions(&group).len() >= crate::kb::MIN_QUESTIONS,
            members: (group.questions.iter())
                .map(|q| q.message_id.to_string())
                .collect::<Vec<_>>()
                .join(","),
            questions,
            more,
            replies,
            nearest: group.nearest.map(|n| NearestView {
                title: (snapshot.article(&n.id)).map_or_else(|| n.id.clone(), |a| a.title.clone()),
                id: n.id,
                percent: super::confidence_percent(n.confidence),
            }),
            common_reply: group.common_reply.is_some(),
            central: group.central,
        }
    }
}

#[derive(Deserialize, Default)]
pub struct DaysQuery {
    days: Option<String>,
}

fn days(param: Option<&str>) -> Result<u32, AppError> {
    gaps::days(param).map_err(|err| AppError::BadRequest(err.to_string()))
}

/// `GET /kb/gaps?days=N`: the report, for editors.
pub async fn kb_gaps(
    State(state): State<AppState>,
    agent: Agent,
    Query(query): Query<DaysQuery>,
) -> PageResult<GapsPage> {
    agent.require_editor()?;
    let days = days(query.days.as_deref())?;
    let report = state.chat.gap_report(days).await?;
    let snapshot = state.chat.engine.snapshot();
    Ok(GapsPage {
        nav: Nav::new(&state, &agent.0, "gaps"),
        days,
        groups: (report.groups.into_iter().enumerate())
            .map(|(i, group)| {
                GroupView::new(
                    i + 1,
                    group,
                    &snapshot,
                    state.chat.config.bot.offer_confidence,
                )
            })
            .collect(),
        dropped: report.dropped,
        answered: report.answered,
        flash: state.flashes.take(&agent.0),
    })
}

/// Back to the report for the same period, showing `outcome` once. Mistakes (a 4xx) show
/// as a message on the page; server errors get the error page.
fn back(
    state: &AppState,
    agent: &Agent,
    days: u32,
    outcome: Result<Flash, AppError>,
) -> PageResult<Response> {
    let flash = match outcome {
        Ok(flash) => flash,
        Err(err) if err.status().is_client_error() => Flash::error(FORM, err.dutch()),
        Err(err) => return Err(err.into()),
    };
    state.flashes.put(&agent.0, flash);
    Ok(Redirect::to(&format!("/kb/gaps?days={days}")).into_response())
}

/// An editing error as the page says it.
fn edit_error(err: EditError, article: &str) -> AppError {
    match err {
        EditError::NotFound => {
            AppError::BadRequest(format!("er is geen artikel met id `{article}`"))
        }
        EditError::Invalid(problems) => AppError::BadRequest(
            (problems.iter())
                .map(|p| p.message.clone())
                .collect::<Vec<_>>()
                .join("; "),
        ),
        EditError::Stale { .. } => AppError::BadRequest(
            "het artikel is net door iemand anders gewijzigd; probeer het opnieuw".into(),
        ),
        err @ (EditError::Store(_) | EditError::Io(_)) => AppError::Edit(err),
    }
}

#[derive(Deserialize)]
pub struct QuestionForm {
    csrf: String,
    days: Option<String>,
    message_id: i64,
    article: String,
    /// Which button: `not_answered` for "… niet beantwoordt", else an example question.
    list: Option<String>,
}

/// `POST /kb/gaps/question`: "Voeg toe als voorbeeldvraag aan …".
pub async fn kb_gaps_question(
    State(state): State<AppState>,
    agent: Agent,
    Form(form): Form<QuestionForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    agent.require_editor()?;
    let days = days(form.days.as_deref())?;
    let article = form.article.trim();
    let list = match form.list.as_deref() {
        Some("not_answered") => QuestionList::NotAnswered,
        _ => QuestionList::Questions,
    };
    let added = (state.chat)
        .add_gap_to(form.message_id, article, list, &agent.0.user.name)
        .await;
    let outcome = match (added, list) {
        (Ok(edited), QuestionList::NotAnswered) if edited.revision.is_none() => Ok(Flash::notice(
            format!("Het artikel {article} had deze vraag al."),
        )),
        (Ok(edited), QuestionList::Questions) if edited.revision.is_none() => {
            Ok(Flash::notice(format!(
                "Het artikel {article} had deze vraag al; de vraag staat niet meer in de lijst."
            )))
        }
        (Ok(_), QuestionList::NotAnswered) => Ok(Flash::notice(format!(
            "De vraag staat nu bij {article} als vraag die het artikel niet beantwoordt; de bot stuurt het artikel niet meer vanzelf op zulke vragen. Voeg de vraag nu als voorbeeldvraag toe aan het artikel dat wel antwoord geeft, of kies Negeer."
        ))),
        (Ok(_), QuestionList::Questions) => Ok(Flash::notice(format!(
            "De vraag is als voorbeeldvraag toegevoegd aan {article}."
        ))),
        (Err(QuestionError::UnknownMessage(_)), _) => Err(AppError::BadRequest(
            "dit bericht bestaat niet (meer)".into(),
        )),
        (Err(QuestionError::EmptyMessage(_)), _) => Err(AppError::BadRequest(
            "dit bericht heeft geen tekst om toe te voegen".into(),
        )),
        (Err(QuestionError::Edit(err)), _) => Err(edit_error(err, article)),
    };
    back(&state, &agent, days, outcome)
}

#[derive(Deserialize)]
pub struct NewForm {
    csrf: String,
    days: Option<String>,
    /// The group's most typical message, which finds the group again.
    central: i64,
}

#[derive(Deserialize)]
pub struct DismissForm {
    csrf: String,
    days: Option<String>,
    /// The group's message ids as shown, comma-separated.
    messages: String,
}

/// `POST /kb/gaps/new`: "Nieuw artikel", a concept from the group; opens it in the editor.
pub async fn kb_gaps_new(
    State(state): State<AppState>,
    agent: Agent,
    Form(form): Form<NewForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    agent.require_editor()?;
    let days = days(form.days.as_deref())?;
    let report = state.chat.gap_report(days).await?;
    let Some(group) = (report.groups.into_iter())
        .find(|g| g.questions.iter().any(|q| q.message_id == form.central))
    else {
        let gone = AppError::BadRequest("deze groep staat niet meer in de lijst".into());
        return back(&state, &agent, days, Err(gone));
    };
    let author = &agent.0.user.name;
    let edited = match state.chat.draft_from_gap(&group, author).await {
        Ok(edited) => edited,
        Err(DraftError::TooFewQuestions(n)) => {
            let few = AppError::BadRequest(format!(
                "een artikel heeft minstens {} voorbeeldvragen nodig; deze groep heeft er {n}",
                crate::kb::MIN_QUESTIONS
            ));
            return back(&state, &agent, days, Err(few));
        }
        Err(DraftError::Edit(err)) => return back(&state, &agent, days, Err(edit_error(err, ""))),
    };
    let members: Vec<i64> = group.questions.iter().map(|q| q.message_id).collect();
    state.chat.dismiss_gaps(members, author).await?;
    Ok(Redirect::to(&format!("/kb/articles/{}", edited.id)).into_response())
}

/// `POST /kb/gaps/dismiss`: "Negeer", the group's messages no longer show.
pub async fn kb_gaps_dismiss(
    State(state): State<AppState>,
    agent: Agent,
    Form(form): Form<DismissForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    agent.require_editor()?;
    let days = days(form.days.as_deref())?;
    let ids: Result<Vec<i64>, _> = (form.messages.split(','))
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::parse)
        .collect();
    let outcome = match ids {
        Ok(ids) if !ids.is_empty() => {
            let count = state.chat.dismiss_gaps(ids, &agent.0.user.name).await?;
            Ok(Flash::notice(match count {
                1 => "1 vraag wordt niet meer getoond.".to_string(),
                n => format!("{n} vragen worden niet meer getoond."),
            }))
        }
        _ => Err(AppError::BadRequest(
            "geen geldige berichten om te negeren".into(),
        )),
    };
    back(&state, &agent, days, outcome)
}
