-- The role `teamleider`: a team lead works conversations like an agent and sees the reports.
-- SQLite cannot change a CHECK constraint in place, so `users` is rebuilt the way
-- https://www.sqlite.org/lang_altertable.html ("other kinds of table schema changes") says:
-- new table, copy, drop, rename. The migration runner switches foreign keys off around it and
-- runs `PRAGMA foreign_key_check` before committing, so sessions, conversations and messages
-- still point at the same user ids afterwards.

CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('agent', 'editor', 'admin', 'teamleider')),
    -- An agent with a department sees only conversations forwarded to that team.
    department    TEXT,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
);

INSERT INTO users_new (id, name, role, department, password_hash, created_at, disabled)
    SELECT id, name, role, department, password_hash, created_at, disabled FROM users;

DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
