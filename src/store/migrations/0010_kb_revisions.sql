-- Every saved version of a knowledge-base article: by an editor from the dashboard or the API,
-- or by "bestand" when the file changed on disk. The full text is kept, so any revision can be
-- shown, compared and restored (a restore is a new revision). Append-only, like the audit log.
CREATE TABLE kb_revisions (
    id          INTEGER PRIMARY KEY,
    article_id  TEXT NOT NULL,
    -- Hex SHA-256 of the file bytes (kb::write::version).
    version     TEXT NOT NULL,
    author      TEXT NOT NULL,
    at          TEXT NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('published', 'draft', 'archived'))
);
CREATE INDEX kb_revisions_by_article ON kb_revisions (article_id, id);

CREATE TRIGGER kb_revisions_no_update BEFORE UPDATE ON kb_revisions
BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END;
CREATE TRIGGER kb_revisions_no_delete BEFORE DELETE ON kb_revisions
BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END;
