//! The review queue (/kb/proposals, editors): agents' proposals and learned questions, each
//! accepted or rejected, questions also in a batch. And the agents' side: proposing an
//! example question or a change from a conversation message.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::conversation::quote_text;
use super::{Nav, local_time};
use crate::chat::Direction;
use crate::chat::editing::EditError;
use crate::chat::intent::asks_something;
use crate::chat::learning::ProposalError;
use crate::search::Snapshot;
use crate::store::StoreError;
use crate::store::conversations::Message;
use crate::store::proposals::{Decision, Kind};
use crate::web::AppState;
use crate::web::auth::Agent;
use crate::web::error::{AppError, PageResult};
use crate::web::flash::{Flash, back_to};

/// The agents' form on the conversation page.
pub struct ProposeBox {
    /// Resident messages a proposal can start from, (id, start): those that ask something
    /// first (the first is chosen), then "ja", "nee", greetings and thanks; newest first.
    pub messages: Vec<(i64, String)>,
    /// Every article as (id, title), to choose from.
    pub articles: Vec<(String, String)>,
    /// What became of the agent's last proposal.
    pub notice: Option<String>,
}

impl ProposeBox {
    pub fn new(messages: &[Message], snapshot: &Snapshot, notice: Option<String>) -> Self {
        let mut from_resident: Vec<&Message> = (messages.iter().rev())
            .filter(|m| m.direction == Direction::In && !m.text.trim().is_empty())
            .collect();
        // A resident's "nee" to the bot is the newest message more often than not; the
        // question before it is what a proposal is about.
        from_resident.sort_by_key(|m| !asks_something(&m.text));
        ProposeBox {
            messages: (from_resident.into_iter())
                .map(|m| (m.id, quote_text(&m.text)))
                .collect(),
            articles: (snapshot.articles.iter())
                .map(|a| (a.id.clone(), a.title.clone()))
                .collect(),
            notice,
        }
    }
}

/// One proposal as the queue shows it.
pub struct ProposalItem {
    pub id: i64,
    /// For one of the article's question lists: added with "Toevoegen", or in a batch.
    pub question: bool,
    /// "Voorbeeldvraag", "Beantwoordt het artikel niet" or "Wijziging".
    pub kind: &'static str,
    pub text: String,
    pub article_id: String,
    /// The article's title; the id when the article is gone.
    pub article_title: String,
    pub conversation_id: Option<i64>,
    /// "anna" or "geleerd uit het antwoord van anna".
    pub by: String,
    pub at: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "kb_proposals.html")]
pub struct ProposalsPage {
    pub nav: Nav,
    pub proposals: Vec<ProposalItem>,
    pub flash: Flash,
}

impl ProposalsPage {
    pub fn questions(&self) -> usize {
        self.proposals.iter().filter(|p| p.question).count()
    }
}

/// `GET /kb/proposals`.
pub async fn get(State(state): State<AppState>, agent: Agent) -> PageResult<ProposalsPage> {
    agent.require_editor()?;
    let snapshot = state.chat.engine.snapshot();
    let proposals = state
        .chat
        .pending_proposals()
        .await?
        .into_iter()
        .map(|p| ProposalItem {
            id: p.id,
            question: p.kind != Kind::Change,
            kind: match p.kind {
                Kind::Question => "Voorbeeldvraag",
                Kind::NotAnswered => "Beantwoordt het artikel niet",
                Kind::Change => "Wijziging",
            },
            article_title: snapshot
                .article(&p.article_id)
                .map_or_else(|| p.article_id.clone(), |a| a.title.clone()),
            article_id: p.article_id,
            text: p.text,
            conversation_id: p.conversation_id,
            by: if p.learned {
                format!("geleerd uit het antwoord van {}", p.proposed_by)
            } else {
                p.proposed_by
            },
            at: local_time(p.created_at),
        })
        .collect();
    Ok(ProposalsPage {
        nav: Nav::new(&state, &agent.0, "proposals"),
        proposals,
        flash: state.flashes.take(&agent.0),
    })
}

const PAGE: &str = "/kb/proposals";

#[derive(Deserialize)]
pub struct DecisionForm {
    csrf: String,
    /// `accept` (a question is added; a change is marked done) or `reject`.
    action: String,
}

/// `POST /kb/proposals/{id}`: accept or reject one proposal.
pub async fn decide(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    agent.require_editor()?;
    let editor = agent.0.user.name.clone();
    let outcome = match form.action.as_str() {
        "accept" => match state.chat.accept_question(id, &editor).await {
            Ok(_) => Ok(Flash::notice("De vraag is aan het artikel toegevoegd.")),
            // A change is carried out in the editor; accepting marks it done.
            Err(ProposalError::NeedsEditor(_)) => state
                .chat
                .decide(id, Decision::Accepted, &editor)
                .await
                .map(|()| Flash::notice("Het voorstel is afgehandeld.")),
            Err(err) => Err(err),
        },
        "reject" => state
            .chat
            .decide(id, Decision::Rejected, &editor)
            .await
            .map(|()| Flash::notice("Het voorstel is afgewezen.")),
        other => {
            return Err(AppError::BadRequest(format!(
                "onbekende actie `{other}`: verwacht accept of reject"
            ))
            .into());
        }
    };
    back_to(
        &state,
        &agent.0,
        PAGE,
        "proposals",
        outcome.map_err(app_error),
    )
}

