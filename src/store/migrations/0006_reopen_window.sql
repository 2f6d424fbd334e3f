-- WhatsApp's 24-hour window measured from Meta's time, answers held until the resident
-- reopens it, the re-engagement template, and API keys that may answer every conversation.

-- When the resident sent the message, by the channel's clock (WhatsApp's `timestamp`). Meta
-- redelivers for days, so this can be long before created_at, which stays the time we
-- received it. NULL for channels without their own time (web chat, inbox tools).
ALTER TABLE messages ADD COLUMN sent_at TEXT;
-- An agent's answer written after the window closed waits here, not in the outbox, from this
-- moment until the resident writes again (then it is queued) or 7 days pass (then it fails).
ALTER TABLE messages ADD COLUMN held_since TEXT;
CREATE INDEX messages_held ON messages (conversation_id) WHERE held_since IS NOT NULL;
-- For a template message: {"name", "language", "parameters"} as sent to the Graph API.
ALTER TABLE messages ADD COLUMN template TEXT;

-- When the message entered the outbox. A held answer enters it days after it was written;
-- giving up after 24 hours of failures counts from here, not from the writing.
ALTER TABLE outbox ADD COLUMN queued_at TEXT;

-- 1: the key reads and answers every conversation, not only those it posted into.
ALTER TABLE api_keys ADD COLUMN all_conversations INTEGER NOT NULL DEFAULT 0;
