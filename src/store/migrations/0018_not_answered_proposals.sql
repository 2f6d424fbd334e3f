-- Proposals of a third kind: `not_answered`, a resident message the article does not answer
-- (an agent's "Beantwoordt de vraag niet" on a suggestion), for the article's `not_answered`
-- list. SQLite cannot change a CHECK constraint in place, so `kb_proposals` is rebuilt as
-- https://www.sqlite.org/lang_altertable.html describes: new table, copy, drop, rename.

CREATE TABLE kb_proposals_new (
    id          INTEGER PRIMARY KEY,
    article_id  TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('question', 'change', 'not_answered')),
    text        TEXT NOT NULL,
    -- The resident message it came from, if any.
    message_id  INTEGER REFERENCES messages (id),
    -- The agent who proposed it, or whose reply taught it.
    proposed_by TEXT NOT NULL,
    -- 1 for a learned question: proposed automatically from an agent's choice of article.
    learned     INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'accepted', 'rejected')),
    decided_by  TEXT,
    decided_at  TEXT
);

INSERT INTO kb_proposals_new (id, article_id, kind, text, message_id, proposed_by, learned,
                              created_at, state, decided_by, decided_at)
    SELECT id, article_id, kind, text, message_id, proposed_by, learned, created_at, state,
           decided_by, decided_at
    FROM kb_proposals;

DROP TABLE kb_proposals;
ALTER TABLE kb_proposals_new RENAME TO kb_proposals;

CREATE INDEX kb_proposals_state ON kb_proposals (state, id);
-- A message is proposed for an article's lists once: as an example question or as one the
-- article does not answer, not both.
CREATE UNIQUE INDEX kb_proposals_question_once ON kb_proposals (message_id, article_id)
    WHERE kind IN ('question', 'not_answered') AND message_id IS NOT NULL;