/// `POST /kb/proposals/accept`: accepts every checked question (`id` repeated).
pub async fn accept_batch(
    State(state): State<AppState>,
    agent: Agent,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let csrf = fields
        .iter()
        .find(|(name, _)| name == "csrf")
        .map_or("", |(_, value)| value.as_str());
    agent.check_csrf(csrf)?;
    agent.require_editor()?;
    let ids = fields
        .iter()
        .filter(|(name, _)| name == "id")
        .map(|(_, value)| {
            value
                .parse::<i64>()
                .map_err(|_| AppError::BadRequest(format!("`{value}` is geen voorstelnummer")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if ids.is_empty() {
        let none = Err(AppError::BadRequest(
            "kies eerst een of meer voorstellen".into(),
        ));
        return back_to(&state, &agent.0, PAGE, "proposals", none);
    }
    let mut accepted = 0;
    for &id in &ids {
        if let Err(err) = state.chat.accept_question(id, &agent.0.user.name).await {
            let message = format!(
                "{accepted} van de {} voorstellen aangenomen; voorstel {id} niet: {}",
                ids.len(),
                app_error(err).dutch()
            );
            return back_to(
                &state,
                &agent.0,
                PAGE,
                "proposals",
                Err(AppError::BadRequest(message)),
            );
        }
        accepted += 1;
    }
    let notice = Flash::notice(format!("{accepted} vragen aan hun artikel toegevoegd."));
    back_to(&state, &agent.0, PAGE, "proposals", Ok(notice))
}

#[derive(Deserialize)]
pub struct ProposeForm {
    csrf: String,
    message: i64,
    article: String,
    /// `question`, `not_answered` or `change`.
    kind: String,
    #[serde(default)]
    text: String,
}

/// `POST /conversations/{id}/propose`: an agent proposes from a message of the conversation.
pub async fn propose(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<i64>,
    Form(form): Form<ProposeForm>,
) -> PageResult<Response> {
    agent.check_csrf(&form.csrf)?;
    let kind: Kind = form.kind.parse().map_err(AppError::BadRequest)?;
    let article = form.article.trim();
    let stored = state
        .chat
        .propose(&agent.0.user, id, form.message, article, kind, &form.text)
        .await
        .map_err(app_error)?;
    let notice = match stored {
        Some(_) => "Uw voorstel staat klaar voor de redactie.",
        None => "Dit bericht was al voorgesteld voor dit artikel.",
    };
    state.flashes.put(&agent.0, Flash::notice(notice));
    Ok(Redirect::to(&format!("/conversations/{id}#voorstel")).into_response())
}

/// A proposal's problem as the dashboard shows it.
fn app_error(err: ProposalError) -> AppError {
    let unprocessable =
        |message: String| AppError::Rejected(StatusCode::UNPROCESSABLE_ENTITY, message);
    match err {
        ProposalError::UnknownArticle(id) => {
            unprocessable(format!("er is geen artikel `{id}` in de kennisbank"))
        }
        ProposalError::NotAResidentMessage => {
            unprocessable("kies een bericht van de inwoner uit dit gesprek".into())
        }
        ProposalError::Empty => unprocessable("het voorstel is leeg".into()),
        ProposalError::NeedsEditor(id) => unprocessable(format!(
            "voorstel {id} is een wijziging: open het artikel in de editor en markeer het daarna als afgehandeld"
        )),
        ProposalError::NotPending(id) => AppError::Rejected(
            StatusCode::CONFLICT,
            format!("voorstel {id} is al afgehandeld of bestaat niet"),
        ),
        ProposalError::Chat(err) => AppError::Chat(err),
        ProposalError::Edit(EditError::NotFound) => {
            unprocessable("het artikel bestaat niet meer".into())
        }
        ProposalError::Edit(EditError::Invalid(problems)) => unprocessable(format!(
            "het artikel zou ongeldig worden: {}",
            problems
                .iter()
                .map(|p| p.message.clone())
                .collect::<Vec<_>>()
                .join("; ")
        )),
        ProposalError::Edit(EditError::Stale { .. }) => AppError::Rejected(
            StatusCode::CONFLICT,
            "het artikel werd tegelijk gewijzigd; probeer het opnieuw".into(),
        ),
        ProposalError::Edit(EditError::Store(err)) | ProposalError::Store(err) => {
            AppError::Store(err)
        }
        ProposalError::Edit(err @ EditError::Io(_)) => {
            AppError::Store(StoreError::Worker(err.to_string()))
        }
    }
}
