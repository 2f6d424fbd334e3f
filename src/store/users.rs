//! Users, their sessions and API keys.
//!
//! Passwords are hashed with argon2id. Session tokens and API keys are long random strings,
//! so the store keeps only their SHA-256: fast to check on every request, useless if stolen.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine as _;
use chrono::{DateTime, TimeDelta, Utc};
use rand::RngCore;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::scopes::Scopes;
use super::{Result, StoreError, now, write};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Answers residents.
    Agent,
    /// An agent who also maintains the knowledge base.
    Editor,
    /// An editor who also manages users and API keys.
    Admin,
    /// A team lead: answers residents like an agent, sees the reports (`/rapportages`),
    /// including the figures per agent, and puts conversations on hold for the archive. Does not edit the knowledge base or manage users.
    Teamleider,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Editor => "editor",
            Role::Admin => "admin",
            Role::Teamleider => "teamleider",
        }
    }

    pub fn can_edit_kb(self) -> bool {
        matches!(self, Role::Editor | Role::Admin)
    }

    pub fn is_admin(self) -> bool {
        self == Role::Admin
    }

    /// Team leads and admins see the reports; agents and editors do not.
    pub fn can_see_reports(self) -> bool {
        matches!(self, Role::Teamleider | Role::Admin)
    }

    /// Team leads and admins see a conversation's retention term and put it on hold ("niet
    /// vernietigen"); agents and editors do not.
    pub fn is_lead(self) -> bool {
        matches!(self, Role::Teamleider | Role::Admin)
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Role, String> {
        match s {
            "agent" => Ok(Role::Agent),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            "teamleider" => Ok(Role::Teamleider),
            other => Err(format!(
                "unknown role `{other}`: use agent, editor, admin or teamleider"
            )),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
    /// When set, the user sees only conversations forwarded to this department.
    pub department: Option<String>,
    pub disabled: bool,
}

/// How long a dashboard login lasts.
pub const SESSION_LIFETIME: TimeDelta = TimeDelta::hours(12);

/// A new random secret: 32 bytes, URL-safe base64 (43 characters).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Hashes a password with argon2id. Slow on purpose: call it outside a transaction.
pub fn hash_password(password: &str) -> String {
    Argon2::default()
        .hash_password(password.as_bytes())
        .expect("argon2 hashing with default parameters cannot fail")
        .to_string()
}

/// A valid hash of a random password nobody knows. Logins for unknown names verify against
/// it, so they take as long as logins for known names and the answer time reveals nothing.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&new_token()))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("a user named `{0}` already exists")]
    Exists(String),
    #[error("a user name must be 1 to 64 letters, digits, dots, dashes or underscores")]
    BadName,
    #[error("a password must be at least 10 characters")]
    WeakPassword,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'))
}

/// Adds a user with an already hashed password.
pub fn add_user(
    conn: &mut Connection,
    name: &str,
    role: Role,
    department: Option<&str>,
    password_hash: &str,
) -> Result<User, UserError> {
    if !valid_name(name) {
        return Err(UserError::BadName);
    }
    let tx = write(conn).map_err(UserError::Store)?;
    let exists: bool = tx
        .query_row("SELECT 1 FROM users WHERE name = ?1", [name], |_| Ok(true))
        .optional()
        .map_err(StoreError::from)?
        .unwrap_or(false);
    if exists {
        return Err(UserError::Exists(name.to_string()));
    }
    tx.execute(
        "INSERT INTO users (name, role, department, password_hash, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, role.as_str(), department, password_hash, now()],
    )
    .map_err(StoreError::from)?;
    let id = tx.last_insert_rowid();
    tx.commit().map_err(StoreError::from)?;
    Ok(User {
        id,
        name: name.to_string(),
        role,
        department: department.map(String::from),
        disabled: false,
    })
}

fn user_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    let role: String = row.get("role")?;
    Ok(User {
        id: row.get("id")?,
        name: row.get("name")?,
        role: role.parse().unwrap_or(Role::Agent),
        department: row.get("department")?,
        disabled: row.get("disabled")?,
    })
}

pub fn user_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?)
}

