//! The server in-process: the real router over an in-memory store and the sample knowledge
//! base, driven with `tower::ServiceExt::oneshot`. Tests read as sentences:
//! `app.get("/inbox", &anna).await`.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, header};
use http_body_util::BodyExt;
use tokio::sync::{Notify, watch};
use tower::ServiceExt;
use vraagbaak::chat::{Chat, Clock, Hub, system_clock};
use vraagbaak::config::{BotMode, Config};
use vraagbaak::search::{Engine, Pipeline, Settings};
use vraagbaak::store::Store;
use vraagbaak::store::scopes::Scopes;
use vraagbaak::store::users::{self, Role, User};
use vraagbaak::web::{AppState, router};

/// The sample knowledge base, indexed once for the whole test binary.
pub fn sample_engine() -> Arc<Engine> {
    static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            // Over a fresh copy in the target directory: a test that edits an article
            // through the app must not change the repository's own knowledge base, which
            // other tests (and the eval gate) read.
            let kb = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("sample-kb");
            if kb.exists() {
                std::fs::remove_dir_all(&kb).expect("the old copy is removed");
            }
            crate::common::copy_dir(&crate::common::sample_kb_dir(), &kb);
            let settings = Settings {
                pipeline: Pipeline::FULL,
                site_url: Config::default().site_url,
            };
            Arc::new(Engine::open(kb, settings).expect("the sample KB is valid"))
        })
        .clone()
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    /// Kept alive so event streams run; `stop()` ends them.
    pub stop: watch::Sender<bool>,
}

/// A logged-in dashboard user: the cookie header value and the CSRF token.
pub struct Login {
    pub user: User,
    pub cookie: String,
    pub csrf: String,
}

/// The app with the bot off, so tests about agents see only what agents do.
pub async fn app() -> TestApp {
    app_with(quiet_config()).await
}

/// The default configuration with the bot off.
pub fn quiet_config() -> Config {
    let mut config = Config::default();
    config.bot.mode = BotMode::Off;
    config
}

pub async fn app_with(config: Config) -> TestApp {
    app_at(config, system_clock()).await
}

/// The app with a fixed or scripted clock (office hours, the bot, the WhatsApp window).
pub async fn app_at(config: Config, clock: Clock) -> TestApp {
    app_over(config, clock, sample_engine()).await
}

/// The app over its own knowledge base, for tests that edit articles: its engine reloads
/// from `kb`.
pub async fn editing_app(kb: &Path) -> TestApp {
    let engine = Engine::open(kb, crate::common::settings()).expect("the KB is valid");
    app_over(quiet_config(), system_clock(), Arc::new(engine)).await
}

pub async fn app_over(mut config: Config, clock: Clock, engine: Arc<Engine>) -> TestApp {
    config.server.watch_kb = false;
    let store = Store::open_in_memory().expect("in-memory store");
    let chat = Chat {
        store,
        engine,
        hub: Hub::default(),
        config: Arc::new(config),
        clock,
        outbox: Arc::new(Notify::new()),
        media: Arc::new(Notify::new()),
    };
    let (stop, stopped) = watch::channel(false);
    let state = AppState::new(chat, stopped);
    TestApp {
        router: router(state.clone()),
        state,
        stop,
    }
}

impl TestApp {
    /// Adds a user with the password `wachtwoord-123` and logs them in.
    pub async fn login(&self, name: &str, role: Role, department: Option<&str>) -> Login {
        let hash = users::hash_password("wachtwoord-123");
        let (name, department) = (name.to_string(), department.map(String::from));
        let (user, cookie, csrf) = self
            .state
            .chat
            .store
            .call(move |c| {
                let user = users::add_user(c, &name, role, department.as_deref(), &hash)
                    .expect("new user");
                let (token, session) = users::create_session(c, user.id)?;
                Ok((
                    user,
                    format!("vraagbaak_session={token}"),
                    session.csrf_token,
                ))
            })
            .await
            .expect("store");
        Login { user, cookie, csrf }
    }

    pub async fn api_key(&self) -> String {
        self.state
            .chat
            .store
            .call(|c| users::create_api_key(c, "inbox"))
            .await
            .expect("store")
            .0
    }

