-- What the knowledge base did for each agent reply, and the editors' review queue.

-- One row per agent reply: the resident message it answered (the one whose suggestions the
-- agent saw), the article used and how it was found. The reply's own text, usage and the
-- resident's "ja"/"nee" stay on `messages`; a reply without an article is found here by the
-- message it answered.
CREATE TABLE reply_usage (
    reply_id        INTEGER PRIMARY KEY REFERENCES messages (id),
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    answered_id     INTEGER REFERENCES messages (id),
    article_id      TEXT,
    -- The article's rank among the answered message's stored suggestions (1 = first); NULL
    -- when it was not among them (found through a KB search).
    rank            INTEGER,
    -- Where the agent took the article from: the suggestions beside the conversation, or the
    -- knowledge-base search. NULL when no article was used.
    via             TEXT CHECK (via IN ('suggestion', 'search')),
    at              TEXT NOT NULL
);
CREATE INDEX reply_usage_answered ON reply_usage (answered_id);
CREATE INDEX reply_usage_at ON reply_usage (at);
-- The 30-day usage figures read messages by time.
CREATE INDEX messages_created ON messages (created_at);

-- Proposals for an article, waiting for an editor: an example question (from an agent, or
-- learned from a reply that used an article the suggestions did not put first) or a free-text
-- change. The text is masked before it is stored. Nothing changes content until an editor
-- accepts it.
CREATE TABLE kb_proposals (
    id          INTEGER PRIMARY KEY,
    article_id  TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('question', 'change')),
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
CREATE INDEX kb_proposals_state ON kb_proposals (state, id);
-- A message is proposed as an example question for an article once.
CREATE UNIQUE INDEX kb_proposals_question_once ON kb_proposals (message_id, article_id)
    WHERE kind = 'question' AND message_id IS NOT NULL;