pub fn users(conn: &Connection) -> Result<Vec<User>> {
    let mut stmt = conn.prepare("SELECT * FROM users ORDER BY name")?;
    let users = stmt
        .query_map([], user_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(users)
}

pub fn user(conn: &Connection, id: i64) -> Result<Option<User>> {
    Ok(conn
        .query_row("SELECT * FROM users WHERE id = ?1", [id], user_from_row)
        .optional()?)
}

/// The user and password hash for a login attempt.
pub fn user_for_login(conn: &Connection, name: &str) -> Result<Option<(User, String)>> {
    Ok(conn
        .query_row("SELECT * FROM users WHERE name = ?1", [name], |row| {
            Ok((user_from_row(row)?, row.get("password_hash")?))
        })
        .optional()?)
}

pub fn set_disabled(conn: &mut Connection, id: i64, disabled: bool) -> Result<()> {
    let tx = write(conn)?;
    tx.execute(
        "UPDATE users SET disabled = ?2 WHERE id = ?1",
        params![id, disabled],
    )?;
    if disabled {
        tx.execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
    }
    tx.commit()?;
    Ok(())
}

/// Replaces a user's password hash and ends their sessions, all but `keep` (the cookie value
/// of the session that changed its own password). False when there is no such user.
pub fn set_password(
    conn: &mut Connection,
    id: i64,
    password_hash: &str,
    keep: Option<&str>,
) -> Result<bool> {
    let tx = write(conn)?;
    let changed = tx.execute(
        "UPDATE users SET password_hash = ?2 WHERE id = ?1",
        params![id, password_hash],
    )?;
    tx.execute(
        "DELETE FROM sessions WHERE user_id = ?1 AND token_hash IS NOT ?2",
        params![id, keep.map(token_hash)],
    )?;
    tx.commit()?;
    Ok(changed == 1)
}

/// Changes what a user may do and see. False when there is no such user.
pub fn set_role(
    conn: &mut Connection,
    id: i64,
    role: Role,
    department: Option<&str>,
) -> Result<bool> {
    let tx = write(conn)?;
    let changed = tx.execute(
        "UPDATE users SET role = ?2, department = ?3 WHERE id = ?1",
        params![id, role.as_str(), department],
    )?;
    tx.commit()?;
    Ok(changed == 1)
}

/// A logged-in dashboard session.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    /// Every form and state-changing request must carry this value.
    pub csrf_token: String,
}

/// Starts a session; returns the cookie value (shown once, stored only as a hash).
pub fn create_session(conn: &mut Connection, user_id: i64) -> Result<(String, Session)> {
    let token = new_token();
    let csrf = new_token();
    let created = now();
    let tx = write(conn)?;
    tx.execute("DELETE FROM sessions WHERE expires_at < ?1", [created])?;
    tx.execute(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            token_hash(&token),
            user_id,
            csrf,
            created,
            created + SESSION_LIFETIME
        ],
    )?;
    tx.commit()?;
    let user =
        user(conn, user_id)?.ok_or(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows))?;
    Ok((
        token,
        Session {
            user,
            csrf_token: csrf,
        },
    ))
}

/// The live session for a cookie value, if any (expired sessions and disabled users have none).
pub fn session(conn: &Connection, token: &str, at: DateTime<Utc>) -> Result<Option<Session>> {
    Ok(conn
        .query_row(
            "SELECT u.*, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND u.disabled = 0",
            params![token_hash(token), at],
            |row| {
                Ok(Session {
                    user: user_from_row(row)?,
                    csrf_token: row.get("csrf_token")?,
                })
            },
        )
        .optional()?)
}

pub fn delete_session(conn: &mut Connection, token: &str) -> Result<()> {
    let tx = write(conn)?;
    tx.execute(
        "DELETE FROM sessions WHERE token_hash = ?1",
        [token_hash(token)],
    )?;
    tx.commit()?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub revoked: bool,
    /// The key reads and answers every conversation, not only those it posted into.
    pub all_conversations: bool,
    pub scopes: Scopes,
}

/// What a live key may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyGrant {
    pub name: String,
    pub all_conversations: bool,
    pub scopes: Scopes,
}

/// Creates an API key with the default scopes; see [`create_scoped_api_key`].
pub fn create_api_key(conn: &mut Connection, name: &str) -> Result<(String, ApiKey)> {
    create_scoped_api_key(conn, name, Scopes::DEFAULT)
}

