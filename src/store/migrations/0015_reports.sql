-- Issue 13, reports: facts kept up to date by triggers in the transaction that changes a
-- conversation, so a report over a year reads one row per conversation and one per reply
-- instead of scanning every message. Times here are Unix milliseconds (UTC), so periods
-- compare as integers whatever text form a time was stored in.
--
-- What each column means is the README's "Reports: what each figure means".

-- One row per conversation.
CREATE TABLE report_conversations (
    conversation_id    INTEGER PRIMARY KEY REFERENCES conversations (id),
    channel            TEXT NOT NULL,
    -- The department it is (now) forwarded to.
    department         TEXT,
    started_at         INTEGER NOT NULL,
    -- The first wait: since when the first reply was owed that the bot did not settle
    -- ("ja" to its "Bedoelt u …?" offer), and the deadline the resident was given then.
    first_owed_at      INTEGER,
    promised_by        INTEGER,
    -- How the first wait ended: the agent reply, or closing without one.
    first_response_at  INTEGER,
    -- The agent who gave that reply; NULL for an inbox tool's reply.
    responder_id       INTEGER,
    first_wait_closed_at INTEGER,
    -- The first agent reply at all, owed or not.
    first_agent_at     INTEGER,
    agent_replies      INTEGER NOT NULL DEFAULT 0,
    messages_in        INTEGER NOT NULL DEFAULT 0,
    -- The bot's first answer with an article or first "Bedoelt u …?" offer.
    bot_first_at       INTEGER,
    helpful_yes        INTEGER NOT NULL DEFAULT 0,
    helpful_no         INTEGER NOT NULL DEFAULT 0,
    first_closed_at    INTEGER,
    -- The last close; NULL while open.
    closed_at          INTEGER,
    -- How often it was reopened after a close.
    reopened           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX report_conversations_started ON report_conversations (started_at);

-- Resident messages per conversation and UTC hour (Unix seconds / 3600). Amsterdam's offsets
-- are whole hours, so local days and hours of the week follow from UTC hours.
CREATE TABLE report_message_hours (
    hour            INTEGER NOT NULL,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    n               INTEGER NOT NULL,
    PRIMARY KEY (hour, conversation_id)
) WITHOUT ROWID;
CREATE INDEX report_message_hours_conversation ON report_message_hours (conversation_id);

-- One row per agent reply: what it used from the knowledge base, and the article the
-- suggestions put first for the message it answered (for acceptance per article).
CREATE TABLE report_replies (
    reply_id        INTEGER PRIMARY KEY REFERENCES messages (id),
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    at              INTEGER NOT NULL,
    agent_id        INTEGER,
    usage           TEXT,
    article_id      TEXT,
    rank            INTEGER,
    via             TEXT,
    top_article     TEXT
);
CREATE INDEX report_replies_at ON report_replies (at);
CREATE INDEX report_replies_conversation ON report_replies (conversation_id);

-- One row per forward to a department.
CREATE TABLE report_forwards (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    department      TEXT NOT NULL,
    at              INTEGER NOT NULL
);
CREATE INDEX report_forwards_at ON report_forwards (at);
CREATE INDEX report_forwards_conversation ON report_forwards (conversation_id);

CREATE TRIGGER report_conversation_started AFTER INSERT ON conversations
BEGIN
    INSERT INTO report_conversations (conversation_id, channel, department, started_at)
    -- A time SQLite cannot read (only tests write such) must not refuse the conversation.
    VALUES (NEW.id, NEW.channel, NEW.department,
            COALESCE(CAST(round(unixepoch(NEW.created_at, 'subsec') * 1000) AS INTEGER), 0));
END;

CREATE TRIGGER report_message_in AFTER INSERT ON messages WHEN NEW.direction = 'in'
BEGIN
    INSERT INTO report_message_hours (hour, conversation_id, n)
    VALUES (COALESCE(unixepoch(NEW.created_at) / 3600, 0), NEW.conversation_id, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
    UPDATE report_conversations SET messages_in = messages_in + 1
     WHERE conversation_id = NEW.conversation_id;
END;

-- An agent's reply ends the first wait when it is still open. (Each SET expression reads the
-- row as it was, so the conditions agree.)
CREATE TRIGGER report_agent_reply AFTER INSERT ON messages
WHEN NEW.direction = 'out' AND NEW.author_kind = 'agent'
BEGIN
    UPDATE report_conversations SET
        agent_replies = agent_replies + 1,
        first_agent_at = COALESCE(first_agent_at,
            CAST(round(unixepoch(NEW.created_at, 'subsec') * 1000) AS INTEGER)),
        first_response_at = CASE
            WHEN first_owed_at IS NOT NULL AND first_response_at IS NULL
                 AND first_wait_closed_at IS NULL
            THEN CAST(round(unixepoch(NEW.created_at, 'subsec') * 1000) AS INTEGER)
            ELSE first_response_at END,
        responder_id = CASE
            WHEN first_owed_at IS NOT NULL AND first_response_at IS NULL
                 AND first_wait_closed_at IS NULL
            THEN NEW.author_id ELSE responder_id END
     WHERE conversation_id = NEW.conversation_id;
END;

-- The article goes on a bot message after it is inserted (store::responses).
CREATE TRIGGER report_bot_answer AFTER UPDATE OF article_id ON messages
WHEN NEW.author_kind = 'bot' AND NEW.article_id IS NOT NULL
BEGIN
    UPDATE report_conversations SET bot_first_at = COALESCE(bot_first_at,
            CAST(round(unixepoch(NEW.created_at, 'subsec') * 1000) AS INTEGER))
     WHERE conversation_id = NEW.conversation_id;
END;

CREATE TRIGGER report_bot_offer AFTER UPDATE OF offered_article ON conversations
WHEN NEW.offered_article IS NOT NULL
BEGIN
    UPDATE report_conversations SET bot_first_at = COALESCE(bot_first_at,
            CAST(round(unixepoch(NEW.updated_at, 'subsec') * 1000) AS INTEGER))
     WHERE conversation_id = NEW.id;
END;

CREATE TRIGGER report_helpful AFTER UPDATE OF helpful ON messages
WHEN NEW.helpful IS NOT OLD.helpful
BEGIN
    UPDATE report_conversations SET
        helpful_yes = helpful_yes + (NEW.helpful IS 1) - (OLD.helpful IS 1),
        helpful_no = helpful_no + (NEW.helpful IS 0) - (OLD.helpful IS 0)
     WHERE conversation_id = NEW.conversation_id;
END;

-- A reply becomes owed: the first wait starts, unless one already did.
CREATE TRIGGER report_owed AFTER UPDATE OF owed_since ON conversations
WHEN OLD.owed_since IS NULL AND NEW.owed_since IS NOT NULL
BEGIN
    UPDATE report_conversations SET
        first_owed_at = CAST(round(unixepoch(NEW.owed_since, 'subsec') * 1000) AS INTEGER),
        promised_by = CAST(round(unixepoch(NEW.promised_by, 'subsec') * 1000) AS INTEGER)
     WHERE conversation_id = NEW.id AND first_owed_at IS NULL;
END;

-- The owed reply is settled without an agent and without closing: the resident said "ja" to
-- the bot's offer and got the article. That message did not need a person after all, so the
-- first wait is forgotten and the next one counts.
CREATE TRIGGER report_owed_settled AFTER UPDATE OF owed_since ON conversations
WHEN OLD.owed_since IS NOT NULL AND NEW.owed_since IS NULL AND NEW.status != 'closed'
BEGIN
    UPDATE report_conversations SET first_owed_at = NULL, promised_by = NULL
     WHERE conversation_id = NEW.id AND first_response_at IS NULL
       AND first_wait_closed_at IS NULL
       AND first_owed_at = CAST(round(unixepoch(OLD.owed_since, 'subsec') * 1000) AS INTEGER);
END;

-- Closed while the first reply was still owed: the first wait ended unanswered. A reply after
-- a reopen belongs to a later wait and is not the first response.
CREATE TRIGGER report_owed_closed AFTER UPDATE OF owed_since ON conversations
WHEN OLD.owed_since IS NOT NULL AND NEW.owed_since IS NULL AND NEW.status = 'closed'
BEGIN
    UPDATE report_conversations SET
        first_wait_closed_at = CAST(round(unixepoch(NEW.updated_at, 'subsec') * 1000) AS INTEGER)
     WHERE conversation_id = NEW.id AND first_owed_at IS NOT NULL
       AND first_response_at IS NULL AND first_wait_closed_at IS NULL;
END;

CREATE TRIGGER report_status AFTER UPDATE OF status ON conversations
WHEN NEW.status IS NOT OLD.status
BEGIN
    UPDATE report_conversations SET
        first_closed_at = CASE WHEN NEW.status = 'closed'
            THEN COALESCE(first_closed_at,
                 CAST(round(unixepoch(NEW.updated_at, 'subsec') * 1000) AS INTEGER))
            ELSE first_closed_at END,
        closed_at = CASE WHEN NEW.status = 'closed'
            THEN CAST(round(unixepoch(NEW.updated_at, 'subsec') * 1000) AS INTEGER) END,
        reopened = reopened + (OLD.status = 'closed')
     WHERE conversation_id = NEW.id;
END;

CREATE TRIGGER report_forward AFTER UPDATE OF department ON conversations
WHEN NEW.department IS NOT NULL
BEGIN
    UPDATE report_conversations SET department = NEW.department
     WHERE conversation_id = NEW.id;
    INSERT INTO report_forwards (conversation_id, department, at)
    VALUES (NEW.id, NEW.department,
            COALESCE(CAST(round(unixepoch(NEW.updated_at, 'subsec') * 1000) AS INTEGER), 0));
END;

CREATE TRIGGER report_reply AFTER INSERT ON reply_usage
BEGIN
    INSERT INTO report_replies (reply_id, conversation_id, at, agent_id, usage, article_id,
                                rank, via, top_article)
    SELECT NEW.reply_id, NEW.conversation_id,
           COALESCE(CAST(round(unixepoch(m.created_at, 'subsec') * 1000) AS INTEGER), 0),
           m.author_id,
           m.usage, NEW.article_id, NEW.rank, NEW.via,
           (SELECT s.article_id FROM suggestions s
             WHERE s.message_id = NEW.answered_id AND s.rank = 1)
      FROM messages m WHERE m.id = NEW.reply_id;
END;

-- A destroyed message (archive purge) leaves the hourly counts.
CREATE TRIGGER report_message_gone AFTER DELETE ON messages WHEN OLD.direction = 'in'
BEGIN
    UPDATE report_message_hours SET n = n - 1
     WHERE hour = unixepoch(OLD.created_at) / 3600 AND conversation_id = OLD.conversation_id;
    DELETE FROM report_message_hours
     WHERE hour = unixepoch(OLD.created_at) / 3600 AND conversation_id = OLD.conversation_id
       AND n <= 0;
END;

-- Backfill. What earlier versions did not record is approximated, as the README says: the
-- first wait starts at the reply owed now or else at the first resident message before the
-- first agent reply; no promise is known; a conversation counts as reopened never.
INSERT INTO report_conversations (conversation_id, channel, department, started_at)
SELECT id, channel, department,
       COALESCE(CAST(round(unixepoch(created_at, 'subsec') * 1000) AS INTEGER), 0)
  FROM conversations;

WITH firsts AS (
    SELECT c.id,
           (SELECT MIN(m.id) FROM messages m WHERE m.conversation_id = c.id
               AND m.direction = 'out' AND m.author_kind = 'agent') AS first_agent_id,
           (SELECT MIN(m.id) FROM messages m WHERE m.conversation_id = c.id
               AND m.direction = 'out' AND m.author_kind = 'bot' AND m.article_id IS NOT NULL)
               AS first_bot_id
      FROM conversations c
)
UPDATE report_conversations SET
    first_agent_at = (SELECT CAST(round(unixepoch(m.created_at, 'subsec') * 1000) AS INTEGER)
                        FROM messages m WHERE m.id = firsts.first_agent_id),
    responder_id = (SELECT m.author_id FROM messages m WHERE m.id = firsts.first_agent_id),
    first_response_at = (SELECT CAST(round(unixepoch(m.created_at, 'subsec') * 1000) AS INTEGER)
                           FROM messages m WHERE m.id = firsts.first_agent_id),
    first_owed_at = (SELECT CAST(round(unixepoch(m.created_at, 'subsec') * 1000) AS INTEGER)
                       FROM messages m WHERE m.conversation_id = firsts.id
                        AND m.direction = 'in' AND m.id < firsts.first_agent_id
                      ORDER BY m.id LIMIT 1),
    bot_first_at = (SELECT CAST(round(unixepoch(m.created_at, 'subsec') * 1000) AS INTEGER)
                      FROM messages m WHERE m.id = firsts.first_bot_id),
    agent_replies = (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = firsts.id
                        AND m.direction = 'out' AND m.author_kind = 'agent'),
    messages_in = (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = firsts.id
                      AND m.direction = 'in'),
    helpful_yes = (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = firsts.id
                      AND m.helpful = 1),
    helpful_no = (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = firsts.id
                     AND m.helpful = 0)
FROM firsts WHERE report_conversations.conversation_id = firsts.id;

-- A reply that followed no resident message answered nothing owed.
UPDATE report_conversations SET first_response_at = NULL, responder_id = NULL
 WHERE first_owed_at IS NULL;

-- Still owed now and never answered: the first wait is the current one.
UPDATE report_conversations SET
    first_owed_at = (SELECT CAST(round(unixepoch(c.owed_since, 'subsec') * 1000) AS INTEGER)
                       FROM conversations c WHERE c.id = conversation_id),
    promised_by = (SELECT CAST(round(unixepoch(c.promised_by, 'subsec') * 1000) AS INTEGER)
                     FROM conversations c WHERE c.id = conversation_id)
 WHERE first_agent_at IS NULL
   AND (SELECT owed_since FROM conversations c WHERE c.id = conversation_id) IS NOT NULL;

UPDATE report_conversations SET
    first_closed_at = (SELECT CAST(round(unixepoch(c.closed_at, 'subsec') * 1000) AS INTEGER)
                         FROM conversations c WHERE c.id = conversation_id),
    closed_at = (SELECT CAST(round(unixepoch(c.closed_at, 'subsec') * 1000) AS INTEGER)
                   FROM conversations c WHERE c.id = conversation_id);

INSERT INTO report_message_hours (hour, conversation_id, n)
SELECT COALESCE(unixepoch(created_at) / 3600, 0), conversation_id, COUNT(*)
  FROM messages WHERE direction = 'in'
 GROUP BY 1, 2;

INSERT INTO report_replies (reply_id, conversation_id, at, agent_id, usage, article_id, rank,
                            via, top_article)
SELECT u.reply_id, u.conversation_id,
       COALESCE(CAST(round(unixepoch(m.created_at, 'subsec') * 1000) AS INTEGER), 0),
       m.author_id, m.usage,
       u.article_id, u.rank, u.via,
       (SELECT s.article_id FROM suggestions s WHERE s.message_id = u.answered_id AND s.rank = 1)
  FROM reply_usage u JOIN messages m ON m.id = u.reply_id;

INSERT INTO report_forwards (conversation_id, department, at)
SELECT a.conversation_id, a.detail,
       COALESCE(CAST(round(unixepoch(a.at, 'subsec') * 1000) AS INTEGER), 0)
  FROM audit_log a
 WHERE a.action = 'conversation.forward'
   AND a.conversation_id IN (SELECT id FROM conversations);
