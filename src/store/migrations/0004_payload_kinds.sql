-- Issue 10, WhatsApp payload kinds. A resident message that replies to another keeps the
-- quoted message's channel id; `details` holds what the dashboard shows around a message
-- (forwarded, the ad it came from, the id and description of a tapped button, an echo sent
-- outside vraagbaak) as JSON. `text` stays the readable summary for export and search.
ALTER TABLE messages ADD COLUMN reply_to TEXT;
ALTER TABLE messages ADD COLUMN details TEXT;

-- A resident's earlier numbers: the conversation moves to the new number (resident_ref), the
-- old one is kept here for the archive.
CREATE TABLE resident_ref_links (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    channel         TEXT NOT NULL,
    old_ref         TEXT NOT NULL,
    new_ref         TEXT NOT NULL,
    -- WhatsApp's time of the change, and when we recorded it (UTC).
    changed_at      TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
);
CREATE INDEX resident_ref_links_conversation ON resident_ref_links (conversation_id);

-- Every marketing stop/resume a resident sent, with WhatsApp's time; the latest one counts.
CREATE TABLE marketing_preferences (
    id          INTEGER PRIMARY KEY,
    wa_id       TEXT NOT NULL,
    value       TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX marketing_preferences_wa_id ON marketing_preferences (wa_id, changed_at);