/// Creates an API key; returns the key itself, which is never shown again. Callers check the
/// name with [`valid_name`]: keys with the same name share the conversations they posted.
pub fn create_scoped_api_key(
    conn: &mut Connection,
    name: &str,
    scopes: Scopes,
) -> Result<(String, ApiKey)> {
    let key = format!("vbk_{}", new_token());
    let prefix: String = key.chars().take(10).collect();
    let created_at = now();
    let tx = write(conn)?;
    tx.execute(
        "INSERT INTO api_keys (name, key_hash, prefix, created_at, scopes)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, token_hash(&key), prefix, created_at, scopes],
    )?;
    let id = tx.last_insert_rowid();
    tx.commit()?;
    Ok((
        key,
        ApiKey {
            id,
            name: name.to_string(),
            prefix,
            created_at,
            revoked: false,
            all_conversations: false,
            scopes,
        },
    ))
}

/// The name of the live key matching `key`, if any.
pub fn api_key_name(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(api_key_grant(conn, key)?.map(|grant| grant.name))
}

/// What the live key matching `key` may do, if there is one.
pub fn api_key_grant(conn: &Connection, key: &str) -> Result<Option<KeyGrant>> {
    Ok(conn
        .query_row(
            "SELECT name, all_conversations, scopes FROM api_keys
             WHERE key_hash = ?1 AND revoked_at IS NULL",
            [token_hash(key)],
            |r| {
                Ok(KeyGrant {
                    name: r.get(0)?,
                    all_conversations: r.get(1)?,
                    scopes: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Grants (or withdraws) a live key every conversation. Returns false for an unknown or
/// revoked key.
pub fn set_all_conversations(conn: &mut Connection, id: i64, all: bool) -> Result<bool> {
    let tx = write(conn)?;
    let changed = tx.execute(
        "UPDATE api_keys SET all_conversations = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![id, all],
    )?;
    tx.commit()?;
    Ok(changed == 1)
}

pub fn api_keys(conn: &Connection) -> Result<Vec<ApiKey>> {
    let mut stmt = conn.prepare(
        "SELECT id, name, prefix, created_at, revoked_at IS NOT NULL, all_conversations, scopes
         FROM api_keys ORDER BY id",
    )?;
    let keys = stmt
        .query_map([], |r| {
            Ok(ApiKey {
                id: r.get(0)?,
                name: r.get(1)?,
                prefix: r.get(2)?,
                created_at: r.get(3)?,
                revoked: r.get(4)?,
                all_conversations: r.get(5)?,
                scopes: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(keys)
}

pub fn revoke_api_key(conn: &mut Connection, id: i64) -> Result<bool> {
    let tx = write(conn)?;
    let changed = tx.execute(
        "UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![id, now()],
    )?;
    tx.commit()?;
    Ok(changed == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password("correct horse battery");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong horse battery", &hash));
    }

    #[test]
    fn api_keys_are_stored_hashed_and_can_be_revoked() {
        let store = Store::open_in_memory().expect("store");
        store
            .blocking(|c| {
                let (key, created) = create_api_key(c, "inbox")?;
                assert_eq!(api_key_name(c, &key)?.as_deref(), Some("inbox"));
                let stored: Vec<u8> =
                    c.query_row("SELECT key_hash FROM api_keys", [], |r| r.get(0))?;
                assert_ne!(stored, key.as_bytes());
                assert!(revoke_api_key(c, created.id)?);
                assert_eq!(api_key_name(c, &key)?, None);
                Ok(())
            })
            .expect("store calls");
    }

    #[test]
    fn sessions_end_when_the_user_is_disabled() {
        let store = Store::open_in_memory().expect("store");
        store
            .blocking(|c| {
                let user = add_user(c, "anna", Role::Agent, None, "x").expect("added");
                let (token, _) = create_session(c, user.id)?;
                assert!(session(c, &token, now())?.is_some());
                assert!(session(c, &token, now() + SESSION_LIFETIME)?.is_none());
                set_disabled(c, user.id, true)?;
                assert!(session(c, &token, now())?.is_none());
                Ok(())
            })
            .expect("store calls");
    }

    #[test]
    fn a_new_password_ends_every_session_but_the_one_kept() {
        let store = Store::open_in_memory().expect("store");
        store
            .blocking(|c| {
                let user = add_user(c, "anna", Role::Agent, None, "x").expect("added");
                let (here, _) = create_session(c, user.id)?;
                let (elsewhere, _) = create_session(c, user.id)?;
                assert!(set_password(c, user.id, "y", Some(&here))?);
                assert!(session(c, &here, now())?.is_some());
                assert!(session(c, &elsewhere, now())?.is_none());
                assert!(set_password(c, user.id, "z", None)?);
                assert!(session(c, &here, now())?.is_none());
                assert!(!set_password(c, user.id + 1, "z", None)?);
                Ok(())
            })
            .expect("store calls");
    }
}
