-- Reactions, edits and revokes of WhatsApp messages (issue 10).

-- One current reaction per resident per message. A new reaction replaces it; an un-reaction
-- sets `emoji` to NULL rather than deleting the row, so a late redelivery of the older
-- reaction (Meta's time, `reacted_at`, is earlier) cannot bring it back.
CREATE TABLE reactions (
    message_id         INTEGER NOT NULL REFERENCES messages (id),
    resident_ref       TEXT NOT NULL,
    emoji              TEXT,
    -- The reaction's own wamid: a redelivery changes nothing.
    channel_message_id TEXT NOT NULL,
    -- Meta's time of the reaction.
    reacted_at         TEXT NOT NULL,
    PRIMARY KEY (message_id, resident_ref)
);

-- Earlier texts of resident messages the resident edited, kept for the archive.
CREATE TABLE message_revisions (
    id                 INTEGER PRIMARY KEY,
    message_id         INTEGER NOT NULL REFERENCES messages (id),
    -- The text as it was stored before the edit (personal data masked), and what was found.
    text               TEXT NOT NULL,
    privacy            TEXT,
    -- Meta's time of the edit that replaced it.
    replaced_at        TEXT NOT NULL,
    -- The edit's own wamid: a redelivered edit is recognised.
    channel_message_id TEXT NOT NULL UNIQUE
);
CREATE INDEX message_revisions_message ON message_revisions (message_id, replaced_at);

-- When the resident last edited the message, and when they deleted it for everyone. A revoked
-- message keeps its text for the archive.
ALTER TABLE messages ADD COLUMN edited_at TEXT;
ALTER TABLE messages ADD COLUMN revoked_at TEXT;
