-- The gap report ("Hiaten", issue 12): resident messages an editor dismissed with "Negeer"
-- no longer show. Groups are recomputed on every view, so what is dismissed is the messages.
CREATE TABLE gap_dismissals (
    message_id   INTEGER PRIMARY KEY REFERENCES messages (id),
    -- The user name, or `api:<key name>`.
    dismissed_by TEXT NOT NULL,
    dismissed_at TEXT NOT NULL
);
-- The report reads the messages of the last N days through `messages_created` (0012).