    /// A new key named `tool` with `scopes` (`"kb"`, `"suggest,kb"`, ...).
    pub async fn api_key_with(&self, scopes: &str) -> String {
        let scopes: Scopes = scopes.parse().expect("valid scopes");
        self.state
            .chat
            .store
            .call(move |c| users::create_scoped_api_key(c, "tool", scopes))
            .await
            .expect("store")
            .0
    }

    pub async fn send(&self, request: Request<Body>) -> Response<Body> {
        self.router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers")
    }

    pub async fn get(&self, path: &str, login: Option<&Login>) -> Response<Body> {
        let mut request = Request::get(path);
        if let Some(login) = login {
            request = request.header(header::COOKIE, &login.cookie);
        }
        self.send(request.body(Body::empty()).expect("request"))
            .await
    }

    /// Posts a form; `fields` are URL-encoded here.
    pub async fn post_form(
        &self,
        path: &str,
        login: Option<&Login>,
        fields: &[(&str, &str)],
    ) -> Response<Body> {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut request =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(login) = login {
            request = request.header(header::COOKIE, &login.cookie);
        }
        self.send(request.body(Body::from(body)).expect("request"))
            .await
    }

    /// A dashboard form post by `login`: their CSRF token is added to `fields`.
    pub async fn submit(
        &self,
        login: &Login,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Response<Body> {
        let mut all = vec![("csrf", login.csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_form(path, Some(login), &all).await
    }

    /// An agent's action on a conversation (`take`, `reply`, `labels`, ...).
    pub async fn act(
        &self,
        login: &Login,
        id: i64,
        action: &str,
        fields: &[(&str, &str)],
    ) -> Response<Body> {
        self.submit(login, &format!("/conversations/{id}/{action}"), fields)
            .await
    }

    /// Every message of a conversation as stored, internal notes included.
    pub async fn thread(&self, id: i64) -> Vec<vraagbaak::store::conversations::Message> {
        self.state
            .chat
            .store
            .call(move |c| vraagbaak::store::conversations::messages(c, id, 0, true))
            .await
            .expect("messages")
    }

    /// A conversation as stored.
    pub async fn conversation(&self, id: i64) -> vraagbaak::store::conversations::Conversation {
        self.state
            .chat
            .store
            .call(move |c| vraagbaak::store::conversations::conversation(c, id))
            .await
            .expect("store")
            .expect("the conversation exists")
    }

    /// The resident's view of their conversation, as the chat widget reads it.
    pub async fn resident_view(&self, token: &str) -> serde_json::Value {
        let res = self
            .get(&format!("/api/v1/chat/messages?token={token}"), None)
            .await;
        assert_eq!(res.status(), 200, "the token reads its conversation");
        json(res).await
    }

    /// Posts raw JSON text, with an optional bearer token.
    pub async fn post_json(&self, path: &str, bearer: Option<&str>, json: &str) -> Response<Body> {
        let mut request = Request::post(path).header(header::CONTENT_TYPE, "application/json");
        if let Some(key) = bearer {
            request = request.header(header::AUTHORIZATION, format!("Bearer {key}"));
        }
        self.send(request.body(Body::from(json.to_string())).expect("request"))
            .await
    }

    /// A resident writes in the web chat; returns the conversation token.
    pub async fn resident_says(&self, token: Option<&str>, text: &str) -> String {
        let body = match token {
            Some(t) => serde_json::json!({ "text": text, "token": t }),
            None => serde_json::json!({ "text": text }),
        };
        let res = self
            .post_json("/api/v1/chat/messages", None, &body.to_string())
            .await;
        assert_eq!(res.status(), 201, "resident message accepted");
        json(res).await["token"]
            .as_str()
            .expect("token")
            .to_string()
    }
}

pub async fn text(res: Response<Body>) -> String {
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    String::from_utf8(bytes.to_vec()).expect("utf-8 body")
}

pub async fn json(res: Response<Body>) -> serde_json::Value {
    serde_json::from_str(&text(res).await).expect("a JSON body")
}
