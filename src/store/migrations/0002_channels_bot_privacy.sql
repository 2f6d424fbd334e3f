-- WhatsApp, the persistent outbox, bot mode and the privacy guard.

-- The channel's own id of a message (WhatsApp's wamid). Unique, so a webhook delivered twice
-- stores its message once; also how delivery statuses find their message.
ALTER TABLE messages ADD COLUMN channel_message_id TEXT;
CREATE UNIQUE INDEX messages_channel_message_id ON messages (channel_message_id)
    WHERE channel_message_id IS NOT NULL;
-- What arrived when it was not text: image, audio, video, document, sticker, location, ...
-- and the channel's media id (media are not downloaded).
ALTER TABLE messages ADD COLUMN media_kind TEXT;
ALTER TABLE messages ADD COLUMN media_id TEXT;
-- Why the channel could not deliver an outbound message.
ALTER TABLE messages ADD COLUMN delivery_error TEXT;
-- The kinds of personal data found (and masked) in a resident message, comma-separated.
ALTER TABLE messages ADD COLUMN privacy TEXT;
-- For a bot answer: whether the resident found it helpful (1) or not (0).
ALTER TABLE messages ADD COLUMN helpful INTEGER;
-- The resident's display name on the channel (WhatsApp profile name).
ALTER TABLE conversations ADD COLUMN resident_name TEXT;
-- The last resident message: WhatsApp allows free-form replies for 24 hours after it.
ALTER TABLE conversations ADD COLUMN last_inbound_at TEXT;
-- 1 when the resident asked for a person after a bot answer: first in the inbox.
ALTER TABLE conversations ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
-- The bot answer waiting for "ja" or "nee".
ALTER TABLE conversations ADD COLUMN feedback_for INTEGER REFERENCES messages (id);
-- Which closed period (or office day) the away text or acknowledgement was sent for, so it
-- goes out once per period and not after every message.
ALTER TABLE conversations ADD COLUMN notice_key TEXT;

-- Replies on channels that deliver over the network (WhatsApp) wait here until the channel
-- accepted them. Per conversation they go out in order; failures retry with backoff.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    message_id      INTEGER NOT NULL UNIQUE REFERENCES messages (id),
    conversation_id INTEGER NOT NULL REFERENCES conversations (id),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    -- pending, sent or failed (given up; the message shows why).
    state           TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'sent', 'failed'))
);
CREATE INDEX outbox_pending ON outbox (state, conversation_id, id);

-- A status can arrive before the send's response told us the message's wamid. It waits here
-- and is applied when the outbox records the wamid.
CREATE TABLE early_statuses (
    channel_message_id TEXT NOT NULL,
    delivery           TEXT NOT NULL,
    error              TEXT,
    received_at        TEXT NOT NULL
);
CREATE INDEX early_statuses_message ON early_statuses (channel_message_id);
