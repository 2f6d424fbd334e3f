//! One error type for every handler, rendered twice: as a Dutch HTML page for the dashboard
//! ([`PageError`]) and as `{"error": "..."}` for the API ([`ApiError`]). Server errors show a
//! fixed message; their cause is logged once, here, without message text.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};

use crate::chat::ChatError;
use crate::chat::editing::EditError;
use crate::store::StoreError;
use crate::store::scopes::Scope;
use crate::store::users::UserError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// No valid session (pages redirect to the login form) or API key.
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("you do not have the rights for this")]
    Forbidden,
    #[error(
        "this API key lacks the `{0}` scope; create a key with `vraagbaak apikey create NAME --scope {0},...`"
    )]
    MissingScope(Scope),
    #[error("the form has expired; reload the page and try again")]
    Csrf,
    #[error("{0}")]
    BadRequest(String),
    /// A request the framework could not read (JSON syntax, missing field, too large, ...).
    #[error("{1}")]
    Rejected(StatusCode, String),
    /// The request body did not arrive within `server.body_timeout_secs`.
    #[error("the request body did not arrive in time (server.body_timeout_secs)")]
    BodyTimeout,
    #[error("too many requests; try again in a minute")]
    TooManyRequests,
    /// The session or the address already has the most event streams it may open.
    #[error("too many open event streams; close other tabs or windows and try again")]
    TooManyStreams,
    #[error(transparent)]
    Chat(#[from] ChatError),
    #[error(transparent)]
    User(#[from] UserError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A knowledge-base edit that was refused or failed.
    #[error(transparent)]
    Edit(#[from] EditError),
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf | AppError::MissingScope(_) => {
                StatusCode::FORBIDDEN
            }
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Rejected(status, _) => *status,
            AppError::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            AppError::TooManyRequests | AppError::TooManyStreams => StatusCode::TOO_MANY_REQUESTS,
            AppError::Chat(err) => match err {
                ChatError::Empty | ChatError::BadLabel | ChatError::UnknownDepartment(_) => {
                    StatusCode::BAD_REQUEST
                }
                ChatError::TooLong { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                ChatError::NotFound => StatusCode::NOT_FOUND,
                ChatError::HeldBy(_) | ChatError::WindowClosed | ChatError::OptedOut => {
                    StatusCode::CONFLICT
                }
                ChatError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
            AppError::User(UserError::Store(_)) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::User(UserError::Exists(_)) => StatusCode::CONFLICT,
            AppError::User(_) => StatusCode::BAD_REQUEST,
            AppError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Edit(err) => match err {
                EditError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                EditError::Stale { .. } => StatusCode::CONFLICT,
                EditError::NotFound => StatusCode::NOT_FOUND,
                EditError::Io(_) | EditError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
            },
        }
    }

    /// English, for API clients. Server errors never expose their cause.
    pub fn public_message(&self) -> String {
        if self.status().is_server_error() {
            "internal error; it has been logged".into()
        } else {
            self.to_string()
        }
    }

    /// Dutch, for residents and agents.
    pub fn dutch(&self) -> String {
        match self {
            AppError::NotFound => "Deze pagina bestaat niet of u heeft er geen toegang toe.".into(),
            AppError::Unauthorized(_) => "Log eerst in.".into(),
            AppError::Forbidden => "U heeft geen rechten voor deze pagina.".into(),
            AppError::MissingScope(scope) => {
                format!("Deze API-sleutel heeft geen recht `{scope}`.")
            }
            AppError::Csrf => {
                "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.".into()
            }
            AppError::BadRequest(m) | AppError::Rejected(_, m) => format!("Ongeldige invoer: {m}"),
            AppError::BodyTimeout => {
                "Uw bericht kwam niet op tijd binnen. Probeer het opnieuw.".into()
            }
            AppError::TooManyRequests => {
                "Te veel verzoeken. Probeer het over een minuut opnieuw.".into()
            }
            AppError::TooManyStreams => "U heeft te veel live-verbindingen open. Sluit andere \
                tabbladen of vensters en probeer het opnieuw."
                .into(),
            AppError::Chat(err) => err.dutch(),
            AppError::User(UserError::Exists(name)) => {
                format!("Er bestaat al een gebruiker {name}.")
            }
            AppError::User(UserError::BadName) => {
                "Een gebruikersnaam heeft 1 tot 64 letters, cijfers, punten of streepjes.".into()
            }
            AppError::User(UserError::WeakPassword) => {
                "Een wachtwoord heeft minstens 10 tekens.".into()
            }
            AppError::Edit(EditError::Invalid(problems)) => format!(
                "Het artikel is niet opgeslagen: het heeft {} probleem/problemen.",
                problems.len()
            ),
            AppError::Edit(EditError::Stale { .. }) => {
                "Het artikel is intussen gewijzigd; er is niets overschreven.".into()
            }
            AppError::Edit(EditError::NotFound) => {
                "Dit artikel of deze versie bestaat niet.".into()
            }
            AppError::User(UserError::Store(_))
            | AppError::Store(_)
            | AppError::Edit(EditError::Io(_) | EditError::Store(_)) => {
                "Er ging iets mis. De fout is vastgelegd; probeer het later opnieuw.".into()
            }
        }
    }

    fn log_if_server_error(&self) {
        if self.status().is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
    }
}

/// An error answered as JSON: `{"error": "..."}`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(err: E) -> Self {
        ApiError(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log_if_server_error();
        let body =
            serde_json::json!({ "error": self.0.public_message(), "melding": self.0.dutch() });
        (self.0.status(), Json(body)).into_response()
    }
}

/// An error answered as a Dutch HTML page; a missing session redirects to the login form.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl<E: Into<AppError>> From<E> for PageError {
    fn from(err: E) -> Self {
        PageError(err.into())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if let AppError::Unauthorized(_) = self.0 {
            return Redirect::to("/login").into_response();
        }
        self.0.log_if_server_error();
        let page = ErrorPage {
            status: self.0.status().as_u16(),
            message: self.0.dutch(),
        };
        (self.0.status(), page).into_response()
    }
}

/// The router's fallback: an unknown URL answers 404, as JSON under `/api/` and as the Dutch
/// error page everywhere else.
pub async fn not_found(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError(AppError::NotFound).into_response()
    } else {
        PageError(AppError::NotFound).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
pub type PageResult<T> = Result<T, PageError>;
