-- vraagbaak's first schema: people, conversations and the audit trail.
-- Times are RFC 3339 UTC strings with milliseconds (sortable as text).

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('agent', 'editor', 'admin')),
    -- An agent with a department sees only conversations forwarded to that team.
    department    TEXT,
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    -- SHA-256 of the cookie value: a stolen database holds no usable session.
    token_hash BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE api_keys (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    key_hash   BLOB NOT NULL UNIQUE,
    -- The first characters, so an admin can tell keys apart.
    prefix     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);

CREATE TABLE conversations (
    id            INTEGER PRIMARY KEY,
    channel       TEXT NOT NULL,
    -- Who the resident is on the channel: a web-chat token hash, a phone number, an inbox id.
    resident_ref  TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'waiting', 'closed')),
    assignee_id   INTEGER REFERENCES users (id),
    department    TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    -- The oldest resident message not yet answered; NULL when nobody is waiting.
    waiting_since TEXT,
    UNIQUE (channel, resident_ref)
);
CREATE INDEX conversations_status ON conversations (status, waiting_since);

CREATE TABLE conversation_labels (
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    label           TEXT NOT NULL,
    PRIMARY KEY (conversation_id, label)
);

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    -- in: from the resident; out: to the resident; note: internal, agents only.
    direction       TEXT NOT NULL CHECK (direction IN ('in', 'out', 'note')),
    author_kind     TEXT NOT NULL CHECK (author_kind IN ('resident', 'agent', 'system', 'bot')),
    author_id       INTEGER REFERENCES users (id),
    text            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    delivery        TEXT NOT NULL
        CHECK (delivery IN ('received', 'queued', 'sent', 'delivered', 'read', 'failed')),
    -- For replies: the article the agent started from, and what they did with it.
    article_id      TEXT,
    usage           TEXT CHECK (usage IN ('unchanged', 'edited', 'not_used'))
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);

-- The suggestions shown for each resident message.
CREATE TABLE suggestions (
    message_id INTEGER NOT NULL REFERENCES messages (id),
    rank       INTEGER NOT NULL,
    article_id TEXT NOT NULL,
    confidence REAL NOT NULL,
    PRIMARY KEY (message_id, rank)
);

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    -- A user name, `api:<key name>`, `resident` or `system`.
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    conversation_id INTEGER,
    detail          TEXT NOT NULL DEFAULT ''
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;
