-- Issue 13, the Archiefwet archive: when a conversation was closed (its retention term starts
-- then), holds that stop its destruction, and the record of what was destroyed.

-- When the conversation was last closed; NULL while it is open or waiting. Kept by the trigger
-- below from every status change, so no code path can forget it.
ALTER TABLE conversations ADD COLUMN closed_at TEXT;
CREATE INDEX conversations_closed_at ON conversations (closed_at) WHERE closed_at IS NOT NULL;
-- The forwards of a conversation, read for its record.
CREATE INDEX audit_log_conversation ON audit_log (conversation_id, action)
    WHERE conversation_id IS NOT NULL;
CREATE TRIGGER conversations_closed_at AFTER UPDATE OF status ON conversations
WHEN NEW.status IS NOT OLD.status
BEGIN
    UPDATE conversations
       SET closed_at = CASE WHEN NEW.status = 'closed' THEN NEW.updated_at ELSE NULL END
     WHERE id = NEW.id;
END;
-- Backfill: the last audited close, else the last change.
UPDATE conversations
   SET closed_at = COALESCE(
       (SELECT MAX(a.at) FROM audit_log a
         WHERE a.conversation_id = conversations.id AND a.action = 'conversation.status'
           AND a.detail = 'closed'),
       updated_at)
 WHERE status = 'closed';

-- "Niet vernietigen": a conversation under a Woo request or an objection is not destroyed
-- while a hold is active (released_at NULL). At most one active hold per conversation.
CREATE TABLE archive_holds (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    -- Why, as the lead wrote it (a Woo request's number, an objection).
    reason          TEXT NOT NULL,
    held_by         TEXT NOT NULL,
    held_at         TEXT NOT NULL,
    released_by     TEXT,
    released_at     TEXT
);
CREATE UNIQUE INDEX archive_holds_active ON archive_holds (conversation_id)
    WHERE released_at IS NULL;

-- The destruction record (vernietigingslijst): one row per destroyed conversation, without
-- any of its text. No foreign key: the conversation is gone.
CREATE TABLE archive_destructions (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL,
    channel         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    closed_at       TEXT NOT NULL,
    -- The selectielijst result and term applied, and the day the term ended.
    result          TEXT NOT NULL,
    result_name     TEXT NOT NULL,
    bewaartermijn   TEXT NOT NULL,
    term_ended      TEXT NOT NULL,
    messages        INTEGER NOT NULL,
    destroyed_at    TEXT NOT NULL,
    -- The folder the vernietigingslijst was written to.
    list            TEXT NOT NULL
);
CREATE TRIGGER archive_destructions_no_update BEFORE UPDATE ON archive_destructions
BEGIN SELECT RAISE (ABORT, 'the destruction record is append-only'); END;
CREATE TRIGGER archive_destructions_no_delete BEFORE DELETE ON archive_destructions
BEGIN SELECT RAISE (ABORT, 'the destruction record is append-only'); END;
