-- The reply a person owes the resident. From the first resident message that needs a person
-- (a hand-over, a "nee", personal data, the away text, anything the bot leaves unanswered)
-- until an agent replies or closes the conversation. A later greeting, thanks or bot answer
-- does not erase it.
ALTER TABLE conversations ADD COLUMN owed_since TEXT;
-- The deadline the resident was given ("maandag vóór 12:00"), UTC; set with owed_since and
-- kept while the reply is owed, so a later away text does not move it.
ALTER TABLE conversations ADD COLUMN promised_by TEXT;
CREATE INDEX conversations_promised ON conversations (promised_by) WHERE owed_since IS NOT NULL;

-- Backfill. A conversation that is not closed owes a reply from the first resident message
-- after the last agent reply when, since that reply, it still waits (waiting_since), the
-- resident asked for a person or said "nee" (priority), sent personal data, or the bot sent a
-- text that promises a person (the default away, acknowledgement, hand-over and "nee" texts
-- all name "medewerker"). Which promise the bot gave is not recorded, so the deadline is the
-- default response time: 24 hours after that message.
WITH since_agent AS (
    SELECT c.id AS conversation_id,
           (SELECT COALESCE(MAX(m.id), 0) FROM messages m
            WHERE m.conversation_id = c.id AND m.direction = 'out' AND m.author_kind = 'agent')
               AS after_id
    FROM conversations c
    WHERE c.status != 'closed'
),
owed AS (
    SELECT s.conversation_id,
           (SELECT m.created_at FROM messages m
            WHERE m.conversation_id = s.conversation_id AND m.direction = 'in'
              AND m.id > s.after_id
            ORDER BY m.id LIMIT 1) AS since
    FROM since_agent s JOIN conversations c ON c.id = s.conversation_id
    WHERE c.waiting_since IS NOT NULL OR c.priority = 1
       OR EXISTS (SELECT 1 FROM messages m
                  WHERE m.conversation_id = s.conversation_id AND m.id > s.after_id
                    AND m.direction = 'in' AND m.privacy IS NOT NULL)
       OR EXISTS (SELECT 1 FROM messages m
                  WHERE m.conversation_id = s.conversation_id AND m.id > s.after_id
                    AND m.direction = 'out' AND m.author_kind IN ('bot', 'system')
                    AND m.article_id IS NULL AND m.text LIKE '%medewerker%')
)
UPDATE conversations
SET owed_since = owed.since,
    promised_by = strftime('%Y-%m-%d %H:%M:%f+00:00', owed.since, '+24 hours'),
    status = 'open'
FROM owed
WHERE conversations.id = owed.conversation_id AND owed.since IS NOT NULL;
