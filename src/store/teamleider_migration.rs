//! The rebuild of `users` for the role `teamleider` (migration 0016), run on a store that
//! already holds people, their sessions and their conversations.

use rusqlite::{Connection, params};

use super::users::{self, Role};
use super::{Store, now};

/// What the migration that rebuilds `users` contains.
const REBUILD: &str = "CREATE TABLE users_new";

/// A database file at the schema version just before the rebuild, with two agents, an
/// editor and an admin, a session for one agent and conversations assigned to the agents.
fn store_before_rebuild(dir: &std::path::Path) -> String {
    let mut conn = Connection::open(dir.join(super::DATABASE_FILE)).expect("open");
    super::migrate_up_to(&mut conn, REBUILD);
    let at = "2026-11-30T09:00:00.000Z";
    for (id, name, role, department) in [
        (1, "admin", "admin", None),
        (2, "anna", "agent", None),
        (3, "piet", "agent", Some("vergunningen")),
        (4, "els", "editor", None),
    ] {
        conn.execute(
            "INSERT INTO users (id, name, role, department, password_hash, created_at, disabled)
             VALUES (?1, ?2, ?3, ?4, 'hash-' || ?2, ?5, ?6)",
            params![id, name, role, department, at, i64::from(id == 4)],
        )
        .expect("user");
    }
    let (token, _) = users::create_session(&mut conn, 2).expect("session");
    for (id, assignee) in [(10, Some(2)), (11, Some(3)), (12, None)] {
        conn.execute(
            "INSERT INTO conversations (id, channel, resident_ref, status, assignee_id,
                                        created_at, updated_at)
             VALUES (?1, 'web', 'ref-' || ?1, 'open', ?2, ?3, ?3)",
            params![id, assignee, at],
        )
        .expect("conversation");
        conn.execute(
            "INSERT INTO messages (conversation_id, direction, author_kind, author_id, text,
                                   created_at, delivery)
             VALUES (?1, 'out', 'agent', ?2, 'antwoord', ?3, 'sent')",
            params![id, assignee, at],
        )
        .expect("message");
    }
    token
}

fn rows(conn: &Connection, sql: &str) -> Vec<String> {
    let mut stmt = conn.prepare(sql).expect("prepare");
    stmt.query_map([], |r| r.get::<_, String>(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

const USERS: &str = "SELECT id || '|' || name || '|' || role || '|' || ifnull(department, '-')
                     || '|' || password_hash || '|' || created_at || '|' || disabled
                     FROM users ORDER BY id";
const ASSIGNMENTS: &str = "SELECT c.id || '|' || ifnull(c.assignee_id, '-') || '|'
                           || ifnull(m.author_id, '-') FROM conversations c
                           JOIN messages m ON m.conversation_id = c.id ORDER BY c.id";

#[test]
fn users_sessions_and_assignments_survive_the_rebuild() {
    let dir = tempfile::tempdir().expect("tempdir");
    let token = store_before_rebuild(dir.path());
    let (users_before, assigned_before) = {
        let conn = Connection::open(dir.path().join(super::DATABASE_FILE)).expect("open");
        (rows(&conn, USERS), rows(&conn, ASSIGNMENTS))
    };
    assert_eq!(users_before.len(), 4);

    let store = Store::open(dir.path()).expect("migrated");
    store
        .blocking(|c| {
            assert_eq!(rows(c, USERS), users_before);
            assert_eq!(rows(c, ASSIGNMENTS), assigned_before);
            let session = users::session(c, &token, now())?.expect("the session still works");
            assert_eq!(session.user.name, "anna");
            assert_eq!(
                rows(c, "SELECT \"table\" FROM pragma_foreign_key_check"),
                [""; 0]
            );
            Ok(())
        })
        .expect("checks");
}

#[test]
fn after_the_rebuild_foreign_keys_hold_and_the_new_role_is_accepted() {
    let dir = tempfile::tempdir().expect("tempdir");
    store_before_rebuild(dir.path());
    let store = Store::open(dir.path()).expect("migrated");
    store
        .blocking(|c| {
            let enforced: i64 = c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
            assert_eq!(enforced, 1);
            let dangling = c.execute(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at)
                 VALUES (x'00', 99, 'c', 'a', 'b')",
                [],
            );
            assert!(dangling.is_err(), "a session for a missing user is refused");
            let lead = users::add_user(c, "tessa", Role::Teamleider, None, "x").expect("lead");
            assert_eq!(
                users::user(c, lead.id)?.expect("stored").role,
                Role::Teamleider
            );
            let unknown = c.execute("UPDATE users SET role = 'baas' WHERE id = ?1", [lead.id]);
            assert!(unknown.is_err(), "the CHECK still lists the roles");
            Ok(())
        })
        .expect("checks");
}

#[test]
fn a_migration_leaving_a_dangling_reference_is_refused() {
    let conn = Connection::open_in_memory().expect("open");
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         CREATE TABLE parent (id INTEGER PRIMARY KEY);
         CREATE TABLE child (parent_id INTEGER REFERENCES parent (id));
         INSERT INTO child VALUES (7);",
    )
    .expect("schema");
    let err = super::foreign_keys_hold(&conn).expect_err("dangling");
    assert!(
        err.to_string()
            .contains("child row 1 points at a missing parent"),
        "{err}"
    );
}
