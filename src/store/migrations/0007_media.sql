-- Residents' photos and files: each media message is downloaded from the Graph API in the
-- background and stored under the data directory, content-addressed by SHA-256
-- (`media/ab/cdef…`), so two messages with the same bytes share one file.
CREATE TABLE media (
    message_id      INTEGER PRIMARY KEY REFERENCES messages (id),
    -- The channel's media id (Graph API); Meta keeps the file 30 days after the message.
    media_id        TEXT NOT NULL,
    -- image, audio, video, document or sticker, as Meta names it.
    kind            TEXT NOT NULL,
    -- pending: to download (again); stored: the file is on disk; failed: given up (404,
    -- expired, 30 days of errors); refused: over the size limit or not an allowed type.
    state           TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'stored', 'failed', 'refused')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    -- When the message arrived: the 30 days count from here.
    received_at     TEXT NOT NULL,
    -- The technical cause of the last failed attempt, for the log and the admin.
    last_error      TEXT,
    -- For failed and refused media: why, in Dutch, as agents see it.
    reason          TEXT,
    -- Of the stored bytes: hex SHA-256 (the file's name), size, the type found by its magic
    -- bytes (never the declared one), and for images the pixel size.
    sha256          TEXT,
    size            INTEGER,
    mime_type       TEXT,
    width           INTEGER,
    height          INTEGER,
    -- The resident's file name for documents (personal data masked), else NULL.
    file_name       TEXT
);
CREATE INDEX media_pending ON media (next_attempt_at) WHERE state = 'pending';
CREATE INDEX media_sha256 ON media (sha256) WHERE sha256 IS NOT NULL;

-- Media that arrived before this version are downloaded now, as far as Meta still has them.
INSERT INTO media (message_id, media_id, kind, next_attempt_at, received_at)
SELECT id, media_id, media_kind, created_at, created_at FROM messages
WHERE media_kind IN ('image', 'audio', 'video', 'document', 'sticker')
  AND media_id IS NOT NULL AND media_id != '';
